import CampaignWatchCore
import Foundation

/// `campaignwatch status`: the store's view of every account and election, judged so that a
/// source that fails, has gone silent or is no longer polled stands out.
public struct StatusReport: Sendable {
    public enum Health: String, Sendable, Hashable, CaseIterable {
        /// Polled, and its last poll worked.
        case ok
        /// Its last poll(s) failed.
        case failing
        /// Polls work, but no new post for longer than `silentAfter` (or never a post): a
        /// deleted channel behind a stale page, a wrong URL, a blocked account.
        case silent
        /// Not polled for much longer than its interval: the daemon is not running or is stuck.
        case stale
        /// Never polled yet (just added).
        case waiting
        /// No longer in the configuration; its history is kept.
        case removed
    }

    public struct AccountLine: Sendable {
        public var record: AccountRecord
        public var health: Health
        public var alerts: Int
        /// Why the health is not `ok`, in words.
        public var problem: String?
    }

    public var generatedAt: Date
    public var database: String
    public var accounts: [AccountLine]
    public var status: StoreStatus
    public var electionNames: [String: String]
    public var subjectNames: [String: String]
    public var silentAfter: TimeInterval
    public var staleAfter: TimeInterval

    public init(status: StoreStatus, database: String, configuration: Configuration?, now: Date,
                silentAfter: TimeInterval = 7 * 86_400) {
        generatedAt = now
        self.database = database
        self.status = status
        self.silentAfter = silentAfter
        // A poll is overdue when three of the longest intervals have passed without one.
        let staleAfter = 3 * max(configuration?.poll.maxInterval ?? 6 * 3600, configuration?.poll.interval ?? 300)
        self.staleAfter = staleAfter
        electionNames = Dictionary((configuration?.elections ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        subjectNames = Dictionary((configuration?.subjects ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        accounts = status.accounts.map { record in
            let (health, problem) = Self.health(of: record, now: now, silentAfter: silentAfter, staleAfter: staleAfter)
            return AccountLine(record: record, health: health, alerts: status.alertsByAccount[record.key] ?? 0, problem: problem)
        }
    }

    /// The columns of an account the health rules look at.
    struct HealthInput {
        var lastPollAt: Date?
        var lastSuccessAt: Date?
        var lastNewPostAt: Date?
        var postsSeen = 0
        var consecutiveFailures = 0
        var failingSince: Date?
        var lastError: String?
        var removedAt: Date?
    }

    static func health(of record: AccountRecord, now: Date, silentAfter: TimeInterval,
                       staleAfter: TimeInterval) -> (Health, String?) {
        health(of: HealthInput(lastPollAt: record.lastPollAt, lastSuccessAt: record.lastSuccessAt, lastNewPostAt: record.lastNewPostAt,
                               postsSeen: record.postsSeen, consecutiveFailures: record.consecutiveFailures,
                               failingSince: record.failingSince, lastError: record.lastError, removedAt: record.removedAt),
               now: now, silentAfter: silentAfter, staleAfter: staleAfter)
    }

    static func health(of record: HealthInput, now: Date, silentAfter: TimeInterval,
                       staleAfter: TimeInterval) -> (Health, String?) {
        if let removed = record.removedAt {
            return (.removed, "removed from the configuration at \(Timestamp.utc(removed))")
        }
        if record.consecutiveFailures > 0 || record.failingSince != nil {
            let since = record.failingSince.map { " since \(Timestamp.utc($0))" } ?? ""
            let times = record.consecutiveFailures == 1 ? "1 failed poll" : "\(record.consecutiveFailures) failed polls in a row"
            return (.failing, "failing\(since) (\(times)): \(record.lastError ?? "unknown error")")
        }
        guard let lastPoll = record.lastPollAt else {
            return (.waiting, "not polled yet")
        }
        if now.timeIntervalSince(lastPoll) > staleAfter {
            return (.stale, "not polled since \(Timestamp.utc(lastPoll)) (\(Self.age(now.timeIntervalSince(lastPoll)))): is the daemon running?")
        }
        if let lastNew = record.lastNewPostAt {
            if now.timeIntervalSince(lastNew) > silentAfter {
                return (.silent, "no new post since \(Timestamp.utc(lastNew)) (\(Self.age(now.timeIntervalSince(lastNew)))): check the source")
            }
        } else if record.lastSuccessAt != nil, record.postsSeen == 0 {
            return (.silent, "its source has listed no post at all: check the URL")
        }
        return (.ok, nil)
    }

    public var counts: [Health: Int] {
        var counts: [Health: Int] = [:]
        for line in accounts { counts[line.health, default: 0] += 1 }
        return counts
    }

    // MARK: - Text

    public func text() -> String {
        var out = "campaignwatch status at \(Timestamp.utc(generatedAt)) from \(database)\n"
        let counts = counts
        let summary = Health.allCases.compactMap { health in counts[health].map { "\($0) \(health.rawValue)" } }
        out += "accounts: \(accounts.count)" + (summary.isEmpty ? "" : " (" + summary.joined(separator: ", ") + ")") + "\n"
        out += "alerts: \(status.totalAlerts) in all, \(status.alertsSince) today, \(status.pendingAlerts) not yet in the spool\n"

        let problems = accounts.filter { $0.health != .ok && $0.health != .removed }
        if !problems.isEmpty {
            out += "\nneeds attention:\n"
            for line in problems {
                out += "  \(line.health.rawValue.uppercased()) \(line.record.key) (\(subjectLabel(line.record.subjectID))) \(line.record.url)\n"
                    + "    \(line.problem ?? "")\n"
            }
        }
        let moved = accounts.filter { $0.record.redirectedTo != nil && $0.health != .removed }
        if !moved.isEmpty {
            out += "\nmoved permanently (update the watchlist):\n"
            for line in moved { out += "  \(line.record.key): \(line.record.url) -> \(line.record.redirectedTo!)\n" }
        }

        out += "\naccounts:\n"
        let header = ["STATE", "ACCOUNT", "SUBJECT", "LAST POLL", "LAST SUCCESS", "NEXT POLL", "POSTS", "ALERTS", "LAST ERROR"]
        var rows = [header]
        for line in accounts {
            let r = line.record
            rows.append([line.health.rawValue, r.key, r.subjectID, Self.time(r.lastPollAt), Self.time(r.lastSuccessAt),
                         Self.time(r.nextPollAt), String(r.postsSeen), String(line.alerts),
                         r.lastError.map { r.consecutiveFailures > 0 ? $0 : "(recovered) \($0)" } ?? "-"])
        }
        out += Self.table(rows)

        out += "\nalerts by election and period:\n"
        if status.alertCounts.isEmpty { out += "  none\n" }
        var byElection: [String: [StoreStatus.AlertCount]] = [:]
        for count in status.alertCounts { byElection[count.electionID, default: []].append(count) }
        for election in byElection.keys.sorted() {
            let total = byElection[election]!.reduce(0) { $0 + $1.count }
            out += "  \(election)\(electionNames[election].map { " (\($0))" } ?? ""): \(total)\n"
            var byPeriod: [String: [StoreStatus.AlertCount]] = [:]
            for count in byElection[election]! { byPeriod[count.periodKind, default: []].append(count) }
            for period in byPeriod.keys.sorted() {
                let counts = byPeriod[period]!
                let kinds = counts.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
                out += "    \(period): \(counts.reduce(0) { $0 + $1.count }) (\(kinds))\n"
            }
        }
        return out
    }

    private func subjectLabel(_ id: String) -> String {
        subjectNames[id].map { "\(id), \($0)" } ?? id
    }

    static func time(_ date: Date?) -> String { date.map(Timestamp.utc) ?? "-" }

    static func age(_ seconds: TimeInterval) -> String {
        switch seconds {
        case ..<120: "\(Int(seconds)) s ago"
        case ..<7200: "\(Int(seconds / 60)) min ago"
        case ..<172_800: "\(Int(seconds / 3600)) h ago"
        default: "\(Int(seconds / 86_400)) days ago"
        }
    }

    /// Columns padded to their widest cell; the last column is left ragged.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            "  " + row.enumerated().map { index, cell in
                index == columns - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    // MARK: - JSON

    /// One JSON object, schema `campaignwatch.status/1`; times RFC 3339 UTC or null.
    public func json() -> String {
        func time(_ date: Date?) -> Any { date.map(Timestamp.utc) ?? NSNull() }
        func optional(_ value: Any?) -> Any { value ?? NSNull() }
        let counts = counts
        var summary: [String: Any] = [
            "accounts": accounts.count,
            "alerts_total": status.totalAlerts,
            "alerts_today": status.alertsSince,
            "alerts_pending": status.pendingAlerts,
        ]
        for health in Health.allCases { summary[health.rawValue] = counts[health] ?? 0 }
        let accountObjects: [[String: Any]] = accounts.map { line in
            let r = line.record
            return [
                "key": r.key, "platform": r.platform, "handle": r.handle, "url": r.url, "subject": r.subjectID,
                "health": line.health.rawValue, "problem": optional(line.problem),
                "last_poll_at": time(r.lastPollAt), "last_success_at": time(r.lastSuccessAt),
                "last_status": optional(r.lastStatus), "last_error": optional(r.lastError), "last_error_at": time(r.lastErrorAt),
                "failing_since": time(r.failingSince), "consecutive_failures": r.consecutiveFailures,
                "next_poll_at": time(r.nextPollAt), "posts_seen": r.postsSeen, "last_new_post_at": time(r.lastNewPostAt),
                "redirected_to": optional(r.redirectedTo), "removed_at": time(r.removedAt), "alerts": line.alerts,
            ]
        }
        var elections: [String: [String: [String: Int]]] = [:]
        for count in status.alertCounts {
            elections[count.electionID, default: [:]][count.periodKind, default: [:]][count.kind] = count.count
        }
        let electionObjects: [[String: Any]] = elections.keys.sorted().map { id in
            let periods = elections[id]!
            return [
                "id": id, "name": optional(electionNames[id]),
                "alerts": periods.values.reduce(0) { $0 + $1.values.reduce(0, +) },
                "periods": periods.keys.sorted().map { kind -> [String: Any] in
                    let kinds = periods[kind]!
                    return ["kind": kind, "alerts": kinds.values.reduce(0, +), "by_kind": kinds]
                },
            ]
        }
        let object: [String: Any] = [
            "schema": "campaignwatch.status/1",
            "generated_at": Timestamp.utc(generatedAt),
            "database": database,
            "silent_after_seconds": Int(silentAfter),
            "summary": summary,
            "accounts": accountObjects,
            "elections": electionObjects,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
