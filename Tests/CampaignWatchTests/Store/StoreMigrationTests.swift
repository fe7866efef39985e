@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import GRDB
import Testing

/// A database written by an older version opens, is brought up to date, and keeps what it held.
@Suite struct StoreMigrationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/store")

    /// Writes the database a SQL dump describes, the way the old version left it on disk.
    static func database(from dump: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.path + "/campaignwatch.sqlite"
        let sql = try String(contentsOf: fixtures.appendingPathComponent(dump), encoding: .utf8)
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: sql) }
        try queue.close()
        return path
    }

    @Test func aVersion1DatabaseIsMigratedAndKeepsItsPostsAndAlerts() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.database(from: "v1-demo.sql", in: directory)
        let store = try StateStore(path: path)

        let applied = try DatabaseQueue(path: path).read { try StoreSchema.migrator.appliedIdentifiers($0) }
        #expect(applied == Set(StoreSchema.migrator.migrations))

        var posts: [ArchivedPost] = []
        try store.forEachArchivedPost(since: nil, until: nil) { posts.append($0); return true }
        #expect(posts.count == 67)
        #expect(Set(posts.map(\.accountKey)).count == 14)
        let telegram = try #require(posts.first { $0.post.id == "asel_omarova_kz/416" })
        #expect(telegram.post.text.hasPrefix("Завтра важный день."), "\(telegram.post.text)")
        #expect(telegram.contentSHA256.count == 64)

        let alerts = try store.archivedAlerts(kinds: ["violation", "edit", "deletion"])
        #expect(alerts.count == 20)
        for alert in alerts {
            let decoded = try Alert(json: alert.document)
            #expect(decoded.id == alert.id)
        }
        #expect(try store.pendingAlerts().isEmpty)
        let known = try store.knownPosts(accountKey: telegram.accountKey, ids: [telegram.post.id])
        #expect(known[telegram.post.id]?.contentSHA256 == telegram.contentSHA256)
        #expect(try store.account(key: telegram.accountKey)?.lastSuccessAt != nil)

        // Opening it again changes nothing.
        _ = try StateStore(path: path)
    }
}
