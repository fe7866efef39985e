@testable import CampaignWatchCore
import Foundation
import Testing

@Suite struct GzipTests {
    static let text = Array(String(repeating: "Кандидат провёл встречу с избирателями. ", count: 2000).utf8)

    @Test func roundTrip() throws {
        let compressed = try Gzip.compress(Self.text)
        #expect(Gzip.isCompressed(compressed))
        #expect(compressed.count < Self.text.count / 10)
        #expect(try Gzip.decompress(compressed) == Self.text)
        #expect(try Gzip.decompress([UInt8](try Gzip.compress([]))) == [])
    }

    @Test func aReusedCompressorMakesOneWholeMemberPerCall() throws {
        let compressor = GzipCompressor(level: 1)
        var out: [UInt8] = []
        let first = try compressor.compress(Self.text, appendingTo: &out)
        let second = try compressor.compress(Array("второй".utf8), appendingTo: &out)
        #expect(first + second == out.count)
        #expect(try Gzip.decompress(Array(out.prefix(first)), format: .gzip) == Self.text)
        #expect(try Gzip.decompress(Array(out.suffix(second)), format: .gzip) == Array("второй".utf8))
        #expect(try Gzip.decompress(compressor.compress([])) == [])
    }

    @Test func storedMembersAreGzipOfAnySize() throws {
        // Empty, small, exactly one stored block, one byte over, several blocks.
        for size in [0, 1, 600, 65_535, 65_536, 200_000] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
            var member: [UInt8] = []
            Gzip.appendStored(bytes, to: &member)
            #expect(Gzip.isCompressed(member))
            #expect(member.count == bytes.count + 18 + 5 * max(1, (bytes.count + 65_534) / 65_535), "size \(size)")
            #expect(try Gzip.decompress(member) == bytes, "size \(size)")
        }
        // A flipped byte fails the CRC.
        var member: [UInt8] = []
        Gzip.appendStored(Array("Голосуйте".utf8), to: &member)
        member[20] ^= 0x01
        #expect(throws: CompressionError.self) { try Gzip.decompress(member) }
    }

    @Test func concatenatedMembers() throws {
        let a = try Gzip.compress(Array("first ".utf8)), b = try Gzip.compress(Array("second".utf8))
        #expect(try Gzip.decompress(a + b) == Array("first second".utf8))
    }

    @Test func truncatedStreamIsAnError() throws {
        let compressed = try Gzip.compress(Self.text)
        #expect {
            try Gzip.decompress(Array(compressed.prefix(compressed.count / 2)))
        } throws: { error in
            (error as? CompressionError)?.kind == .truncated
        }
        // Cut inside the trailer.
        #expect(throws: CompressionError.self) { try Gzip.decompress(Array(compressed.dropLast(3))) }
    }

    @Test func corruptDataCarriesZlibsMessage() throws {
        var compressed = try Gzip.compress(Self.text)
        compressed[3] = 0xFF  // reserved flag bits
        #expect {
            try Gzip.decompress(compressed)
        } throws: { error in
            guard let error = error as? CompressionError else { return false }
            return error.kind == .corrupt && error.message.contains("unknown header flags")
        }
    }

    @Test func outputIsBounded() throws {
        let bomb = try Gzip.compress([UInt8](repeating: 0, count: 20 << 20))
        #expect(bomb.count < 100_000)
        #expect {
            try Gzip.decompress(bomb, limit: 1 << 20)
        } throws: { error in
            (error as? CompressionError)?.kind == .tooLarge
        }
    }

    @Test func zlibAndRawDeflate() throws {
        // zlib stream of "hello" (from Python's zlib.compress(b"hello")).
        let zlib: [UInt8] = [0x78, 0x9C, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x06, 0x2C, 0x02, 0x15]
        #expect(try Gzip.decompress(zlib, format: .zlib) == Array("hello".utf8))
        #expect(try Gzip.decompress(zlib, format: .automatic) == Array("hello".utf8))
        #expect(try Gzip.decompress(Array(zlib[2..<(zlib.count - 4)]), format: .rawDeflate) == Array("hello".utf8))
    }

    @Test func parserReadsGzippedFeeds() throws {
        let xml = Array(FeedFixtures.rss("<item><title>Сжатый</title></item>").utf8)
        let feed = try FeedParser.parse(try Gzip.compress(xml))
        #expect(feed.posts.first?.title == "Сжатый")
        let cut = try Gzip.compress(xml).dropLast(12)
        #expect {
            try FeedParser.parse(Array(cut))
        } throws: { error in
            guard case .compression(let reason)? = error as? FeedParseError else { return false }
            return reason.hasPrefix("truncated gzip data")
        }
    }
}
