/// References and the DOCTYPE: what `XMLInputRepair` does at an `&` and at `<!DOCTYPE`.
extension XMLInputRepair {
    // MARK: - References

    static let predefined: [[UInt8]] = ["lt", "gt", "amp", "quot", "apos"].map { Array($0.utf8) }

    mutating func ampersand(_ i: Int) throws(FeedParseError) -> Int {
        let j = i + 1
        if let length = predefinedReferenceLength(at: i) { return i + length }
        if j < n, p[j] == UInt8(ascii: "#") {
            guard let (length, value, terminated) = NumericReference.parse(p, at: j) else {
                note(i, "'&' that starts no reference (read as text)")
                replace(i, i + 1, with: "&amp;".utf8)
                return j
            }
            let end = j + length
            let valid = Self.isXMLChar(value)
            if terminated && valid && !(0x80...0x9F).contains(value) { return end }
            var scalar = HTMLEntities.numeric(value).value
            if value < 0x20 { scalar = 0x20 }
            if !Self.isXMLChar(scalar) { scalar = 0xFFFD }
            if !valid { note(i, "character reference to an invalid character (replaced)") }
            replace(i, end, with: "&#\(scalar);".utf8)
            return end
        }
        var end = j
        while end < n, end - j <= 64, Self.isNameByte(p[end]) { end += 1 }
        if end > j, end < n, p[end] == UInt8(ascii: ";") {
            let name = UnsafeBufferPointer(rebasing: p[j..<end])
            if name.count <= 4, Self.predefined.contains(where: { $0.elementsEqual(name) }) { return end + 1 }
            if !entities.isEmpty, entities[Array(name)] != nil {
                let expansion = try expand(Array(name), depth: 0)
                replace(i, end + 1, with: expansion)
                return end + 1
            }
            if let value = index.value(of: UnsafeBufferPointer(rebasing: p[j...end])) {
                replace(i, end + 1, with: escaped(value))
                return end + 1
            }
            note(i, "undefined entity &\(String(decoding: name, as: UTF8.self)); (kept as text)")
            replace(i, i + 1, with: "&amp;".utf8)
            return end + 1
        }
        if let (length, value) = index.match(p, at: j, inAttribute: true) {
            replace(i, j + length, with: escaped(value))
            return j + length
        }
        note(i, "'&' that starts no reference (read as text)")
        replace(i, i + 1, with: "&amp;".utf8)
        return j
    }

    /// The length of `&lt;`, `&gt;`, `&amp;`, `&quot;` or `&apos;` at `i`, the references that
    /// need nothing (most of escaped HTML).
    @inline(__always)
    func predefinedReferenceLength(at i: Int) -> Int? {
        guard i + 3 < n else { return nil }
        switch p[i + 1] {
        case UInt8(ascii: "l"), UInt8(ascii: "g"):
            return p[i + 2] == UInt8(ascii: "t") && p[i + 3] == UInt8(ascii: ";") ? 4 : nil
        case UInt8(ascii: "a"):
            if i + 4 < n, p[i + 2] == UInt8(ascii: "m"), p[i + 3] == UInt8(ascii: "p"), p[i + 4] == UInt8(ascii: ";") { return 5 }
            if i + 5 < n, p[i + 2] == UInt8(ascii: "p"), p[i + 3] == UInt8(ascii: "o"), p[i + 4] == UInt8(ascii: "s"),
               p[i + 5] == UInt8(ascii: ";") { return 6 }
            return nil
        case UInt8(ascii: "q"):
            if i + 5 < n, p[i + 2] == UInt8(ascii: "u"), p[i + 3] == UInt8(ascii: "o"), p[i + 4] == UInt8(ascii: "t"),
               p[i + 5] == UInt8(ascii: ";") { return 6 }
            return nil
        default:
            return nil
        }
    }

    /// A reference's characters as they can stand in XML: markup characters as references.
    func escaped(_ value: Range<Int>) -> [UInt8] {
        if value.count == 1 {
            let byte = index.values[value.lowerBound]
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                return Array("&#\(byte);".utf8)
            default: break
            }
        }
        return Array(index.values[value])
    }

    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        byte.isASCIIAlphanumeric || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    static func isXMLChar(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    // MARK: - DOCTYPE and declared entities

    mutating func doctype(_ i: Int) throws(FeedParseError) -> Int {
        var k = i + 9
        var end = n
        while k < n {
            let byte = p[k]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                k = skipQuoted(k)
            } else if byte == UInt8(ascii: "[") {
                k = try internalSubset(k + 1)
            } else if byte == UInt8(ascii: ">") {
                end = k + 1
                break
            } else {
                k += 1
            }
        }
        let newlines = p[i..<end].filter { $0 == 0x0A }
        replace(i, end, with: newlines)
        return end
    }

    func skipQuoted(_ k: Int) -> Int {
        let quote = p[k]
        var j = k + 1
        while j < n, p[j] != quote { j += 1 }
        return min(j + 1, n)
    }

    func skipDeclaration(_ k: Int) -> Int {
        var j = k
        while j < n {
            if p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") { j = skipQuoted(j); continue }
            if p[j] == UInt8(ascii: ">") { return j + 1 }
            j += 1
        }
        return n
    }

    func skipPast(_ k: Int, _ terminator: StaticString) -> Int {
        var j = k
        while j < n {
            if matches(j, terminator) { return j + terminator.utf8CodeUnitCount }
            j += 1
        }
        return n
    }

    /// Reads declarations up to the closing `]`, keeping internal general entities.
    mutating func internalSubset(_ start: Int) throws(FeedParseError) -> Int {
        var k = start
        while k < n {
            let byte = p[k]
            if byte == UInt8(ascii: "]") { return k + 1 }
            if matches(k, "<!ENTITY") {
                k = entityDeclaration(k + 8)
            } else if matches(k, "<!--") {
                k = skipPast(k + 4, "-->")
            } else if matches(k, "<?") {
                k = skipPast(k + 2, "?>")
            } else if byte == UInt8(ascii: "<") {
                k = skipDeclaration(k + 1)
            } else {
                k += 1
            }
        }
        return n
    }

    mutating func entityDeclaration(_ start: Int) -> Int {
        var k = start
        while k < n, p[k].isXMLWhitespace { k += 1 }
        if k < n, p[k] == UInt8(ascii: "%") { return skipDeclaration(k) }
        let nameStart = k
        while k < n, !p[k].isXMLWhitespace, p[k] != UInt8(ascii: ">") { k += 1 }
        let name = Array(p[nameStart..<k])
        while k < n, p[k].isXMLWhitespace { k += 1 }
        guard k < n, p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'") else { return skipDeclaration(k) }
        let valueEnd = skipQuoted(k)
        if !name.isEmpty, entities[name] == nil, entities.count < Self.maxEntityDeclarations {
            entities[name] = Array(p[(k + 1)..<max(k + 1, valueEnd - 1)])
        }
        return skipDeclaration(valueEnd)
    }

    /// The replacement text of a declared entity, its own references expanded in turn. Every
    /// use counts against the budget, so neither deep nor wide amplification gets far.
    mutating func expand(_ name: [UInt8], depth: Int) throws(FeedParseError) -> [UInt8] {
        let label = String(decoding: name, as: UTF8.self)
        if let cached = expansions[name] {
            try charge(cached.count, label)
            return cached
        }
        guard depth < Self.maxEntityDepth, !expanding.contains(name), let value = entities[name] else {
            throw .entityExpansionRefused("entity '\(label)' refers to itself or nests more than \(Self.maxEntityDepth) deep")
        }
        expanding.insert(name)
        var result = [UInt8]()
        var k = 0
        while k < value.count {
            let byte = value[k]
            if byte == UInt8(ascii: "&"), k + 1 < value.count, value[k + 1] != UInt8(ascii: "#") {
                var end = k + 1
                while end < value.count, Self.isNameByte(value[end]) { end += 1 }
                if end < value.count, value[end] == UInt8(ascii: ";"), end > k + 1 {
                    let inner = Array(value[(k + 1)..<end])
                    if entities[inner] != nil {
                        result.append(contentsOf: try expand(inner, depth: depth + 1))
                    } else if Self.predefined.contains(inner) {
                        result.append(contentsOf: value[k...end])
                    } else if let html = index.value(of: inner + [UInt8(ascii: ";")]) {
                        result.append(contentsOf: escaped(html))
                    } else {
                        result.append(contentsOf: "&amp;".utf8)
                        result.append(contentsOf: value[(k + 1)...end])
                    }
                    k = end + 1
                    continue
                }
                result.append(contentsOf: "&amp;".utf8)
                k += 1
                continue
            }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                result.append(0x20)
            } else {
                result.append(byte)
            }
            k += 1
            if result.count > expansionBudget { break }
        }
        expanding.remove(name)
        expansions[name] = result
        try charge(result.count, label)
        return result
    }

    mutating func charge(_ count: Int, _ label: String) throws(FeedParseError) {
        expandedBytes += count
        if expandedBytes > expansionBudget {
            throw .entityExpansionRefused("entity '\(label)' expands past \(expansionBudget / 1024) KiB (a billion-laughs document?)")
        }
    }
}
