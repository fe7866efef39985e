@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct StatusReportTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A real state database: three accounts, one polled fine, one failing, one never polled.
    static func store(in directory: TemporaryDirectory) throws -> (StateStore, String) {
        let path = directory.path + "/state/campaignwatch.sqlite"
        let store = try StateStore(path: path)
        let accounts = ["good", "bad", "new"].map { Account(platform: .telegram, handle: $0, url: "https://t.me/s/\($0)") }
        try store.syncAccounts(accounts.map { ($0, "omarova") }, now: now)
        try store.record(PollRecord(accountKey: "telegram:good", at: now - 60,
                                    outcome: .fetched(status: 200, etag: nil, lastModified: nil, redirectedTo: nil)))
        try store.record(PollRecord(accountKey: "telegram:bad", at: now - 600,
                                    outcome: .fetched(status: 200, etag: nil, lastModified: nil, redirectedTo: nil)))
        try store.record(PollRecord(accountKey: "telegram:bad", at: now - 30, outcome: .failed(status: 404, message: "HTTP 404 Not Found")))
        return (store, path)
    }

    @Test func readOnlyReaderSeesWhatTheDaemonWrote() throws {
        let directory = try TemporaryDirectory()
        let (store, path) = try Self.store(in: directory)
        let reader = try StoreStatusReader(path: path)
        let status = try reader.status(since: Self.now - 86_400)
        #expect(status.accounts.map(\.key) == ["telegram:bad", "telegram:good", "telegram:new"])
        #expect(status.pendingAlerts == 0 && status.totalAlerts == 0)
        #expect(try store.status(since: Self.now).accounts.count == 3)

        // Reading never creates a database where there is none.
        let missing = directory.path + "/none/campaignwatch.sqlite"
        #expect(throws: StoreError.self) { try StoreStatusReader(path: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func failingSilentStaleAndWaitingSourcesStandOut() throws {
        let directory = try TemporaryDirectory()
        let (store, path) = try Self.store(in: directory)
        let report = StatusReport(status: try store.status(since: Self.now), database: path, configuration: nil, now: Self.now)
        let health = Dictionary(uniqueKeysWithValues: report.accounts.map { ($0.record.key, $0.health) })
        #expect(health == ["telegram:good": .silent, "telegram:bad": .failing, "telegram:new": .waiting])
        let text = report.text()
        #expect(text.contains("FAILING telegram:bad (omarova) https://t.me/s/bad"))
        #expect(text.contains("1 failed poll): HTTP 404 Not Found"))
        #expect(text.contains("WAITING telegram:new"))
        #expect(text.contains("accounts: 3 (1 failing, 1 silent, 1 waiting)"))

        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "campaignwatch.status/1")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["failing"] as? Int == 1 && summary["ok"] as? Int == 0)
        let accounts = try #require(object["accounts"] as? [[String: Any]])
        let bad = try #require(accounts.first { $0["key"] as? String == "telegram:bad" })
        #expect(bad["last_error"] as? String == "HTTP 404 Not Found")
        #expect(bad["consecutive_failures"] as? Int == 1)
        #expect(bad["last_success_at"] as? String == Timestamp.utc(Self.now - 600))
        #expect(bad["next_poll_at"] is NSNull)
    }

    @Test func healthRules() {
        let now = Self.now
        func health(_ change: (inout StatusReport.HealthInput) -> Void) -> StatusReport.Health {
            var input = StatusReport.HealthInput()
            change(&input)
            return StatusReport.health(of: input, now: now, silentAfter: 7 * 86_400, staleAfter: 3 * 6 * 3600).0
        }
        #expect(health { $0.lastPollAt = now - 60; $0.lastSuccessAt = now - 60; $0.lastNewPostAt = now - 3600; $0.postsSeen = 4 } == .ok)
        #expect(health { $0.lastPollAt = now - 60; $0.lastSuccessAt = now - 60; $0.lastNewPostAt = now - 8 * 86_400; $0.postsSeen = 4 } == .silent)
        #expect(health { $0.lastPollAt = now - 60; $0.lastSuccessAt = now - 60 } == .silent)
        #expect(health { $0.lastPollAt = now - 19 * 3600; $0.lastSuccessAt = now - 19 * 3600; $0.lastNewPostAt = now - 3600 } == .stale)
        #expect(health { $0.lastPollAt = now - 60; $0.consecutiveFailures = 2 } == .failing)
        #expect(health { _ in } == .waiting)
        #expect(health { $0.removedAt = now } == .removed)
    }
}
