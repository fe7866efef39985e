import Foundation
import Glibc
import Testing

/// `campaignwatch run` as systemd runs it: a subprocess with a real notify socket this test
/// listens on, sources served from a loopback HTTP server, a configuration edited while it runs.
@Suite(.serialized) struct DaemonTests {
    @Test func readyStatusWatchdogJournalMetricsAndStop() async throws {
        let site = try DaemonSite()
        site.serveFeed("/a.xml")
        site.server.route("/broken.xml", .text("gone", status: 500))
        try site.writeMain(metrics: true)
        try site.writeSubject("alpha.yaml", id: "alpha", feeds: ["/a.xml", "/broken.xml"])
        let listener = try NotifySocketListener(abstract: true, directory: site.directory.path)
        defer { listener.stop() }
        let daemon = try DaemonProcess.service(
            arguments: ["run", "--config", site.configPath, "--metrics-interval", "1"],
            environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "1000000"], in: site.directory, journalStream: true)

        let ready = try #require(await listener.wait { $0["READY"] == "1" }, "no READY=1; stderr:\n\(daemon.stderr)")
        #expect(ready["STATUS"]?.contains("polling 2 account(s)") == true)
        // Both sources polled: one alert, one failing source, nothing due.
        let settled = await listener.wait(timeout: 20) {
            ($0["STATUS"] ?? "").contains("1 failing") && ($0["STATUS"] ?? "").contains("1 alert(s) today")
        }
        #expect(settled != nil, "STATUS lines: \(listener.messages.compactMap { $0["STATUS"] }); stderr:\n\(daemon.stderr)")

        // Watchdog: WATCHDOG_USEC=1 s asks for a ping every 0.5 s, from the poll loop.
        // The window is measured, not assumed: a sleep can overrun while other suites hold the
        // test threads, and the rate is what matters.
        let windowStart = Date()
        try await Task.sleep(for: .seconds(3))
        let windowEnd = Date()
        let pings = listener.messages.filter { $0["WATCHDOG"] == "1" && $0.at >= windowStart && $0.at <= windowEnd }.map(\.at)
        let window = windowEnd.timeIntervalSince(windowStart)
        #expect(abs(Double(pings.count) - window / 0.5) <= 1.5, "\(pings.count) pings in \(window) s")
        let gaps = zip(pings.dropFirst(), pings).map { $0.timeIntervalSince($1) }
        #expect(gaps.allSatisfy { $0 > 0.3 && $0 < 0.9 }, "gaps between pings: \(gaps)")

        // status reads the store while the daemon runs and makes the failing source obvious.
        let text = try await CLI.run(["status", "--config", site.configPath])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("FAILING rss:\(site.server.url("/broken.xml"))"), "\(text.stdout)")
        #expect(text.stdout.contains("\(DaemonSite.electionID) (Test election): 1"), "\(text.stdout)")
        let accounts = try await site.statusAccounts()
        #expect(accounts[site.server.url("/a.xml")]?["health"] as? String == "ok")
        #expect(accounts[site.server.url("/a.xml")]?["posts_seen"] as? Int == 2)
        #expect(accounts[site.server.url("/a.xml")]?["alerts"] as? Int == 1)
        #expect(accounts[site.server.url("/broken.xml")]?["health"] as? String == "failing")
        #expect((accounts[site.server.url("/broken.xml")]?["last_error"] as? String)?.contains("500") == true)

        // The metrics file is rewritten every second while the daemon runs.
        let metricsPath = site.path("metrics/campaignwatch.prom")
        let metrics = try String(contentsOfFile: metricsPath, encoding: .utf8)
        #expect(metrics.contains("campaignwatch_polls_total{platform=\"rss\",result=\"fetched\"} 1"), "\(metrics)")
        #expect(metrics.contains("campaignwatch_polls_total{platform=\"rss\",result=\"failed\"} 1"))
        #expect(metrics.contains("campaignwatch_alerts_total{election=\"\(DaemonSite.electionID)\",period=\"pre-campaign\",kind=\"violation\"} 1"))
        #expect(metrics.contains("campaignwatch_accounts_failing 1"))
        #expect(metrics.contains("campaignwatch_spool_backlog 1"))
        // What the collector reads (`*.prom`) is the one file; beside it there may be, for the
        // moment of a rewrite, the daemon's one hidden temporary, never a leftover.
        let entries = try FileManager.default.contentsOfDirectory(atPath: site.path("metrics"))
        #expect(entries.filter { $0.hasSuffix(".prom") } == ["campaignwatch.prom"])
        #expect(entries.filter { !$0.hasSuffix(".prom") }.allSatisfy { $0.hasPrefix(".campaignwatch-metrics.") && $0.hasSuffix(".tmp") }, "\(entries)")
        #expect(entries.count <= 2, "\(entries)")

        daemon.signal(SIGTERM)
        let status = await daemon.waitForExit(timeout: 20)
        #expect(status == 0, "stderr:\n\(daemon.stderr)")
        #expect(await listener.wait(timeout: 2) { $0["STOPPING"] == "1" } != nil)

        // Under journald: a <N> priority on every line and no timestamp; a failure logged once.
        let lines = daemon.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.range(of: #"^<[0-7]>"#, options: .regularExpression) != nil }, "\(daemon.stderr)")
        let failureLines = lines.filter { $0.hasPrefix("<4>source failing") }
        #expect(failureLines.count == 1, "\(daemon.stderr)")
        #expect(failureLines.first?.contains("url=\(site.server.url("/broken.xml"))") == true)
    }

    @Test func reloadGoodAndBrokenConfiguration() async throws {
        let site = try DaemonSite()
        site.serveFeed("/a.xml")
        site.serveFeed("/b.xml")
        try site.writeMain()
        try site.writeSubject("alpha.yaml", id: "alpha", feeds: ["/a.xml"])
        let listener = try NotifySocketListener(abstract: false, directory: site.directory.path)
        defer { listener.stop() }
        let daemon = try DaemonProcess.service(arguments: ["run", "--config", site.configPath],
                                               environment: ["NOTIFY_SOCKET": listener.address], in: site.directory)
        let readyIndex = try #require(await listener.index { $0["READY"] == "1" }, "no READY=1; stderr:\n\(daemon.stderr)")
        #expect(await daemon.waitForLog("2 new post(s)"), "\(daemon.stderr)")
        #expect(site.server.requests(path: "/b.xml").isEmpty)

        // A new watchlist file: noticed by inotify, swapped in, and its account polled soon.
        try site.writeSubject("beta.yaml", id: "beta", feeds: ["/b.xml"])
        let reloading = try #require(await listener.index(after: readyIndex + 1, timeout: 10) { $0["RELOADING"] == "1" },
                                     "no RELOADING=1; stderr:\n\(daemon.stderr)")
        let reloadMessage = listener.messages[reloading]
        #expect(UInt64(reloadMessage["MONOTONIC_USEC"] ?? "") != nil)
        let readyAgain = try #require(await listener.index(after: reloading + 1, timeout: 10) { $0["READY"] == "1" })
        #expect(await daemon.waitForLog("configuration reloaded: 2 account(s)"), "\(daemon.stderr)")
        let deadline = Date().addingTimeInterval(10)
        while site.server.requests(path: "/b.xml").isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!site.server.requests(path: "/b.xml").isEmpty, "the added account was not polled")

        // A broken edit that would also drop alpha: rejected, errors logged with file:line:column,
        // the daemon keeps running on the last good configuration (alpha still configured).
        try site.writeSubject("alpha.yaml", id: "alpha", feeds: ["/a.xml"], typo: true)
        let rejected = try #require(await listener.index(after: readyAgain + 1, timeout: 10) {
            $0["READY"] == "1" && ($0["STATUS"] ?? "").contains("rejected")
        }, "no READY after the broken edit; stderr:\n\(daemon.stderr)")
        #expect(listener.messages[(readyAgain + 1)..<rejected].contains { $0["RELOADING"] == "1" })
        #expect(await daemon.waitForLog("watchlists.d/alpha.yaml:6:5"), "\(daemon.stderr)")
        #expect(await daemon.waitForLog("configuration reload rejected"))
        #expect(daemon.isRunning)
        try await Task.sleep(for: .milliseconds(500))
        let stillConfigured = try await site.statusAccounts(all: true)
        #expect(stillConfigured[site.server.url("/a.xml")]?["health"] as? String == "ok")

        // SIGHUP reloads too (systemctl reload): still broken, still rejected, still running.
        daemon.signal(SIGHUP)
        let again = try #require(await listener.index(after: rejected + 1, timeout: 10) {
            $0["READY"] == "1" && ($0["STATUS"] ?? "").contains("rejected")
        }, "no reload on SIGHUP; stderr:\n\(daemon.stderr)")
        #expect(listener.messages[(rejected + 1)..<again].contains { $0["RELOADING"] == "1" })
        #expect(daemon.isRunning)

        // The fix (alpha's file removed): accepted; alpha stops, its history stays.
        try site.remove("watchlists.d/alpha.yaml")
        let fixed = try #require(await listener.index(after: again + 1, timeout: 10) {
            $0["READY"] == "1" && !($0["STATUS"] ?? "").contains("rejected")
        }, "no READY after the fix; stderr:\n\(daemon.stderr)")
        #expect(fixed > again)
        #expect(await daemon.waitForLog("configuration reloaded: 1 account(s)"), "\(daemon.stderr)")
        let afterFix = try await site.statusAccounts(all: true)
        #expect(afterFix[site.server.url("/a.xml")]?["health"] as? String == "removed")
        #expect(afterFix[site.server.url("/a.xml")]?["posts_seen"] as? Int == 2)
        #expect(try await site.statusAccounts()[site.server.url("/a.xml")] == nil)

        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 20) == 0, "stderr:\n\(daemon.stderr)")
    }

    @Test func sigtermDuringPollingLosesNothing() async throws {
        let site = try DaemonSite()
        site.serveFeed("/slow.xml", slow: true)
        try site.writeMain()
        try site.writeSubject("alpha.yaml", id: "alpha", feeds: ["/slow.xml"])
        let listener = try NotifySocketListener(abstract: true, directory: site.directory.path)
        defer { listener.stop() }
        let daemon = try DaemonProcess.service(arguments: ["run", "--config", site.configPath],
                                               environment: ["NOTIFY_SOCKET": listener.address], in: site.directory)
        #expect(await listener.wait { $0["READY"] == "1" } != nil, "no READY=1; stderr:\n\(daemon.stderr)")
        let deadline = Date().addingTimeInterval(15)
        while site.server.requests(path: "/slow.xml").isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!site.server.requests(path: "/slow.xml").isEmpty)

        // The transfer is mid-way (it takes about 3 s): SIGTERM lets it finish within the grace.
        let stopAt = Date()
        daemon.signal(SIGTERM)
        let status = await daemon.waitForExit(timeout: 20)
        #expect(status == 0, "stderr:\n\(daemon.stderr)")
        #expect(Date().timeIntervalSince(stopAt) < 10)
        #expect(await listener.wait(timeout: 2) { $0["STOPPING"] == "1" } != nil)
        #expect(daemon.stderr.contains("stopping: no new polls"))

        // Nothing lost: the posts are in the store and the alert is in the spool.
        #expect(site.spooledFiles().count == 1, "spool: \(site.spooledFiles()); stderr:\n\(daemon.stderr)")
        let alert = try String(contentsOfFile: site.spoolNew + "/" + (site.spooledFiles().first ?? "none"), encoding: .utf8)
        #expect(alert.contains("/slow.xml#vote"))
        let accounts = try await site.statusAccounts()
        #expect(accounts[site.server.url("/slow.xml")]?["posts_seen"] as? Int == 2)
        #expect(try await site.statusJSON()["summary"].flatMap { ($0 as? [String: Any])?["alerts_pending"] as? Int } == 0)
    }
}
