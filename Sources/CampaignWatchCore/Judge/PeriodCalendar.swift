import Foundation

/// Finds the period of an election that an instant falls in. Periods are instants already
/// resolved from the election's zone by the loader, so historical offsets are settled there.
public enum PeriodCalendar {
    /// The period containing `instant` (`from` inclusive, `to` exclusive), or nil when it lies
    /// in none: such a post is not judged.
    public static func period(of election: Election, at instant: Date) -> ElectionPeriod? {
        // Periods are sorted and disjoint: the last one starting at or before the instant is the
        // only candidate.
        var low = 0, high = election.periods.count
        while low < high {
            let mid = (low + high) / 2
            if election.periods[mid].from <= instant { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let candidate = election.periods[low - 1]
        return candidate.contains(instant) ? candidate : nil
    }
}

extension Election {
    public func period(at instant: Date) -> ElectionPeriod? {
        PeriodCalendar.period(of: self, at: instant)
    }
}
