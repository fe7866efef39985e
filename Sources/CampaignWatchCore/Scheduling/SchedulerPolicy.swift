import Foundation

/// The scheduler's tunables that the configuration does not name. The defaults are the
/// behaviour docs/polling.md describes; benchmarks and `poll --once` may loosen host spacing.
public struct SchedulerPolicy: Sendable, Hashable {
    /// Half-life of the post-rate estimate.
    public var rateHalfLife: TimeInterval = 86_400
    /// Exponent of the adaptation (0: never adapt, 1: poll once per expected post).
    public var adaptationStrength: Double = 0.5
    /// How long before and after a prohibited period accounts are polled at `min_interval`.
    public var electionMargin: TimeInterval = 86_400
    public var hostSpacing: HostSpacing = .adaptive(headroom: 2, maxGap: 1)

    public init() {}

    public init(
        rateHalfLife: TimeInterval = 86_400, adaptationStrength: Double = 0.5,
        electionMargin: TimeInterval = 86_400, hostSpacing: HostSpacing = .adaptive(headroom: 2, maxGap: 1)
    ) {
        self.rateHalfLife = rateHalfLife
        self.adaptationStrength = adaptationStrength
        self.electionMargin = electionMargin
        self.hostSpacing = hostSpacing
    }
}

/// The minimum gap between two transfer starts to one host, on top of the `per_host` limit.
public enum HostSpacing: Sendable, Hashable {
    /// No gap: only `per_host` limits a host (benchmarks, a one-off round against one's own server).
    case none
    case fixed(TimeInterval)
    /// `min(maxGap, 1 / (headroom × the host's steady polling rate))`: starts to a host may run at
    /// most `headroom` times as fast as its accounts need on average, so a backlog (start-up,
    /// the end of an outage) drains quickly but never as one burst.
    case adaptive(headroom: Double, maxGap: TimeInterval)
}
