import Foundation
import Synchronization

/// Counters of what the polls did since the daemon started, per platform: Prometheus counters
/// restart at zero with the process, which `rate()` and `increase()` expect.
public final class PollMetrics: Sendable {
    /// Upper bounds (seconds) of the fetch latency histogram: from a fast 304 to `poll.timeout`.
    public static let latencyBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60]

    public struct Counters: Sendable, Hashable {
        /// By platform and result (`fetched`, `not_modified`, `failed`).
        public var polls: [Label: Int] = [:]
        public var bytes: [String: Int] = [:]
        public var newPosts: [String: Int] = [:]
        public var changedPosts: [String: Int] = [:]
        /// Cumulative counts per bucket of `latencyBuckets`, plus the count and sum.
        public var latencyBuckets = [Int](repeating: 0, count: PollMetrics.latencyBuckets.count)
        public var latencyCount = 0
        public var latencySum = 0.0

        public struct Label: Sendable, Hashable, Comparable {
            public var platform: String
            public var result: String
            public static func < (a: Label, b: Label) -> Bool { (a.platform, a.result) < (b.platform, b.result) }
        }
    }

    private let counters = Mutex(Counters())

    public init() {}

    public func record(_ report: AccountPollReport) {
        let result: String
        switch report.outcome {
        case .fetched: result = "fetched"
        case .notModified: result = "not_modified"
        case .failed: result = "failed"
        case .cancelled: return
        }
        let platform = Self.platform(ofKey: report.key)
        counters.withLock { c in
            c.polls[Counters.Label(platform: platform, result: result), default: 0] += 1
            c.bytes[platform, default: 0] += report.bytes
            c.newPosts[platform, default: 0] += report.newPosts
            c.changedPosts[platform, default: 0] += report.changedPosts
            for (index, bound) in Self.latencyBuckets.enumerated() where report.seconds <= bound {
                c.latencyBuckets[index] += 1
            }
            c.latencyCount += 1
            c.latencySum += report.seconds
        }
    }

    public var current: Counters { counters.withLock { $0 } }

    /// `telegram:durov` → `telegram`.
    static func platform(ofKey key: String) -> String {
        key.split(separator: ":", maxSplits: 1).first.map(String.init) ?? key
    }
}
