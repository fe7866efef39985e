import Foundation

/// How often an account posts, as exponentially decayed sums: `posts` and `time` both fade with
/// `halfLife`, so the estimate follows an account that wakes up or falls silent within about a
/// day while one busy hour does not dominate it. The rate is `posts / time`.
///
/// It starts with a prior of one post per default interval, so a new account is polled at
/// `interval` until observations outweigh the prior.
public struct PostRateEstimator: Sendable, Hashable, Codable {
    public private(set) var posts: Double
    public private(set) var time: Double

    public init(priorInterval: TimeInterval) {
        posts = 1
        time = max(priorInterval, 1)
    }

    public init(posts: Double, time: Double) {
        self.posts = max(posts, 0)
        self.time = max(time, 1)
    }

    /// `newPosts` appeared during the `elapsed` seconds since the previous successful poll.
    public mutating func observe(newPosts: Int, elapsed: TimeInterval, halfLife: TimeInterval) {
        guard elapsed > 0 else {
            posts += Double(max(newPosts, 0))
            return
        }
        let decay = exp2(-elapsed / halfLife)
        posts = posts * decay + Double(max(newPosts, 0))
        // The decayed integral of the elapsed stretch: close to `elapsed` when it is short, and
        // bounded by halfLife/ln 2 so a silence of months reads as "silent", not "infinitely so".
        time = time * decay + halfLife / 0.693_147_180_559_945_3 * (1 - decay)
    }

    /// Posts per second.
    public var rate: Double { posts / time }

    /// The adapted interval: `interval · (rate · interval)^(-strength)`, clamped to the cadence.
    /// With strength ½ this is the geometric mean of the default interval and the mean time
    /// between posts: one post per interval keeps `interval`, four per interval halves it, one
    /// per four intervals doubles it; a silent account drifts towards `maxInterval`.
    public func interval(for cadence: PollCadence, strength: Double) -> TimeInterval {
        let expectedPerInterval = max(rate * cadence.interval, 1e-9)
        let adapted = cadence.interval * pow(expectedPerInterval, -strength)
        return min(max(adapted, cadence.minInterval), cadence.maxInterval)
    }
}
