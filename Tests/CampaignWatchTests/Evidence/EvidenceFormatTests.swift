@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct EvidenceFormatTests {
    @Test func aLinkLineHasTenTabSeparatedFieldsAndReadsBack() throws {
        let link = ChainLink(seq: 7, at: Date(timeIntervalSince1970: 1_676_021_400), event: .version, accountKey: "rss:http://x/feed",
                             postID: "a\tb\nc\\d", contentSHA256: String(repeating: "a", count: 64), detail: "-")
        #expect(link.line == "7\t2023-02-10T09:30:00Z\tversion\trss:http://x/feed\ta\\tb\\nc\\\\d\t" + String(repeating: "a", count: 64)
            + "\t-\t-\t-\t\\-")
        let back = try #require(ChainLink(line: link.line))
        #expect(back == link)
        #expect(ChainLink(line: "7\tnot a time\tpost\t-\t-\t-\t-\t-\t-\t-") == nil)
    }

    @Test func aLinkHashIsSHA256OfThePreviousHashALineFeedAndTheLine() {
        // printf '%s\n%s' 000…0 'line' | sha256sum
        let hash = ChainLink.hash(previous: ChainLink.genesis, line: "1\t2023-02-10T09:30:00Z\tpost\t-\t-\t-\t-\t-\t-\t-")
        #expect(hash == Hex.sha256(Array((ChainLink.genesis + "\n" + "1\t2023-02-10T09:30:00Z\tpost\t-\t-\t-\t-\t-\t-\t-").utf8)))
        #expect(hash != ChainLink.hash(previous: ChainLink.genesis, line: "1\t2023-02-10T09:30:00Z\tpost\t-\t-\t-\t-\t-\t-\t+"))
    }

    @Test func aLooseObjectIsContentAddressedGzipAndWrittenOnce() throws {
        let directory = try TemporaryDirectory("campaignwatch-archive")
        let archive = EvidenceArchive(stateDir: directory.path)
        let bytes = Array("<item>Голосуйте</item>".utf8)
        let first = try archive.putLoose(bytes)
        #expect(first.written)
        #expect(first.sha256 == Hex.sha256(bytes))
        #expect(first.relativePath == "evidence/\(first.sha256.prefix(2))/\(first.sha256).gz")
        #expect(try archive.putLoose(bytes).written == false)
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: archive.path(sha256: first.sha256))))
        #expect(file.prefix(2) == [0x1F, 0x8B], "a gzip file: zcat reads it")
        #expect(archive.readLoose(sha256: first.sha256) == .intact(bytes))
        #expect(archive.readLoose(sha256: String(repeating: "0", count: 64)) == .missing)
        // Nothing but the object is left in its shard directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/evidence/\(first.sha256.prefix(2))")
            == ["\(first.sha256).gz"])
    }

    @Test func aTimeStampRequestIsDERForASHA256Imprint() throws {
        let digest = [UInt8](repeating: 0xAB, count: 32)
        let request = TimeStampToken.request(digest: digest, nonce: [0x41, 1, 2, 3, 4, 5, 6, 7])
        #expect(request.count == 69)
        #expect(Array(request.prefix(5)) == [0x30, 0x43, 0x02, 0x01, 0x01])
        #expect(Array(request[11..<20]) == TimeStampToken.sha256OID)
        #expect(Array(request[22..<24]) == [0x04, 0x20])
        #expect(Array(request[24..<56]) == digest)
        #expect(Array(request.suffix(3)) == [0x01, 0x01, 0xFF])
        #expect(throws: DER.Error.self) { try TimeStampToken.info(of: [0x30, 0x03, 0x02, 0x01]) }
    }

    @Test func theZipOfABundleIsReadByUnzip() throws {
        let directory = try TemporaryDirectory("campaignwatch-zip")
        var writer = ZipWriter(modified: Date(timeIntervalSince1970: 1_676_021_400))
        writer.add(path: "b/README.txt", bytes: Array("read me\n".utf8))
        writer.add(path: "b/objects/x", bytes: [0, 1, 2, 255])
        let path = directory.path + "/b.zip"
        try Data(writer.finish()).write(to: URL(fileURLWithPath: path))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else { return }
        let result = try run("/usr/bin/unzip", ["-t", path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("No errors detected"))
        let listing = try run("/usr/bin/unzip", ["-p", path, "b/README.txt"])
        #expect(listing.output == "read me\n")
    }

    func run(_ tool: String, _ arguments: [String], directory: String? = nil) throws -> (status: Int32, output: String) {
        try ToolRun.run(tool, arguments, directory: directory)
    }
}
