import Foundation

/// What became of one poll, as the scheduler needs to know it.
public enum PollResult: Sendable, Hashable {
    /// The source answered with content; `newPosts` is how many posts were not seen before.
    case success(newPosts: Int)
    /// 304: nothing changed since the last poll.
    case notModified
    case failure(PollFailure)
    /// The poll was abandoned (shutdown, reload): not the account's fault, so no backoff.
    case cancelled
}

public struct PollFailure: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case dns, connect, timeout, tls
        case tooLarge = "too-large"
        case tooManyRedirects = "too-many-redirects"
        /// An HTTP 4xx or 5xx answer.
        case http
        /// The body arrived but could not be read as the platform's format.
        case parse
        /// Any other transport failure (connection reset, empty reply, bad encoding…).
        case transport
    }

    public var kind: Kind
    /// What an operator reads in `status` and the logs.
    public var message: String
    /// From a 429 or 503 answer: honoured for this account's URL only.
    public var retryAfter: RetryAfter?

    public init(kind: Kind, message: String, retryAfter: RetryAfter? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { message }
}
