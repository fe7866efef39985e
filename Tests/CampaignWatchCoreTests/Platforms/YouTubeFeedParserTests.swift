import CampaignWatchCore
import Foundation
import Testing

@Suite struct YouTubeFeedParserTests {
    @Test(arguments: ["youtube/youtube_playlist_feed_claude.xml", "youtube/handmade_channel_feed_real_entries.xml"])
    func readsTheRealEntries(file: String) throws {
        let bytes = try PlatformFixtures.bytes(file)
        let page = try YouTubeFeedParser.parse(bytes, context: PlatformContext(account: "UCV03SRZXJEz-hchIAogeJOg"))
        #expect(page.posts.map(\.id) == ["yt:video:7-1tNo8HAwk", "yt:video:-INveHwbRz4"])
        #expect(page.accountName == "Claude")
        #expect(page.next == nil)
        let first = try #require(page.posts.first)
        #expect(first.url == "https://www.youtube.com/watch?v=7-1tNo8HAwk")
        #expect(first.title == "New agents for legal professionals | Claude Cowork")
        #expect(first.text == """
            New in Claude: tools built for the way legal teams work.

            12 one-click plugins bundle workflows for common legal skills and practice areas.

            Read more: www.claude.com/solutions/legal
            """)
        #expect(first.author == "Claude")
        #expect(first.publishedAt == PlatformFixtures.date("2026-05-12T16:52:13Z"))
        #expect(first.updatedAt == PlatformFixtures.date("2026-05-19T10:19:21Z"))
        #expect(first.edited == false)
        #expect(first.media == ["https://i4.ytimg.com/vi/7-1tNo8HAwk/hqdefault.jpg"])
        #expect(first.recovered == false)
        let raw = String(decoding: try #require(first.raw), as: UTF8.self)
        #expect(raw.hasPrefix("<entry>\n  <id>yt:video:7-1tNo8HAwk</id>"))
        #expect(raw.hasSuffix("</entry>"))
        #expect(bytes.containsRun(try #require(first.raw)))
        #expect(page.oldestItemTime == PlatformFixtures.date("2026-05-11T21:00:11Z"))
    }

    @Test func aChannelWithoutVideosIsNoError() throws {
        let page = try YouTubeFeedParser.parse(PlatformFixtures.bytes("youtube/handmade_empty_channel_feed.xml"))
        #expect(page.posts.isEmpty)
        #expect(page.empty == .noPosts)
        #expect(page.accountName == "Claude")
    }

    @Test func aNotFoundAnswerIsAnUnknownChannel() throws {
        let bytes = try PlatformFixtures.bytes("youtube/handmade_not_found.html")
        let error = try #require(throws: PlatformParseError.self) {
            try YouTubeFeedParser.parse(bytes, context: PlatformContext(account: "UCnope", response: PlatformHTTPResponse(status: 404)))
        }
        #expect(error.kind == .accountNotFound)
        #expect(error.message.contains("\"UCnope\""))
        let fromFile = try #require(throws: PlatformParseError.self) { try YouTubeFeedParser.parse(bytes) }
        #expect(fromFile.kind == .malformedDocument || fromFile.kind == .layoutChanged)
    }

    @Test func aTruncatedFeedKeepsWhatItCanAndSaysSo() throws {
        let bytes = try PlatformFixtures.bytes("youtube/handmade_truncated_feed.xml")
        let page = try YouTubeFeedParser.parse(bytes)
        #expect(page.posts.count == 1)
        let post = try #require(page.posts.first)
        #expect(post.recovered == true)
        #expect(post.id == "yt:video:7-1tNo8HAwk")
    }

    @Test func anotherXMLDocumentIsALayoutChange() throws {
        let error = try #require(throws: PlatformParseError.self) {
            try YouTubeFeedParser.parse(Array(#"<?xml version="1.0"?><rss version="2.0"><channel/></rss>"#.utf8))
        }
        #expect(error.kind == .layoutChanged)
        #expect(error.message.contains("<rss>"))
    }
}
