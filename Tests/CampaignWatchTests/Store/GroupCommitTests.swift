@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import GRDB
import Testing

/// Polls recorded together in one transaction: each stays all-or-nothing, and the chain stays
/// one gap-free sequence.
@Suite struct GroupCommitTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func poll(_ account: Account, posts: [String]) -> PollRecord {
        PollRecord(accountKey: account.key, at: t0, outcome: .fetched(status: 200, etag: nil, lastModified: nil, redirectedTo: nil),
                   posts: posts.map { PostObservation(post: Post(id: $0, text: "text of \($0)", publishedAt: t0 - 60),
                                                      subjectID: "s1", contentSHA256: "hash of \($0)") })
    }

    @Test func aFailingPollInABatchIsRolledBackAloneAndTheOthersCommit() async throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(path: dir.path + "/campaignwatch.sqlite")
        let accounts = (0..<10).map { Account(platform: .rss, handle: "https://example.org/\($0).xml", url: "https://example.org/\($0).xml") }
        try store.syncAccounts(accounts.map { ($0, "s1") }, now: t0)
        // A post the database refuses, in the poll of account 3 only.
        try await store.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse BEFORE INSERT ON post WHEN NEW.post_id = 'poison'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        }

        // The writer held while the polls queue up, so that they are written as one batch.
        let release = DispatchSemaphore(value: 0)
        store.pool.asyncWriteWithoutTransaction { _ in release.wait() }
        let outcomes = await withTaskGroup(of: (Int, Result<PollRecordResult, StoreError>).self) { group in
            for (index, account) in accounts.enumerated() {
                let posts = index == 3 ? ["a\(index)", "poison"] : ["a\(index)", "b\(index)"]
                group.addTask { (index, await store.groupCommit.record(PreparedPoll(poll(account, posts: posts)))) }
            }
            while store.groupCommit.waitingCount < accounts.count { try? await Task.sleep(for: .milliseconds(5)) }
            release.signal()
            var outcomes: [Int: Result<PollRecordResult, StoreError>] = [:]
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }

        for index in 0..<accounts.count {
            let outcome = try #require(outcomes[index])
            if index == 3 {
                guard case .failure(let error) = outcome else { Issue.record("the refused poll was recorded"); continue }
                #expect("\(error)".contains("refused by the test"))
            } else {
                #expect((try? outcome.get().newPosts) == 2, "poll \(index)")
            }
        }
        // Nothing of the refused poll is left, not even its first post or its chain link.
        #expect(try store.knownPosts(accountKey: accounts[3].key, ids: ["a3", "poison"]).isEmpty)
        var links: [StoredLink] = []
        try store.forEachLink { links.append($0) }
        #expect(links.map(\.seq) == Array(1...18))
        #expect(Set(links.compactMap(\.accountKey)).count == 9)
        #expect(try EvidenceVerifier(store: store, archive: EvidenceArchive(stateDir: dir.path)).verify().holds)
    }
}
