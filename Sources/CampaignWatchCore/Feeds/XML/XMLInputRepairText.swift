/// Tags and text runs: where `XMLInputRepair` tells markup from text, and turns text full of
/// references into CDATA.
extension XMLInputRepair {
    /// A run with at least this many references becomes a CDATA section.
    static let referencesForCDATA = 2

    mutating func startRun(at i: Int) {
        runStart = i
        runOutputStart = outputOffset(i)
        runReferences = 0
    }

    /// The text run ends at the `<` at `i`: if it holds enough references, rewrite it as CDATA
    /// with the references decoded.
    mutating func endRun(at i: Int) {
        guard runReferences >= Self.referencesForCDATA, i > runStart else { return }
        runReferences = 0
        // Bring the output up to `i`.
        if !changed {
            replace(i, i, with: EmptyCollection())
        } else if copied < i {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<i]))
            copied = i
        }
        var section = scratch
        section.removeAll(keepingCapacity: true)
        section.append(contentsOf: "<![CDATA[".utf8)
        let start = runOutputStart
        let decoded = out.withUnsafeBufferPointer { whole in
            Self.decodeRun(UnsafeBufferPointer(rebasing: whole[start...]), into: &section)
        }
        guard decoded else {
            scratch = section
            return
        }
        section.append(contentsOf: "]]>".utf8)
        out.removeSubrange(start...)
        out.append(contentsOf: section)
        scratch = section
        // Edits inside the run no longer describe the output; the run as a whole does.
        while let last = edits.last, last.outputEnd > start { edits.removeLast() }
        edits.append(Edit(outputEnd: out.count, delta: out.count - i))
    }

    /// Appends the characters of a repaired text run to `section`: predefined and numeric
    /// references decoded, and `]]>` split so it cannot end the CDATA section. False if the run
    /// holds anything else after an `&` (it is then left as it is).
    static func decodeRun(_ run: UnsafeBufferPointer<UInt8>, into section: inout [UInt8]) -> Bool {
        let end = run.count
        var k = 0
        while k < end {
            var j = k
            while j < end, run[j] != 0x26, run[j] != 0x3E { j += 1 }
            if j > k { section.append(contentsOf: UnsafeBufferPointer(rebasing: run[k..<j])) }
            guard j < end else { break }
            var scalar: UInt32 = 0x3E
            var length = 1
            if run[j] == 0x26 {
                guard let (referenceLength, value) = reference(in: run, at: j) else { return false }
                scalar = value
                length = referenceLength
            }
            if scalar == 0x3E, section.count >= 2, section[section.count - 1] == 0x5D, section[section.count - 2] == 0x5D {
                section.append(contentsOf: "]]><![CDATA[".utf8)
            }
            if scalar < 0x80 { section.append(UInt8(scalar)) } else { Transcoder.appendScalar(scalar, to: &section) }
            k = j + length
        }
        return true
    }

    /// The predefined or numeric reference at `k` (its `&`): its length and code point.
    private static func reference(in run: UnsafeBufferPointer<UInt8>, at k: Int) -> (Int, UInt32)? {
        let end = run.count
        if k + 1 < end, run[k + 1] == UInt8(ascii: "#") {
            guard let (length, value, terminated) = NumericReference.parse(run, at: k + 1), terminated, isXMLChar(value) else {
                return nil
            }
            return (1 + length, value)
        }
        for (name, value) in predefinedValues where k + 1 + name.count <= end {
            var equal = true
            for (offset, byte) in name.enumerated() where run[k + 1 + offset] != byte { equal = false; break }
            if equal { return (1 + name.count, value) }
        }
        return nil
    }

    private static let predefinedValues: [([UInt8], UInt32)] = [
        (Array("lt;".utf8), 0x3C), (Array("gt;".utf8), 0x3E), (Array("amp;".utf8), 0x26),
        (Array("quot;".utf8), 0x22), (Array("apos;".utf8), 0x27),
    ]

    /// Past the `>` of the tag whose name starts at `start`, repairing references and `<` in
    /// attribute values on the way. Stops before a `<` that begins another tag (a tag left open).
    mutating func tag(from start: Int) -> Int {
        var k = start
        var afterEquals = false
        while k < n {
            let byte = p[k]
            switch byte {
            case UInt8(ascii: ">"):
                return k + 1
            case UInt8(ascii: "<"):
                return k
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if afterEquals {
                    k = attributeValue(from: k + 1, quote: byte)
                    afterEquals = false
                    continue
                }
                k += 1
            case UInt8(ascii: "="):
                afterEquals = true
                k += 1
                continue
            case UInt8(ascii: "&"):
                k = (try? ampersand(k)) ?? k + 1
            case 0..<0x20:
                if byte.isXMLWhitespace { k += 1; continue }
                k = control(k)
            case 0xEF:
                k = nonCharacter(k)
            default:
                k += 1
            }
            afterEquals = false
        }
        return n
    }

    /// Past the closing quote of an attribute value.
    private mutating func attributeValue(from start: Int, quote: UInt8) -> Int {
        var k = start
        while k < n {
            let byte = p[k]
            if byte == quote { return k + 1 }
            switch byte {
            case UInt8(ascii: "&"):
                k = (try? ampersand(k)) ?? k + 1
            case UInt8(ascii: "<"):
                note(k, "'<' in an attribute value (read as text)")
                replace(k, k + 1, with: "&lt;".utf8)
                k += 1
            case 0..<0x20:
                k = byte.isXMLWhitespace ? k + 1 : control(k)
            case 0xEF:
                k = nonCharacter(k)
            default:
                k += 1
            }
        }
        return n
    }
}
