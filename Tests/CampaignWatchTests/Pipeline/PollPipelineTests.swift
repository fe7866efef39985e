@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Synchronization
import Testing

/// What the loopback server answers for one path; tests change it between rounds.
final class ServedDocument: Sendable {
    private let state: Mutex<(body: [UInt8], etag: String, contentType: String, status: Int, extra: [HTTPHeader])>

    init(_ body: [UInt8], etag: String = "\"v1\"", contentType: String = "application/rss+xml") {
        state = Mutex((body, etag, contentType, 200, []))
    }

    func set(_ body: [UInt8], etag: String) { state.withLock { $0.body = body; $0.etag = etag; $0.status = 200 } }
    func fail(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        state.withLock { $0.status = status; $0.extra = headers; $0.body = body }
    }

    var route: LoopbackRoute {
        .handler { request in
            self.state.withLock { s in
                if s.status != 200 {
                    return LoopbackResponse(status: s.status, headers: s.extra + [HTTPHeader("Content-Type", "application/json")], body: .bytes(s.body))
                }
                if request.header("if-none-match") == s.etag { return LoopbackResponse(status: 304, headers: [HTTPHeader("ETag", s.etag)]) }
                return LoopbackResponse(status: 200, headers: [HTTPHeader("Content-Type", s.contentType), HTTPHeader("ETag", s.etag)],
                                        body: .bytes(s.body))
            }
        }
    }
}

@Suite(.serialized) struct PollPipelineTests {
    static let preCampaign = "Fri, 10 Feb 2023 09:30:00 +0000"     // 15:30 in Almaty, pre-campaign
    static let campaign = "Mon, 27 Feb 2023 09:30:00 +0000"        // the official campaign: allowed

    func feedHarness(_ items: [(id: String, text: String, date: String)]) throws -> (PipelineHarness, ServedDocument) {
        try PipelineHarness.servingFeed(items)
    }

    @Test func aRoundFetchesJudgesStoresAndSpoolsThenAskesConditionally() async throws {
        let (harness, document) = try feedHarness([
            ("p1", "Дорогие друзья, голосуйте за нас!", Self.preCampaign),
            ("p2", "Погода сегодня хорошая.", Self.preCampaign),
            ("p3", "Голосуйте 19 марта!", Self.campaign),
            ("p4", "Please support us on Sunday", Self.preCampaign),
        ])
        let first = try await harness.round()
        let report = try #require(first.first)
        #expect(report.outcome == .fetched)
        #expect(report.newPosts == 4)
        #expect(report.alerts.count == 2)
        #expect(report.spooled.count == 2)

        let alerts = try harness.spooledAlerts()
        #expect(alerts.map(\.post.id).sorted() == ["p1", "p4"], "the campaign-period and neutral posts raise nothing")
        for alert in alerts {
            #expect(alert.kind == .violation)
            #expect(alert.period.kind == .preCampaign)
            #expect(alert.subject.id == "omarova")
            #expect(alert.post.timeBasis == .published)
            #expect(alert.localTime == "2023-02-10T15:30:00+06:00")
        }
        #expect(alerts.first { $0.post.id == "p1" }?.matches.map(\.rule) == ["call-to-vote-ru"])
        #expect(alerts.first { $0.post.id == "p4" }?.matches.map(\.rule) == ["support-en"])
        #expect(try harness.store().pendingAlerts().isEmpty)

        // The same feed again: a conditional request, 304, nothing new.
        let second = try await harness.round()
        #expect(second.first?.outcome == .notModified)
        #expect(harness.server.requests(path: "/feed.xml").last?.request.header("if-none-match") == "\"v1\"")
        #expect(try harness.spooledAlerts().count == 2)

        // The author edits the alerted post: an edit alert that refers to the first one.
        document.set(TestFeed.rss([
            ("p1", "Дорогие друзья, приходите на встречу.", Self.preCampaign),
            ("p2", "Погода сегодня хорошая.", Self.preCampaign),
            ("p3", "Голосуйте 19 марта!", Self.campaign),
            ("p4", "Please support us on Sunday", Self.preCampaign),
        ]), etag: "\"v2\"")
        let third = try #require(try await harness.round().first)
        #expect(third.changedPosts == 1 && third.newPosts == 0)
        let edit = try #require(try harness.spooledAlerts().first { $0.kind == .edit })
        #expect(edit.post.id == "p1")
        #expect(edit.refersTo == alerts.first { $0.post.id == "p1" }?.id)
        #expect(edit.previous?.text == "Дорогие друзья, голосуйте за нас!")
        #expect(try harness.spooledAlerts().count == 3)
    }

    @Test func anUnwritableSpoolKeepsAlertsPendingUntilItWorksAgainAndWritesEachOnce() async throws {
        let (harness, _) = try feedHarness([("p1", "Голосуйте за нас!", Self.preCampaign)])
        // new/ is a file, not a directory: every delivery fails.
        let spool = harness.configuration.spool.dir
        try FileManager.default.createDirectory(atPath: spool + "/tmp", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: spool + "/cur", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: spool + "/new", contents: Data("not a directory".utf8))

        let report = try #require(try await harness.round().first)
        #expect(report.alerts.count == 1)
        #expect(report.spooled.isEmpty)
        #expect(report.spoolError != nil)
        let store = try harness.store()
        #expect(try store.pendingAlerts().map(\.id) == report.alerts)

        // The operator fixes the spool; the next flush writes the alert, once.
        try FileManager.default.removeItem(atPath: spool + "/new")
        let spooler = try AlertSpooler(settings: harness.configuration.spool)
        let flushed = try spooler.flushPending(store)
        #expect(flushed.written == report.alerts)
        #expect(try store.pendingAlerts().isEmpty)
        let again = try spooler.flushPending(store)
        #expect(again.written.isEmpty && again.alreadyPresent.isEmpty)
        #expect(try harness.spooledAlerts().map(\.id) == report.alerts)
    }

    @Test func aFullDiskKeepsAlertsPendingAndNothingIsLost() async throws {
        let (harness, _) = try feedHarness([("p1", "Голосуйте за нас!", Self.preCampaign), ("p2", "Проголосуйте!", Self.preCampaign)])
        let spool = harness.configuration.spool.dir
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        guard TinyFileSystem.mount(at: spool, bytes: 64 * 1024) else {
            // Mounting needs root with CAP_SYS_ADMIN; the unwritable-spool test covers the same path.
            return
        }
        defer { TinyFileSystem.unmount(spool) }
        _ = try AlertSpooler(settings: harness.configuration.spool)
        let filler = spool + "/filler"
        TinyFileSystem.fill(filler)

        let report = try #require(try await harness.round().first)
        #expect(report.alerts.count == 2)
        #expect(report.spooled.isEmpty, "ENOSPC")
        #expect(report.spoolError?.contains("No space left") == true, "\(report.spoolError ?? "")")
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool + "/tmp").isEmpty, "no partial file left behind")

        try FileManager.default.removeItem(atPath: filler)
        let store = try harness.store()
        let flushed = try AlertSpooler(settings: harness.configuration.spool).flushPending(store)
        #expect(Set(flushed.written) == Set(report.alerts))
        #expect(Set(try harness.spooledAlerts().map(\.id)) == Set(report.alerts))
    }

    @Test func sourceFailuresAreRecordedWithTheirReason() async throws {
        let (harness, document) = try feedHarness([("p1", "x", Self.preCampaign)])
        document.fail(status: 503, headers: [HTTPHeader("Retry-After", "120")])
        let report = try #require(try await harness.round().first)
        guard case .failed(let failure) = report.outcome else {
            Issue.record("expected a failure, got \(report.outcome)")
            return
        }
        #expect(failure.message.contains("503"))
        #expect(failure.retryAfter == .seconds(120))
        let state = try #require(try harness.store().accounts().first)
        #expect(state.consecutiveFailures == 1)
        #expect(state.lastError?.contains("503") == true)

        document.set(TestFeed.rss([("p1", "x", Self.preCampaign)]), etag: "\"v9\"")
        #expect(try await harness.round().first?.outcome == .fetched)
        #expect(try harness.store().accounts().first?.consecutiveFailures == 0)
    }

    @Test func aBrokenFeedIsAClearParseFailure() async throws {
        let (harness, document) = try feedHarness([])
        document.set(Array("<html><body>Service temporarily unavailable</body></html>".utf8), etag: "\"x\"")
        let report = try #require(try await harness.round().first)
        guard case .failed(let failure) = report.outcome else {
            Issue.record("expected a failure, got \(report.outcome)")
            return
        }
        #expect(failure.kind == .parse)
        #expect(failure.message.contains(harness.url("/feed.xml")))
    }

    @Test func aBurstLongerThanOnePageIsFollowedUntilKnownPosts() async throws {
        let harness = try PipelineHarness(accounts: [])
        let channel = "omarova_kz"
        let posts = Mutex<[(id: Int, text: String, date: String)]>((1...20).map { ($0, "Пост \($0)", "2023-02-10T0\($0 % 10):00:00+00:00") })
        harness.server.route("/s/\(channel)", .handler { request in
            let all = posts.withLock { $0 }
            let before = request.queryItem("before").flatMap(Int.init) ?? Int.max
            let older = all.filter { $0.id < before }
            let page = Array(older.suffix(20))
            let next = page.first.flatMap { first in older.contains { $0.id < first.id } ? first.id : nil }
            return LoopbackResponse(status: 200, headers: [HTTPHeader("Content-Type", "text/html; charset=utf-8")],
                                    body: .bytes(TestTelegramPage.html(channel: channel, posts: page, before: next)))
        })
        harness.configuration.subjects[0].accounts = [
            Account(platform: .telegram, handle: channel, url: harness.url("/s/\(channel)")),
        ]
        let first = try #require(try await harness.round().first)
        #expect(first.newPosts == 20)

        // 30 posts on the eve of the silence day: more than the page holds.
        posts.withLock { $0 += (21...50).map { ($0, "Голосуйте за Омарову! \($0)", "2023-03-17T0\($0 % 10):00:00+00:00") } }
        let burst = try #require(try await harness.round().first)
        #expect(burst.newPosts == 30, "every post of the burst is read: \(burst.notes)")
        #expect(burst.pages == 2)
        let requested = harness.server.requests(path: "/s/\(channel)").map { $0.request.queryItem("before") }
        #expect(requested.suffix(2) == [nil, "31"])
        #expect(try harness.spooledAlerts().isEmpty, "the campaign period allows them")
    }
}

/// A tiny tmpfs to fill up: a real "no space left on device".
enum TinyFileSystem {
    static func mount(at path: String, bytes: Int) -> Bool {
        run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", path])
    }

    static func unmount(_ path: String) {
        _ = run("/bin/umount", [path])
    }

    static func fill(_ file: String) {
        _ = run("/bin/dd", ["if=/dev/zero", "of=\(file)", "bs=4096"])
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}
