import CByteScan

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
/// - Text that needs no parsing — a CDATA section, or a text run holding references (escaped
///   HTML above all) with its references decoded — is taken out and replaced by a placeholder
///   processing instruction; the reader puts the text back where the placeholder stands, so
///   libxml2 never scans it (`Log.sideTexts`).
/// CDATA sections, comments and processing instructions pass through untouched apart from the
/// character fixes. `Result.inputRange(_:)` maps offsets in the output back to the input, so an
/// item's raw bytes can be taken as served.
struct XMLInputRepair {
    struct Repair: Sendable {
        /// Offset in the input (for the line number the document's reader sees).
        var offset: Int
        var message: String
    }

    struct Edit {
        var outputEnd: Int
        var delta: Int
    }

    /// Text the reader hands to the handler itself, so that libxml2 does not scan it: a CDATA
    /// section's content (a range of the input) or a text run with its references decoded.
    enum SideText {
        case input(Range<Int>)
        /// A range of the input whose predefined and numeric references the reader decodes as
        /// it takes the text (straight into the item's text, with no copy in between).
        case escaped(Range<Int>)
        case decoded([UInt8])
    }

    /// The target of the placeholder processing instruction (`<?cw-text?>`), and the shortest
    /// text worth taking out.
    static let placeholderTarget = "cw-text"
    static let sideTextMinimum = 64

    /// What the parser needs to know while it reads the output: shared with the reader,
    /// growing as the repair goes on.
    final class Log {
        /// Offset in the output of the first repair that changed what a reader sees.
        var firstRepairOffset: Int?
        /// Where output and input offsets part: after `outputEnd`, input = output − `delta`.
        var edits: [Edit] = []
        /// Text taken out of the document and put back by the reader where a placeholder
        /// processing instruction stands, in document order.
        var sideTexts: [SideText] = []
        var nextSideText = 0

        /// The input offset of an output offset outside any rewritten text (as elements are).
        func inputOffset(_ output: Int) -> Int {
            var low = 0, high = edits.count
            while low < high {
                let middle = (low + high) / 2
                if edits[middle].outputEnd <= output { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? output : output - edits[low - 1].delta
        }

        func inputRange(_ output: Range<Int>) -> Range<Int> {
            inputOffset(output.lowerBound)..<inputOffset(output.upperBound)
        }
    }

    static let maxReportedRepairs = 20
    static let maxEntityDepth = 16
    static let maxEntityDeclarations = 10_000
    /// Output is handed on in pieces of about this size, so no document-sized copy is made.
    static let chunkSize = 256 << 10

    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    let log = Log()
    /// Output not yet handed on that differs from the input; then input from `copied` on.
    var out: [UInt8] = []
    var copied = 0
    /// Output bytes handed on so far.
    var outBase = 0
    var position = 0
    var started = false
    var repairs: [Repair] = []
    var repairCount = 0
    var entities: [[UInt8]: [UInt8]] = [:]
    var expansions: [[UInt8]: [UInt8]] = [:]
    var expanding: Set<[UInt8]> = []
    var expandedBytes = 0
    let expansionBudget: Int
    let index = HTMLEntityIndex.shared
    /// A problem found before this pass (a replaced byte), in input offsets, still to be mapped.
    var pendingProblem: Int?
    /// The text since the last markup: where it began (input and output) and how many `&` it holds.
    var runStart = 0
    var runOutputStart = 0
    var runReferences = 0
    /// Newlines in the open text run, counted as the block scan passes them, for the
    /// placeholder that may replace the run.
    var runNewlines = 0
    /// The run began right after a start tag (not an end tag, an empty-element tag, a comment or
    /// a CDATA section): if it ends at an end tag, it is the whole text of an element.
    var runFollowsStartTag = false
    /// Reused for building CDATA sections.
    var scratch: [UInt8] = []

    /// Expansion of declared entities may produce at most `expansionBudget` bytes in all
    /// (default: the larger of 1 MiB and the input size). `problemOffset`: where an earlier stage
    /// already found a problem (in `input`), so that the posts after it are marked as recovered.
    /// Text is taken out only after checking it is UTF-8 when libxml2 would otherwise have been
    /// the one to check it (`checkUTF8`).
    let checkUTF8: Bool

    init(_ p: UnsafeBufferPointer<UInt8>, expansionBudget: Int? = nil, problemOffset: Int? = nil, checkUTF8: Bool = true) {
        self.p = p
        self.n = p.count
        self.expansionBudget = expansionBudget ?? max(1 << 20, p.count)
        self.pendingProblem = problemOffset
        self.checkUTF8 = checkUTF8
    }

    /// `<?cw-text` and as many newlines as the text holds (so libxml2's line numbers stay
    /// right), then `?>`.
    static func placeholder(newlines: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        appendPlaceholder(newlines: newlines, to: &bytes)
        return bytes
    }

    private static let placeholderOpening = Array("<?\(placeholderTarget)".utf8)

    static func appendPlaceholder(newlines: Int, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: placeholderOpening)
        if newlines > 0 { bytes.append(contentsOf: repeatElement(0x0A, count: newlines)) }
        bytes.append(UInt8(ascii: "?"))
        bytes.append(UInt8(ascii: ">"))
    }

    static func newlines(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var i = 0
        // Eight bytes at a time: an exact per-byte zero test (no borrow between bytes) leaves 1
        // in each byte that was a newline; the bytes are summed, in blocks that cannot overflow.
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, newline: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while i + 8 <= bytes.count {
            var sums: UInt64 = 0
            let blockEnd = min(bytes.count, i + 8 * 255)
            while i + 8 <= blockEnd {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ newline
                sums &+= ~(((v & lows) &+ lows) | v | lows) >> 7
                i += 8
            }
            // Bytes (each at most 255) into four 16-bit lanes, then the lanes added up.
            let pairs = (sums & 0x00FF_00FF_00FF_00FF) &+ ((sums >> 8) & 0x00FF_00FF_00FF_00FF)
            count += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        while i < bytes.count {
            if bytes[i] == 0x0A { count += 1 }
            i += 1
        }
        return count
    }

    /// Repairs the next stretch of input and hands its output to `consume` (in one or two
    /// pieces). False once the whole input has been handed on.
    mutating func next(_ consume: (UnsafeBufferPointer<UInt8>) -> Void) throws(FeedParseError) -> Bool {
        let more = try advance()
        let end = more ? position : n
        if !more { mapPendingProblem(before: n + 1) } else { mapPendingProblem(before: end) }
        let owned = out
        out.removeAll(keepingCapacity: true)
        if !owned.isEmpty { owned.withUnsafeBufferPointer(consume) }
        if copied < end { consume(UnsafeBufferPointer(rebasing: p[copied..<end])) }
        outBase += owned.count + (end - copied)
        copied = end
        return more
    }

    /// The whole repaired document at once (for tests and small inputs).
    static func run(_ input: UnsafeBufferPointer<UInt8>, expansionBudget: Int? = nil,
                    problemOffset: Int? = nil) throws(FeedParseError) -> (bytes: [UInt8], repair: XMLInputRepair) {
        var repair = XMLInputRepair(input, expansionBudget: expansionBudget, problemOffset: problemOffset)
        var bytes: [UInt8] = []
        while try repair.next({ bytes.append(contentsOf: $0) }) {}
        return (bytes, repair)
    }

    // MARK: - Output

    func outputOffset(_ inputOffset: Int) -> Int {
        outBase + out.count + (inputOffset - copied)
    }

    mutating func mapPendingProblem(before start: Int) {
        guard let problem = pendingProblem, problem <= start else { return }
        pendingProblem = nil
        let offset = outputOffset(max(copied, min(problem, n)))
        log.firstRepairOffset = min(log.firstRepairOffset ?? offset, offset)
    }

    mutating func replace(_ start: Int, _ end: Int, with bytes: some Sequence<UInt8>) {
        mapPendingProblem(before: start)
        if copied < start { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[copied..<start])) }
        out.append(contentsOf: bytes)
        copied = end
        let outputEnd = outBase + out.count
        log.edits.append(Edit(outputEnd: outputEnd, delta: outputEnd - end))
    }

    mutating func note(_ inputOffset: Int, _ message: @autoclosure () -> String) {
        mapPendingProblem(before: inputOffset)
        let offset = outputOffset(inputOffset)
        if log.firstRepairOffset == nil { log.firstRepairOffset = offset }
        repairCount += 1
        if repairs.count < Self.maxReportedRepairs { repairs.append(Repair(offset: inputOffset, message: message())) }
    }

    // MARK: - Scanning

    /// Scans on from `position` until about `chunkSize` bytes of output are ready and the scan
    /// stands at the start of a tag (no text run open), or to the end. False at the end.
    private mutating func advance() throws(FeedParseError) -> Bool {
        if !started {
            started = true
            // A declaration preceded by blank lines is a fatal error to libxml2; drop the blanks.
            var start = 0
            while start < n, p[start].isXMLWhitespace { start += 1 }
            if start > 0, start + 5 <= n, matches(start, "<?xml") { replace(0, start, with: EmptyCollection()) }
            position = start
            startRun(at: start)
        }
        var i = position
        let target = outBase + Self.chunkSize
        guard let base = p.baseAddress else { return false }
        while i < n {
            i = cbs_xml_text_stop(base, i, n, &runNewlines)
            if i < n {
                let byte = p[i]
                if byte == UInt8(ascii: "<") {
                    if outputOffset(i) >= target, i + 1 < n, p[i + 1].isASCIILetter || p[i + 1] == UInt8(ascii: "/") {
                        endRun(at: i)
                        startRun(at: i)
                        position = i
                        return true
                    }
                    i = try less(i)
                } else if byte == UInt8(ascii: "&") {
                    runReferences += 1
                    i = try ampersand(i)
                } else if byte < 0x20 {
                    i = control(i)
                } else {
                    i = nonCharacter(i)
                }
            }
        }
        position = n
        return false
    }

    @inline(__always)
    mutating func control(_ i: Int) -> Int {
        let byte = p[i]
        if byte == 0x0A || byte == 0x09 || byte == 0x0D { return i + 1 }
        let code = hex(UInt32(byte))
        note(i, "control character U+\(code) (read as a space)")
        replace(i, i + 1, with: CollectionOfOne(0x20))
        return i + 1
    }

    @inline(__always)
    mutating func nonCharacter(_ i: Int) -> Int {
        if i + 2 < n, p[i + 1] == 0xBF, p[i + 2] == 0xBE || p[i + 2] == 0xBF {
            let which = p[i + 2] == 0xBE ? "E" : "F"
            note(i, "non-character U+FFF\(which) (replaced)")
            replace(i, i + 3, with: UTF8Validator.replacement)
            return i + 3
        }
        return i + 1
    }

    func matches(_ i: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let bytes = text.utf8Start
        for k in 0..<count where p[i + k] != bytes[k] { return false }
        return true
    }

    func matchesIgnoringCase(_ i: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let bytes = text.utf8Start
        for k in 0..<count where p[i + k].asciiLowercased != bytes[k].asciiLowercased { return false }
        return true
    }

    mutating func less(_ i: Int) throws(FeedParseError) -> Int {
        guard i + 1 < n else {
            note(i, "'<' at the end of the document (read as text)")
            replace(i, i + 1, with: "&lt;".utf8)
            return i + 1
        }
        let next = p[i + 1]
        let end: Int
        var startTag = false
        if next == UInt8(ascii: "!") {
            endRun(at: i)
            if matches(i, "<!--") {
                end = raw(from: i + 4, until: "-->")
            } else if matches(i, "<![CDATA[") {
                let repairsBefore = repairCount
                end = raw(from: i + 9, until: "]]>")
                // A CDATA section that needed nothing goes around libxml2 (it would scan it three times).
                let content = (i + 9)..<(end - 3)
                if repairCount == repairsBefore, end <= n, matches(end - 3, "]]>"), content.count >= Self.sideTextMinimum {
                    let text = UnsafeBufferPointer(rebasing: p[content])
                    if !checkUTF8 || UTF8Validator.firstInvalid(text) == nil {
                        replace(i, end, with: Self.placeholder(newlines: rawNewlines))
                        log.sideTexts.append(.input(content))
                    }
                }
            } else if matchesIgnoringCase(i, "<!DOCTYPE") {
                end = try doctype(i)
            } else {
                end = tag(from: i + 2)
            }
        } else if next == UInt8(ascii: "?") {
            endRun(at: i)
            end = raw(from: i + 2, until: "?>")
            // A processing instruction posing as a placeholder would put text in the wrong place.
            if matches(i + 2, "cw-text") { replace(i, end, with: EmptyCollection()) }
        } else if next == UInt8(ascii: "/") || next.isASCIILetter || next == UInt8(ascii: "_") || next == UInt8(ascii: ":")
                    || (next >= 0x80 && startsName(at: i + 1)) {
            endRun(at: i)
            end = tag(from: i + 1)
            startTag = next != UInt8(ascii: "/") && end - 2 > i && p[end - 1] == UInt8(ascii: ">")
                && p[end - 2] != UInt8(ascii: "/")
        } else {
            note(i, "'<' that starts no tag (read as text)")
            replace(i, i + 1, with: "&lt;".utf8)
            runReferences += 1
            return i + 1
        }
        runFollowsStartTag = startTag
        startRun(at: end)
        return end
    }

    /// Whether the non-ASCII character at `i` is an XML NameStartChar.
    func startsName(at i: Int) -> Bool {
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

    /// Newlines `raw(from:until:)` passed (the block scan counts them as it goes): a CDATA
    /// section's placeholder keeps them without a second scan.
    var rawNewlines = 0

    /// Passes a comment, CDATA section or processing instruction through, fixing characters only.
    mutating func raw(from start: Int, until terminator: StaticString) -> Int {
        rawNewlines = 0
        let first = terminator.utf8Start[0]
        guard let base = p.baseAddress else { return n }
        var i = start
        while i < n {
            i = cbs_xml_raw_stop(base, i, n, first, &rawNewlines)
            guard i < n else { break }
            let byte = p[i]
            if byte == first, matches(i, terminator) { return i + terminator.utf8CodeUnitCount }
            if byte < 0x20 { i = control(i) } else if byte == 0xEF { i = nonCharacter(i) } else { i += 1 }
        }
        return n
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
