import Foundation

/// The `eml` spool format: an RFC 5322 message a mail reader or an IMAP server opens directly,
/// with a readable plain-text body and the alert's JSON attached as `alert.json`.
public enum AlertMail {
    /// The message bytes (CRLF line ends, as RFC 5322 writes them).
    public static func render(_ alert: Alert, hostname: String = "localhost") -> [UInt8] {
        let boundary = "campaignwatch-\(alert.id)"
        var head: [String] = [
            "From: campaignwatch <campaignwatch@\(hostname)>",
            "Date: \(rfc5322Date(alert.createdAt))",
            "Subject: \(encodedHeader(alert.summary, nameLength: "Subject: ".count))",
            "Message-ID: <\(alert.id)@campaignwatch.\(hostname)>",
            "X-Campaignwatch-Alert: \(alert.id)",
            "X-Campaignwatch-Kind: \(alert.kind.rawValue)",
        ]
        if let refersTo = alert.refersTo {
            head.append("References: <\(refersTo)@campaignwatch.\(hostname)>")
        }
        head += [
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
        ]
        var lines = head + [""]
        lines += [
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
        ]
        lines += body(alert).flatMap(hardWrapped)
        lines += [
            "",
            "--\(boundary)",
            "Content-Type: application/json; charset=utf-8; name=\"alert.json\"",
            "Content-Disposition: attachment; filename=\"alert.json\"",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        lines += base64Lines(alert.jsonBytes())
        lines += ["--\(boundary)--", ""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// What a monitor reads first: what was found, where, when, and the words that matched.
    static func body(_ alert: Alert) -> [String] {
        var lines: [String] = []
        switch alert.kind {
        case .violation: lines.append("campaignwatch found campaigning in a prohibited period.")
        case .edit: lines.append("A watched post was edited (see \"Before the edit\" below).")
        case .deletion: lines.append("A post that was alerted on has disappeared from its source.")
        }
        lines.append("")
        let zone = alert.election.timeZone
        let period = alert.period
        var subject = "\(alert.subject.name) (\(alert.subject.role.rawValue)"
        if let district = alert.subject.district { subject += ", \(district)" }
        subject += ")"
        lines += [
            "Election:   \(alert.election.name) (\(alert.election.id), \(zone.identifier))",
            "Period:     \(period.kind.rawValue), \(Timestamp.local(period.from, in: zone)) to "
                + "\(Timestamp.local(period.to, in: zone))\(period.prohibited ? ", campaigning prohibited" : "")",
            "Subject:    \(subject)",
            "Account:    \(alert.account.platform.rawValue) \(alert.account.handle) <\(alert.account.url)>",
            "Post:       \(alert.post.url ?? alert.post.id)",
        ]
        if let author = alert.post.author { lines.append("Author:     \(author)") }
        if let published = alert.post.publishedAt { lines.append("Published:  \(Timestamp.utc(published))") }
        if let edited = alert.post.editedAt { lines.append("Edited:     \(Timestamp.utc(edited))") }
        lines.append("Seen:       \(Timestamp.utc(alert.post.observedAt))")
        lines.append("Judged at:  \(alert.localTime) (\(alert.post.timeBasis.rawValue) time)")
        if let deleted = alert.deletedAt { lines.append("Deleted:    absence confirmed \(Timestamp.utc(deleted))") }
        if let refersTo = alert.refersTo { lines.append("Refers to:  alert \(refersTo)") }
        lines.append("")
        if alert.matches.isEmpty {
            lines.append("No rule matches the current text.")
        } else {
            lines.append("Rules matched:")
            for match in alert.matches {
                lines.append("  \(match.rule) (\(match.severity.rawValue)): \(match.description)")
                for term in match.terms {
                    lines.append("    \(term.term): \u{201C}\(term.snippet)\u{201D}")
                }
            }
        }
        lines.append("")
        if let title = alert.post.title, !title.isEmpty {
            lines += ["Title:", "  \(title)", ""]
        }
        lines.append("Text:")
        lines += alert.post.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        if let previous = alert.previous {
            lines += ["", "Before the edit (seen \(Timestamp.utc(previous.observedAt))):"]
            lines += previous.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        }
        lines += ["", "Alert \(alert.id), content SHA-256 \(alert.post.contentSHA256)."]
        return lines
    }

    /// RFC 5322 caps a line at 998 bytes; long text lines are cut at a scalar boundary.
    static func hardWrapped(_ line: String) -> [String] {
        guard line.utf8.count > 900 else { return [line] }
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var bytes = 0
        for scalar in line.unicodeScalars {
            let width = String(scalar).utf8.count
            if bytes + width > 900 {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
                bytes = 0
            }
            current.append(scalar)
            bytes += width
        }
        pieces.append(String(current))
        return pieces
    }

    /// RFC 2047 encoded words (UTF-8, base64) when the text is not plain ASCII, folded so that
    /// no line is longer than 76 characters.
    static func encodedHeader(_ text: String, nameLength: Int) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && text.utf8.count + nameLength <= 998 { return text }
        // 39 bytes of UTF-8 become 52 base64 characters: with `=?UTF-8?B?` and `?=` a word is 64, and
        // the first line with `Subject: ` stays under 78.
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if chunk.count + encoded.count > 39 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += encoded
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// `Mon, 20 Feb 2023 10:15:02 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        let secondsOfDay = seconds - days * 86_400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(day) \(monthName) \(year) \(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60)) +0000"
    }
}
