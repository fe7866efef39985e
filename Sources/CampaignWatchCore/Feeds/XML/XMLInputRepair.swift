/// Prepares a feed's UTF-8 for libxml2 so that its recovering parser never has to deal with
/// references or characters it handles badly, and so that entities are expanded only here,
/// under a budget.
///
/// libxml2 2.9 drops every entity reference (even `&amp;`) once it has seen one error, halts at a
/// bare `<` in text, and knows no HTML entities. So, in one pass that copies nothing when the
/// document needs nothing:
/// - HTML named references (`&nbsp;`, `&laquo;`, `&copy` without `;`) become their characters;
///   numeric references in the windows-1252 range become what browsers show.
/// - An unknown reference or a bare `&` becomes `&amp;` (the text reads as written).
/// - A `<` that cannot start markup becomes `&lt;`.
/// - Control characters XML forbids become spaces; U+FFFE/U+FFFF become U+FFFD.
/// - The DOCTYPE is removed (its newlines kept, so line numbers stay right): no DTD reaches
///   libxml2. Internal entity declarations are expanded here, within a budget, so a
///   billion-laughs document is refused after a bounded amount of work.
/// CDATA sections, comments and processing instructions pass through untouched apart from the
/// character fixes.
struct XMLInputRepair {
    struct Repair: Sendable {
        /// Offset in the repaired bytes.
        var offset: Int
        var message: String
    }

    struct Result {
        /// The repaired document; nil when the input needed no change.
        var bytes: [UInt8]?
        /// The first few repairs, for warnings.
        var repairs: [Repair]
        var repairCount: Int
        /// Offset in the repaired bytes of the first repair that changed what a reader sees.
        var firstRepairOffset: Int?
    }

    static let maxReportedRepairs = 20
    static let maxEntityDepth = 16
    static let maxEntityDeclarations = 10_000

    private let p: UnsafeBufferPointer<UInt8>
    private let n: Int
    private var out: [UInt8] = []
    private var changed = false
    private var copied = 0
    private var repairs: [Repair] = []
    private var repairCount = 0
    private var firstRepairOffset: Int?
    private var entities: [[UInt8]: [UInt8]] = [:]
    private var expansions: [[UInt8]: [UInt8]] = [:]
    private var expanding: Set<[UInt8]> = []
    private var expandedBytes = 0
    private let expansionBudget: Int
    private let index = HTMLEntityIndex.shared
    /// A problem found before this pass (a replaced byte), in input offsets, still to be mapped.
    private var pendingProblem: Int?

    private init(_ p: UnsafeBufferPointer<UInt8>, expansionBudget: Int, problemOffset: Int?) {
        self.p = p
        self.n = p.count
        self.expansionBudget = expansionBudget
        self.pendingProblem = problemOffset
    }

    /// Repairs `input`. Expansion of declared entities may produce at most `expansionBudget`
    /// bytes in all (default: the larger of 1 MiB and the input size).
    /// `problemOffset`: where an earlier stage already found a problem (in `input`), so that the
    /// posts after it are marked as recovered.
    static func run(_ input: UnsafeBufferPointer<UInt8>, expansionBudget: Int? = nil,
                    problemOffset: Int? = nil) throws(FeedParseError) -> Result {
        var repair = XMLInputRepair(input, expansionBudget: expansionBudget ?? max(1 << 20, input.count),
                                    problemOffset: problemOffset)
        try repair.scan()
        repair.mapPendingProblem(before: repair.n + 1)
        if repair.changed, repair.copied < repair.n {
            repair.out.append(contentsOf: UnsafeBufferPointer(rebasing: input[repair.copied..<repair.n]))
        }
        return Result(bytes: repair.changed ? repair.out : nil, repairs: repair.repairs,
                      repairCount: repair.repairCount, firstRepairOffset: repair.firstRepairOffset)
    }

    // MARK: - Output

    private func outputOffset(_ inputOffset: Int) -> Int {
        changed ? out.count + (inputOffset - copied) : inputOffset
    }

    private mutating func mapPendingProblem(before start: Int) {
        guard let problem = pendingProblem, problem <= start else { return }
        pendingProblem = nil
        let offset = outputOffset(min(problem, n))
        firstRepairOffset = min(firstRepairOffset ?? offset, offset)
    }

    private mutating func replace(_ start: Int, _ end: Int, with bytes: some Sequence<UInt8>) {
        mapPendingProblem(before: start)
        if !changed {
            changed = true
            out.reserveCapacity(n + n / 32 + 256)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[0..<start]))
        } else if copied < start {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<start]))
        }
        out.append(contentsOf: bytes)
        copied = end
    }

    private mutating func note(_ inputOffset: Int, _ message: @autoclosure () -> String) {
        mapPendingProblem(before: inputOffset)
        let offset = outputOffset(inputOffset)
        if firstRepairOffset == nil { firstRepairOffset = offset }
        repairCount += 1
        if repairs.count < Self.maxReportedRepairs { repairs.append(Repair(offset: offset, message: message())) }
    }

    // MARK: - Scanning

    /// Bytes the main scan must look at: `&`, `<`, C0 controls, and 0xEF (which starts U+FFFE/FFFF).
    @inline(__always)
    private static func interesting(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let control = (word &- ones &* 0x20) & ~word & highs
        return (hasZero(word ^ (ones &* 0x26)) | hasZero(word ^ (ones &* 0x3C)) | hasZero(word ^ (ones &* 0xEF)) | control) != 0
    }

    private mutating func scan() throws(FeedParseError) {
        // A declaration preceded by blank lines is a fatal error to libxml2; drop the blanks.
        var start = 0
        while start < n, p[start].isXMLWhitespace { start += 1 }
        if start > 0, start + 5 <= n, matches(start, "<?xml") { replace(0, start, with: EmptyCollection()) }
        var i = start
        guard let base = p.baseAddress else { return }
        while i < n {
            if i + 8 <= n, !Self.interesting(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let stop = min(i + 8, n)
            while i < stop {
                let byte = p[i]
                if byte == UInt8(ascii: "<") {
                    i = try less(i)
                } else if byte == UInt8(ascii: "&") {
                    i = try ampersand(i)
                } else if byte < 0x20 {
                    i = control(i)
                } else if byte == 0xEF {
                    i = nonCharacter(i)
                } else {
                    i += 1
                }
            }
        }
    }

    @inline(__always)
    private mutating func control(_ i: Int) -> Int {
        let byte = p[i]
        if byte == 0x0A || byte == 0x09 || byte == 0x0D { return i + 1 }
        let code = hex(UInt32(byte))
        note(i, "control character U+\(code) (read as a space)")
        replace(i, i + 1, with: CollectionOfOne(0x20))
        return i + 1
    }

    @inline(__always)
    private mutating func nonCharacter(_ i: Int) -> Int {
        if i + 2 < n, p[i + 1] == 0xBF, p[i + 2] == 0xBE || p[i + 2] == 0xBF {
            let which = p[i + 2] == 0xBE ? "E" : "F"
            note(i, "non-character U+FFF\(which) (replaced)")
            replace(i, i + 3, with: UTF8Validator.replacement)
            return i + 3
        }
        return i + 1
    }

    private func matches(_ i: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let bytes = text.utf8Start
        for k in 0..<count where p[i + k] != bytes[k] { return false }
        return true
    }

    private func matchesIgnoringCase(_ i: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let bytes = text.utf8Start
        for k in 0..<count where p[i + k].asciiLowercased != bytes[k].asciiLowercased { return false }
        return true
    }

    private mutating func less(_ i: Int) throws(FeedParseError) -> Int {
        guard i + 1 < n else {
            note(i, "'<' at the end of the document (read as text)")
            replace(i, i + 1, with: "&lt;".utf8)
            return i + 1
        }
        let next = p[i + 1]
        if next == UInt8(ascii: "!") {
            if matches(i, "<!--") { return raw(from: i + 4, until: "-->") }
            if matches(i, "<![CDATA[") { return raw(from: i + 9, until: "]]>") }
            if matchesIgnoringCase(i, "<!DOCTYPE") { return try doctype(i) }
            return i + 2
        }
        if next == UInt8(ascii: "?") { return raw(from: i + 2, until: "?>") }
        if next == UInt8(ascii: "/") || next.isASCIILetter || next == UInt8(ascii: "_") || next == UInt8(ascii: ":") {
            return i + 1
        }
        if next >= 0x80, startsName(at: i + 1) { return i + 1 }
        note(i, "'<' that starts no tag (read as text)")
        replace(i, i + 1, with: "&lt;".utf8)
        return i + 1
    }

    /// Whether the non-ASCII character at `i` is an XML NameStartChar.
    private func startsName(at i: Int) -> Bool {
        let length = UTF8Validator.sequenceLength(p, i)
        guard length > 1 else { return false }
        var scalar = UInt32(p[i]) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { scalar = scalar << 6 | UInt32(p[i + k] & 0x3F) }
        switch scalar {
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D,
             0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD,
             0x10000...0xEFFFF:
            return true
        default:
            return false
        }
    }

    /// Passes a comment, CDATA section or processing instruction through, fixing characters only.
    private mutating func raw(from start: Int, until terminator: StaticString) -> Int {
        let first = terminator.utf8Start[0]
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let firstMask = ones &* UInt64(first)
        guard let base = p.baseAddress else { return n }
        var i = start
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
                let control = (word &- ones &* 0x20) & ~word & highs
                if (hasZero(word ^ firstMask) | hasZero(word ^ (ones &* 0xEF)) | control) == 0 { i += 8; continue }
            }
            let byte = p[i]
            if byte == first, matches(i, terminator) { return i + terminator.utf8CodeUnitCount }
            if byte < 0x20 { i = control(i) } else if byte == 0xEF { i = nonCharacter(i) } else { i += 1 }
        }
        return n
    }

    // MARK: - References

    private static let predefined: [[UInt8]] = ["lt", "gt", "amp", "quot", "apos"].map { Array($0.utf8) }

    private mutating func ampersand(_ i: Int) throws(FeedParseError) -> Int {
        let j = i + 1
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

    /// A reference's characters as they can stand in XML: markup characters as references.
    private func escaped(_ value: Range<Int>) -> [UInt8] {
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
    private static func isNameByte(_ byte: UInt8) -> Bool {
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

    private mutating func doctype(_ i: Int) throws(FeedParseError) -> Int {
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

    private func skipQuoted(_ k: Int) -> Int {
        let quote = p[k]
        var j = k + 1
        while j < n, p[j] != quote { j += 1 }
        return min(j + 1, n)
    }

    private func skipDeclaration(_ k: Int) -> Int {
        var j = k
        while j < n {
            if p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") { j = skipQuoted(j); continue }
            if p[j] == UInt8(ascii: ">") { return j + 1 }
            j += 1
        }
        return n
    }

    private func skipPast(_ k: Int, _ terminator: StaticString) -> Int {
        var j = k
        while j < n {
            if matches(j, terminator) { return j + terminator.utf8CodeUnitCount }
            j += 1
        }
        return n
    }

    /// Reads declarations up to the closing `]`, keeping internal general entities.
    private mutating func internalSubset(_ start: Int) throws(FeedParseError) -> Int {
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

    private mutating func entityDeclaration(_ start: Int) -> Int {
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
    private mutating func expand(_ name: [UInt8], depth: Int) throws(FeedParseError) -> [UInt8] {
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

    private mutating func charge(_ count: Int, _ label: String) throws(FeedParseError) {
        expandedBytes += count
        if expandedBytes > expansionBudget {
            throw .entityExpansionRefused("entity '\(label)' expands past \(expansionBudget / 1024) KiB (a billion-laughs document?)")
        }
    }
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

extension HTMLEntityIndex {
    func value(of bytes: [UInt8]) -> Range<Int>? {
        bytes.withUnsafeBufferPointer { value(of: $0) }
    }
}
