import CampaignWatchCore

/// How `campaignwatch match` shows its findings: JSON lines for programs, the text with the
/// matched terms marked for people.
public enum MatchReport {
    /// `{"id": …, "rules": [ids], "matches": [{"rule": id, "terms": [{"term", "start", "end"}]}]}`
    public static func jsonLine(id: String, matches: [RuleMatch]) -> String {
        var out = "{\"id\":\(json(id)),\"rules\":[" + matches.map { json($0.rule) }.joined(separator: ",") + "],\"matches\":["
        out += matches.map { match in
            "{\"rule\":\(json(match.rule)),\"terms\":["
                + match.terms.map { term in
                    var t = "{\"term\":\(json(term.term)),\"start\":\(term.start),\"end\":\(term.end)"
                    if term.field != .text { t += ",\"field\":\(json(term.field.rawValue))" }
                    return t + "}"
                }.joined(separator: ",") + "]}"
        }.joined(separator: ",")
        return out + "]}"
    }

    /// A JSON string literal.
    public static func json(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                let padding = String(repeating: "0", count: 4 - hex.count)
                out += "\\u" + padding + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `text` with the ranges (Unicode scalar offsets) marked: bold red on a terminal, `[…]` when
    /// piped. Overlapping ranges are merged.
    public static func highlight(_ text: String, ranges: [Range<Int>], colour: Bool) -> String {
        let merged = ranges.sorted { $0.lowerBound < $1.lowerBound }.reduce(into: [Range<Int>]()) { result, r in
            if let last = result.last, r.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                result.append(r)
            }
        }
        let (open, close) = colour ? ("\u{1B}[1;31m", "\u{1B}[0m") : ("[", "]")
        var out = String.UnicodeScalarView()
        var next = 0
        for (i, scalar) in text.unicodeScalars.enumerated() {
            if next < merged.count, merged[next].lowerBound == i { out.append(contentsOf: open.unicodeScalars) }
            out.append(scalar)
            if next < merged.count, merged[next].upperBound == i + 1 {
                out.append(contentsOf: close.unicodeScalars)
                next += 1
            }
        }
        return String(out)
    }
}
