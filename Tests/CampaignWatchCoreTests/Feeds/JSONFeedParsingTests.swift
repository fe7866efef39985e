@testable import CampaignWatchCore
import Foundation
import Testing

@Suite struct JSONFeedParsingTests {
    @Test func jsonFeed11() throws {
        let feed = try FeedFixtures.parse("shared/journal_3960_org.feed-1.1.truncated.json")
        #expect(feed.format == .jsonfeed)
        #expect(feed.version == "1.1")
        #expect(feed.title == "fboës - Der Blog | Startseite")
        #expect(feed.link == "https://journal.3960.org/")
        #expect(feed.posts.count == 3)
        let post = feed.posts[0]
        #expect(post.id == "user/posts/2020-02-21-lecker-lecker/index.md")
        #expect(post.url == "https://journal.3960.org/posts/2020-02-21-lecker-lecker/")
        #expect(post.title == "Lecker, lecker")
        #expect(post.text == "Da ist es zwar nicht ganz billig,\ndafür schmeckt's aber auch nicht.")
        #expect(post.author == "Frank Boës")
        #expect(post.publishedAt?.utc == "2020-02-21T17:08:06Z")
        #expect(post.updatedAt?.utc == "2020-02-21T17:08:06Z")
        #expect(post.edited == false)
        #expect(post.tags == ["Lustiges"])
        #expect(post.media == ["https://cdn.3960.org/favicon-192x192.png"])
        #expect(feed.posts[1].title == "„Sabine“ am Flughafen Amsterdam")
        let raw = String(decoding: try #require(post.raw), as: UTF8.self)
        #expect(raw.hasPrefix("{"))
        #expect(raw.hasSuffix("}"))
        #expect(raw.contains("\"id\": \"user/posts/2020-02-21-lecker-lecker/index.md\""))
    }

    @Test func jsonFeed10WithSingularAuthorAndCommaTags() throws {
        let feed = try FeedFixtures.parse("shared/rosemaryorchard.feed-1.0.truncated.json")
        #expect(feed.version == "1")
        #expect(feed.posts.count == 2)
        let post = feed.posts[0]
        #expect(post.title == "Workflow: Add Task & Sub Tasks To OmniFocus")
        #expect(post.author == "Rosemary Orchard")
        #expect(post.tags == ["workflow", "omnifocus"])
        #expect(post.url == "https://www.rosemaryorchard.com/blog/workflow-add-task-sub-tasks-to-omnifocus")
        #expect(post.edited)
        #expect(post.text.hasPrefix("Add Task & Sub Tasks To OmniFocus One thing I frequently do in OmniFocus"))
        #expect(feed.posts[1].tags == [])
    }

    @Test func minimalItemsAndFallbacks() throws {
        let json = """
            {"version": "https://jsonfeed.org/version/1.1", "home_page_url": "https://site.example/blog/",
             "authors": [{"name": "Feed Author"}],
             "items": [
               {"id": 123, "content_text": "Number id,\\nplain   text", "url": "/p/1",
                "attachments": [{"url": "media/a.mp3", "mime_type": "audio/mpeg"}]},
               {"id": "", "url": "https://site.example/p/2", "summary": "Summary only &amp; more"},
               {"content_html": "<p>No id, no url</p>", "date_published": "2023-01-28T14:02:11Z"},
               {"id": "u\\u0301\\ud83d\\ude00\\ud800x", "title": "Escapes"}
             ]}
            """
        let feed = try FeedParser.parse(Array(json.utf8))
        #expect(feed.posts.count == 4)
        #expect(feed.posts[0].id == "123")
        #expect(feed.posts[0].url == "https://site.example/p/1")
        #expect(feed.posts[0].text == "Number id,\nplain text")
        #expect(feed.posts[0].author == "Feed Author")
        #expect(feed.posts[0].media == ["https://site.example/blog/media/a.mp3"])
        #expect(feed.posts[1].id == "https://site.example/p/2")
        #expect(feed.posts[1].text == "Summary only & more")
        #expect(feed.posts[2].id.hasPrefix("sha256:"))
        #expect(feed.posts[2].publishedAt?.utc == "2023-01-28T14:02:11Z")
        #expect(feed.posts[3].id == "u\u{301}😀\u{FFFD}x")
    }

    @Test func itemsBeforeASyntaxErrorSurvive() throws {
        let json = #"{"version": "https://jsonfeed.org/version/1", "items": [{"id": "1", "title": "kept"}, {"id": "2", "title": "cut"#
        let feed = try FeedParser.parse(Array(json.utf8))
        #expect(feed.posts.map(\.id) == ["1"])
        #expect(feed.posts[0].recovered == false)
        #expect(feed.warnings.contains { $0.contains("invalid JSON") })
    }

    @Test func invalidJSONIsAnError() {
        #expect(throws: FeedParseError.self) { try FeedParser.parse(Array(#"{"version": "https://jsonfeed.org/version/1", "items": [}"#.utf8)) }
        #expect(throws: FeedParseError.notAFeed("JSON that is not a JSON Feed (no \"version\" naming jsonfeed.org, no \"items\")")) {
            try FeedParser.parse(Array(#"{"name": "not a feed"}"#.utf8))
        }
    }

    @Test func deeplyNestedJSONIsRefused() {
        let json = #"{"version": "https://jsonfeed.org/version/1", "items": [{"x": "# + String(repeating: "[", count: 10_000)
        #expect(throws: FeedParseError.nestingTooDeep(256)) { try FeedParser.parse(Array(json.utf8)) }
    }

    @Test func forcingTheFormat() throws {
        let json = #"{"items": [{"id": "a", "title": "t"}]}"#
        #expect(try FeedParser.parse(Array(json.utf8), format: .jsonfeed).posts.count == 1)
        #expect(throws: FeedParseError.notAFeed("the document is JSON, not rss")) {
            try FeedParser.parse(Array(json.utf8), format: .rss)
        }
        #expect(throws: FeedParseError.notAFeed("the document is XML, not a JSON Feed")) {
            try FeedParser.parse(Array(FeedFixtures.rss("").utf8), format: .jsonfeed)
        }
    }
}
