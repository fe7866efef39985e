import Foundation

/// When an account matters most: inside a prohibited period of one of its elections, or within
/// `margin` (a day by default) before it starts or after it ends. Windows are precomputed per
/// election, merged and sorted, so asking about an account costs a few comparisons.
public struct ElectionProximity: Sendable {
    /// Half-open `[start, end)` in seconds since the reference date.
    struct Window: Sendable, Hashable {
        var start: Double
        var end: Double
    }

    private var windows: [String: [Window]] = [:]

    public init(elections: [Election], margin: TimeInterval) {
        for election in elections {
            let raw = election.periods.filter(\.prohibited).map {
                Window(start: $0.from.timeIntervalSinceReferenceDate - margin,
                       end: $0.to.timeIntervalSinceReferenceDate + margin)
            }.sorted { $0.start < $1.start }
            var merged: [Window] = []
            for window in raw {
                if let last = merged.last, window.start <= last.end {
                    merged[merged.count - 1].end = max(last.end, window.end)
                } else {
                    merged.append(window)
                }
            }
            windows[election.id] = merged
        }
    }

    /// Whether any of `electionIDs` is in (or within the margin of) a prohibited period at `time`.
    public func isNear(electionIDs: [String], at time: Date) -> Bool {
        isNear(electionIDs: electionIDs, at: time.timeIntervalSinceReferenceDate)
    }

    /// The next instant after `time` at which a window opens, if any.
    public func nextStart(electionIDs: [String], after time: Date) -> Date? {
        nextStart(electionIDs: electionIDs, after: time.timeIntervalSinceReferenceDate)
            .map(Date.init(timeIntervalSinceReferenceDate:))
    }

    func isNear(electionIDs: [String], at time: Double) -> Bool {
        for id in electionIDs {
            guard let list = windows[id] else { continue }
            for window in list where window.start <= time && time < window.end { return true }
        }
        return false
    }

    func nextStart(electionIDs: [String], after time: Double) -> Double? {
        var best: Double?
        for id in electionIDs {
            guard let list = windows[id] else { continue }
            if let window = list.first(where: { $0.start > time }), window.start < (best ?? .infinity) {
                best = window.start
            }
        }
        return best
    }
}
