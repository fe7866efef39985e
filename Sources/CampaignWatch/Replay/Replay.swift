import CampaignWatchCore
import Foundation

/// Judges the archive again with the current configuration, for tuning a watchlist or a rule
/// before it is deployed: which violations would be raised now that were not, and which raised
/// before would not be raised now.
///
/// Each archived post is judged in its current (last seen) version as a first sighting: at its
/// platform time, else when it was first seen. Only `violation` alerts are compared: edits and
/// deletions record what happened to a post over time, which judging the archive again cannot
/// redo. A violation and a post are "the same finding" when election, account and post agree (the
/// alert id also covers the content hash, which an edit changes); an edit alert on a post counts
/// as raised before, so a post alerted through an edit is not reported as new.
public enum Replay {
    public struct Result: Sendable {
        /// Posts judged at an instant inside the window.
        public var postsJudged = 0
        /// Of those, posts of accounts the configuration no longer lists (not judged).
        public var postsOfUnwatchedAccounts = 0
        /// Violations raised before and raised now too.
        public var unchanged = 0
        /// Would be raised now, were not before, with the key of the account that posted.
        public var new: [(alert: Alert, accountKey: String)] = []
        /// Were raised before, would not be now, with the reason.
        public var noLonger: [(alert: ArchivedAlert, reason: String)] = []
    }

    /// `progress(done, total)` is called every so often while posts are judged.
    public static func run(snapshot: PipelineSnapshot, store: StateStore, since: Date?, until: Date?, now: Date,
                           progress: (Int, Int) -> Void = { _, _ in }) throws(StoreError) -> Result {
        var result = Result()
        var raised: [String: [ArchivedAlert]] = [:]
        for alert in try store.archivedAlerts(kinds: [Alert.Kind.violation.rawValue, Alert.Kind.edit.rawValue]) {
            raised[postKey(alert.accountKey, alert.postID), default: []].append(alert)
        }
        let total = try store.archivedPostCount(since: since, until: until)
        let matcher = snapshot.rules.makeMatcher()
        let configuration = snapshot.configuration
        try store.forEachArchivedPost(since: since, until: until) { archived in
            result.postsJudged += 1
            if result.postsJudged % 1000 == 0 { progress(result.postsJudged, total) }
            let before = raised[postKey(archived.accountKey, archived.post.id)] ?? []
            guard let watched = snapshot.accounts[archived.accountKey] else {
                result.postsOfUnwatchedAccounts += 1
                for alert in before where alert.kind == Alert.Kind.violation.rawValue {
                    result.noLonger.append((alert, "the account is no longer in the configuration"))
                }
                return true
            }
            let matches = matcher.match(text: archived.post.text, title: archived.post.title,
                                        names: snapshot.names(of: watched.subject))
            let input = JudgeInput(post: archived.post, account: watched.account, subject: watched.subject,
                                   firstSeenAt: archived.firstSeenAt, versionSeenAt: archived.versionSeenAt,
                                   matches: matches, event: .new, contentSHA256: archived.contentSHA256)
            let now = Judge.alerts(for: input, configuration: configuration, now: now).filter { $0.kind == .violation }
            let elections = Set(now.map(\.election.id))
            for alert in now {
                if before.contains(where: { $0.electionID == alert.election.id }) {
                    result.unchanged += 1
                } else {
                    result.new.append((alert, archived.accountKey))
                }
            }
            for alert in before where alert.kind == Alert.Kind.violation.rawValue && !elections.contains(alert.electionID) {
                result.noLonger.append((alert, reason(alert, archived: archived, subject: watched.subject,
                                                      matches: matches, configuration: configuration)))
            }
            return true
        }
        progress(result.postsJudged, total)
        return result
    }

    /// Stores the new alerts as pending and writes them to the spool; ids already stored are
    /// left alone, so a second `--write` adds nothing.
    public static func write(_ alerts: [(alert: Alert, accountKey: String)], store: StateStore, spooler: AlertSpooler,
                             now: @escaping @Sendable () -> Date = Date.init) throws(StoreError) -> AlertSpooler.FlushResult {
        _ = try store.storeAlerts(alerts.map { AlertRow(alert: $0.alert, accountKey: $0.accountKey) })
        return try spooler.flushPending(store, now: now)
    }

    private static func postKey(_ account: String, _ post: String) -> String { account + "\u{1F}" + post }

    /// Why a violation raised before would not be raised now, in the monitor's terms.
    private static func reason(_ alert: ArchivedAlert, archived: ArchivedPost, subject: Subject, matches: [RuleMatch],
                               configuration: Configuration) -> String {
        guard let election = configuration.election(id: alert.electionID) else {
            return "election \(alert.electionID) is no longer in the configuration"
        }
        guard subject.elections.contains(alert.electionID) else {
            return "subject \(subject.id) no longer takes part in election \(alert.electionID)"
        }
        let judged = JudgedTime.of(platformTime: archived.post.publishedAt, firstSeen: archived.firstSeenAt)
        guard let period = election.period(at: judged.instant), period.prohibited else {
            return "the post's time is no longer in a prohibited period of \(alert.electionID)"
        }
        if Judge.selectedMatches(matches, election: election, configuration: configuration).isEmpty {
            return "no rule of election \(alert.electionID) matches the post now"
        }
        return "judged differently now"
    }
}
