/// The words around a matched term, so a monitor reads the term in its context without opening
/// the post: about `context` Unicode scalars either side, cut at spaces, `…` where the text goes
/// on, line breaks shown as spaces.
public enum Snippet {
    public static let defaultContext = 40

    /// `start` and `end` count Unicode scalars of `text`, `end` exclusive; out-of-range offsets
    /// are clamped rather than trusted.
    public static func around(_ text: String, start: Int, end: Int, context: Int = defaultContext) -> String {
        let scalars = Array(text.unicodeScalars)
        let start = min(max(start, 0), scalars.count)
        let end = min(max(end, start), scalars.count)
        var from = max(0, start - context)
        var to = min(scalars.count, end + context)
        // Move outwards-cut edges inwards to the nearest space so no word is shown in halves.
        if from > 0, let space = scalars[from..<start].firstIndex(where: isSpace) { from = space + 1 }
        if to < scalars.count, let space = scalars[end..<to].lastIndex(where: isSpace) { to = space }
        var out = String.UnicodeScalarView()
        if from > 0 { out.append("…") }
        var lastWasSpace = false
        for scalar in scalars[from..<to] {
            if isSpace(scalar) {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(scalar)
                lastWasSpace = false
            }
        }
        if to < scalars.count { out.append("…") }
        return String(out)
    }

    /// One snippet spanning every range, each range wrapped in `open`/`close` (`[голосуйте]`),
    /// with about `context` scalars before the first and after the last.
    public static func highlighted(_ text: String, ranges: [Range<Int>], context: Int = defaultContext,
                                   open: String = "[", close: String = "]") -> String {
        let scalars = Array(text.unicodeScalars)
        var clamped: [Range<Int>] = []
        // Words of one phrase (`[голосуйте за]`) read as one highlight, not one per word.
        for range in ranges.map({ min(max($0.lowerBound, 0), scalars.count)..<min(max($0.upperBound, 0), scalars.count) })
            .filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let previous = clamped.last, range.lowerBound >= previous.upperBound,
               scalars[previous.upperBound..<range.lowerBound].allSatisfy(isSpace) {
                clamped[clamped.count - 1] = previous.lowerBound..<range.upperBound
            } else {
                clamped.append(range)
            }
        }
        guard let first = clamped.first, let last = clamped.map(\.upperBound).max() else { return around(text, start: 0, end: 0) }
        var from = max(0, first.lowerBound - context)
        var to = min(scalars.count, last + context)
        if from > 0, let space = scalars[from..<first.lowerBound].firstIndex(where: isSpace) { from = space + 1 }
        if to < scalars.count, let space = scalars[last..<to].lastIndex(where: isSpace) { to = space }
        var out = String.UnicodeScalarView()
        if from > 0 { out.append("…") }
        var lastWasSpace = false
        var rangeIndex = 0
        var openRange: Range<Int>?
        for index in from..<to {
            if let current = openRange, index == current.upperBound {
                out.append(contentsOf: close.unicodeScalars)
                openRange = nil
            }
            while rangeIndex < clamped.count, clamped[rangeIndex].upperBound <= index { rangeIndex += 1 }
            if openRange == nil, rangeIndex < clamped.count, clamped[rangeIndex].lowerBound == index {
                out.append(contentsOf: open.unicodeScalars)
                openRange = clamped[rangeIndex]
                // Overlapping ranges close with the longest.
                while rangeIndex + 1 < clamped.count, clamped[rangeIndex + 1].lowerBound < openRange!.upperBound {
                    rangeIndex += 1
                    openRange = openRange!.lowerBound..<max(openRange!.upperBound, clamped[rangeIndex].upperBound)
                }
            }
            let scalar = scalars[index]
            if isSpace(scalar) {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(scalar)
                lastWasSpace = false
            }
        }
        if openRange != nil { out.append(contentsOf: close.unicodeScalars) }
        if to < scalars.count { out.append("…") }
        return String(out)
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }
}
