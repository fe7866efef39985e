@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import GRDB
import Testing

/// Versions, edits, deletions, the archive and the chain, through the real pipeline: a loopback
/// server, a real SQLite file, a real evidence directory and spool.
@Suite(.serialized) struct EvidencePipelineTests {
    /// Pre-campaign times in February 2023 (RFC 822 without the weekday).
    static func date(_ hour: Int, day: Int = 10) -> String {
        String(format: "%02d Feb 2023 %02d:00:00 +0000", day, hour)
    }

    func feedHarness(_ items: [(id: String, text: String, date: String)]) throws -> (PipelineHarness, ServedDocument) {
        try PipelineHarness.servingFeed(items)
    }

    func links(_ harness: PipelineHarness) throws -> [ChainLink] {
        var links: [ChainLink] = []
        try harness.store().forEachLink { links.append(ChainLink(line: $0.line)!) }
        return links
    }

    func verify(_ harness: PipelineHarness) throws -> EvidenceVerifier.Report {
        try EvidenceVerifier(store: harness.store(), archive: EvidenceArchive(stateDir: harness.configuration.stateDir)).verify()
    }

    @Test func anEditIsANewVersionWithItsRawBytesArchivedAndAnEditAlertInTheChain() async throws {
        let (harness, document) = try feedHarness([
            ("p1", "Дорогие друзья, голосуйте за нас!", Self.date(9)),
            ("p2", "Погода сегодня хорошая.", Self.date(10)),
        ])
        _ = try await harness.round()
        let violation = try #require(try harness.spooledAlerts().first)
        #expect(violation.kind == .violation)
        // The alert names its raw bytes in the archive and its link in the chain.
        let raw = try #require(violation.evidence.rawSHA256)
        #expect(violation.evidence.archive == "evidence/\(raw.prefix(2))/\(raw).gz")
        let archive = EvidenceArchive(stateDir: harness.configuration.stateDir)
        guard case .intact(let bytes) = archive.readLoose(sha256: raw) else { Issue.record("the raw object is not intact"); return }
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("<item><guid isPermaLink=\"false\">p1</guid>"))
        var chain = try links(harness)
        #expect(chain.map(\.event) == [.post, .post, .alert])
        #expect(chain.map(\.seq) == [1, 2, 3])
        #expect(violation.evidence.chainSeq == 3)
        #expect(try harness.store().link(seq: 3)?.hash == violation.evidence.chainHash)
        #expect(chain[2].alertID == violation.id)
        // Both posts came in one response: archived once, named by both links.
        #expect(chain[0].responseSHA256 != nil && chain[0].responseSHA256 == chain[1].responseSHA256)

        // The same content again adds nothing to the chain.
        document.set(TestFeed.rss([("p1", "Дорогие друзья, голосуйте за нас!", Self.date(9)),
                                   ("p2", "Погода сегодня хорошая.", Self.date(10))]), etag: "\"v2\"")
        _ = try await harness.round()
        #expect(try links(harness).count == 3)

        // The author edits the alerted post.
        document.set(TestFeed.rss([("p1", "Дорогие друзья, приходите на встречу.", Self.date(9)),
                                   ("p2", "Погода сегодня хорошая.", Self.date(10))]), etag: "\"v3\"")
        let reports = try await harness.round()
        #expect(reports.first?.changedPosts == 1)
        let edit = try #require(try harness.spooledAlerts().first { $0.kind == .edit })
        #expect(edit.refersTo == violation.id)
        #expect(edit.previous?.contentSHA256 == violation.post.contentSHA256)
        #expect(edit.evidence.rawSHA256 != raw)
        chain = try links(harness)
        #expect(chain.map(\.event) == [.post, .post, .alert, .version, .alert])
        #expect(chain[3].detail == violation.post.contentSHA256, "a version link names the content it replaced")
        #expect(edit.evidence.chainSeq == 5)

        let versions = try harness.store().versions(accountKey: harness.configuration.subjects[0].accounts[0].key, postID: "p1")
        #expect(versions.count == 2)
        #expect(versions.map(\.contentSHA256) == [violation.post.contentSHA256, edit.post.contentSHA256])
        #expect(versions[0].lastSeenAt != nil, "the old version was last seen when it was replaced")
        #expect(versions[1].lastSeenAt == nil, "the current version is open")
        #expect(versions[1].rawSHA256 == edit.evidence.rawSHA256)
        #expect(try verify(harness).holds)
    }

    @Test func aDeletionIsConfirmedByASecondPollAndAlertedWhenThePostWasAlertedOn() async throws {
        let items: [(id: String, text: String, date: String)] = [
            ("p1", "Погода сегодня хорошая.", Self.date(8)),
            ("p2", "Голосуйте за нас!", Self.date(9)),
            ("p3", "Встреча с жителями.", Self.date(10)),
            ("p4", "Спасибо всем.", Self.date(11)),
        ]
        let (harness, document) = try feedHarness(items)
        _ = try await harness.round()
        let violation = try #require(try harness.spooledAlerts().first)
        #expect(violation.post.id == "p2")

        // p2 is gone while older (p1) and newer posts are still listed.
        document.set(TestFeed.rss(items.filter { $0.id != "p2" }), etag: "\"v2\"")
        var reports = try await harness.round()
        #expect(reports.first?.deletedPosts == 0, "one poll is not enough")
        #expect(try harness.spooledAlerts().count == 1)

        // The source still serves the same listing (304): the absence is confirmed.
        reports = try await harness.round()
        #expect(reports.first?.outcome == .notModified)
        #expect(reports.first?.deletedPosts == 1)
        let deletion = try #require(try harness.spooledAlerts().first { $0.kind == .deletion })
        #expect(deletion.refersTo == violation.id)
        #expect(deletion.post.id == "p2")
        #expect(deletion.post.contentSHA256 == violation.post.contentSHA256)
        #expect(deletion.evidence.rawSHA256 == violation.evidence.rawSHA256, "the last version's bytes stay in the archive")
        #expect(deletion.deletedAt != nil)
        let chain = try links(harness)
        #expect(chain.suffix(2).map(\.event) == [.deletion, .alert])
        #expect(chain.suffix(2).first?.postID == "p2")

        // Later polls do not delete it again.
        document.set(TestFeed.rss(items.filter { $0.id != "p2" }), etag: "\"v3\"")
        reports = try await harness.round()
        #expect(reports.first?.deletedPosts == 0)
        #expect(try harness.spooledAlerts().filter { $0.kind == .deletion }.count == 1)
        #expect(try verify(harness).holds)

        // The author restores it: the chain says so, and it can be found deleted again later.
        document.set(TestFeed.rss(items), etag: "\"v4\"")
        _ = try await harness.round()
        #expect(try links(harness).last?.event == .reappeared)
        #expect(try links(harness).last?.postID == "p2")
        let restored = try await harness.store().pool.read {
            try Double.fetchOne($0, sql: "SELECT deleted_at FROM post WHERE post_id = 'p2'")
        }
        #expect(restored == nil)
    }

    @Test func aPostMissingOnceThenListedAgainIsNotDeleted() async throws {
        let items: [(id: String, text: String, date: String)] = [
            ("p1", "Погода.", Self.date(8)), ("p2", "Голосуйте за нас!", Self.date(9)), ("p3", "Встреча.", Self.date(10)),
        ]
        let (harness, document) = try feedHarness(items)
        _ = try await harness.round()
        document.set(TestFeed.rss(items.filter { $0.id != "p2" }), etag: "\"v2\"")
        _ = try await harness.round()
        document.set(TestFeed.rss(items), etag: "\"v3\"")
        _ = try await harness.round()
        document.set(TestFeed.rss(items.filter { $0.id != "p2" }), etag: "\"v4\"")
        let reports = try await harness.round()
        #expect(reports.first?.deletedPosts == 0, "the earlier absence was withdrawn when the post came back")
        #expect(try harness.spooledAlerts().allSatisfy { $0.kind == .violation })
    }

    @Test func aFeedReadPastErrorsCannotShowThatAPostIsGone() async throws {
        let items: [(id: String, text: String, date: String)] = [
            ("p1", "Погода.", Self.date(8)), ("p2", "Голосуйте за нас!", Self.date(9)), ("p3", "Встреча.", Self.date(10)),
            ("p4", "Спасибо.", Self.date(11)),
        ]
        let (harness, document) = try feedHarness(items)
        _ = try await harness.round()
        // p2 is not in it, but the document is broken (p3 lacks its closing tag).
        var broken = String(decoding: TestFeed.rss(items.filter { $0.id != "p2" }), as: UTF8.self)
        let p3 = try #require(broken.range(of: "<guid isPermaLink=\"false\">p3</guid>"))
        let close = try #require(broken.range(of: "</item>", range: p3.upperBound..<broken.endIndex))
        broken.removeSubrange(close)
        document.set(Array(broken.utf8), etag: "\"v2\"")
        let damaged = try await harness.round()
        #expect(damaged.first?.outcome == .fetched)
        #expect(damaged.first?.notes.contains { $0.contains("problem") } == true)
        _ = try await harness.round()
        _ = try await harness.round()
        let marked = try await harness.store().pool.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM post WHERE missing_since IS NOT NULL OR deleted_at IS NOT NULL")
        }
        #expect(marked == 0)
    }

    @Test func postsScrollingOutOfAShortFeedWindowAreNeverDeleted() async throws {
        // A 15-item window; each round three newer posts push the three oldest out.
        func window(_ newest: Int) -> [(id: String, text: String, date: String)] {
            ((newest - 14)...newest).map { n in
                ("p\(n)", n == 3 ? "Голосуйте за нас!" : "Новости дня \(n).", Self.date(n % 24, day: 1 + n / 24))
            }
        }
        let (harness, document) = try feedHarness(window(15))
        _ = try await harness.round()
        #expect(try harness.spooledAlerts().count == 1, "p3 is alerted on")
        for (round, newest) in [18, 21, 24, 27, 30].enumerated() {
            document.set(TestFeed.rss(window(newest)), etag: "\"w\(round)\"")
            let reports = try await harness.round()
            #expect(reports.first?.outcome == .fetched)
            #expect(reports.first?.deletedPosts == 0)
            // And once more unchanged (304).
            _ = try await harness.round()
        }
        let deleted = try await harness.store().pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM post WHERE deleted_at IS NOT NULL OR missing_since IS NOT NULL") }
        #expect(deleted == 0)
        #expect(try harness.spooledAlerts().allSatisfy { $0.kind == .violation })
        #expect(try links(harness).allSatisfy { $0.event != .deletion })
    }

    @Test func verifyNamesAFlippedByteInTheArchiveAndAChangedChainLink() async throws {
        let (harness, _) = try feedHarness([
            ("p1", "Дорогие друзья, голосуйте за нас!", Self.date(9)),
            ("p2", "Погода сегодня хорошая.", Self.date(10)),
            ("p3", "Встреча с жителями.", Self.date(11)),
        ])
        _ = try await harness.round()
        let alert = try #require(try harness.spooledAlerts().first)
        var report = try verify(harness)
        #expect(report.holds)
        #expect(report.links == 4)
        #expect(report.objects == 4, "three items and the response")
        #expect(report.alerts == 1)

        // One byte of the alert's archive file flipped: the gzip check or the hash names it.
        let archive = EvidenceArchive(stateDir: harness.configuration.stateDir)
        let path = archive.path(sha256: try #require(alert.evidence.rawSHA256))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        report = try verify(harness)
        #expect(!report.holds)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains(alert.evidence.rawSHA256!) == true)
        #expect(report.firstBrokenLink == nil)
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try verify(harness).holds)

        // A missing archive file is named as missing.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".aside")
        report = try verify(harness)
        #expect(report.problems == ["alert \(alert.id): its archive file \(try #require(alert.evidence.archive)) is missing"])
        try FileManager.default.moveItem(atPath: path + ".aside", toPath: path)

        // One byte of link 2's line changed in the database: link 2 is named, and only it.
        let store = try harness.store()
        try await store.pool.write { db in
            let line = try String.fetchOne(db, sql: "SELECT line FROM chain WHERE seq = 2")!
            try db.execute(sql: "UPDATE chain SET line = ? WHERE seq = 2", arguments: [line.replacingOccurrences(of: "p2", with: "p9")])
        }
        report = try verify(harness)
        #expect(report.firstBrokenLink == 2)
        #expect(report.problems.first?.hasPrefix("link 2:") == true)
        // A deleted link is a gap.
        try await store.pool.write { db in try db.execute(sql: "DELETE FROM chain WHERE seq = 3") }
        report = try verify(harness)
        #expect(report.firstBrokenLink == 2)
        #expect(report.problems.contains { $0.hasPrefix("link 4: expected link 3") })
    }
}
