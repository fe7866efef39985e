@testable import CampaignWatchCore
import Foundation
import Testing

/// Broken feeds are read as far as they go, and the posts say which were read past an error.
@Suite struct RecoveryTests {
    @Test func missingClosingTags() throws {
        let feed = try FeedFixtures.parse("broken/missing-closing-tags.xml")
        #expect(feed.posts.map(\.title) == ["First is fine", "Second lacks its closing item tag", "Third after the broken one"])
        #expect(feed.posts.map(\.recovered) == [false, true, true])
        #expect(feed.posts[0].text == "Fine & well formed")
        // Entities after the error are still decoded.
        #expect(feed.posts[1].text == "Text after the error still & decoded")
        #expect(!feed.warnings.isEmpty)
    }

    @Test func undefinedEntitiesBareAmpersandsAndBareLessThan() throws {
        let feed = try FeedFixtures.parse("broken/undefined-entities.xml")
        #expect(feed.posts.count == 3)
        #expect(feed.posts[0].recovered == false)
        let post = feed.posts[1]
        #expect(post.title == "HTML entities «work» … €5")
        #expect(post.url == "http://entities.example.com/1?a=1&b=2")
        #expect(post.text == "Tom & Jerry & &unknownentity; – — 5 < 6 bold")
        #expect(post.recovered)
        #expect(feed.posts[2].title == "After the undefined one & still <decoded>")
        #expect(feed.posts[2].recovered)
        #expect(feed.warnings.contains { $0.contains("undefined entity &unknownentity;") })
    }

    @Test func badNestingInNakedHTML() throws {
        let feed = try FeedFixtures.parse("broken/bad-nesting.xml")
        #expect(feed.posts.count == 2)
        #expect(feed.posts[0].text.hasPrefix("One two three"))
        #expect(feed.posts[1].title == "Next item & friends")
        #expect(feed.posts[1].text == "Still read")
        #expect(feed.posts[1].recovered)
    }

    @Test func junkAfterTheRoot() throws {
        let feed = try FeedFixtures.parse("broken/junk-after-root.xml")
        #expect(feed.posts.map(\.title) == ["Only item"])
        #expect(feed.posts[0].recovered == false)
        #expect(feed.warnings.contains { $0.contains("Extra content") })
    }

    @Test func textBeforeTheDocument() throws {
        let feed = try FeedFixtures.parse("broken/text-before-root.xml")
        #expect(feed.posts.map(\.title) == ["Despite the notice"])
        #expect(feed.posts[0].recovered)
        #expect(feed.warnings.contains { $0.contains("before the document skipped") })
    }

    @Test func truncatedDocument() throws {
        let feed = try FeedFixtures.parse("broken/truncated.xml")
        #expect(feed.posts.map(\.title) == ["Complete", "Cut off in the middle"])
        #expect(feed.posts.map(\.recovered) == [false, true])
        #expect(feed.posts[1].url == "http://cut.example.com/2")
        #expect(feed.posts[1].text == "The download stopped he")
        let raw = String(decoding: try #require(feed.posts[1].raw), as: UTF8.self)
        #expect(raw.hasPrefix("<item><title>Cut off"))
    }

    @Test func controlCharactersBecomeSpaces() throws {
        let feed = try FeedFixtures.parse("broken/control-characters.xml")
        #expect(feed.posts.map(\.title) == ["Vertical tab and start of heading", "Next"])
        #expect(feed.posts.map(\.recovered) == [true, true])
    }

    @Test func whitespaceBeforeTheDeclaration() throws {
        let feed = try FeedFixtures.parse(xml: "\n\n  " + FeedFixtures.rss("<item><title>ok</title></item>"))
        #expect(feed.posts.map(\.title) == ["ok"])
        #expect(feed.posts[0].recovered == false)
    }

    @Test func attributeWithBareAmpersandAndEntities() throws {
        let feed = try FeedFixtures.parse(xml: FeedFixtures.atom(
            "<entry><id>1</id><title>t</title><link href=\"http://x.example/?a=1&b=2&amp;c=3&copy=4&laquo;x\"/></entry>"))
        #expect(feed.posts.first?.url == "http://x.example/?a=1&b=2&c=3&copy=4«x")
    }
}
