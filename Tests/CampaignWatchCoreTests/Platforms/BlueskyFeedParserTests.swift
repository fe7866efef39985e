import CampaignWatchCore
import Foundation
import Testing

@Suite struct BlueskyFeedParserTests {
    static let did = "did:plc:k4z2q7m3x5v6w2n7b3c4d5e6"

    private func feed(_ options: PlatformOptions = PlatformOptions(), response: PlatformHTTPResponse? = nil) throws -> PlatformPage {
        try BlueskyFeedParser.parse(
            PlatformFixtures.bytes("bluesky/handmade_author_feed.json"),
            context: PlatformContext(account: "aday-demo.bsky.social", response: response, options: options))
    }

    private func post(_ page: PlatformPage, _ rkey: String) throws -> Post {
        let id = "at://\(Self.did)/app.bsky.feed.post/\(rkey)"
        return try #require(page.posts.first { $0.id == id }, "no post \(id)")
    }

    // MARK: The real postView

    @Test func readsTheRealPostView() throws {
        let bytes = try PlatformFixtures.bytes("bluesky/postView_single_with_threadgate.json")
        let page = try BlueskyFeedParser.parse(bytes)
        let post = try #require(page.posts.first)
        #expect(page.posts.count == 1)
        #expect(post.id == "at://did:plc:hfgp6pj3akhqxntgqwramlbg/app.bsky.feed.post/3l66cdbste424")
        #expect(post.url == "https://bsky.app/profile/blowdart.me/post/3l66cdbste424")
        #expect(post.text == "What doesn't kill you disappoints me.")
        #expect(post.author == "Barry Dorrans (@blowdart.me)")
        #expect(post.publishedAt == PlatformFixtures.date("2024-10-10T16:43:37.262Z"))
        #expect(post.declaredAt == PlatformFixtures.date("2024-10-10T16:43:37.262Z"))
        #expect(post.title == nil)
        #expect(post.edited == false)
        #expect(post.media.isEmpty)
        #expect(post.raw.map { String(decoding: $0, as: UTF8.self) } == String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func readsTheRealPostViewInItsFeedEnvelope() throws {
        let page = try BlueskyFeedParser.parse(PlatformFixtures.bytes("bluesky/author_feed_real_item.json"))
        #expect(page.posts.map(\.id) == ["at://did:plc:hfgp6pj3akhqxntgqwramlbg/app.bsky.feed.post/3l66cdbste424"])
        #expect(page.next == .blueskyCursor("2024-10-10T16:43:37.262Z"))
        #expect(page.accountName == "Barry Dorrans")
    }

    // MARK: A whole author feed

    @Test func keepsTheAccountsOwnPostsAndSkipsReposts() throws {
        let page = try feed()
        #expect(page.itemCount == 9)
        #expect(page.posts.count == 8)
        #expect(page.skipped == [PlatformPage.Skipped(id: "at://\(Self.did)/app.bsky.feed.repost/3l6aaaaaaaz2c", reason: .repost)])
        #expect(page.next == .blueskyCursor("2024-10-11T01:00:00.000Z"))
        #expect(page.pinnedIDs == ["at://\(Self.did)/app.bsky.feed.post/3jzfcijpj2z2a"])
        #expect(page.accountName == "Айбек Сейітов")
        // The pinned 2022 post is not what the page reaches back to.
        #expect(page.oldestItemTime == PlatformFixtures.date("2024-10-11T01:00:00.000Z"))
    }

    @Test func resolvesFacetsOverMultiByteText() throws {
        let post = try post(try feed(), "3l6aaaaaaaa2c")
        #expect(post.text == """
            Сайлау 2024 🇰🇿 — бағдарлама: https://saylau.example.kz/bagdarlama/2024?lang=kk @aiman.bsky.social бізбен бірге! #сайлау

            Кездесуге келген сайлаушылар
            Плакат: Голосуйте 20 октября
            """)
        #expect(post.tags == ["сайлау", "AlmatyVotes"])
        #expect(post.media == [
            "https://cdn.bsky.app/img/feed_fullsize/plain/\(Self.did)/bafkreiimageone0000000000000000000000000000000000000000@jpeg",
            "https://cdn.bsky.app/img/feed_fullsize/plain/\(Self.did)/bafkreiimagetwo0000000000000000000000000000000000000000@jpeg",
        ])
        #expect(post.url == "https://bsky.app/profile/aday-demo.bsky.social/post/3l6aaaaaaaa2c")
        #expect(post.author == "Айбек Сейітов (@aday-demo.bsky.social)")
        #expect(post.publishedAt == PlatformFixtures.date("2024-10-11T07:59:58.120Z"))
        #expect(post.declaredAt == post.publishedAt)
    }

    @Test func aBackdatedPostIsTimedWhenTheNetworkSawIt() throws {
        let post = try post(try feed(), "3l6aaaaaaab2c")
        #expect(post.publishedAt == PlatformFixtures.date("2024-10-11T06:30:00.000Z"))
        #expect(post.declaredAt == PlatformFixtures.date("2023-02-01T10:00:00.000Z"))
    }

    @Test func aFutureDatedPostIsTimedWhenTheNetworkSawIt() throws {
        let post = try post(try feed(), "3l6aaaaaaac2c")
        #expect(post.publishedAt == PlatformFixtures.date("2024-10-11T05:00:00.500Z"))
        #expect(post.declaredAt == PlatformFixtures.date("2024-10-12T09:00:05.000Z"))
    }

    @Test func theDeclaredTimeStandsWithinTheHour() {
        let indexed = PlatformFixtures.date("2024-10-11T08:00:00.000Z")
        #expect(BlueskyFeedParser.platformTime(createdAt: indexed.addingTimeInterval(-3599), indexedAt: indexed) == indexed.addingTimeInterval(-3599))
        #expect(BlueskyFeedParser.platformTime(createdAt: indexed.addingTimeInterval(-3601), indexedAt: indexed) == indexed)
        #expect(BlueskyFeedParser.platformTime(createdAt: indexed.addingTimeInterval(0.001), indexedAt: indexed) == indexed)
        #expect(BlueskyFeedParser.platformTime(createdAt: nil, indexedAt: indexed) == indexed)
        #expect(BlueskyFeedParser.platformTime(createdAt: indexed, indexedAt: nil) == indexed)
    }

    @Test func aQuotePostNamesTheQuotedPostButNotItsText() throws {
        let post = try post(try feed(), "3l6aaaaaaaf2c")
        #expect(post.text == """
            Міне, біздің үндеу:

            Кандидаттың үндеуі, 1 минут

            https://bsky.app/profile/did:plc:o7t3h2e4r5a6c7c8o9u2n3t4/post/3l5zzzzzzzz2c
            """)
        #expect(!post.text.contains("QUOTED-TEXT"))
        #expect(post.media == ["https://video.bsky.app/watch/did%3Aplc%3Ak4z2q7m3x5v6w2n7b3c4d5e6/bafkreivideo000000000000000000000000000000000000000000/playlist.m3u8"])
    }

    @Test func aLinkCardAddsItsTitleDescriptionAndAddress() throws {
        let post = try post(try feed(), "3l6aaaaaaag2c")
        #expect(post.text == "Наша программа на сайте\n\nПрограмма кандидата\nДесять шагов для Алматы\nhttps://aday.example.kz/programma")
        #expect(post.media.isEmpty)
    }

    @Test func replyOptions() throws {
        let all = try feed().posts.map(\.id)
        #expect(all.contains("at://\(Self.did)/app.bsky.feed.post/3l6aaaaaaad2c"))
        #expect(all.contains("at://\(Self.did)/app.bsky.feed.post/3l6aaaaaaae2c"))

        let own = try feed(PlatformOptions(replies: .ownThreads))
        #expect(own.posts.contains { $0.id.hasSuffix("3l6aaaaaaad2c") })
        #expect(!own.posts.contains { $0.id.hasSuffix("3l6aaaaaaae2c") })
        #expect(own.skipped.contains(PlatformPage.Skipped(id: "at://\(Self.did)/app.bsky.feed.post/3l6aaaaaaae2c", reason: .reply)))

        let none = try feed(PlatformOptions(replies: .none))
        #expect(none.posts.count == 6)
        #expect(none.skipped.filter { $0.reason == .reply }.count == 2)
    }

    @Test func keepsRepostsWhenAskedWithTheOriginalAsServed() throws {
        let page = try feed(PlatformOptions(includeReposts: true))
        #expect(page.posts.count == 9)
        let repost = try #require(page.posts.first { $0.id == "at://\(Self.did)/app.bsky.feed.repost/3l6aaaaaaaz2c" })
        #expect(repost.text == "What doesn't kill you disappoints me.")
        #expect(repost.author == "Айбек Сейітов (@aday-demo.bsky.social)")
        #expect(repost.forwardedFrom == "Barry Dorrans (@blowdart.me) (https://bsky.app/profile/blowdart.me/post/3l66cdbste424)")
        #expect(repost.publishedAt == PlatformFixtures.date("2024-10-11T08:30:00.000Z"))
        #expect(repost.url == "https://bsky.app/profile/blowdart.me/post/3l66cdbste424")
        let original = try PlatformFixtures.bytes("bluesky/postView_single_with_threadgate.json")
        let trimmed = Array(String(decoding: original, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        #expect(try #require(repost.raw).containsRun(trimmed))
    }

    // MARK: Errors and edge cases

    @Test func anUnknownProfileIsAccountNotFound() throws {
        let bytes = try PlatformFixtures.bytes("bluesky/handmade_profile_not_found.json")
        let context = PlatformContext(account: "nobody.bsky.social", response: PlatformHTTPResponse(status: 400))
        let error = try #require(throws: PlatformParseError.self) { try BlueskyFeedParser.parse(bytes, context: context) }
        #expect(error.kind == .accountNotFound)
        #expect(error.message.contains("\"nobody.bsky.social\""))
        #expect(error.message.contains("Profile not found"))
        // The same body read from a file, without the status.
        let fromFile = try #require(throws: PlatformParseError.self) { try BlueskyFeedParser.parse(bytes) }
        #expect(fromFile.kind == .accountNotFound)
    }

    @Test func rateLimitsSayHowLongToWait() throws {
        let bytes = try PlatformFixtures.bytes("bluesky/handmade_rate_limited.json")
        let received = PlatformFixtures.date("2024-10-11T08:00:00Z")
        let response = PlatformHTTPResponse(status: 429, headers: ["RateLimit-Reset": "\(Int(received.timeIntervalSince1970) + 90)"], receivedAt: received)
        let error = try #require(throws: PlatformParseError.self) {
            try BlueskyFeedParser.parse(bytes, context: PlatformContext(response: response))
        }
        #expect(error.kind == .rateLimited(retryAfter: 90))
        let bodyOnly = try #require(throws: PlatformParseError.self) { try BlueskyFeedParser.parse(bytes) }
        #expect(bodyOnly.kind == .rateLimited(retryAfter: nil))
        #expect(bodyOnly.message.contains("RateLimitExceeded"))
    }

    @Test func aTruncatedAnswerSaysWhereItBroke() throws {
        let bytes = try PlatformFixtures.bytes("bluesky/handmade_truncated_feed.json")
        let error = try #require(throws: PlatformParseError.self) { try BlueskyFeedParser.parse(bytes) }
        #expect(error.kind == .malformedDocument)
        // The answer stops inside a string: the error names where that string starts.
        let position = try #require(error.jsonError)
        #expect(position.offset == 1449)
        #expect(position.line == 11)
        #expect(position.column == 31)
        #expect(error.message == "malformed JSON in the getAuthorFeed answer at line 11, column 31 (byte 1449): unterminated string that starts at byte 1449")
    }

    @Test func anEmptyFeedIsNoError() throws {
        let page = try BlueskyFeedParser.parse(PlatformFixtures.bytes("bluesky/handmade_empty_feed.json"))
        #expect(page.posts.isEmpty)
        #expect(page.empty == .noPosts)
        #expect(page.next == nil)
    }

    @Test func anUnknownShapeIsALayoutChange() throws {
        let error = try #require(throws: PlatformParseError.self) { try BlueskyFeedParser.parse(Array(#"{"items":[]}"#.utf8)) }
        #expect(error.kind == .layoutChanged)
        let notArray = try #require(throws: PlatformParseError.self) { try BlueskyFeedParser.parse(Array(#"{"feed":{}}"#.utf8)) }
        #expect(notArray.kind == .layoutChanged)
        #expect(notArray.message.contains("an object"))
    }

    @Test func badFacetsAreIgnoredNotTrusted() throws {
        // byteEnd past the end, a range that splits "ә" (two bytes), and a custom link text.
        let json = #"""
        {"feed":[{"post":{"uri":"at://did:plc:x/app.bsky.feed.post/1","cid":"c","author":{"did":"did:plc:x","handle":"x.example"},
          "indexedAt":"2024-10-11T08:00:00.000Z",
          "record":{"$type":"app.bsky.feed.post","createdAt":"2024-10-11T08:00:00.000Z","text":"әләм site",
            "facets":[{"index":{"byteStart":0,"byteEnd":99},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"far"}]},
                      {"index":{"byteStart":1,"byteEnd":4},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"split"}]},
                      {"index":{"byteStart":9,"byteEnd":13},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.org/"}]}]}}}]}
        """#
        let post = try #require(try BlueskyFeedParser.parse(Array(json.utf8)).posts.first)
        #expect(post.text == "әләм site")
        #expect(post.tags.isEmpty)
    }
}
