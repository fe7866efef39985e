/// Decides which encoding a document is in, in the order of RFC 7303 §3: a byte order mark
/// (authoritative when present, §3.3), the HTTP `charset` parameter, then the XML declaration,
/// then UTF-8. Where a declaration is plainly contradicted by the bytes the bytes win: valid
/// multi-byte UTF-8 labelled as a single-byte encoding is read as UTF-8, and a document that is
/// not UTF-8 although labelled so is read with the next declared encoding or, for Cyrillic text,
/// the single-byte encoding its letters fit.
public enum EncodingDetector {
    public struct Decision: Sendable, Equatable {
        public var charset: Charset
        /// Bytes of byte order mark to skip.
        public var bomLength: Int
        /// Where the decision came from, for messages: "BOM", "HTTP charset", "XML declaration"…
        public var source: String
        /// Why a declared encoding was not used, when it was not.
        public var note: String?
        /// The bytes were checked and are valid UTF-8: decoding need not check them again.
        public var validUTF8: Bool = false
    }

    /// With `checkUTF8` false, a document labelled (or defaulting to) UTF-8 is taken at its word
    /// without a look at its bytes; `validUTF8` then stays false.
    public static func detect(_ bytes: [UInt8], contentType: String?, readDeclaration: Bool = true,
                              checkUTF8: Bool = true) -> Decision {
        bytes.withUnsafeBufferPointer { p in
            detect(p, contentType: contentType, readDeclaration: readDeclaration, checkUTF8: checkUTF8)
        }
    }

    static func detect(_ p: UnsafeBufferPointer<UInt8>, contentType: String?, readDeclaration: Bool,
                       checkUTF8: Bool = true) -> Decision {
        if let (charset, length) = byteOrderMark(p) {
            return Decision(charset: charset, bomLength: length, source: "byte order mark")
        }
        let pattern = nullBytePattern(p)
        var candidates: [(Charset, String)] = []
        if let label = contentType.flatMap(charsetParameter), let charset = Charset(label: label) {
            candidates.append((charset, "HTTP charset"))
        }
        if let pattern { candidates.append((pattern, "byte pattern")) }
        if readDeclaration, pattern == nil, let label = xmlDeclaredEncoding(p), let charset = Charset(label: label) {
            candidates.append((charset, "XML declaration"))
        }

        var notes: [String] = []
        // Validity first (one fast pass); the full count only for documents that are not valid.
        var valid: Bool?
        func isValid() -> Bool {
            if let valid { return valid }
            let result = UTF8Validator.firstInvalid(p) == nil
            valid = result
            return result
        }
        func mostlyUTF8() -> Bool { isValid() || isUTF8(UTF8Validator.scan(p)) }
        func utf8(_ source: String, note: String? = nil) -> Decision {
            Decision(charset: .utf8, bomLength: 0, source: source, note: note ?? notes.first, validUTF8: valid == true)
        }
        for (candidate, source) in candidates {
            var charset = candidate
            switch charset {
            case .utf16, .utf32, .utf16LE, .utf16BE, .utf32LE, .utf32BE:
                // Without a BOM the zero bytes must agree, or the label is wrong.
                guard let pattern, pattern.isSameFamily(as: charset) else {
                    notes.append("\(source) says \(charset) but the bytes are not")
                    continue
                }
                charset = pattern
            case .utf8:
                if !checkUTF8 { return utf8(source) }
                if mostlyUTF8() || candidates.count == 1 && guessSingleByte(p) == nil { return utf8(source) }
                notes.append("\(source) says utf-8 but the bytes are not")
                continue
            case .singleByte, .iconv:
                if isValid() && UTF8Validator.containsNonASCII(p) {
                    return utf8("bytes", note: "\(source) says \(charset) but the bytes are UTF-8")
                }
            }
            return Decision(charset: charset, bomLength: 0, source: source, note: notes.first)
        }
        if !checkUTF8 { return utf8("default") }
        if !mostlyUTF8(), let guess = guessSingleByte(p) {
            let note = (notes.first.map { $0 + "; " } ?? "") + "no usable encoding declared: the letters read as \(guess.label)"
            return Decision(charset: .singleByte(guess), bomLength: 0, source: "letter frequencies", note: note)
        }
        return utf8("default")
    }

    /// A document is taken as UTF-8 when few of its non-ASCII sequences are ill-formed (a stray
    /// byte in a UTF-8 feed stays a U+FFFD; a legacy-encoded feed is ill-formed throughout).
    static func isUTF8(_ scan: UTF8Validator.Scan) -> Bool {
        scan.invalidCount == 0 || scan.invalidCount < 4 || scan.invalidCount * 10 < scan.nonASCIICount
    }

    static func byteOrderMark(_ p: UnsafeBufferPointer<UInt8>) -> (Charset, Int)? {
        let n = p.count
        if n >= 4 && p[0] == 0x00 && p[1] == 0x00 && p[2] == 0xFE && p[3] == 0xFF { return (.utf32BE, 4) }
        if n >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0x00 && p[3] == 0x00 { return (.utf32LE, 4) }
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { return (.utf8, 3) }
        if n >= 2 && p[0] == 0xFE && p[1] == 0xFF { return (.utf16BE, 2) }
        if n >= 2 && p[0] == 0xFF && p[1] == 0xFE { return (.utf16LE, 2) }
        return nil
    }

    /// UTF-16 and UTF-32 without a BOM, from where the zero bytes of the first ASCII
    /// characters fall (XML 1.0 Appendix F; RFC 4627 §3 for JSON).
    static func nullBytePattern(_ p: UnsafeBufferPointer<UInt8>) -> Charset? {
        guard p.count >= 4 else { return nil }
        let zero = (p[0] == 0, p[1] == 0, p[2] == 0, p[3] == 0)
        switch zero {
        case (true, true, true, false): return .utf32BE
        case (false, true, true, true): return .utf32LE
        case (true, false, true, false): return .utf16BE
        case (false, true, false, true): return .utf16LE
        default: return nil
        }
    }

    /// The `charset` parameter of a Content-Type value.
    public static func charsetParameter(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[0].trimmingWhitespace().lowercased() == "charset" {
                let value = pair[1].trimmingWhitespace().filter { $0 != "\"" && $0 != "'" }
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// The `encoding` pseudo-attribute of `<?xml … ?>` at the start of an ASCII-compatible document.
    static func xmlDeclaredEncoding(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        let n = min(p.count, 1024)
        while i < n, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 }
        let opening: [UInt8] = Array("<?xml".utf8)
        guard i + opening.count < n, Array(p[i..<i + opening.count]) == opening else { return nil }
        var end = i
        while end + 1 < n, !(p[end] == UInt8(ascii: "?") && p[end + 1] == UInt8(ascii: ">")) { end += 1 }
        let declaration = String(decoding: UnsafeBufferPointer(rebasing: p[i..<end]), as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        var rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return value.isEmpty ? nil : String(value)
    }

    /// For documents that are not UTF-8 and say nothing usable: the Cyrillic single-byte
    /// encoding in which the bytes ≥ 0x80 read as mostly lower-case Cyrillic letters, as running
    /// text does. Nil when no encoding is convincing.
    static func guessSingleByte(_ p: UnsafeBufferPointer<UInt8>) -> SingleByteEncoding? {
        var histogram = [Int](repeating: 0, count: 128)
        var high = 0
        for byte in p where byte >= 0x80 {
            histogram[Int(byte) - 0x80] += 1
            high += 1
        }
        // Running text uses many different letters; a run of one repeated byte is not text.
        guard high >= 8, histogram.filter({ $0 > 0 }).count >= 8 else { return nil }
        var best: (SingleByteEncoding, Int)?
        for encoding in [SingleByteEncoding.windows1251, .koi8R, .cp866, .iso8859_5, .macCyrillic] {
            let table = encoding.upperHalf
            var lower = 0
            for (index, count) in histogram.enumerated() where count > 0 {
                let scalar = table[index]
                if (0x0430...0x045F).contains(scalar) { lower += count }
            }
            if best == nil || lower > best!.1 { best = (encoding, lower) }
        }
        guard let (encoding, lower) = best, lower * 10 >= high * 6 else { return nil }
        return encoding
    }
}

extension Charset {
    func isSameFamily(as other: Charset) -> Bool {
        switch (self, other) {
        case (.utf16LE, .utf16LE), (.utf16LE, .utf16), (.utf16BE, .utf16BE), (.utf16BE, .utf16): true
        case (.utf32LE, .utf32LE), (.utf32LE, .utf32), (.utf32BE, .utf32BE), (.utf32BE, .utf32): true
        default: false
        }
    }
}

extension StringProtocol {
    /// Substring search on UTF-8 bytes (Foundation's `contains` goes through CFString).
    func utf8Contains(_ needle: String) -> Bool {
        let haystack = Array(utf8), pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return true }
        guard haystack.count >= pattern.count else { return false }
        for start in 0...(haystack.count - pattern.count) where haystack[start] == pattern[0] {
            if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }

    /// Without leading and trailing ASCII whitespace, U+00A0 and U+FEFF, by UTF-8 bytes.
    func trimmingWhitespace() -> String {
        let text = Substring(self)
        let bytes = text.utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end {
            let byte = bytes[start]
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                start = bytes.index(after: start)
            } else if let length = Self.wideSpace(bytes, at: start) {
                start = bytes.index(start, offsetBy: length)
            } else {
                break
            }
        }
        while end > start {
            let last = bytes.index(before: end)
            let byte = bytes[last]
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                end = last
            } else if byte == 0xA0, last > start, bytes[bytes.index(before: last)] == 0xC2 {
                end = bytes.index(before: last)
            } else if byte == 0xBF, bytes.distance(from: start, to: last) >= 2,
                      bytes[bytes.index(last, offsetBy: -1)] == 0xBB, bytes[bytes.index(last, offsetBy: -2)] == 0xEF {
                end = bytes.index(last, offsetBy: -2)
            } else {
                break
            }
        }
        return String(text[start..<end])
    }

    private static func wideSpace(_ bytes: Substring.UTF8View, at index: Substring.UTF8View.Index) -> Int? {
        let first = bytes[index]
        guard first == 0xC2 || first == 0xEF else { return nil }
        var position = bytes.index(after: index)
        guard position < bytes.endIndex else { return nil }
        if first == 0xC2 { return bytes[position] == 0xA0 ? 2 : nil }
        guard bytes[position] == 0xBB else { return nil }
        position = bytes.index(after: position)
        return position < bytes.endIndex && bytes[position] == 0xBF ? 3 : nil
    }
}
