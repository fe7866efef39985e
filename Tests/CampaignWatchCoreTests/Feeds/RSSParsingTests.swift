@testable import CampaignWatchCore
import Foundation
import Testing

@Suite struct RSSParsingTests {
    @Test func readsTheFeedItself() throws {
        let feed = try FeedFixtures.parse("rss/rss20-full.xml")
        #expect(feed.format == .rss)
        #expect(feed.version == "2.0")
        #expect(feed.title == "Штаб кандидата — новости")
        #expect(feed.link == "https://candidate.example.kz/news/")
        #expect(feed.encoding == "utf-8")
        #expect(feed.warnings.isEmpty)
    }

    @Test func readsAFullItem() throws {
        let feed = try FeedFixtures.parse("rss/rss20-full.xml")
        let post = try #require(feed.posts.first)
        #expect(post.id == "https://candidate.example.kz/news/2023/01/meeting")
        #expect(post.url == "https://candidate.example.kz/news/2023/01/meeting")
        #expect(post.title == "Встреча с избирателями в Алматы")
        // content:encoded wins over description; script and style dropped; alt text kept; nbsp is a space.
        #expect(post.text == "Кандидат встретился с избирателями.\nФото встречи Голосуйте за «будущее»!")
        #expect(post.author == "Айгерим Серикова")
        #expect(post.publishedAt?.utc == "2023-01-28T14:02:11Z")
        #expect(post.updatedAt == nil)
        #expect(post.edited == false)
        #expect(post.tags == ["Выборы", "Алматы"])
        #expect(post.media == [
            "https://candidate.example.kz/img/meeting.jpg",
            "https://candidate.example.kz/video/meeting.mp4",
            "https://candidate.example.kz/video/meeting.jpg",
        ])
        #expect(post.recovered == false)
        let raw = String(decoding: try #require(post.raw), as: UTF8.self)
        #expect(raw.hasPrefix("<item>"))
        #expect(raw.hasSuffix("</item>"))
        #expect(raw.contains("<![CDATA[<p>Кандидат"))
    }

    @Test func guidThatIsNotAPermalinkIsTheIdButNotTheLink() throws {
        let feed = try FeedFixtures.parse("rss/rss20-full.xml")
        let post = feed.posts[1]
        #expect(post.id == "program-2023-01")
        // Relative link resolved against the channel's link.
        #expect(post.url == "https://candidate.example.kz/news/2023/01/program")
        #expect(post.title == "Program & plans")
        // Escaped HTML in the description, with a double-escaped ampersand.
        #expect(post.text == "Our programme: jobs, schools & roads.")
        #expect(post.author == "Press Office")
        #expect(post.publishedAt?.utc == "2023-01-27T09:00:00Z")
        #expect(post.media == ["https://candidate.example.kz/media/program.pdf", "https://candidate.example.kz/media/program.png"])
    }

    @Test func xmlBaseOnTheItemWinsOverTheChannelLink() throws {
        let feed = try FeedFixtures.parse("rss/rss20-full.xml")
        let post = feed.posts[2]
        #expect(post.url == "https://mirror.example.org/archive/post-3.html")
        #expect(post.id == "https://mirror.example.org/archive/post-3.html")
        // A description without markup is plain text: its line break is kept.
        #expect(post.text == "Plain text description\nwith a line break.")
        #expect(post.publishedAt?.utc == "2023-01-26T13:00:00Z")
    }

    @Test func itemWithoutGuidOrLinkGetsAStableHashId() throws {
        let first = try FeedFixtures.parse("rss/rss20-full.xml").posts[3]
        let again = try FeedFixtures.parse("rss/rss20-full.xml").posts[3]
        #expect(first.id.hasPrefix("sha256:"))
        #expect(first.id.count == "sha256:".count + 64)
        #expect(first.id == again.id)
        #expect(first.title == nil)
        #expect(first.url == nil)
        #expect(first.text == "Only a description: no title, no link, no guid.")
    }

    @Test func permalinkGuidStandsInForTheLink() throws {
        let post = try FeedFixtures.parse("rss/rss20-full.xml").posts[4]
        #expect(post.id == "https://candidate.example.kz/news/2023/01/permalink-guid")
        // An explicit atom:link alternate is still the link.
        #expect(post.url == "https://candidate.example.kz/news/2023/01/alternate-link")
        #expect(post.text == "")
    }

    @Test func hashIdDependsOnContentNotOnPosition() throws {
        let one = try FeedFixtures.parse(xml: FeedFixtures.rss("<item><title>A</title><description>x</description></item>"))
        let two = try FeedFixtures.parse(xml: FeedFixtures.rss(
            "<item><title>New</title><description>y</description></item><item><title>A</title><description>x</description></item>"))
        #expect(one.posts[0].id == two.posts[1].id)
        #expect(two.posts[0].id != two.posts[1].id)
    }

    @Test func rss091WithNetscapeDoctypeAndHTMLEntities() throws {
        let feed = try FeedFixtures.parse("rss/rss091.xml")
        #expect(feed.version == "0.91")
        #expect(feed.title == "Café News")
        #expect(feed.encoding == "windows-1252")
        let post = try #require(feed.posts.first)
        #expect(post.title == "Crème brûlée day")
        #expect(post.text == "Try it — it’s «délicieux» © 2003 ™")
        #expect(post.id == "http://cafe.example.com/creme")
        #expect(post.recovered == false)
    }

    @Test func authorForms() throws {
        let cases: [(String, String)] = [
            ("<author>jo@example.org (Jo Doe)</author>", "Jo Doe"),
            ("<author>Jo Doe &lt;jo@example.org&gt;</author>", "Jo Doe"),
            ("<author>jo@example.org</author>", "jo@example.org"),
            ("<author>Jo Doe</author>", "Jo Doe"),
            ("<dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">Жанна Ким</dc:creator>", "Жанна Ким"),
            ("<itunes:author xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">Podcaster</itunes:author>", "Podcaster"),
        ]
        for (element, expected) in cases {
            let feed = try FeedFixtures.parse(xml: FeedFixtures.rss("<item><title>t</title>\(element)</item>"))
            #expect(feed.posts.first?.author == expected, "\(element)")
        }
    }

    @Test func titlesWithMarkupReadAsText() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.rss("""
            <item><title>&lt;b&gt;Bold&lt;/b&gt; and &lt;i&gt;italic&lt;/i&gt;</title></item>
            <item><title><![CDATA[<span>CDATA</span> title]]></title></item>
            <item><title>x &lt; y and AT&amp;T</title></item>
            <item><title>Double &amp;amp; escaped &amp;lt;b&amp;gt;tag&amp;lt;/b&amp;gt;</title></item>
            <item><title>  Spaces
               and newlines  </title></item>
            """))
        #expect(feed.posts.map(\.title) == ["Bold and italic", "CDATA title", "x < y and AT&T", "Double & escaped tag", "Spaces and newlines"])
    }

    @Test func emptyItemsAreSkipped() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.rss("<item></item><item><title>kept</title></item><item>   </item>"))
        #expect(feed.posts.map(\.title) == ["kept"])
    }

    @Test func repeatedGuidsForDifferentPostsStayDistinct() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.rss("""
            <item><guid>same</guid><title>First</title></item>
            <item><guid>same</guid><title>Second</title></item>
            <item><guid>same</guid><title>First</title></item>
            """))
        #expect(feed.posts.count == 2)
        #expect(feed.posts[0].id == "same")
        #expect(feed.posts[1].id.hasPrefix("same#"))
        #expect(feed.posts[1].title == "Second")
        let again = try FeedFixtures.parse(xml: FeedFixtures.rss("<item><guid>same</guid><title>Zero</title></item><item><guid>same</guid><title>Second</title></item>"))
        #expect(again.posts[1].id == feed.posts[1].id)
    }

    @Test func mediaNamespaceAndKeywords() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.rss("""
            <item xmlns:media="http://search.yahoo.com/mrss/"><title>m</title>
            <media:title>Media title</media:title>
            <media:keywords>one, two ,three</media:keywords>
            <media:thumbnail url="thumb.jpg"/>
            <media:group><media:content url="a.mp4"/><media:content url="b.mp4"/><media:description>Group text</media:description></media:group>
            </item>
            """))
        let post = try #require(feed.posts.first)
        #expect(post.tags == ["one", "two", "three"])
        #expect(post.media == ["http://example.com/thumb.jpg", "http://example.com/a.mp4", "http://example.com/b.mp4"])
        #expect(post.text == "Group text")
        #expect(post.title == "m")
    }

    @Test func undeclaredPrefixesKeepTheirConventionalMeaning() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.rss("""
            <item><title>t</title><media:content url="http://example.com/v.mp4"/><dc:creator>Undeclared</dc:creator>
            <content:encoded>&lt;p&gt;Full&lt;/p&gt;</content:encoded></item>
            """))
        let post = try #require(feed.posts.first)
        #expect(post.media == ["http://example.com/v.mp4"])
        #expect(post.author == "Undeclared")
        #expect(post.text == "Full")
        #expect(post.recovered == false)
    }

    @Test func nakedHTMLInDescription() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.rss(
            "<item><title>t</title><description><p>Naked <b>HTML</b></p><p>Second<br/>line</p></description></item>"))
        #expect(feed.posts.first?.text == "Naked HTML\nSecond\nline")
    }

    @Test func dublinCoreAndDctermsDates() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.rss("""
            <item xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><title>a</title>
            <dc:date>2023-03-01T10:00:00+02:00</dc:date><dcterms:modified>2023-03-02T00:00:00Z</dcterms:modified></item>
            <item xmlns:dcterms="http://purl.org/dc/terms/"><title>b</title><dcterms:created>2023-03-03</dcterms:created></item>
            <item><title>c</title><pubDate>not a date</pubDate></item>
            """))
        #expect(feed.posts[0].publishedAt?.utc == "2023-03-01T08:00:00Z")
        #expect(feed.posts[0].updatedAt?.utc == "2023-03-02T00:00:00Z")
        #expect(feed.posts[0].edited)
        #expect(feed.posts[1].publishedAt?.utc == "2023-03-03T00:00:00Z")
        #expect(feed.posts[2].publishedAt == nil)
    }

    @Test func relativeLinksUseTheFetchURLWhenTheFeedHasNoLink() throws {
        let xml = "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><link>/a/b</link><enclosure url=\"../c.mp3\"/></item></channel></rss>"
        let fetched = try FeedFixtures.parse(xml: xml, source: FeedSource(url: "https://host.example/feeds/rss.xml"))
        #expect(fetched.posts[0].url == "https://host.example/a/b")
        #expect(fetched.posts[0].media == ["https://host.example/c.mp3"])
        let overridden = try FeedFixtures.parse(xml: xml, source: FeedSource(url: "https://host.example/feeds/rss.xml", baseURL: "http://other.example/x/"))
        #expect(overridden.posts[0].url == "http://other.example/a/b")
        let nothing = try FeedFixtures.parse(xml: xml)
        #expect(nothing.posts[0].url == "/a/b")
    }

    /// Text taken out of what libxml2 reads (a long CDATA section; escaped HTML, whose
    /// references are decoded around libxml2) leaves its newlines behind, so an error after it
    /// is reported on its real line.
    @Test(arguments: [
        ("<![CDATA[<p>Первая строка длинного текста,\nвторая строка,\nтретья строка.</p>]]>",
         "Первая строка длинного текста, вторая строка, третья строка."),
        ("&lt;p&gt;Первая строка,\nвторая строка,\nтретья строка.&lt;/p&gt;",
         "Первая строка, вторая строка, третья строка."),
    ])
    func errorsAfterMultiLineTextNameTheirRealLine(description: String, text: String) throws {
        // The description spans lines 2–4; the mismatched end tag is on line 6.
        let xml = """
            <?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
            <item><title>one</title><description>\(description)</description></item>
            <item><title>two</title>
            <description>broken</descriptio></item>
            </channel></rss>
            """
        let feed = try FeedFixtures.parse(xml: xml)
        #expect(feed.posts.first?.text == text)
        #expect(feed.warnings.contains { $0.contains("line 6") }, "\(feed.warnings)")
    }
}
