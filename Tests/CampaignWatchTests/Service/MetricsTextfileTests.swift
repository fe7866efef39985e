@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct MetricsTextfileTests {
    static func report(_ key: String, _ outcome: AccountPollReport.Outcome, seconds: Double, bytes: Int = 0,
                       newPosts: Int = 0) -> AccountPollReport {
        var report = AccountPollReport(key: key, subjectID: "s", url: "http://127.0.0.1/x", outcome: outcome)
        report.seconds = seconds
        report.bytes = bytes
        report.newPosts = newPosts
        return report
    }

    static func sampleFile() -> MetricsTextfile {
        let metrics = PollMetrics()
        metrics.record(report("telegram:a", .fetched, seconds: 0.2, bytes: 1000, newPosts: 3))
        metrics.record(report("telegram:b", .notModified, seconds: 0.04))
        metrics.record(report("rss:http://x/feed", .failed(PollFailure(kind: .http, message: "HTTP 500")), seconds: 7))
        metrics.record(report("rss:http://x/feed", .cancelled, seconds: 1))
        let store = StoreStatus(
            accounts: [], alertsByAccount: [:],
            alertCounts: [.init(electionID: "kz \"2023\"", periodKind: "silence", kind: "violation", count: 4)],
            pendingAlerts: 1, alertsSince: 2)
        return MetricsTextfile(counters: metrics.current, store: store,
                               loop: PollLoopStatus(accounts: 3, due: 1, failing: 1, inFlight: 0), spoolBacklog: 5,
                               now: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// Every line is a comment (# HELP / # TYPE before its family's samples) or `name{labels} value`.
    @Test func rendersTheTextExpositionFormat() throws {
        let text = Self.sampleFile().render()
        var declared = Set<String>()
        let sample = try Regex(#"^([a-z_]+)(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+]+|\+Inf)$"#)
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(["counter", "gauge", "histogram"].contains(parts[3]))
                declared.insert(String(parts[2]))
                continue
            }
            if line.hasPrefix("# HELP ") { continue }
            let match = try #require(try sample.wholeMatch(in: String(line)), "not a sample: \(line)")
            let name = String(match.output[1].substring!)
            let family = ["_bucket", "_sum", "_count"].reduce(name) { name, suffix in
                declared.contains(name) ? name : (name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name)
            }
            #expect(declared.contains(family), "\(name) before its # TYPE")
        }
        #expect(text.contains("campaignwatch_polls_total{platform=\"telegram\",result=\"fetched\"} 1\n"))
        #expect(text.contains("campaignwatch_polls_total{platform=\"rss\",result=\"failed\"} 1\n"))
        #expect(!text.contains("cancelled"))
        #expect(text.contains("campaignwatch_fetched_bytes_total{platform=\"telegram\"} 1000\n"))
        #expect(text.contains("campaignwatch_posts_new_total{platform=\"telegram\"} 3\n"))
        #expect(text.contains("campaignwatch_alerts_total{election=\"kz \\\"2023\\\"\",period=\"silence\",kind=\"violation\"} 4\n"))
        #expect(text.contains("campaignwatch_accounts_failing 1\n"))
        #expect(text.contains("campaignwatch_spool_backlog 5\n"))
        #expect(text.contains("campaignwatch_alerts_pending 1\n"))
        // Histogram: cumulative buckets, +Inf equals the count.
        #expect(text.contains("campaignwatch_poll_duration_seconds_bucket{le=\"0.05\"} 1\n"))
        #expect(text.contains("campaignwatch_poll_duration_seconds_bucket{le=\"0.25\"} 2\n"))
        #expect(text.contains("campaignwatch_poll_duration_seconds_bucket{le=\"5\"} 2\n"))
        #expect(text.contains("campaignwatch_poll_duration_seconds_bucket{le=\"10\"} 3\n"))
        #expect(text.contains("campaignwatch_poll_duration_seconds_bucket{le=\"+Inf\"} 3\n"))
        #expect(text.contains("campaignwatch_poll_duration_seconds_count 3\n"))
    }

    @Test func writesAtomicallyAndLeavesNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/campaignwatch.prom"
        try MetricsTextfile.write("first 1\n", to: path)
        try MetricsTextfile.write(Self.sampleFile().render(), to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["campaignwatch.prom"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# HELP campaignwatch_polls_total"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
        #expect(throws: SystemError.self) { try MetricsTextfile.write("x 1\n", to: directory.path + "/missing/x.prom") }
    }
}
