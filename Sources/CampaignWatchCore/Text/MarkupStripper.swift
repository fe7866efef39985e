/// The first stage of normalisation: drops HTML tags, comments, scripts and styles, and decodes
/// character references, keeping for every scalar it passes on where it came from in the
/// original text (a decoded `&amp;` stands for all five scalars it replaced).
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
        // A `<` that did not start a tag scanned up to here: a `<` before this point cannot
        // start one either, so hostile text full of `<` stays linear.
        var noTagBefore = 0
        @inline(__always) func emit(_ s: UInt32, _ from: Int, _ to: Int) {
            output.append(s); starts.append(Int32(from)); ends.append(Int32(to))
        }
        while i < n {
            let s = input[i]
            if s == 0x3C, i >= noTagBefore, let end = tagEnd(input, from: i, failedAt: &noTagBefore) {
                let name = tagName(input, from: i + 1, to: end)
                if name == "script" || name == "style" {
                    i = closingTagEnd(input, name: name, from: end + 1) ?? n
                    emit(0x20, end, end + 1)
                    continue
                }
                if !inlineTags.contains(name) { emit(0x20, i, end + 1) }
                i = end + 1
            } else if s == 0x26, let (decoded, length) = reference(input, at: i) {
                for scalar in decoded.unicodeScalars { emit(scalar.value, i, i + length) }
                i += length
            } else {
                emit(s, i, i + 1)
                i += 1
            }
        }
    }

    /// Tags that do not separate words in a browser (`<b>vo</b>te` reads as one word).
    private static let inlineTags: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
    ]

    /// The index of the `>` that ends a tag or comment starting at `from`, if it is one.
    private static func tagEnd(_ input: UnsafeBufferPointer<UInt32>, from: Int, failedAt: inout Int) -> Int? {
        var scanned = from
        defer { failedAt = max(failedAt, scanned) }
        let n = input.count
        guard from + 1 < n else { return nil }
        let next = input[from + 1]
        let isLetter = (0x41...0x5A).contains(next) || (0x61...0x7A).contains(next)
        guard isLetter || next == 0x2F || next == 0x21 || next == 0x3F else { return nil }
        if next == 0x21, from + 3 < n, input[from + 2] == 0x2D, input[from + 3] == 0x2D {
            var j = from + 4
            while j + 2 < n {
                if input[j] == 0x2D, input[j + 1] == 0x2D, input[j + 2] == 0x3E { return j + 2 }
                j += 1
            }
            scanned = n
            return nil
        }
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

    private static func tagName(_ input: UnsafeBufferPointer<UInt32>, from: Int, to: Int) -> String {
        var j = from
        if j < to, input[j] == 0x2F { j += 1 }
        var name = ""
        while j < to {
            let c = input[j]
            if (0x41...0x5A).contains(c) { name.unicodeScalars.append(Unicode.Scalar(c + 0x20)!) }
            else if (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) { name.unicodeScalars.append(Unicode.Scalar(c)!) }
            else { break }
            j += 1
        }
        return name
    }

    private static func closingTagEnd(_ input: UnsafeBufferPointer<UInt32>, name: String, from: Int) -> Int? {
        var j = from
        var failed = 0
        while j < input.count {
            if input[j] == 0x3C, j + 1 < input.count, input[j + 1] == 0x2F,
               tagName(input, from: j + 1, to: min(input.count, j + 16)) == name, let end = tagEnd(input, from: j, failedAt: &failed) {
                return end + 1
            }
            j += 1
        }
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
