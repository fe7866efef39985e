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
        guard let decoded = Self.decodedRun(out[runOutputStart...]) else { return }
        out.removeSubrange(runOutputStart...)
        out.append(contentsOf: "<![CDATA[".utf8)
        out.append(contentsOf: decoded)
        out.append(contentsOf: "]]>".utf8)
        // Edits inside the run no longer describe the output; the run as a whole does.
        while let last = edits.last, last.outputEnd > runOutputStart { edits.removeLast() }
        edits.append(Edit(outputEnd: out.count, delta: out.count - i))
    }

    /// The characters of a repaired text run: predefined and numeric references decoded, and
    /// `]]>` split so it cannot end the CDATA section. Nil if the run holds anything else after
    /// an `&` (it is then left as it is).
    static func decodedRun(_ run: ArraySlice<UInt8>) -> [UInt8]? {
        var result = [UInt8]()
        result.reserveCapacity(run.count)
        var k = run.startIndex
        let end = run.endIndex
        while k < end {
            let byte = run[k]
            if byte != 0x26 && byte != 0x3E {
                result.append(byte)
                k += 1
                continue
            }
            var scalar = UInt32(byte)
            var length = 1
            if byte == 0x26 {
                guard let (referenceLength, value) = reference(in: run, at: k) else { return nil }
                scalar = value
                length = referenceLength
            }
            if scalar == 0x3E, result.count >= 2, result[result.count - 1] == 0x5D, result[result.count - 2] == 0x5D {
                result.append(contentsOf: "]]><![CDATA[".utf8)
            }
            Transcoder.appendScalar(scalar, to: &result)
            k += length
        }
        return result
    }

    /// The predefined or numeric reference at `k` (its `&`): its length and code point.
    private static func reference(in run: ArraySlice<UInt8>, at k: Int) -> (Int, UInt32)? {
        let end = run.endIndex
        if k + 1 < end, run[k + 1] == UInt8(ascii: "#") {
            var i = k + 2
            let hex = i < end && (run[i] | 0x20) == UInt8(ascii: "x")
            if hex { i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < end, i - digitsStart < 8 {
                let byte = run[i]
                if byte.isASCIIDigit {
                    value = value * (hex ? 16 : 10) + UInt32(byte - 0x30)
                } else if hex, (byte | 0x20) >= 0x61, (byte | 0x20) <= 0x66 {
                    value = value * 16 + UInt32((byte | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                i += 1
            }
            guard i > digitsStart, i < end, run[i] == UInt8(ascii: ";"), isXMLChar(value) else { return nil }
            return (i + 1 - k, value)
        }
        for (name, value) in predefinedValues where k + 1 + name.count <= end {
            if run[(k + 1)..<(k + 1 + name.count)].elementsEqual(name) { return (1 + name.count, value) }
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
