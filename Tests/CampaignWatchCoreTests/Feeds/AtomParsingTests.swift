@testable import CampaignWatchCore
import Foundation
import Testing

@Suite struct AtomParsingTests {
    @Test func readsTheFeedItself() throws {
        let feed = try FeedFixtures.parse("atom/atom10-full.xml")
        #expect(feed.format == .atom)
        #expect(feed.version == "1.0")
        #expect(feed.title == "Партия «Вперёд»")
        // rel=alternate href="./" resolved against the feed's xml:base.
        #expect(feed.link == "https://party.example.kz/blog/")
        #expect(feed.posts.count == 4)
    }

    @Test func readsAFullEntry() throws {
        let post = try FeedFixtures.parse("atom/atom10-full.xml").posts[0]
        #expect(post.id == "tag:party.example.kz,2023:manifest")
        // The text/html alternate wins over the PDF alternate; resolved against xml:base.
        #expect(post.url == "https://party.example.kz/blog/2023/manifest")
        #expect(post.title == "Манифест & программа")
        #expect(post.text == "Первый пункт: работа & зарплаты.\nВторой пункт\nс переносом. График роста\nText with a literal <tag> written out.")
        #expect(post.author == "Айдос Нурланов")
        #expect(post.publishedAt?.utc == "2023-01-28T08:02:11.250Z")
        #expect(post.updatedAt?.utc == "2023-01-30T08:00:00Z")
        #expect(post.edited)
        #expect(post.tags == ["выборы", "программа"])
        #expect(post.media == ["https://party.example.kz/blog/audio/manifest.mp3"])
    }

    @Test func nestedXMLBaseAndEscapedHTML() throws {
        let post = try FeedFixtures.parse("atom/atom10-full.xml").posts[1]
        #expect(post.url == "https://news.example.kz/items/42")
        #expect(post.title == "Escaped title & more")
        #expect(post.text == "Escaped HTML content\nSecond paragraph")
        // No author on the entry: the feed's author.
        #expect(post.author == "Пресс-служба партии")
        #expect(post.publishedAt == nil)
        #expect(post.updatedAt?.utc == "2023-01-27T09:00:00Z")
        #expect(post.edited == false)
    }

    @Test func plainTextSummaryKeepsItsLinesAndItsAngleBrackets() throws {
        let post = try FeedFixtures.parse("atom/atom10-full.xml").posts[2]
        #expect(post.text == "Line one\nLine two <not a tag>")
        #expect(post.title == "Only a summary")
        // The entry has no author; its source's author comes before the feed's.
        #expect(post.author == "Source Author")
    }

    @Test func outOfLineContentFallsBackToTheSummaryAndIdIsTheLink() throws {
        let post = try FeedFixtures.parse("atom/atom10-full.xml").posts[3]
        #expect(post.url == "https://party.example.kz/blog/by-id")
        #expect(post.text == "Out-of-line content, so the summary is the text.")
        #expect(post.media == ["https://party.example.kz/blog/video/clip.mp4", "https://party.example.kz/blog/video/clip.jpg"])
    }

    @Test func atom03() throws {
        let feed = try FeedFixtures.parse("atom/atom03.xml")
        #expect(feed.format == .atom)
        #expect(feed.version == "0.3")
        #expect(feed.link == "http://old.example.com/")
        #expect(feed.posts.map(\.text) == ["Hello world", "Inline markup & text", "Summary instead"])
        #expect(feed.posts[0].publishedAt?.utc == "2004-05-30T15:00:00Z")
        #expect(feed.posts[0].updatedAt?.utc == "2004-05-31T10:00:00Z")
        #expect(feed.posts[0].author == "Old Author")
        #expect(feed.posts[1].url == "http://old.example.com/2")
    }

    @Test func youTubeChannelFeed() throws {
        let feed = try FeedFixtures.parse("shared/youtube_playlist_feed_claude.xml")
        #expect(feed.title == "Product Launches")
        #expect(feed.posts.count == 2)
        let post = feed.posts[0]
        #expect(post.id == "yt:video:7-1tNo8HAwk")
        #expect(post.url == "https://www.youtube.com/watch?v=7-1tNo8HAwk")
        #expect(post.title == "New agents for legal professionals | Claude Cowork")
        #expect(post.text.hasPrefix("New in Claude: tools built for the way legal teams work.\n\n12 one-click plugins"))
        #expect(post.author == "Claude")
        #expect(post.publishedAt?.utc == "2026-05-12T16:52:13Z")
        #expect(post.media == ["https://www.youtube.com/v/7-1tNo8HAwk?version=3", "https://i4.ytimg.com/vi/7-1tNo8HAwk/hqdefault.jpg"])
    }

    @Test func linkSelection() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.atom("""
            <entry><id>1</id><title>a</title><link rel="self" href="http://x/self"/><link href="http://x/alt"/></entry>
            <entry><id>2</id><title>b</title><link rel="alternate" type="application/atom+xml" href="http://x/atom"/></entry>
            <entry><id>3</id><title>c</title><link rel="related" href="http://x/related"/></entry>
            <entry><id>4</id><title>d</title><link rel="ALTERNATE" type="TEXT/HTML" href="http://x/upper"/></entry>
            """))
        #expect(feed.posts.map(\.url) == ["http://x/alt", "http://x/atom", nil, "http://x/upper"])
    }

    @Test func textConstructTypes() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.atom("""
            <entry><id>1</id><title type="text">&lt;b&gt;not markup&lt;/b&gt;</title></entry>
            <entry><id>2</id><title type="html">&lt;b&gt;markup&lt;/b&gt;</title></entry>
            <entry><id>3</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x &lt; <b>y</b></div></title></entry>
            <entry><id>4</id><content type="html"><![CDATA[<p>CDATA &amp; HTML</p>]]></content></entry>
            <entry><id>5</id><content type="text/plain">Plain   text</content></entry>
            """))
        #expect(feed.posts.map(\.title) == ["<b>not markup</b>", "markup", "x < y", nil, nil])
        #expect(feed.posts[3].text == "CDATA & HTML")
        #expect(feed.posts[4].text == "Plain text")
    }

    @Test func multipleAuthorsAndEmailOnly() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.atom("""
            <entry><id>1</id><title>a</title><author><name>One</name></author><author><name>Two</name></author></entry>
            <entry><id>2</id><title>b</title><author><email>only@example.org</email></author></entry>
            """))
        #expect(feed.posts.map(\.author) == ["One, Two", "only@example.org"])
    }
}
