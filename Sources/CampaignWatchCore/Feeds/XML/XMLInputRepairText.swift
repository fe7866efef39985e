import CByteScan

/// Tags and text runs: where `XMLInputRepair` tells markup from text, and turns text full of
/// references into CDATA.
extension XMLInputRepair {
    /// A run with at least this many references becomes a CDATA section.
    static let referencesForCDATA = 2

    static func isBlank(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for k in range where !p[k].isXMLWhitespace { return false }
        return true
    }

    mutating func startRun(at i: Int) {
        runStart = i
        runOutputStart = outputOffset(i)
        runReferences = 0
        runNewlines = 0
    }

    /// The text run ends at the `<` at `i`: if it holds enough references, or if it is the long
    /// text of an element that needed no repair, it goes around libxml2 (which reads text that
    /// is not ASCII a character at a time, and would report references it cannot expand).
    mutating func endRun(at i: Int) {
        guard i > runStart else { return }
        if runReferences < Self.referencesForCDATA {
            // Only text between an element's start and end tags: text before or after the root
            // element, or beside child elements, stays libxml2's to judge.
            guard runFollowsStartTag, copied <= runStart, i - runStart >= Self.sideTextMinimum, i + 1 < n,
                  p[i + 1] == UInt8(ascii: "/"), !Self.isBlank(p, runStart..<i) else { return }
        }
        let references = runReferences
        runReferences = 0
        mapPendingProblem(before: i)
        let start: Int
        let side: SideText
        // The placeholder keeps the newlines of the text as served, so libxml2's line numbers
        // stay those of the document.
        let newlines: Int
        if copied <= runStart {
            // Nothing in the run was repaired, so its references are all predefined or valid
            // numeric ones: the reader decodes them from the input.
            let run = UnsafeBufferPointer(rebasing: p[runStart..<i])
            if checkUTF8, UTF8Validator.firstInvalid(run) != nil { return }
            if copied < runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<runStart])) }
            copied = i
            start = out.count
            newlines = runNewlines
            // Without a reference there is nothing to decode: the text goes as it is.
            side = references == 0 ? .input(runStart..<i) : .escaped(runStart..<i)
        } else {
            // Bring the rest of the run into the owned output and decode it from there.
            if copied < i {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<i]))
                copied = i
            }
            start = runOutputStart - outBase
            var section: [UInt8] = []
            section.reserveCapacity(i - runStart)
            let decoded = out.withUnsafeBufferPointer { whole in
                Self.decodeRun(UnsafeBufferPointer(rebasing: whole[start...]), into: &section, splitCDATAEnd: false)
            }
            guard decoded else { return }
            // The decoded text goes around libxml2; where libxml2 would have checked its UTF-8, check it here.
            if checkUTF8, section.withUnsafeBufferPointer({ UTF8Validator.firstInvalid($0) }) != nil { return }
            newlines = out.withUnsafeBufferPointer { Self.newlines(UnsafeBufferPointer(rebasing: $0[start...])) }
            side = .decoded(section)
        }
        if start < out.count { out.removeSubrange(start...) }
        Self.appendPlaceholder(newlines: newlines, to: &out)
        log.sideTexts.append(side)
        // Edits inside the run no longer describe the output; the run as a whole does.
        while let last = log.edits.last, last.outputEnd > runOutputStart { log.edits.removeLast() }
        let outputEnd = outBase + out.count
        log.edits.append(Edit(outputEnd: outputEnd, delta: outputEnd - i))
    }

    /// Appends the characters of a repaired text run to `section`: predefined and numeric
    /// references decoded, and `]]>` split so it cannot end the CDATA section. False if the run
    /// holds anything else after an `&` (it is then left as it is).
    static func decodeRun(_ run: UnsafeBufferPointer<UInt8>, into section: inout [UInt8], splitCDATAEnd: Bool = true) -> Bool {
        let end = run.count
        guard let base = run.baseAddress else { return true }
        var k = 0
        while k < end {
            let j = cbs_find_either(base, k, end, 0x26, 0x3E)
            if j > k { section.append(contentsOf: UnsafeBufferPointer(rebasing: run[k..<j])) }
            guard j < end else { break }
            var scalar: UInt32 = 0x3E
            var length = 1
            if run[j] == 0x26 {
                guard let (referenceLength, value) = reference(in: run, at: j) else { return false }
                scalar = value
                length = referenceLength
            }
            if splitCDATAEnd, scalar == 0x3E, section.count >= 2, section[section.count - 1] == 0x5D, section[section.count - 2] == 0x5D {
                section.append(contentsOf: "]]><![CDATA[".utf8)
            }
            if scalar < 0x80 { section.append(UInt8(scalar)) } else { Transcoder.appendScalar(scalar, to: &section) }
            k = j + length
        }
        return true
    }

    /// The predefined or numeric reference at `k` (its `&`): its length and code point.
    @inline(__always)
    private static func reference(in run: UnsafeBufferPointer<UInt8>, at k: Int) -> (Int, UInt32)? {
        let end = run.count
        guard k + 3 < end else { return nil }
        switch run[k + 1] {
        case UInt8(ascii: "#"):
            guard let (length, value, terminated) = NumericReference.parse(run, at: k + 1), terminated, isXMLChar(value) else {
                return nil
            }
            return (1 + length, value)
        case UInt8(ascii: "l"):
            return run[k + 2] == UInt8(ascii: "t") && run[k + 3] == UInt8(ascii: ";") ? (4, 0x3C) : nil
        case UInt8(ascii: "g"):
            return run[k + 2] == UInt8(ascii: "t") && run[k + 3] == UInt8(ascii: ";") ? (4, 0x3E) : nil
        case UInt8(ascii: "a"):
            if k + 4 < end, run[k + 2] == UInt8(ascii: "m"), run[k + 3] == UInt8(ascii: "p"), run[k + 4] == UInt8(ascii: ";") {
                return (5, 0x26)
            }
            if k + 5 < end, run[k + 2] == UInt8(ascii: "p"), run[k + 3] == UInt8(ascii: "o"), run[k + 4] == UInt8(ascii: "s"),
               run[k + 5] == UInt8(ascii: ";") {
                return (6, 0x27)
            }
            return nil
        case UInt8(ascii: "q"):
            if k + 5 < end, run[k + 2] == UInt8(ascii: "u"), run[k + 3] == UInt8(ascii: "o"), run[k + 4] == UInt8(ascii: "t"),
               run[k + 5] == UInt8(ascii: ";") {
                return (6, 0x22)
            }
            return nil
        default:
            return nil
        }
    }

    /// Past the `>` of the tag whose name starts at `start`, repairing references and `<` in
    /// attribute values on the way. Stops before a `<` that begins another tag (a tag left open).
    /// A quote after `=` opens an attribute value, in which `>` does not end the tag.
    mutating func tag(from start: Int) -> Int {
        var k = start
        var afterEquals = false
        while k < n {
            let byte = p[k]
            // Letters, digits, most punctuation and spaces need nothing.
            if byte > UInt8(ascii: ">") && byte != 0xEF || (byte > UInt8(ascii: "'") && byte < UInt8(ascii: "<")) {
                afterEquals = false
                k += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ">"):
                return k + 1
            case UInt8(ascii: "<"):
                return k
            case UInt8(ascii: "="):
                afterEquals = true
                k += 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                k = afterEquals ? attributeValue(from: k + 1, quote: byte) : k + 1
                afterEquals = false
            case UInt8(ascii: "&"):
                k = (try? ampersand(k)) ?? k + 1
                afterEquals = false
            case 0x20, 0x09, 0x0A, 0x0D:
                k += 1
            case 0xEF:
                k = nonCharacter(k)
                afterEquals = false
            case 0..<0x20:
                k = control(k)
            default:
                afterEquals = false
                k += 1
            }
        }
        return n
    }

    /// Past the closing quote of an attribute value.
    private mutating func attributeValue(from start: Int, quote: UInt8) -> Int {
        var k = start
        while k < n {
            let byte = p[k]
            if byte == quote { return k + 1 }
            if byte >= 0x20 && byte != UInt8(ascii: "&") && byte != UInt8(ascii: "<") && byte != 0xEF {
                k += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "&"):
                k = (try? ampersand(k)) ?? k + 1
            case UInt8(ascii: "<"):
                note(k, "'<' in an attribute value (read as text)")
                replace(k, k + 1, with: "&lt;".utf8)
                k += 1
            case 0xEF:
                k = nonCharacter(k)
            default:
                k = byte.isXMLWhitespace ? k + 1 : control(k)
            }
        }
        return n
    }
}
