import CampaignWatchCore
import Foundation

/// A few lines a person reads in a terminal: what, who, when, where, which words.
enum AlertDisplay {
    static func text(_ alert: Alert) -> String {
        var lines = ["\(alert.kind.rawValue.uppercased())  \(alert.election.id)  \(alert.period.kind.rawValue)  "
            + "\(alert.subject.name) (\(alert.account.platform.rawValue) \(alert.account.handle))"]
        var when = "  \(alert.localTime)"
        if let published = alert.post.publishedAt, abs(published.timeIntervalSince(alert.post.judgedAt)) > 1 {
            when += "  (judged at the edit; published \(Timestamp.local(published, in: alert.election.timeZone)))"
        } else if alert.post.timeBasis == .observed {
            when += "  (when first seen: the post carries no usable time)"
        }
        lines.append(when)
        if let declared = alert.post.declaredAt, let published = alert.post.publishedAt, abs(declared.timeIntervalSince(published)) > 60 {
            lines.append("  the author's client claims \(Timestamp.local(declared, in: alert.election.timeZone))")
        }
        lines.append("  \(alert.post.url ?? alert.post.id)")
        if let title = alert.post.title, !title.isEmpty { lines.append("  title: \(title)") }
        for match in alert.matches {
            let inTitle = match.terms.filter { $0.field == .title }.map { $0.start..<$0.end }
            let inText = match.terms.filter { $0.field == .text }.map { $0.start..<$0.end }
            var shown: [String] = []
            if !inTitle.isEmpty { shown.append("title: " + Snippet.highlighted(alert.post.title ?? "", ranges: inTitle)) }
            if !inText.isEmpty { shown.append(Snippet.highlighted(alert.post.text, ranges: inText)) }
            lines.append("  \(match.rule) (\(match.severity.rawValue)): \(shown.joined(separator: " / "))")
        }
        if let refersTo = alert.refersTo { lines.append("  refers to \(refersTo)") }
        lines.append("  \(alert.id)")
        return lines.joined(separator: "\n")
    }
}
