import Foundation

/// A `Retry-After` header value (RFC 9110 §10.2.3): either a number of seconds or an HTTP date.
/// Both forms are kept as given; the scheduler turns either into an instant with its own `now`.
public enum RetryAfter: Sendable, Hashable, CustomStringConvertible {
    case seconds(Int)
    case date(Date)

    /// Nil for anything that is neither form (a server's typo is not a reason to stop polling).
    public init?(headerValue: String) {
        let trimmed = headerValue.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Absurdly long digit strings saturate instead of failing.
            self = .seconds(Int(trimmed) ?? Int.max)
        } else if let date = HTTPDate.parse(trimmed) {
            self = .date(date)
        } else {
            return nil
        }
    }

    /// The instant the server asked us not to come back before.
    public func instant(after now: Date) -> Date {
        switch self {
        case .seconds(let seconds): now.addingTimeInterval(TimeInterval(min(seconds, 100 * 365 * 86_400)))
        case .date(let date): max(date, now)
        }
    }

    public var description: String {
        switch self {
        case .seconds(let seconds): "\(seconds)s"
        case .date(let date): Timestamp.utc(date)
        }
    }
}
