import CampaignWatch
import CampaignWatchCore
import Foundation
import Glibc
import Testing

/// The daemon killed with SIGKILL at random moments while it has alerts to write, restarted each
/// time: the spool, read the way a consumer reads it, ends with every expected alert exactly once,
/// and the evidence record (packs cut back to whole records, the chain, each alert's archive
/// file) still holds.
@Suite struct DaemonCrashTests {
    static let accounts = 30
    static let itemsPerFeed = 20

    /// RSS feeds whose every item is a call to vote published inside a prohibited period.
    static func feed(_ account: Int) -> [UInt8] {
        var items = ""
        for item in 0..<itemsPerFeed {
            let minute = account * itemsPerFeed + item
            let date = Date(timeIntervalSince1970: 1_767_225_600 + Double(minute) * 60)  // from 2026-01-01
            items += """
                <item><guid>https://example.org/a\(account)/p\(item)</guid>
                <link>https://example.org/a\(account)/p\(item)</link>
                <title>Пост \(item)</title>
                <description>Голосуйте за нас, номер \(account)-\(item)!</description>
                <pubDate>\(rfc822(date))</pubDate></item>

                """
        }
        return Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Account \(account)</title><link>https://example.org/a\(account)</link>
            \(items)</channel></rss>
            """.utf8)
    }

    static func rfc822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    static func configuration(server: LoopbackHTTPServer) -> String {
        let accounts = (0..<accounts).map { "      - rss: \"\(server.url("/feeds/\($0).xml"))\"" }.joined(separator: "\n")
        return """
            state_dir: state
            spool: { dir: spool, format: json }
            poll: { interval: 2s, min_interval: 1s, max_interval: 5s, concurrency: 8, per_host: 8, timeout: 5s }
            log: { level: info }
            elections:
              - id: test-election
                name: "Test election"
                timezone: UTC
                periods:
                  - { kind: pre-campaign, from: "2025-01-01T00:00", to: "2027-01-01T00:00" }
                  - { kind: campaign, from: "2027-01-01T00:00", to: "2027-02-01T00:00" }
            rules:
              - { id: call-to-vote, query: 'голосуйте NEAR/3 (за OR нас)', severity: high }
            subjects:
              - id: party
                name: "Test party"
                elections: [test-election]
                accounts:
            \(accounts)

            """
    }

    /// Alert files in spool/new: file name → the alert's post id, each file parsed as JSON.
    static func spooled(_ spool: URL) throws -> [String: String] {
        let new = spool.appendingPathComponent("new")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: new.path) else { return [:] }
        var found: [String: String] = [:]
        for name in names where !name.hasPrefix(".") {
            let data = try Data(contentsOf: new.appendingPathComponent(name))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not whole JSON")
            let id = try #require(object["id"] as? String)
            #expect(name == "\(id).json", "file \(name) holds alert \(id)")
            let post = try #require((object["post"] as? [String: Any])?["id"] as? String)
            found[name] = post
        }
        return found
    }

    static func spooledCount(_ spool: URL) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent("new").path).count) ?? 0
    }

    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    @Test func killedAtRandomMomentsItStillSpoolsEveryAlertExactlyOnce() async throws {
        let server = try LoopbackHTTPServer(workers: 2, recordsRequests: false)
        for account in 0..<Self.accounts {
            server.route("/feeds/\(account).xml", .resource(LoopbackResource(body: Self.feed(account), contentType: "application/rss+xml",
                                                                             etag: "\"a\(account)\"")))
        }
        try server.start()
        defer { server.stop() }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-crash-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("campaignwatch.yaml")
        try Data(Self.configuration(server: server).utf8).write(to: config)
        let spool = directory.appendingPathComponent("spool")
        let log = directory.appendingPathComponent("daemon.log")
        let expected = Self.accounts * Self.itemsPerFeed

        // The kills are timed from a thread of its own: the test's async threads can be held up by
        // other suites for seconds, long enough for the daemon to finish before a kill lands.
        let run = try await Self.onOwnThread { () throws -> (counts: [Int], status: Int32?, log: String) in
            var random = SystemRandomNumberGenerator()
            var counts: [Int] = []
            // Kills early in start-up, and kills while alerts are being written: as soon as the spool
            // holds more than a threshold that rises with each run.
            for round in 0..<8 {
                let daemon = try DaemonProcess(arguments: ["run", "--config", config.path], logFile: log, currentDirectory: directory)
                if round < 3 {
                    usleep(UInt32.random(in: 20_000...400_000, using: &random))
                } else {
                    let threshold = min(expected - 1, Self.spooledCount(spool) + Int.random(in: 1...60, using: &random))
                    let deadline = Date().addingTimeInterval(30)
                    while Self.spooledCount(spool) < threshold && Date() < deadline && daemon.process.isRunning {
                        usleep(UInt32.random(in: 100...3_000, using: &random))
                    }
                }
                daemon.signal(SIGKILL)
                daemon.process.waitUntilExit()
                counts.append(Self.spooledCount(spool))
            }
            // The last run is left to finish, then stopped the way systemd stops it once it is up.
            let logged = (try? Data(contentsOf: log).count) ?? 0
            let daemon = try DaemonProcess(arguments: ["run", "--config", config.path], logFile: log, currentDirectory: directory)
            let deadline = Date().addingTimeInterval(60)
            while Self.spooledCount(spool) < expected && Date() < deadline { usleep(50_000) }
            while !String(decoding: ((try? Data(contentsOf: log)) ?? Data()).dropFirst(logged), as: UTF8.self).contains("notice started:")
                    && Date() < deadline { usleep(50_000) }
            usleep(300_000)  // a second copy, if there were one, would show up now
            daemon.signal(SIGTERM)
            let stopDeadline = Date().addingTimeInterval(20)
            while daemon.process.isRunning && Date() < stopDeadline { usleep(10_000) }
            return (counts, daemon.process.isRunning ? nil : daemon.process.terminationStatus, daemon.log)
        }
        print("spool counts after each kill: \(run.counts) of \(expected)")
        #expect(run.counts.contains { $0 > 0 && $0 < expected }, "no kill landed while alerts were being written: \(run.counts)")
        #expect(run.status == 0, "exit \(String(describing: run.status)); log:\n\(run.log.suffix(3000))")
        let countsAtKills = run.counts

        let files = try Self.spooled(spool)
        #expect(files.count == expected, "\(files.count) alert files for \(expected) posts; counts at kills \(countsAtKills)")
        let posts = Set(files.values)
        #expect(posts.count == files.count, "a post was alerted more than once")
        let wanted = Set((0..<Self.accounts).flatMap { a in (0..<Self.itemsPerFeed).map { "https://example.org/a\(a)/p\($0)" } })
        #expect(posts == wanted)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent("tmp").path)
        #expect(leftovers.isEmpty, "partial files left in tmp/: \(leftovers)")

        // Every alert's `evidence.archive` opens as gzip and hashes to its `raw_sha256`.
        let new = spool.appendingPathComponent("new")
        for name in files.keys {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: new.appendingPathComponent(name))) as? [String: Any]
            let evidence = try #require(object?["evidence"] as? [String: Any])
            let raw = try #require(evidence["raw_sha256"] as? String)
            let archive = try #require(evidence["archive"] as? String)
            let gzip = try Data(contentsOf: directory.appendingPathComponent("state").appendingPathComponent(archive))
            #expect(Hex.sha256(try Gzip.decompress([UInt8](gzip))) == raw, "\(archive)")
        }
        let verify = try await CLI.run(["verify", "--config", config.path], currentDirectory: directory)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("evidence holds: "))
    }
}
