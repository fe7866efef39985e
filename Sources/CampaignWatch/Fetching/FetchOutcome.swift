import CampaignWatchCore
import Foundation

/// Everything one fetch learned: the verdict, the answer's metadata, the body and the costs.
public struct FetchOutcome: Sendable {
    public enum Result: Sendable, Hashable {
        /// A 2xx answer with a body to parse.
        case ok
        /// 304: the validators still hold.
        case notModified
        case failed(FetchError)
    }

    public var result: Result
    /// The URL as requested (the configured one; never rewritten).
    public var url: String
    /// Where the last response came from, after redirects.
    public var effectiveURL: String
    /// The last response's status; 0 when no response arrived.
    public var status: Int
    /// Each redirect followed, in order.
    public var redirects: [FetchRedirect]
    public var contentType: String?
    public var etag: String?
    public var lastModified: String?
    /// From the last response (meaningful on 429 and 503).
    public var retryAfter: RetryAfter?
    /// The decoded body (empty on 304 and on failures other than HTTP statuses).
    public var body: [UInt8]
    public var timings: FetchTimings
    /// Header and body bytes as they came over the wire, before decoding.
    public var bytesReceived: Int
    /// What to send with the next request for this account.
    public var validators: HTTPValidators

    /// Where the configured URL should now point, when the chain began with permanent
    /// redirects (301/308): the target of the last of them. Shown in status and logs.
    public var movedPermanentlyTo: String? {
        var target: String?
        for redirect in redirects {
            guard redirect.isPermanent else { break }
            target = redirect.to
        }
        return target
    }

    public var error: FetchError? {
        if case .failed(let error) = result { error } else { nil }
    }

    /// The scheduler's view of this outcome. Retry-After is passed on for 429 and 503 only.
    /// A cancelled or shutdown-refused fetch is `.cancelled`: the account is not to blame.
    public func pollResult(newPosts: Int) -> PollResult {
        switch result {
        case .ok: return .success(newPosts: newPosts)
        case .notModified: return .notModified
        case .failed(let error):
            guard let kind = error.failureKind else { return .cancelled }
            let honoured = status == 429 || status == 503 ? retryAfter : nil
            return .failure(PollFailure(kind: kind, message: error.description, retryAfter: honoured))
        }
    }
}

public struct FetchRedirect: Sendable, Hashable {
    public var status: Int
    public var from: String
    public var to: String

    public var isPermanent: Bool { status == 301 || status == 308 }
}

/// Seconds, from curl's own clock for the transfer.
public struct FetchTimings: Sendable, Hashable {
    public var total: Double = 0
    public var nameLookup: Double = 0
    public var connect: Double = 0
    /// TLS handshake done (0 for plain HTTP).
    public var tlsConnect: Double = 0
    public var firstByte: Double = 0

    public init() {}
}
