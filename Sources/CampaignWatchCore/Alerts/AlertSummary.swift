extension Alert {
    /// The one-line summary a mail reader shows as the Subject:
    /// `[campaignwatch] <subject name>: <period kind> — <rules>`, rules as their ids in the order
    /// of the alert's matches. An edit or a deletion says so at the end, so the three alerts of
    /// one post are told apart in a list; an edit that removed every matching word says
    /// `no rule matches now` where the rules stand.
    public var summary: String {
        let rules = matches.isEmpty ? "no rule matches now" : matches.map(\.rule).joined(separator: ", ")
        var line = "[campaignwatch] \(subject.name): \(period.kind.rawValue) — \(rules)"
        switch kind {
        case .violation: break
        case .edit: line += " (edited)"
        case .deletion: line += " (deleted)"
        }
        return line
    }
}
