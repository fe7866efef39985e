/// Finds the bytes of elements exactly as served, for the evidence archive: libxml2's tree does
/// not remember byte offsets, and a re-serialised element is not what the platform sent.
///
/// The scan is deliberately simple (tags, comments, raw-text elements); when it cannot find a
/// clean end it gives up on that element and the caller falls back to libxml2's serialisation.
enum HTMLElementSlicer {
    /// The byte range of each element carrying `attribute`, keyed by the attribute's value
    /// (the first element wins when a value repeats).
    static func ranges(in bytes: [UInt8], keyedBy attribute: String) -> [String: Range<Int>] {
        bytes.withUnsafeBufferPointer { buffer in
            var result: [String: Range<Int>] = [:]
            let needle = Array((attribute + "=").utf8)
            var from = 0
            while let hit = find(needle, in: buffer, from: from) {
                from = hit + needle.count
                guard hit > 0, isSpace(buffer[hit - 1]) else { continue }
                guard let (value, _) = attributeValue(in: buffer, at: from), result[value] == nil else { continue }
                guard let tagStart = lastIndex(of: UInt8(ascii: "<"), in: buffer, before: hit),
                      let range = elementRange(in: buffer, startingAt: tagStart) else { continue }
                result[value] = range
            }
            return result
        }
    }

    /// The byte range of every `<name …>…</name>` element, in document order (for elements that
    /// do not nest in each other, such as Atom entries).
    static func ranges(in bytes: [UInt8], elementNamed name: String) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { buffer in
            var result: [Range<Int>] = []
            let needle = Array(("<" + name).utf8)
            var from = 0
            while let hit = find(needle, in: buffer, from: from) {
                let after = hit + needle.count
                guard after < buffer.count, !isNameByte(buffer[after]), buffer[after] != UInt8(ascii: ":") else {
                    from = after
                    continue
                }
                guard let range = elementRange(in: buffer, startingAt: hit) else { break }
                result.append(range)
                from = range.upperBound
            }
            return result
        }
    }

    private static func attributeValue(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (String, Int)? {
        guard start < bytes.count else { return nil }
        let quote = bytes[start]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            var end = start + 1
            while end < bytes.count, bytes[end] != quote { end += 1 }
            guard end < bytes.count else { return nil }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]), as: UTF8.self), end + 1)
        }
        var end = start
        while end < bytes.count, !isSpace(bytes[end]), bytes[end] != UInt8(ascii: ">") { end += 1 }
        return (String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self), end)
    }

    /// From the `<` of a start tag to just past its matching end tag, counting nested elements
    /// of the same name.
    static func elementRange(in bytes: UnsafeBufferPointer<UInt8>, startingAt start: Int) -> Range<Int>? {
        var nameEnd = start + 1
        while nameEnd < bytes.count, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
        guard nameEnd > start + 1 else { return nil }
        let name = Array(bytes[(start + 1)..<nameEnd]).map(lowercase)
        var depth = 0
        var index = start
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if matches("<!--", in: bytes, at: index) {
                guard let close = find(Array("-->".utf8), in: bytes, from: index + 4) else { return nil }
                index = close + 3
                continue
            }
            for rawText in ["script", "style"] where matchesTag(Array(rawText.utf8), in: bytes, at: index + 1) {
                guard let close = findCaseInsensitive(Array("</\(rawText)".utf8), in: bytes, from: index + 1) else { return nil }
                index = close
                break
            }
            if index < bytes.count, bytes[index] != UInt8(ascii: "<") { continue }
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/"), matchesTag(name, in: bytes, at: index + 2) {
                depth -= 1
                guard let close = firstIndex(of: UInt8(ascii: ">"), in: bytes, from: index) else { return nil }
                if depth == 0 { return start..<(close + 1) }
                index = close + 1
                continue
            }
            if matchesTag(name, in: bytes, at: index + 1) {
                depth += 1
            }
            index += 1
        }
        return nil
    }

    private static func matchesTag(_ name: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + name.count <= bytes.count else { return false }
        for offset in 0..<name.count where lowercase(bytes[index + offset]) != name[offset] { return false }
        let after = index + name.count
        return after == bytes.count || !isNameByte(bytes[after])
    }

    private static func matches(_ text: String, in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let needle = Array(text.utf8)
        guard index + needle.count <= bytes.count else { return false }
        for offset in 0..<needle.count where bytes[index + offset] != needle[offset] { return false }
        return true
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
        var index = start
        let first = needle[0]
        while index + needle.count <= bytes.count {
            if bytes[index] == first {
                var equal = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    equal = false
                    break
                }
                if equal { return index }
            }
            index += 1
        }
        return nil
    }

    private static func findCaseInsensitive(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            var equal = true
            for offset in 0..<needle.count where lowercase(bytes[index + offset]) != needle[offset] {
                equal = false
                break
            }
            if equal { return index }
            index += 1
        }
        return nil
    }

    private static func lastIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, before end: Int) -> Int? {
        var index = end - 1
        while index >= 0 {
            if bytes[index] == byte { return index }
            if bytes[index] == UInt8(ascii: ">") { return nil }
            index -= 1
        }
        return nil
    }

    private static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}
