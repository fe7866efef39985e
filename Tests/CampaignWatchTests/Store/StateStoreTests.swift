@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import GRDB
import Testing

@Suite struct StateStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func account(_ handle: String) -> Account {
        Account(platform: .rss, handle: "https://example.org/\(handle).xml", url: "https://example.org/\(handle).xml")
    }

    @Test func syncsAccountsKeepingHistoryOfRemovedOnes() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(path: dir.path + "/state/campaignwatch.sqlite")
        try store.syncAccounts([(account("a"), "s1"), (account("b"), "s1")], now: t0)
        #expect(try store.accounts().count == 2)
        try store.syncAccounts([(account("a"), "s2")], now: t0 + 60)
        let live = try store.accounts()
        #expect(live.map(\.subjectID) == ["s2"])
        let all = try store.accounts(includeRemoved: true)
        #expect(all.count == 2)
        #expect(all.first { $0.key == account("b").key }?.removedAt == t0 + 60)
        // Re-added: live again.
        try store.syncAccounts([(account("a"), "s2"), (account("b"), "s1")], now: t0 + 120)
        #expect(try store.accounts().count == 2)
    }

    @Test func recordsPostsAndAlertsTogetherAndCountsNewOnes() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(path: dir.path + "/db.sqlite")
        let acc = account("a")
        try store.syncAccounts([(acc, "s1")], now: t0)
        let post = Post(id: "p1", text: "Голосуйте за нас", publishedAt: t0 - 3600)
        let alert = AlertRow(id: "00112233445566778899aabbccddeeff", kind: "violation", electionID: "e", periodKind: "silence",
                             subjectID: "s1", accountKey: acc.key, postID: "p1", createdAt: t0, document: Array("{}".utf8))
        let first = try store.record(PollRecord(
            accountKey: acc.key, at: t0, outcome: .fetched(status: 200, etag: "\"v1\"", lastModified: nil, redirectedTo: nil),
            posts: [PostObservation(post: post, subjectID: "s1", contentSHA256: "h1")], alerts: [alert]))
        #expect(first.newPosts == 1)
        #expect(first.newAlerts == [alert.id])
        #expect(try store.pendingAlerts().map(\.id) == [alert.id])

        // The same poll again (a restart re-judging it): nothing new, no second alert.
        let again = try store.record(PollRecord(
            accountKey: acc.key, at: t0 + 60, outcome: .fetched(status: 200, etag: "\"v1\"", lastModified: nil, redirectedTo: nil),
            posts: [PostObservation(post: post, subjectID: "s1", contentSHA256: "h1")], alerts: [alert]))
        #expect(again.newPosts == 0 && again.changedPosts == 0 && again.newAlerts.isEmpty)

        var edited = post
        edited.text = "Голосуйте за нас!"
        let changed = try store.record(PollRecord(
            accountKey: acc.key, at: t0 + 120, outcome: .fetched(status: 200, etag: "\"v2\"", lastModified: nil, redirectedTo: nil),
            posts: [PostObservation(post: edited, subjectID: "s1", contentSHA256: "h2")]))
        #expect(changed.changedPosts == 1)
        let known = try store.knownPosts(accountKey: acc.key, ids: ["p1", "missing"])
        #expect(known["p1"] == KnownPost(contentSHA256: "h2", firstSeenAt: t0, versionSeenAt: t0 + 120, text: "Голосуйте за нас!"))
        #expect(known["missing"] == nil)

        let state = try #require(try store.account(key: acc.key))
        #expect(state.postsSeen == 1)
        #expect(state.etag == "\"v2\"")
        #expect(state.lastSuccessAt == t0 + 120)

        try store.markSpooled(alert.id, at: t0 + 1)
        #expect(try store.pendingAlerts().isEmpty)
        #expect(try store.alert(id: alert.id)?.spooledAt == t0 + 1)
    }

    @Test func failuresCountUpAndASuccessClearsThem() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(path: dir.path + "/db.sqlite")
        let acc = account("a")
        try store.syncAccounts([(acc, "s1")], now: t0)
        try store.record(PollRecord(accountKey: acc.key, at: t0, outcome: .failed(status: 503, message: "HTTP 503")))
        try store.record(PollRecord(accountKey: acc.key, at: t0 + 60, outcome: .failed(status: nil, message: "timeout")))
        var state = try #require(try store.account(key: acc.key))
        #expect(state.consecutiveFailures == 2)
        #expect(state.failingSince == t0)
        #expect(state.lastError == "timeout")
        try store.record(PollRecord(accountKey: acc.key, at: t0 + 120, outcome: .notModified(status: 304)))
        state = try #require(try store.account(key: acc.key))
        #expect(state.consecutiveFailures == 0 && state.failingSince == nil)
        #expect(state.lastError == "timeout", "the last error stays visible after recovery")
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/db.sqlite"
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            _ = try StateStore(path: path)
            Issue.record("opened garbage as a database")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.description.contains(path))
        }
    }

    @Test func aDatabaseLockedByAnotherWriterIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/db.sqlite"
        _ = try StateStore(path: path)
        // Another process (here: another connection) holds an exclusive lock while we write.
        let other = try DatabaseQueue(path: path)
        let start = Date()
        var failure: StoreError?
        try other.inTransaction(.exclusive) { db in
            do {
                let store = try StateStore(path: path)
                try store.syncAccounts([(account("a"), "s")], now: t0)
            } catch let error as StoreError {
                failure = error
            }
            return .rollback
        }
        let error = try #require(failure, "wrote through an exclusive lock")
        #expect(error.kind == .locked, "\(error)")
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/db.sqlite"
        _ = try StateStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        do {
            _ = try StateStore(path: path)
            Issue.record("opened a newer database")
        } catch {
            #expect(error.kind == .tooNew)
            #expect(error.description.contains("v99-from-the-future"))
        }
    }
}
