import CampaignWatchCore
import Foundation
import Testing

@Suite struct PlatformURLsTests {
    @Test func buildsEachPlatformsURL() throws {
        #expect(PlatformURLs.telegramPreview(channel: "durov") == "https://t.me/s/durov")
        #expect(PlatformURLs.telegramPreview(channel: "@durov", baseURL: "http://127.0.0.1:8080/s") == "http://127.0.0.1:8080/s/durov")
        #expect(PlatformURLs.telegramPreview(channel: "https://t.me/s/durov/531") == "https://t.me/s/durov")
        #expect(PlatformURLs.blueskyAuthorFeed(actor: "aday-demo.bsky.social")
                == "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=aday-demo.bsky.social&limit=50&filter=posts_with_replies")
        #expect(PlatformURLs.blueskyAuthorFeed(actor: "did:plc:k4z2q7m3x5v6w2n7b3c4d5e6", baseURL: "http://127.0.0.1:9000/", limit: 500, replies: .ownThreads)
                == "http://127.0.0.1:9000/xrpc/app.bsky.feed.getAuthorFeed?actor=did:plc:k4z2q7m3x5v6w2n7b3c4d5e6&limit=100&filter=posts_and_author_threads")
        #expect(PlatformURLs.blueskyAuthorFeed(actor: "https://bsky.app/profile/x.example", replies: .none).hasSuffix("actor=x.example&limit=50&filter=posts_no_replies"))
        let handle = try #require(MastodonHandle("@aday@Mastodon.Example.KZ"))
        #expect(handle.user == "aday")
        #expect(handle.instance == "mastodon.example.kz")
        #expect(PlatformURLs.mastodonLookup(handle) == "https://mastodon.example.kz/api/v1/accounts/lookup?acct=aday")
        #expect(PlatformURLs.mastodonStatuses(accountID: "109876543210987654", handle: handle)
                == "https://mastodon.example.kz/api/v1/accounts/109876543210987654/statuses?exclude_reblogs=true&limit=40")
        #expect(PlatformURLs.mastodonStatuses(accountID: "1", handle: handle, origin: "http://127.0.0.1:8080/", options: PlatformOptions(replies: .none))
                == "http://127.0.0.1:8080/api/v1/accounts/1/statuses?exclude_reblogs=true&exclude_replies=true&limit=40")
        #expect(PlatformURLs.mastodonRSS(handle) == "https://mastodon.example.kz/@aday.rss")
        #expect(PlatformURLs.youtubeFeed(channelID: "UCV03SRZXJEz-hchIAogeJOg") == "https://www.youtube.com/feeds/videos.xml?channel_id=UCV03SRZXJEz-hchIAogeJOg")
    }

    @Test func derivesTheFirstURLOfAnAccount() {
        #expect(PlatformURLs.firstURL(.telegram, handle: "@zhylanbayev") == "https://t.me/s/zhylanbayev")
        #expect(PlatformURLs.firstURL(.telegram, handle: "zhylanbayev_kz", baseURL: "http://127.0.0.1:8080/s/") == "http://127.0.0.1:8080/s/zhylanbayev_kz")
        #expect(PlatformURLs.firstURL(.bluesky, handle: "zhylanbayev.bsky.social", options: PlatformOptions(replies: .ownThreads))
                == "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=zhylanbayev.bsky.social&limit=50&filter=posts_and_author_threads")
        #expect(PlatformURLs.firstURL(.mastodon, handle: "@marat@mastodon.social") == "https://mastodon.social/api/v1/accounts/lookup?acct=marat")
        #expect(PlatformURLs.firstURL(.mastodon, handle: "@marat@mastodon.social", baseURL: "http://127.0.0.1:8080") == "http://127.0.0.1:8080/api/v1/accounts/lookup?acct=marat")
        #expect(PlatformURLs.firstURL(.mastodon, handle: "marat") == nil)
        #expect(PlatformURLs.firstURL(.youtube, handle: "UC0123456789abcdefghijkl") == "https://www.youtube.com/feeds/videos.xml?channel_id=UC0123456789abcdefghijkl")
        #expect(PlatformURLs.firstURL(.telegram, handle: "  ") == nil)
    }

    @Test func readsMastodonHandlesInTheirUsualForms() {
        #expect(MastodonHandle("aday@mastodon.example.kz")?.description == "@aday@mastodon.example.kz")
        #expect(MastodonHandle("https://mastodon.example.kz/@aday")?.description == "@aday@mastodon.example.kz")
        #expect(MastodonHandle("https://mastodon.example.kz/users/aday/statuses/1")?.description == "@aday@mastodon.example.kz")
        #expect(MastodonHandle("@aday") == nil)
        #expect(MastodonHandle("aday@localhost") == nil)
        #expect(MastodonHandle("https://mastodon.example.kz/about") == nil)
    }

    @Test func setsTheCursorOnTheURLThePageCameFrom() {
        #expect(PlatformURLs.nextPage(of: "https://t.me/s/durov", cursor: .telegramBefore("531")) == "https://t.me/s/durov?before=531")
        #expect(PlatformURLs.nextPage(of: "https://t.me/s/durov?before=600", cursor: .telegramBefore("531")) == "https://t.me/s/durov?before=531")
        #expect(PlatformURLs.nextPage(of: "https://h/xrpc/app.bsky.feed.getAuthorFeed?actor=a&limit=50&cursor=old", cursor: .blueskyCursor("2024-10-11T01:00:00.000Z+x"))
                == "https://h/xrpc/app.bsky.feed.getAuthorFeed?actor=a&limit=50&cursor=2024-10-11T01:00:00.000Z%2Bx")
        #expect(PlatformURLs.nextPage(of: "https://m/api/v1/accounts/1/statuses?exclude_reblogs=true&limit=40", cursor: .mastodonMaxID("99"))
                == "https://m/api/v1/accounts/1/statuses?exclude_reblogs=true&limit=40&max_id=99")
    }

    @Test func readsTheLinkHeader() {
        let header = #"<https://m.example/api/v1/accounts/1/statuses?max_id=7163058>; rel="next", <https://m.example/api/v1/accounts/1/statuses?min_id=7275607>; rel="prev""#
        let next = MastodonLinkHeader.next(in: header)
        #expect(next == "https://m.example/api/v1/accounts/1/statuses?max_id=7163058")
        #expect(next.flatMap { MastodonLinkHeader.queryValue("max_id", in: $0) } == "7163058")
        #expect(MastodonLinkHeader.next(in: #"<https://m.example/x?min_id=1>; rel="prev""#) == nil)
    }

    @Test func socialPlatformsMapOntoTheConfiguredOnes() {
        #expect(SocialPlatform(.telegram) == .telegram)
        #expect(SocialPlatform(.rss) == nil)
        #expect(SocialPlatform.allCases.map(\.platform) == [.telegram, .bluesky, .mastodon, .youtube])
    }
}

@Suite struct PlatformTimeTests {
    @Test(arguments: [
        ("2023-02-24T07:48:02+00:00", 1_677_224_882.0),
        ("2024-10-10T16:43:37.262Z", 1_728_578_617.262),
        ("2023-01-28T20:02:11+06:00", 1_674_914_531.0),
        ("2023-01-28t14:02:11z", 1_674_914_531.0),
        ("2023-01-28 09:02:11-0500", 1_674_914_531.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func readsRFC3339(text: String, seconds: Double) throws {
        let date = try #require(PlatformTime.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.0005)
    }

    @Test(arguments: ["2023-02-24T07:48:02", "2023-02-30T00:00:00Z", "2023-13-01T00:00:00Z", "2023-02-24T25:00:00Z",
                      "24.02.2023 07:48", "", "2023-02-24T07:48:02+00:00 trailing", "2023-02-24T07:48:02.Z"])
    func refusesWhatItCannotReadForSure(text: String) {
        #expect(PlatformTime.parse(text) == nil)
    }
}

@Suite struct PlatformResponseCheckTests {
    @Test func readsRetryAfterInItsForms() {
        let received = PlatformFixtures.date("2015-10-21T07:27:00Z")
        #expect(PlatformResponseCheck.retryAfter(PlatformHTTPResponse(status: 429, headers: ["Retry-After": "120"])) == 120)
        #expect(PlatformResponseCheck.retryAfter(PlatformHTTPResponse(status: 429, headers: ["retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"], receivedAt: received)) == 60)
        #expect(PlatformResponseCheck.retryAfter(PlatformHTTPResponse(status: 429, headers: ["ratelimit-reset": "1445412480"], receivedAt: received)) == 60)
        #expect(PlatformResponseCheck.retryAfter(PlatformHTTPResponse(status: 429)) == nil)
    }
}
