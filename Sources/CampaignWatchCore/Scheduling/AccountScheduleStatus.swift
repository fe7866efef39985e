import Foundation

/// One account as the scheduler sees it, for `status`, logs and metrics.
public struct AccountScheduleStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Waiting for its next poll time.
        case scheduled
        /// Due, waiting for room under the `concurrency` / `per_host` limits or host spacing.
        case waiting
        case polling
    }

    public var key: String
    public var url: String
    public var host: String
    public var state: State
    /// When the account is (or was, if it is waiting) due; nil while it is being polled.
    public var nextPoll: Date?
    /// The cadence now in force, before jitter: adapted, or `min_interval` near an election's
    /// prohibited period, or the backoff delay after failures.
    public var interval: TimeInterval
    /// Whether an election's prohibited period (or the day around it) holds it at `min_interval`.
    public var nearProhibitedPeriod: Bool
    public var consecutiveFailures: Int
    public var lastError: PollFailure?
    public var lastErrorAt: Date?
    public var lastStarted: Date?
    public var lastCompleted: Date?
    public var lastSuccess: Date?
    /// Set while a `Retry-After` keeps this account's URL waiting.
    public var retryAfterUntil: Date?
    /// The post-rate estimate behind the adaptation.
    public var postsPerDay: Double
}

/// What the scheduler remembers of an account across restarts, for the state store to persist
/// and give back through `PollScheduler.restore`.
public struct AccountScheduleMemory: Sendable, Hashable, Codable {
    public var nextPoll: Date?
    public var consecutiveFailures: Int
    public var lastErrorKind: PollFailure.Kind.RawValue?
    public var lastErrorMessage: String?
    public var lastErrorAt: Date?
    public var lastStarted: Date?
    public var lastCompleted: Date?
    public var lastSuccess: Date?
    public var retryAfterUntil: Date?
    public var ratePosts: Double
    public var rateTime: Double

    public init(
        nextPoll: Date? = nil, consecutiveFailures: Int = 0, lastErrorKind: String? = nil,
        lastErrorMessage: String? = nil, lastErrorAt: Date? = nil, lastStarted: Date? = nil,
        lastCompleted: Date? = nil, lastSuccess: Date? = nil, retryAfterUntil: Date? = nil,
        ratePosts: Double, rateTime: Double
    ) {
        self.nextPoll = nextPoll
        self.consecutiveFailures = consecutiveFailures
        self.lastErrorKind = lastErrorKind
        self.lastErrorMessage = lastErrorMessage
        self.lastErrorAt = lastErrorAt
        self.lastStarted = lastStarted
        self.lastCompleted = lastCompleted
        self.lastSuccess = lastSuccess
        self.retryAfterUntil = retryAfterUntil
        self.ratePosts = ratePosts
        self.rateTime = rateTime
    }
}
