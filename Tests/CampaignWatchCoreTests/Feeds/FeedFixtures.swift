@testable import CampaignWatchCore
import Foundation
import Testing

/// Fixture files under Tests/Fixtures/feeds/.
enum FeedFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/feeds")

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(path)))
    }

    static func parse(_ path: String, source: FeedSource = FeedSource(), format: FeedFormat? = nil) throws -> ParsedFeed {
        try FeedParser.parse(bytes(path), source: source, format: format)
    }

    static func parse(xml: String, source: FeedSource = FeedSource(), format: FeedFormat? = nil) throws -> ParsedFeed {
        try FeedParser.parse(Array(xml.utf8), source: source, format: format)
    }

    /// An RSS 2.0 document with `items` inside its channel.
    static func rss(_ items: String, channel: String = "<title>T</title><link>http://example.com/</link>") -> String {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>\(channel)\(items)</channel></rss>"
    }

    /// An Atom 1.0 document with `entries`.
    static func atom(_ entries: String, head: String = "<title>T</title>") -> String {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\(head)\(entries)</feed>"
    }
}

extension Date {
    var utc: String { Timestamp.utc(self) }
}
