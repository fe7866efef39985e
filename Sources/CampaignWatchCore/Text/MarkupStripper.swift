/// The first stage of normalisation: drops HTML tags, comments, scripts and styles, and decodes
/// character references, keeping for every scalar it passes on where it came from in the
/// original text (a decoded `&amp;` stands for all five scalars it replaced).
///
/// Markup reads as a browser renders it: only elements that make a block, a line break or a
/// table cell (`HTMLElements.Kind.separatesWords`) put a space between what lies around them.
/// Everything else that renders as nothing — comments, CDATA sections, processing instructions
/// and other bogus comments, script/style/template content, inline and unknown elements — is
/// dropped without a trace, so `го<!---->лосуйте` is one word, as on screen.
///
/// Markup that never ends hides nothing: an unterminated comment, a `<?`/`<!` without `>` or a
/// `<script>` without its end tag leaves the text after it to be read. Text that reaches the
/// matcher is shown as plain text on most platforms, where a stray `<!--` before a message
/// would otherwise hide it from the rules while every reader sees it.
///
/// The feed parsers have their own HTML-to-text conversion; this one exists because matching
/// must point back into the text it was given, tag by tag and entity by entity.
enum MarkupStripper {
    /// Whether `scalars` needs this stage at all (most plain-text posts do not).
    static func needed(_ scalars: UnsafeBufferPointer<UInt32>) -> Bool {
        for s in scalars where s == 0x3C || s == 0x26 { return true }
        return false
    }

    static func strip(
        _ input: UnsafeBufferPointer<UInt32>,
        into output: inout ScratchBuffer<UInt32>, starts: inout ScratchBuffer<Int32>, ends: inout ScratchBuffer<Int32>
    ) {
        let n = input.count
        var i = 0
        var scan = Scan()
        @inline(__always) func emit(_ s: UInt32, _ from: Int, _ to: Int) {
            output.append(s); starts.append(Int32(from)); ends.append(Int32(to))
        }
        while i < n {
            let s = input[i]
            if s == 0x3C, let (end, separates) = markup(input, at: i, &scan) {
                if separates { emit(0x20, i, end) }
                i = end
            } else if s == 0x26, let (decoded, length) = reference(input, at: i) {
                for scalar in decoded.unicodeScalars { emit(scalar.value, i, i + length) }
                i += length
            } else {
                emit(s, i, i + 1)
                i += 1
            }
        }
    }

    /// What earlier scans found missing, so that hostile text full of `<`, `<!--` or `<script>`
    /// stays linear: a search that failed from one point fails from every later one.
    private struct Scan {
        /// A `<` before this point cannot start a tag.
        var noTagBefore = 0
        /// No `-->` (or `--!>`) from this point on.
        var noCommentEndFrom = Int.max
        /// Per skipped element (script, style, template): no end tag from this point on.
        var noEndTagFrom: [(name: UInt128, from: Int)] = []
    }

    /// The markup starting with the `<` at `at`: the index just past it and whether it separates
    /// words; nil when the `<` is text.
    private static func markup(_ input: UnsafeBufferPointer<UInt32>, at: Int, _ scan: inout Scan) -> (Int, Bool)? {
        let n = input.count
        guard at + 1 < n else { return nil }
        let next = input[at + 1]
        if next == 0x21, at + 3 < n, input[at + 2] == 0x2D, input[at + 3] == 0x2D {
            return commentEnd(input, from: at, &scan).map { ($0, false) }
        }
        if next == 0x21 || next == 0x3F {
            // `<!DOCTYPE …>`, `<![CDATA[…]]>`, `<?php …?>`, `<!x>`: bogus comments to the first `>`.
            guard at >= scan.noTagBefore else { return nil }
            var j = at + 2
            while j < n, input[j] != 0x3E { j += 1 }
            guard j < n else { scan.noTagBefore = n; return nil }
            return (j + 1, false)
        }
        guard at >= scan.noTagBefore, let end = tagEnd(input, from: at, failedAt: &scan.noTagBefore) else { return nil }
        let closing = next == 0x2F
        let nameStart = closing ? at + 2 : at + 1
        var nameEnd = nameStart
        if nameEnd < end, isLetter(input[nameEnd]) {
            while nameEnd < end, isLetter(input[nameEnd]) || (0x30...0x39).contains(input[nameEnd])
                || input[nameEnd] == 0x2D || input[nameEnd] == 0x3A { nameEnd += 1 }
        }
        let name = UnsafeBufferPointer(rebasing: input[nameStart..<nameEnd])
        let kind = HTMLElements.kind(asciiBytes(name))
        if kind == .skip, !closing {
            return (skippedContentEnd(input, name: name, from: end + 1, &scan) ?? end + 1, false)
        }
        return (end + 1, kind.separatesWords)
    }

    /// Just past the comment starting at `from` (`<!--`), with HTML's abrupt `<!-->` and `<!--->`.
    private static func commentEnd(_ input: UnsafeBufferPointer<UInt32>, from: Int, _ scan: inout Scan) -> Int? {
        let n = input.count
        var j = from + 4
        if j < n, input[j] == 0x3E { return j + 1 }
        if j + 1 < n, input[j] == 0x2D, input[j + 1] == 0x3E { return j + 2 }
        guard from < scan.noCommentEndFrom else { return nil }
        while j + 2 < n {
            if input[j] == 0x2D, input[j + 1] == 0x2D {
                if input[j + 2] == 0x3E { return j + 3 }
                if input[j + 2] == 0x21, j + 3 < n, input[j + 3] == 0x3E { return j + 4 }
            }
            j += 1
        }
        scan.noCommentEndFrom = from
        return nil
    }

    /// A tag name's scalars as the bytes `HTMLElements` keys names by (`markup` reads a name
    /// only as far as its ASCII letters, digits, `-` and `:` go).
    @inline(__always)
    private static func asciiBytes(_ name: UnsafeBufferPointer<UInt32>) -> LazyMapSequence<UnsafeBufferPointer<UInt32>, UInt8> {
        name.lazy.map { UInt8(truncatingIfNeeded: $0) }
    }

    @inline(__always)
    private static func isLetter(_ c: UInt32) -> Bool {
        (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    }

    /// Whether `c` ends a tag name in an end tag: whitespace, `/` or `>`.
    @inline(__always)
    private static func endsName(_ c: UInt32) -> Bool {
        c == 0x20 || c == 0x2F || c == 0x3E || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D
    }

    /// The index of the `>` that ends a tag starting at `from` (`<` then a letter or `/`), if it is one.
    private static func tagEnd(_ input: UnsafeBufferPointer<UInt32>, from: Int, failedAt: inout Int) -> Int? {
        var scanned = from
        defer { failedAt = max(failedAt, scanned) }
        let n = input.count
        guard from + 1 < n else { return nil }
        let next = input[from + 1]
        guard isLetter(next) || next == 0x2F else { return nil }
        var quote: UInt32 = 0
        var j = from + 1
        let limit = min(n, from + 4096)
        while j < limit {
            let c = input[j]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == 0x22 || c == 0x27 {
                quote = c
            } else if c == 0x3E {
                return j
            } else if c == 0x3C {
                return nil
            }
            j += 1
        }
        scanned = j
        return nil
    }

    /// Just past the end tag of the script, style or template element `name` whose content
    /// starts at `from` (`</script>`, `</SCRIPT >`; not `</scripts>`).
    private static func skippedContentEnd(
        _ input: UnsafeBufferPointer<UInt32>, name: UnsafeBufferPointer<UInt32>, from: Int, _ scan: inout Scan
    ) -> Int? {
        let key = HTMLElements.key(asciiBytes(name))
        let known = scan.noEndTagFrom.firstIndex { $0.name == key }
        if let known, from >= scan.noEndTagFrom[known].from { return nil }
        let n = input.count
        let count = name.count
        var ignored = 0
        var j = from
        while j + 1 + count < n {
            if input[j] == 0x3C, input[j + 1] == 0x2F {
                var equal = true
                for k in 0..<count where input[j + 2 + k] | 0x20 != name[k] | 0x20 { equal = false; break }
                let after = j + 2 + count
                if equal, after == n || endsName(input[after]), let end = tagEnd(input, from: j, failedAt: &ignored) {
                    return end + 1
                }
            }
            j += 1
        }
        if let known { scan.noEndTagFrom[known].from = from } else { scan.noEndTagFrom.append((key, from)) }
        return nil
    }

    /// A character reference at `at` (`&amp;`, `&#1075;`, `&#x433;`, legacy `&amp` without `;`):
    /// the text it stands for and how many scalars it spans.
    private static func reference(_ input: UnsafeBufferPointer<UInt32>, at: Int) -> (String, Int)? {
        let n = input.count
        var j = at + 1
        guard j < n else { return nil }
        if input[j] == 0x23 {
            j += 1
            let hex = j < n && (input[j] == 0x78 || input[j] == 0x58)
            if hex { j += 1 }
            var code: UInt32 = 0, digits = 0
            while j < n, let d = digit(input[j], hex: hex) {
                code = min(code &* (hex ? 16 : 10) &+ d, 0x110000)
                digits += 1; j += 1
            }
            guard digits > 0 else { return nil }
            if j < n, input[j] == 0x3B { j += 1 }
            return (String(Character(HTMLEntities.numeric(code))), j - at)
        }
        var name = ""
        var longest: (String, Int)?
        while j < n, name.unicodeScalars.count < HTMLEntities.longestName {
            let c = input[j]
            guard c < 0x80, let scalar = Unicode.Scalar(c) else { break }
            name.unicodeScalars.append(scalar)
            j += 1
            if let value = HTMLEntities.named[name] { longest = (value, j - at) }
            if c == 0x3B { break }
            let alnum = (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
            if !alnum { break }
        }
        return longest
    }

    private static func digit(_ c: UInt32, hex: Bool) -> UInt32? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46 where hex: c - 0x41 + 10
        case 0x61...0x66 where hex: c - 0x61 + 10
        default: nil
        }
    }
}
