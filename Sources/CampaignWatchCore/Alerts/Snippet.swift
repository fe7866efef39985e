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

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }
}
