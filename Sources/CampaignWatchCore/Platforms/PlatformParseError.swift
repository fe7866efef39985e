/// Why an answer from a platform yielded no posts, said so that a monitor or an operator knows
/// what to do, and sorted so that the scheduler knows how to react (`kind`).
///
/// An empty channel is not an error: it parses to a page with no posts.
public struct PlatformParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Telegram: the channel has no public web preview (private, a user or a bot, restricted,
        /// or no such name). Poll rarely; a person must check the handle.
        case noPublicPreview
        /// The account does not exist, was deleted, deactivated or suspended.
        case accountNotFound
        /// The platform asks us to slow down. `retryAfter` in seconds when it said.
        case rateLimited(retryAfter: Double?)
        /// The API refuses requests without a token (Mastodon instances in limited mode): the
        /// Mastodon pipeline falls back to the account's RSS feed.
        case authenticationRequired
        /// The bytes are not the JSON or XML they should be.
        case malformedDocument
        /// The document reads, but its structure is not the one this parser knows: the platform
        /// changed its markup or API, and the parser needs attention.
        case layoutChanged
        /// Another error answer from the platform (blocked actor, server trouble…).
        case platformError(status: Int?)
    }

    public var platform: Platform
    public var kind: Kind
    /// One sentence for a person: what happened and, where it helps, what to do.
    public var message: String
    /// Where a malformed JSON document broke.
    public var jsonError: JSONSyntaxError?

    public init(platform: Platform, kind: Kind, message: String, jsonError: JSONSyntaxError? = nil) {
        self.platform = platform
        self.kind = kind
        self.message = message
        self.jsonError = jsonError
    }

    public var description: String { "\(platform.rawValue): \(message)" }

    /// A transient condition to back off from, as opposed to one a person must look at.
    public var isRateLimit: Bool {
        if case .rateLimited = kind { return true }
        return false
    }

    public var retryAfter: Double? {
        if case .rateLimited(let seconds) = kind { return seconds }
        return nil
    }

    static func malformedJSON(_ platform: Platform, _ error: JSONSyntaxError, what: String) -> PlatformParseError {
        PlatformParseError(
            platform: platform, kind: .malformedDocument,
            message: "malformed JSON in the \(what) at \(error)", jsonError: error)
    }

    static func layout(_ platform: Platform, _ detail: String) -> PlatformParseError {
        PlatformParseError(platform: platform, kind: .layoutChanged, message: "layout changed: \(detail)")
    }
}
