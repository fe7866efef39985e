@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import GRDB
import Testing

/// Evidence packs on real files and a real SQLite database: the record format, the torn tail a
/// killed writer leaves, two writers on one state directory, and what `verify` says when a
/// record is damaged.
@Suite struct EvidencePackTests {
    let directory: TemporaryDirectory
    let store: StateStore

    init() throws {
        directory = try TemporaryDirectory("campaignwatch-pack")
        store = try StateStore(path: Pipeline.databasePath(stateDir: directory.path))
    }

    func archive(limit: Int = EvidenceArchive.defaultPackLimit) -> EvidenceArchive {
        EvidenceArchive(stateDir: directory.path, store: store, packLimit: limit)
    }

    /// What a poll's transaction does with the places `pack` returned (besides naming them in
    /// its versions): the packs' recorded ends move past them.
    func record(_ objects: [PackedObject]) throws {
        try store.write { db in try StateStore.recordPackEnds(objects, in: db) }
    }

    func read(_ archive: EvidenceArchive, _ place: PackedObject) -> EvidenceArchive.ObjectState {
        EvidenceArchive.Reader(archive: archive).read(place)
    }

    func object(_ text: String) -> (sha256: String, bytes: [UInt8]) {
        let bytes = Array(text.utf8)
        return (Hex.sha256(bytes), bytes)
    }

    func packBytes(_ archive: EvidenceArchive, _ pack: Int = 1) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: archive.packPath(pack))))
    }

    @Test func objectsRoundTripAndEachIsAGzipMemberAfterItsRecordHeader() throws {
        let archive = archive()
        let a = object("<item><guid>p1</guid><description>Голосуйте за нас!</description></item>")
        let b = object(String(repeating: "<rss>response body</rss>\n", count: 200))
        let packed = try archive.pack([a, b, a])
        #expect(packed.map(\.sha256) == [a.sha256, b.sha256], "each object once")
        #expect(packed.allSatisfy { $0.pack == 1 })
        try record(packed)
        #expect(read(archive, packed[0]) == .intact(a.bytes))
        #expect(read(archive, packed[1]) == .intact(b.bytes))
        var elsewhere = packed[1]
        elsewhere.offset = packed[0].offset
        guard case .damaged = read(archive, elsewhere) else { Issue.record("another object's record was read as this one"); return }

        // The format, byte by byte: file magic, then per record "CWOB", SHA-256, length, gzip.
        let file = try packBytes(archive)
        #expect(Array(file.prefix(8)) == Array("CWPACK1\n".utf8))
        #expect(packed[0].offset == 8 + 40)
        for (object, place) in zip([a, b], packed) {
            let header = Array(file[(place.offset - 40)..<place.offset])
            #expect(Array(header.prefix(4)) == Array("CWOB".utf8))
            #expect(Hex.lower(header[4..<36]) == object.sha256)
            #expect(Int(header[36]) << 24 | Int(header[37]) << 16 | Int(header[38]) << 8 | Int(header[39]) == place.length)
            let member = Array(file[place.offset..<(place.offset + place.length)])
            #expect(Array(member.prefix(2)) == [0x1F, 0x8B], "a gzip member: zcat reads it")
            #expect(try Gzip.decompress(member) == object.bytes)
        }
        #expect(file.count == packed[1].offset + packed[1].length)

        // The next writer appends to the same pack.
        archive.close()
        let c = object("<item>третий</item>")
        let next = try self.archive().pack([c])
        #expect(next.first?.pack == 1)
        #expect(next.first?.offset == file.count + 40)
    }

    @Test func anAlertsObjectIsPublishedAsALooseFileFromItsPackedRecord() throws {
        let archive = archive()
        let a = object("<item>Голосуйте!</item>")
        let place = try #require(try archive.pack([a]).first)
        try record([place])
        let loose = archive.path(sha256: a.sha256)
        #expect(!FileManager.default.fileExists(atPath: loose))
        try archive.publish(place)
        let gzip = [UInt8](try Data(contentsOf: URL(fileURLWithPath: loose)))
        #expect(try Gzip.decompress(gzip) == a.bytes)
        #expect(archive.readLoose(sha256: a.sha256) == .intact(a.bytes))
        // As alerts.md promises: `zcat evidence/ab/abcdef….gz | sha256sum` prints its name.
        let piped = try ToolRun.run("/bin/sh", ["-c", "zcat '\(loose)' | sha256sum"])
        #expect(piped.status == 0 && piped.output.hasPrefix(a.sha256 + " "), "\(piped.output)")
        try archive.publish(place)  // already there: nothing to do
        // A version the database does not have cannot be published.
        #expect(throws: EvidenceError.self) {
            try archive.publish(sha256: String(repeating: "1", count: 64), accountKey: "rss:x", postID: "p", contentSHA256: "c")
        }
        // Only the object is left in its shard directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/evidence/\(a.sha256.prefix(2))")
            == ["\(a.sha256).gz"])
    }

    @Test func aTornRecordAtTheEndOfAPackIsCutWhenTheNextWriterOpensIt() throws {
        var archive = archive()
        let a = object("<item>a</item>"), b = object("<item>b</item>"), c = object("<item>c</item>")
        let recorded = try archive.pack([a, b])
        try record(recorded)
        // Packed but never recorded: the process was killed before its transaction committed.
        let orphan = try #require(try archive.pack([c]).first)
        archive.close()
        let whole = try packBytes(archive)
        // Killed in the middle of the next write: a header and half a gzip member.
        let d = object(String(repeating: "<item>d</item>", count: 50))
        var torn: [UInt8] = []
        EvidencePack.appendRecord(sha256: Hex.bytes(d.sha256)!, gzip: try Gzip.compress(d.bytes, level: 1), to: &torn)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: archive.packPath(1)))
        try handle.seekToEnd()
        try handle.write(contentsOf: torn.prefix(torn.count / 2))
        try handle.close()
        #expect(try packBytes(archive).count == whole.count + torn.count / 2)

        // The next process cuts it as it starts, before it has anything to append.
        archive = self.archive()
        try archive.prepare()
        #expect(try packBytes(archive) == whole, "the torn record was cut, the whole one before it kept")
        let e = object("<item>e</item>")
        let placed = try #require(try archive.pack([e]).first)
        try record([placed])
        #expect(placed.pack == 1)
        #expect(placed.offset == whole.count + 40, "the torn record was cut, the whole one before it kept")
        let file = try packBytes(archive)
        #expect(Array(file.prefix(whole.count)) == whole, "nothing before the torn record changed")
        #expect(file.count == placed.offset + placed.length)
        for (object, place) in zip([a, b, e], recorded + [placed]) { #expect(read(archive, place) == .intact(object.bytes)) }
        #expect(read(archive, orphan) == .intact(c.bytes))
    }

    @Test func aPackKilledAsItWasStartedIsStartedAgain() throws {
        try FileManager.default.createDirectory(atPath: directory.path + "/evidence/pack", withIntermediateDirectories: true)
        try Data("CWPA".utf8).write(to: URL(fileURLWithPath: directory.path + "/evidence/pack/000001.pack"))
        let archive = archive()
        let a = object("<item>a</item>")
        let placed = try #require(try archive.pack([a]).first)
        try record([placed])
        #expect(placed.pack == 1 && placed.offset == 48)
        #expect(read(archive, placed) == .intact(a.bytes))
    }

    @Test func twoWritersOnOneStateDirectoryAppendToPacksOfTheirOwn() throws {
        let first = archive(), second = archive()
        let a = object("<item>a</item>"), b = object("<item>b</item>")
        let fromFirst = try first.pack([a]), fromSecond = try second.pack([b])
        try record(fromFirst + fromSecond)
        #expect(fromFirst.first?.pack == 1)
        #expect(fromSecond.first?.pack == 2, "the first writer holds pack 1")
        #expect(read(first, try #require(fromSecond.first)) == .intact(b.bytes))
        first.close()
        second.close()
        let c = object("<item>c</item>")
        #expect(try archive().pack([c]).first?.pack == 2, "the newest pack is continued")
    }

    @Test func aLockLeftForAMomentAfterItsWriterClosedIsWaitedFor() throws {
        let first = archive()
        try record(try first.pack([object("<item>a</item>")]))
        first.close()
        // A forked child that has not exec'd yet shares the pack's open file, lock included.
        let lingering = open(directory.path + "/evidence/pack/000001.pack", O_RDWR | O_CLOEXEC)
        #expect(lingering != -1 && flock(lingering, LOCK_EX | LOCK_NB) == 0)
        let release = Thread {
            usleep(10_000)
            close(lingering)
        }
        release.start()
        let placed = try archive().pack([object("<item>b</item>")])
        try record(placed)
        #expect(placed.first?.pack == 1, "the pack freed a moment later is continued, not left beside a new one")
    }

    @Test func aFullPackIsFollowedByTheNextOne() throws {
        let archive = archive(limit: 200)
        // Random bytes do not compress: the first record alone nearly fills a pack.
        let noise = (0..<150).map { _ in UInt8.random(in: 0...255) }
        let a = (sha256: Hex.sha256(noise), bytes: noise), b = object("<item>b</item>"), c = object("<item>c</item>")
        let placed = try archive.pack([a]) + archive.pack([b]) + archive.pack([c])
        try record(placed)
        #expect(placed.map(\.pack) == [1, 2, 2])
        for (object, place) in zip([a, b, c], placed) { #expect(read(archive, place) == .intact(object.bytes)) }
    }
}

/// `verify` on a pipeline's packs.
@Suite(.serialized) struct EvidencePackVerifyTests {
    @Test func verifyNamesADamagedRecordAnIndexThatPointsElsewhereAndAMissingPack() async throws {
        let (harness, _) = try PipelineHarness.servingFeed([
            ("p1", "Дорогие друзья, голосуйте за нас!", EvidencePipelineTests.date(9)),
            ("p2", "Погода сегодня хорошая.", EvidencePipelineTests.date(10)),
        ])
        _ = try await harness.round()
        let store = try harness.store()
        let archive = EvidenceArchive(stateDir: harness.configuration.stateDir)
        let verifier = EvidenceVerifier(store: store, archive: archive)
        var report = try verifier.verify()
        #expect(report.holds, "\(report.problems)")
        #expect(report.objects == 3, "two items and the response")
        #expect(try store.packedObjectCount() == 3)

        // A byte flipped inside the response's gzip member.
        var response: PackedObject?
        try store.forEachPackedObject { if $0.length > (response?.length ?? 0) { response = $0 } }
        let place = try #require(response)
        let path = archive.packPath(place.pack)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var bytes = original
        bytes[place.offset + place.length / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        report = try verifier.verify()
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.contains(place.sha256) == true)
        #expect(report.problems.first?.contains("000001.pack") == true)
        try Data(original).write(to: URL(fileURLWithPath: path))
        #expect(try verifier.verify().holds)

        // The versions' place moved to another record: its header names another object.
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE post_version SET response_offset = 48 WHERE response_sha256 = ?", arguments: [place.sha256])
        }
        report = try verifier.verify()
        #expect(report.problems.contains { $0.contains(place.sha256) && $0.contains("header does not name this object") })
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE post_version SET response_offset = ? WHERE response_sha256 = ?",
                           arguments: [place.offset, place.sha256])
        }

        // The pack gone: every packed object is named missing (the alert's loose file still holds).
        try FileManager.default.moveItem(atPath: path, toPath: path + ".aside")
        report = try verifier.verify()
        #expect(report.problems.count == 3)
        #expect(report.problems.allSatisfy { $0.hasSuffix("000001.pack is gone") })
        try FileManager.default.moveItem(atPath: path + ".aside", toPath: path)
        #expect(try verifier.verify().holds)
    }
}
