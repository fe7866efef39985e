import Foundation

/// `match --subject ID --at TIME`: for each election of the subject, the period the time falls
/// in and whether a post at that time would alert, without a post, a store or a clock.
public enum JudgePreview {
    /// `--at` as given: an instant (`…Z`, `…+06:00`) or a wall-clock time read in each
    /// election's own zone (`2023-03-18T12:00`).
    public enum At: Sendable, Hashable {
        case instant(Date)
        case wallClock(WallClockTime)

        public static func parse(_ text: String) throws(ConfigValueError) -> At {
            let time = try WallClockTime.parse(text)
            if time.offsetSeconds != nil { return .instant(try time.resolve(in: TimeZone(identifier: "UTC")!)) }
            return .wallClock(time)
        }
    }

    public struct Entry: Sendable, Hashable {
        public var election: Election
        /// The instant judged (nil when a wall-clock time does not exist in the election's zone).
        public var instant: Date?
        public var period: ElectionPeriod?
        /// The ids of the rules this election selects, in configuration order.
        public var selectedRules: [String]
        /// The selected rules among the given matches; nil when no text was matched.
        public var matchedRules: [String]?
        public var wouldAlert: Bool

        /// One line for a terminal: the time in the election's zone and in UTC, the period and
        /// the verdict.
        public var description: String {
            guard let instant else {
                return "\(election.id): the time does not exist in \(election.timeZone.identifier) (the clocks skipped it)"
            }
            let zone = election.timeZone
            var line = "\(election.id): \(Timestamp.local(instant, in: zone)) (\(Timestamp.utc(instant)))"
            guard let period else { return line + " lies in no period: not judged" }
            line += " is in \(period.kind.rawValue) [\(Timestamp.local(period.from, in: zone)), \(Timestamp.local(period.to, in: zone)))"
            line += period.prohibited ? ", campaigning prohibited" : ", campaigning allowed"
            if !period.prohibited { return line + ": would not alert" }
            guard let matchedRules else {
                return line + (selectedRules.isEmpty ? ": would not alert (the election selects no rule)"
                    : ": a post matching any of \(selectedRules.joined(separator: ", ")) would alert")
            }
            if matchedRules.isEmpty {
                return line + ": would not alert (no rule of this election matches)"
            }
            return line + ": would alert (" + matchedRules.joined(separator: ", ") + ")"
        }
    }

    /// With `matches` nil (no text given), `wouldAlert` says whether a matching post would alert.
    public static func preview(subject: Subject, at: At, configuration: Configuration, matches: [RuleMatch]? = nil) -> [Entry] {
        subject.elections.compactMap { configuration.election(id: $0) }.map { election in
            let instant: Date? = switch at {
            case .instant(let date): date
            case .wallClock(let time): try? time.resolve(in: election.timeZone)
            }
            let period = instant.flatMap { election.period(at: $0) }
            let selected = RuleSelection.rules(for: election, in: configuration).map(\.id)
            let matched = matches.map { Judge.selectedMatches($0, election: election, configuration: configuration).map(\.rule) }
            let prohibited = period?.prohibited ?? false
            let wouldAlert = prohibited && (matched.map { !$0.isEmpty } ?? !selected.isEmpty)
            return Entry(election: election, instant: instant, period: period, selectedRules: selected,
                         matchedRules: matched, wouldAlert: wouldAlert)
        }
    }
}
