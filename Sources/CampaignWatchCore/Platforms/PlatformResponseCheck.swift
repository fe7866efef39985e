import Foundation

/// Decisions on an answer's HTTP status and headers, shared by the platform parsers.
public enum PlatformResponseCheck {
    /// The error the status alone proves (429), before the body is read. Other error statuses
    /// are read by each parser, because the body says what went wrong.
    static func statusError(_ platform: Platform, _ context: PlatformContext) -> PlatformParseError? {
        guard let response = context.response, response.status == 429 else { return nil }
        return rateLimited(platform, context, detail: nil)
    }

    static func rateLimited(_ platform: Platform, _ context: PlatformContext, detail: String?) -> PlatformParseError {
        let seconds = context.response.flatMap(retryAfter)
        var message = "the platform limits our request rate" + (detail.map { " (\($0))" } ?? "")
        if let seconds { message += "; it asks to wait \(Int(seconds.rounded(.up))) s" }
        return PlatformParseError(platform: platform, kind: .rateLimited(retryAfter: seconds), message: message)
    }

    /// Seconds to wait, from `Retry-After` (seconds or an HTTP date) or from the rate-limit reset
    /// headers (`ratelimit-reset` in Unix seconds as Bluesky sends it, `x-ratelimit-reset` as an
    /// RFC 3339 time as Mastodon sends it). Dates need `receivedAt` to become a wait.
    public static func retryAfter(_ response: PlatformHTTPResponse) -> Double? {
        if let value = response.headers["retry-after"]?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(value), seconds >= 0 { return seconds }
            if let date = httpDate(value), let received = response.receivedAt { return max(0, date.timeIntervalSince(received)) }
        }
        for name in ["ratelimit-reset", "x-ratelimit-reset"] {
            guard let value = response.headers[name]?.trimmingCharacters(in: .whitespaces), let received = response.receivedAt else { continue }
            if let epoch = Double(value), epoch > 1_000_000_000 { return max(0, epoch - received.timeIntervalSince1970) }
            if let epoch = Double(value) { return max(0, epoch) }
            if let date = PlatformTime.parse(value) { return max(0, date.timeIntervalSince(received)) }
        }
        return nil
    }

    /// `Wed, 21 Oct 2015 07:28:00 GMT`, the only form RFC 9110 lets servers send.
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        let iso = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, monthIndex + 1, day, clock[0], clock[1], clock[2])
        return PlatformTime.parse(iso)
    }

    /// A short, printable excerpt of an unexpected body for a message.
    static func excerpt(_ bytes: [UInt8], limit: Int = 120) -> String {
        var text = String(decoding: bytes.prefix(limit * 4), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        text = text.trimmingCharacters(in: .whitespaces)
        if text.count > limit { text = String(text.prefix(limit)) + "…" }
        return text
    }
}
