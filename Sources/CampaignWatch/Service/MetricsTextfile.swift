import CampaignWatchCore
import Foundation
import Glibc

/// The metrics in node_exporter's textfile-collector format (the Prometheus text exposition
/// format), rewritten whole and atomically so the collector never reads half a file.
public struct MetricsTextfile: Sendable {
    public var counters: PollMetrics.Counters
    /// What the store holds; nil when it could not be read (the gauges from it are left out).
    public var store: StoreStatus?
    public var loop: PollLoopStatus?
    /// Files in the spool's `new/` waiting for a consumer; nil when it could not be read.
    public var spoolBacklog: Int?
    public var reloadFailed: Bool
    public var now: Date

    public init(counters: PollMetrics.Counters, store: StoreStatus?, loop: PollLoopStatus?, spoolBacklog: Int?,
                reloadFailed: Bool = false, now: Date) {
        self.counters = counters
        self.store = store
        self.loop = loop
        self.spoolBacklog = spoolBacklog
        self.reloadFailed = reloadFailed
        self.now = now
    }

    public func render() -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
            out += name
            if !labels.isEmpty {
                out += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
            }
            out += " \(Self.number(value))\n"
        }

        family("campaignwatch_polls_total", "counter", "Polls since the daemon started, by platform and result.")
        for (label, count) in counters.polls.sorted(by: { $0.key < $1.key }) {
            sample("campaignwatch_polls_total", [("platform", label.platform), ("result", label.result)], Double(count))
        }
        family("campaignwatch_poll_duration_seconds", "histogram", "Time to fetch and read one account's source.")
        for (index, bound) in PollMetrics.latencyBuckets.enumerated() {
            sample("campaignwatch_poll_duration_seconds_bucket", [("le", Self.number(bound))], Double(counters.latencyBuckets[index]))
        }
        sample("campaignwatch_poll_duration_seconds_bucket", [("le", "+Inf")], Double(counters.latencyCount))
        sample("campaignwatch_poll_duration_seconds_sum", [], counters.latencySum)
        sample("campaignwatch_poll_duration_seconds_count", [], Double(counters.latencyCount))
        family("campaignwatch_fetched_bytes_total", "counter", "Decoded response bytes, by platform.")
        for (platform, bytes) in counters.bytes.sorted(by: { $0.key < $1.key }) {
            sample("campaignwatch_fetched_bytes_total", [("platform", platform)], Double(bytes))
        }
        family("campaignwatch_posts_new_total", "counter", "Posts seen for the first time, by platform.")
        for (platform, count) in counters.newPosts.sorted(by: { $0.key < $1.key }) {
            sample("campaignwatch_posts_new_total", [("platform", platform)], Double(count))
        }
        family("campaignwatch_posts_changed_total", "counter", "New versions of known posts, by platform.")
        for (platform, count) in counters.changedPosts.sorted(by: { $0.key < $1.key }) {
            sample("campaignwatch_posts_changed_total", [("platform", platform)], Double(count))
        }

        if let loop {
            family("campaignwatch_accounts", "gauge", "Accounts being polled.")
            sample("campaignwatch_accounts", [], Double(loop.accounts))
            family("campaignwatch_accounts_due", "gauge", "Accounts due for a poll now.")
            sample("campaignwatch_accounts_due", [], Double(loop.due))
            family("campaignwatch_accounts_failing", "gauge", "Accounts whose last poll failed.")
            sample("campaignwatch_accounts_failing", [], Double(loop.failing))
            family("campaignwatch_polls_in_flight", "gauge", "Polls running now.")
            sample("campaignwatch_polls_in_flight", [], Double(loop.inFlight))
        }
        if let store {
            family("campaignwatch_alerts_total", "counter", "Alerts recorded in the state database, by election, period and kind.")
            for count in store.alertCounts {
                sample("campaignwatch_alerts_total", [("election", count.electionID), ("period", count.periodKind),
                                                      ("kind", count.kind)], Double(count.count))
            }
            family("campaignwatch_alerts_pending", "gauge", "Alerts recorded but not yet written to the spool.")
            sample("campaignwatch_alerts_pending", [], Double(store.pendingAlerts))
            family("campaignwatch_posts_seen", "gauge", "Posts in the state database, by platform.")
            var seen: [String: Int] = [:]
            var lastSuccess: [String: Date] = [:]
            for account in store.accounts {
                seen[account.platform, default: 0] += account.postsSeen
                if let at = account.lastSuccessAt, at > lastSuccess[account.platform] ?? .distantPast {
                    lastSuccess[account.platform] = at
                }
            }
            for (platform, count) in seen.sorted(by: { $0.key < $1.key }) {
                sample("campaignwatch_posts_seen", [("platform", platform)], Double(count))
            }
            family("campaignwatch_last_success_timestamp_seconds", "gauge",
                   "When a poll of an account of the platform last succeeded (Unix time).")
            for (platform, at) in lastSuccess.sorted(by: { $0.key < $1.key }) {
                sample("campaignwatch_last_success_timestamp_seconds", [("platform", platform)], at.timeIntervalSince1970.rounded())
            }
        }
        if let spoolBacklog {
            family("campaignwatch_spool_backlog", "gauge", "Alert files in the spool's new/ not yet taken by a consumer.")
            sample("campaignwatch_spool_backlog", [], Double(spoolBacklog))
        }
        family("campaignwatch_config_reload_failed", "gauge", "1 while the last configuration reload was rejected.")
        sample("campaignwatch_config_reload_failed", [], reloadFailed ? 1 : 0)
        family("campaignwatch_metrics_written_timestamp_seconds", "gauge", "When this file was written (Unix time).")
        sample("campaignwatch_metrics_written_timestamp_seconds", [], now.timeIntervalSince1970.rounded())
        return out
    }

    /// Writes `text` to `path` through a temporary file in the same directory whose name the
    /// collector ignores (it reads only `*.prom`), then renames it into place.
    public static func write(_ text: String, to path: String) throws(SystemError) {
        let temporary = DurableFile.parentDirectory(of: path) + "/.campaignwatch-metrics.\(getpid()).tmp"
        try DurableFile.write(Array(text.utf8), to: path, mode: 0o644, temporaryPath: temporary)
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
