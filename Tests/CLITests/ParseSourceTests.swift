import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

/// `campaignwatch parse` on URLs served by a real HTTP server on 127.0.0.1, and `--as` for each
/// platform.
@Suite struct ParseSourceTests {
    static let platforms = CLI.repositoryRoot.appendingPathComponent("Tests/Fixtures/platforms")

    static func platformFixture(_ path: String) -> String { platforms.appendingPathComponent(path).path }

    static func objects(_ stdout: String) async throws -> [[String: Any]] { try await ParseCommandTests.objects(stdout) }

    static func server(_ routes: [(String, LoopbackRoute)]) throws -> LoopbackHTTPServer {
        let server = try LoopbackHTTPServer(workers: 1)
        for (path, route) in routes { server.route(path, route) }
        try server.start()
        return server
    }

    // MARK: URLs

    @Test func aURLIsFetchedFollowingRedirectsAndDecompressed() async throws {
        let feed = try Data(contentsOf: ParseCommandTests.fixtures.appendingPathComponent("rss/rss20-full.xml"))
        let server = try Self.server([
            ("/feed.xml", .resource(LoopbackResource(body: Array(feed), contentType: "application/rss+xml", codings: [.gzip]))),
            ("/old-feed", .redirect(to: "/feed.xml", status: 301)),
        ])
        defer { server.stop() }
        let fromURL = try await CLI.run(["parse", server.url("/old-feed")])
        #expect(fromURL.status == 0, "\(fromURL.stderr)")
        #expect(fromURL.stderr.isEmpty)
        let fromFile = try await CLI.run(["parse", ParseCommandTests.fixture("rss/rss20-full.xml")])
        #expect(fromURL.stdout == fromFile.stdout)
        await #expect(try Self.objects(fromURL.stdout).count == 5)
        let requests = server.requests(path: "/feed.xml")
        #expect(requests.count == 1)
        #expect(requests.first?.request.header("accept-encoding")?.contains("gzip") == true)
        #expect(requests.first?.request.header("accept")?.contains("application/rss+xml") == true)
    }

    @Test func theServersCharsetAndAddressAreUsed() async throws {
        // windows-1251 bytes, declared only by the HTTP header; a relative link, resolved against
        // the address the document came from after the redirect.
        let xml = "<rss><channel><item><title>\u{C2}\u{FB}\u{E1}\u{EE}\u{F0}\u{FB}</title><link>post/1</link></item></channel></rss>"
        let bytes = xml.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        let server = try Self.server([
            ("/news/feed", .resource(LoopbackResource(body: bytes, contentType: "application/rss+xml; charset=windows-1251"))),
            ("/feed", .redirect(to: "/news/feed")),
        ])
        defer { server.stop() }
        let result = try await CLI.run(["parse", server.url("/feed")])
        #expect(result.status == 0, "\(result.stderr)")
        let post = try await #require(try Self.objects(result.stdout).first)
        #expect(post["title"] as? String == "Выборы")
        #expect(post["url"] as? String == server.url("/news/post/1"))
        let based = try await CLI.run(["parse", "--base-url", "https://candidate.example.kz/blog/", server.url("/feed")])
        await #expect(try Self.objects(based.stdout).first?["url"] as? String == "https://candidate.example.kz/blog/post/1")
    }

    @Test func aFailingURLSaysWhyAndExits1() async throws {
        let server = try Self.server([
            ("/gone", .text("no such feed\n", status: 404)),
            ("/busy", .retryAfter("120", status: 503)),
            ("/huge", .huge(bytes: 11 << 20)),
            ("/loop", .redirect(to: "/loop")),
        ])
        let notFound = try await CLI.run(["parse", server.url("/gone")])
        #expect(notFound.status == 1)
        #expect(notFound.stdout.isEmpty)
        #expect(notFound.stderr == "campaignwatch parse: \(server.url("/gone")): HTTP 404 Not Found\n")
        let busy = try await CLI.run(["parse", server.url("/busy")])
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("HTTP 503 Service Unavailable"))
        let huge = try await CLI.run(["parse", server.url("/huge")])
        #expect(huge.status == 1)
        #expect(huge.stderr.contains("body larger than \(10 * 1024 * 1024) bytes"))
        let loop = try await CLI.run(["parse", server.url("/loop")])
        #expect(loop.status == 1)
        #expect(loop.stderr.contains("more than 5 redirects"))
        server.stop()
        // Nothing listens on port 1.
        let address = "http://127.0.0.1:1/feed.xml"
        let refused = try await CLI.run(["parse", address])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("campaignwatch parse: \(address): cannot connect"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
    }

    @Test func aFetchedDocumentThatIsNotAFeedExits65() async throws {
        let server = try Self.server([("/page", .text("<!DOCTYPE html><html><body>Hi</body></html>", headers: [HTTPHeader("Content-Type", "text/html")]))])
        defer { server.stop() }
        let result = try await CLI.run(["parse", server.url("/page")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("HTML page"))
    }

    // MARK: Platforms

    @Test func telegramChannelPreview() async throws {
        let result = try await CLI.run(["parse", "--as", "telegram", Self.platformFixture("telegram/handmade_kz_channel_page.html")])
        #expect(result.status == 0, "\(result.stderr)")
        let posts = try await Self.objects(result.stdout)
        #expect(posts.map { $0["id"] as? String } == [1201, 1202, 1204, 1205, 1206, 1207, 1208, 1210, 1211, 1212].map { "aday_demo_kz/\($0)" })
        let first = try #require(posts.first)
        #expect(first["url"] as? String == "https://t.me/aday_demo_kz/1201")
        #expect(first["published_at"] as? String == "2023-02-10T05:12:44Z")
        #expect(first["tags"] as? [String] == ["сайлау2023", "Алматы"])
        #expect(result.stderr.contains("skipped 1 item(s): 1 service-message"))
        #expect(result.stderr.contains("next (older) page: before=1201"))
    }

    @Test func telegramFromAURLAndAChannelWithoutPreview() async throws {
        let page = try Data(contentsOf: Self.platforms.appendingPathComponent("telegram/handmade_kz_channel_page.html"))
        let contact = try Data(contentsOf: Self.platforms.appendingPathComponent("telegram/handmade_contact_page_no_preview.html"))
        let server = try Self.server([
            ("/s/aday_demo_kz", .resource(LoopbackResource(body: Array(page), contentType: "text/html; charset=utf-8"))),
            ("/s/aday_private_kz", .redirect(to: "/aday_private_kz")),
            ("/aday_private_kz", .resource(LoopbackResource(body: Array(contact), contentType: "text/html; charset=utf-8"))),
        ])
        defer { server.stop() }
        let result = try await CLI.run(["parse", "--as", "telegram", server.url("/s/aday_demo_kz")])
        #expect(result.status == 0, "\(result.stderr)")
        await #expect(try Self.objects(result.stdout).count == 10)
        #expect(server.requests(path: "/s/aday_demo_kz").first?.request.header("accept-language") == "en")

        let noPreview = try await CLI.run(["parse", "--as", "telegram", server.url("/s/aday_private_kz")])
        #expect(noPreview.status == 1)
        #expect(noPreview.stdout.isEmpty)
        #expect(noPreview.stderr.contains("telegram: "))
        #expect(noPreview.stderr.contains("channel \"aday_private_kz\" has no public web preview"))
    }

    @Test func blueskyAuthorFeed() async throws {
        let result = try await CLI.run(["parse", "--as", "bluesky", Self.platformFixture("bluesky/handmade_author_feed.json")])
        #expect(result.status == 0, "\(result.stderr)")
        let posts = try await Self.objects(result.stdout)
        #expect(posts.count == 8)
        #expect(posts.allSatisfy { ($0["id"] as? String)?.hasPrefix("at://") == true })
        #expect(posts.allSatisfy { ($0["url"] as? String)?.hasPrefix("https://bsky.app/profile/") == true })
        #expect(result.stderr.contains("skipped 1 item(s): 1 repost"))
    }

    @Test func blueskyErrorAnswers() async throws {
        let notFound = try Data(contentsOf: Self.platforms.appendingPathComponent("bluesky/handmade_profile_not_found.json"))
        let server = try Self.server([
            ("/xrpc/app.bsky.feed.getAuthorFeed", .handler { _ in
                LoopbackResponse(status: 400, headers: [HTTPHeader("Content-Type", "application/json")], body: .bytes(Array(notFound)))
            }),
        ])
        defer { server.stop() }
        let fetched = try await CLI.run(["parse", "--as", "bluesky", server.url("/xrpc/app.bsky.feed.getAuthorFeed?actor=nobody.bsky.social")])
        #expect(fetched.status == 1)
        #expect(fetched.stderr.contains("HTTP 400 Bad Request"))
        #expect(fetched.stderr.contains("Profile not found"))
        #expect(fetched.stderr.contains("\"nobody.bsky.social\""))
        let truncated = try await CLI.run(["parse", "--as", "bluesky", Self.platformFixture("bluesky/handmade_truncated_feed.json")])
        #expect(truncated.status == 65)
        #expect(truncated.stderr.contains("malformed JSON"))
        let fromFile = try await CLI.run(["parse", "--as", "bluesky", Self.platformFixture("bluesky/handmade_profile_not_found.json")])
        #expect(fromFile.status == 1)
    }

    @Test func mastodonStatuses() async throws {
        let result = try await CLI.run(["parse", "--as", "mastodon", Self.platformFixture("mastodon/handmade_statuses.json")])
        #expect(result.status == 0, "\(result.stderr)")
        let posts = try await Self.objects(result.stdout)
        #expect(posts.count == 5)
        #expect(posts.allSatisfy { ($0["id"] as? String)?.hasPrefix("https://") == true })
        #expect(result.stderr.contains("next (older) page: max_id=112345678901234500"))
        let malformed = try await CLI.run(["parse", "--as", "mastodon", Self.platformFixture("mastodon/handmade_malformed_statuses.json")])
        #expect(malformed.status == 65)
        #expect(malformed.stderr.split(separator: "\n").count == 1)
        let limited = try await CLI.run(["parse", "--as", "mastodon", Self.platformFixture("mastodon/handmade_rate_limited.json")])
        #expect(limited.status == 1)
        #expect(limited.stderr.contains("mastodon: "))
    }

    @Test func youtubeChannelFeed() async throws {
        let result = try await CLI.run(["parse", "--as", "youtube", Self.platformFixture("youtube/handmade_channel_feed_real_entries.xml")])
        #expect(result.status == 0, "\(result.stderr)")
        let posts = try await Self.objects(result.stdout)
        #expect(posts.map { $0["id"] as? String } == ["yt:video:7-1tNo8HAwk", "yt:video:-INveHwbRz4"])
        #expect(posts.first?["published_at"] as? String == "2026-05-12T16:52:13Z")
        #expect((posts.first?["text"] as? String)?.hasPrefix("New in Claude: tools built") == true)
        #expect(posts.first?["media"] as? [String] == ["https://i4.ytimg.com/vi/7-1tNo8HAwk/hqdefault.jpg"])

        let notFound = try Data(contentsOf: Self.platforms.appendingPathComponent("youtube/handmade_not_found.html"))
        let server = try Self.server([("/feeds/videos.xml", .handler { _ in
            LoopbackResponse(status: 404, headers: [HTTPHeader("Content-Type", "text/html")], body: .bytes(Array(notFound)))
        })])
        defer { server.stop() }
        let missing = try await CLI.run(["parse", "--as", "youtube", server.url("/feeds/videos.xml?channel_id=UCnope")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("HTTP 404 Not Found"))
        #expect(missing.stderr.contains("youtube: "))
    }

    @Test func anEmptyChannelIsNoError() async throws {
        let result = try await CLI.run(["parse", "--as", "youtube", Self.platformFixture("youtube/handmade_empty_channel_feed.xml")])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("the account has no posts"))
    }
}
