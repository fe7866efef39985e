import CampaignWatchCore
import Foundation

/// What `campaignwatch check` prints for a valid configuration: each election with its periods
/// in the election's local time and in UTC, then counts of subjects, accounts per platform and
/// rules, so a monitor sees at a glance that the calendar and the watchlist are what they meant.
public enum ConfigurationSummary {
    public static func lines(_ configuration: Configuration, mainFile: String, warnings: Int) -> [String] {
        var lines: [String] = []
        let fileCount = configuration.files.count
        lines.append("configuration OK: \(mainFile) (\(fileCount) file\(fileCount == 1 ? "" : "s"), "
            + "\(warnings) warning\(warnings == 1 ? "" : "s"))")
        lines.append("")
        lines.append("elections: \(configuration.elections.count)")
        for election in configuration.elections {
            let zone = election.timeZone
            lines.append("  \(election.id): \(election.name) [\(zone.identifier)]")
            let kindWidth = election.periods.map(\.kind.rawValue.count).max() ?? 0
            for period in election.periods {
                let kind = period.kind.rawValue.padding(toLength: kindWidth, withPad: " ", startingAt: 0)
                let verdict = period.prohibited ? "prohibited" : "allowed"
                lines.append("    \(kind)  \(Timestamp.local(period.from, in: zone)) – \(Timestamp.local(period.to, in: zone))"
                    + "  = \(Timestamp.utc(period.from)) – \(Timestamp.utc(period.to))  \(verdict)")
            }
            let selected = RuleSelection.rules(for: election, in: configuration).map(\.id)
            let how = election.ruleSelectors.map { "selected by " + $0.joined(separator: ", ") } ?? "every rule"
            let subjects = configuration.subjects.filter { $0.elections.contains(election.id) }.count
            lines.append("    rules: \(selected.count) (\(how)); subjects: \(subjects)")
        }
        lines.append("")
        let roles = counts(configuration.subjects.map(\.role.rawValue))
        lines.append("subjects: \(configuration.subjects.count)" + (roles.isEmpty ? "" : " (\(roles))"))
        let accounts = configuration.subjects.flatMap(\.accounts)
        let platforms = counts(accounts.map(\.platform.rawValue))
        lines.append("accounts: \(accounts.count)" + (platforms.isEmpty ? "" : " (\(platforms))"))
        let severities = counts(configuration.rules.map(\.severity.rawValue))
        lines.append("rules: \(configuration.rules.count)" + (severities.isEmpty ? "" : " (\(severities))"))
        lines.append("state: \(configuration.stateDir)")
        lines.append("spool: \(configuration.spool.dir) (\(configuration.spool.format.rawValue))")
        return lines
    }

    /// `bluesky 2, telegram 4`: by name, so the line reads the same every time.
    private static func counts(_ names: [String]) -> String {
        var tally: [String: Int] = [:]
        for name in names { tally[name, default: 0] += 1 }
        return tally.keys.sorted().map { "\($0) \(tally[$0]!)" }.joined(separator: ", ")
    }
}
