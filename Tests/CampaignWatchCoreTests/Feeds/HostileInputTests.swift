@testable import CampaignWatchCore
import Foundation
import Testing

/// Hostile documents: no external entities, no DTD, no network, bounded expansion and depth.
@Suite struct HostileInputTests {
    @Test func billionLaughsIsRefusedQuickly() throws {
        let bytes = try FeedFixtures.bytes("hostile/billion-laughs.xml")
        let start = ContinuousClock.now
        #expect(throws: FeedParseError.self) { try FeedParser.parse(bytes) }
        do {
            _ = try FeedParser.parse(bytes)
        } catch {
            guard case .entityExpansionRefused = error else {
                Issue.record("expected entityExpansionRefused, got \(error)")
                return
            }
            #expect(error.description.hasPrefix("entity expansion refused: "))
        }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func quadraticBlowupIsRefused() {
        // One 50 KB entity used 10,000 times: 500 MB if expanded.
        let value = String(repeating: "a", count: 50_000)
        let uses = String(repeating: "&big;", count: 10_000)
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY big \"\(value)\">]><rss><channel><item><title>\(uses)</title></item></channel></rss>"
        #expect(throws: FeedParseError.self) { try FeedParser.parse(Array(xml.utf8)) }
    }

    @Test func entityReferringToItselfIsRefused() {
        let xml = "<!DOCTYPE rss [<!ENTITY a \"x&b;\"><!ENTITY b \"y&a;\">]><rss><channel><item><title>&a;</title></item></channel></rss>"
        #expect(throws: FeedParseError.self) { try FeedParser.parse(Array(xml.utf8)) }
    }

    @Test func smallInternalEntitiesAreExpanded() throws {
        let xml = "<!DOCTYPE rss [<!ENTITY party \"Партия &quot;Вперёд&quot;\"><!ENTITY nbsp \"&#160;\">]><rss><channel><item><title>&party;&nbsp;и&nbsp;мы</title></item></channel></rss>"
        let feed = try FeedParser.parse(Array(xml.utf8))
        #expect(feed.posts.first?.title == "Партия \"Вперёд\" и мы")
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let feed = try FeedFixtures.parse("hostile/external-entities.xml")
        let post = try #require(feed.posts.first)
        // The external entities stay unexpanded text; nothing from /etc/passwd or the network.
        #expect(post.title == "Hello [&passwd;] [&remote;]")
        #expect(!post.title!.contains("root:"))
        #expect(post.text == "root:x:0:0 must not appear")
    }

    @Test func deepNestingIsRefused() {
        let depth = 100_000
        let xml = "<rss><channel><item><title>x</title><description>" + String(repeating: "<d>", count: depth)
            + String(repeating: "</d>", count: depth) + "</description></item></channel></rss>"
        let start = ContinuousClock.now
        #expect(throws: FeedParseError.nestingTooDeep(256)) { try FeedParser.parse(Array(xml.utf8)) }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func nestingWithinTheLimitIsRead() throws {
        let xml = "<rss><channel><item><title>x</title><description>" + String(repeating: "<d>", count: 100) + "deep"
            + String(repeating: "</d>", count: 100) + "</description></item></channel></rss>"
        #expect(try FeedParser.parse(Array(xml.utf8)).posts.first?.text == "deep")
    }

    @Test func garbageEmptyAndBinaryInputAreRefusedWithAReason() {
        #expect(throws: FeedParseError.emptyInput) { try FeedParser.parse([]) }
        #expect(throws: FeedParseError.emptyInput) { try FeedParser.parse(Array("  \n\t ".utf8)) }
        #expect(throws: FeedParseError.self) { try FeedParser.parse(Array("hello, this is not a feed".utf8)) }
        #expect(throws: FeedParseError.notAFeed("an HTML page (root element <html>)")) {
            try FeedParser.parse(Array("<!DOCTYPE html><html><body>x</body></html>".utf8))
        }
        var random = SystemRandomNumberGenerator()
        let binary = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(throws: FeedParseError.self) { try FeedParser.parse(binary) }
    }

    @Test func invalidUTF8ThroughoutIsRefused() {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><item><title>".utf8)
        bytes += [UInt8](repeating: 0xFF, count: 200)
        bytes += Array("</title></item></channel></rss>".utf8)
        #expect {
            try FeedParser.parse(bytes)
        } throws: { error in
            guard let error = error as? FeedParseError, case .invalidEncoding = error else { return false }
            return !error.description.contains("\n")
        }
    }

    @Test func largeFeedStreamsWithoutKeepingPosts() throws {
        // 20,000 items streamed: every post is handed over, none retained by the parser.
        var xml = "<rss><channel><title>big</title>"
        for index in 0..<20_000 { xml += "<item><title>Пост \(index)</title><link>http://big.example/\(index)</link></item>" }
        xml += "</channel></rss>"
        var count = 0
        var last: String?
        let feed = try FeedParser.parse(Array(xml.utf8), options: FeedParseOptions(keepRaw: false)) { post in
            count += 1
            last = post.title
        }
        #expect(count == 20_000)
        #expect(last == "Пост 19999")
        #expect(feed.posts.isEmpty)
    }
}
