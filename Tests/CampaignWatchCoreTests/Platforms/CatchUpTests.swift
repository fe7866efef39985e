import CampaignWatchCore
import Foundation
import Testing

@Suite struct CatchUpTests {
    private func page(ids: [String], next: PageCursor?, oldest: Date? = nil, pinned: Set<String> = []) -> PlatformPage {
        PlatformPage(posts: ids.map { Post(id: $0) }, next: next, pinnedIDs: pinned, oldestItemTime: oldest)
    }

    @Test func followsTelegramPagesUntilItReachesSeenPosts() throws {
        let first = try TelegramPreviewParser.parse(PlatformFixtures.bytes("telegram/handmade_kz_channel_page.html"))
        let second = try TelegramPreviewParser.parse(PlatformFixtures.bytes("telegram/handmade_kz_channel_page_before_1201.html"))
        let seen: Set<String> = ["aday_demo_kz/1199", "aday_demo_kz/1150"]
        var catchUp = CatchUp()
        let decision = catchUp.receive(first, requestURL: "https://t.me/s/aday_demo_kz", isSeen: seen.contains)
        #expect(decision == .fetch(url: "https://t.me/s/aday_demo_kz?before=1201", cursor: .telegramBefore("1201")))
        #expect(catchUp.receive(second, requestURL: "https://t.me/s/aday_demo_kz?before=1201", isSeen: seen.contains) == .done(.reachedSeenPosts))
        #expect(catchUp.pagesReceived == 2)
    }

    @Test func followsBlueskyCursorsAndMastodonMaxIDs() throws {
        let feed = try BlueskyFeedParser.parse(PlatformFixtures.bytes("bluesky/handmade_author_feed.json"))
        var bluesky = CatchUp()
        let url = PlatformURLs.blueskyAuthorFeed(actor: "aday-demo.bsky.social")
        #expect(bluesky.receive(feed, requestURL: url, isSeen: { _ in false })
                == .fetch(url: url + "&cursor=2024-10-11T01:00:00.000Z", cursor: .blueskyCursor("2024-10-11T01:00:00.000Z")))

        let statuses = try MastodonStatusParser.parse(PlatformFixtures.bytes("mastodon/handmade_statuses.json"))
        var mastodon = CatchUp()
        let statusesURL = "https://mastodon.example.kz/api/v1/accounts/109876543210987654/statuses?exclude_reblogs=true&limit=40"
        #expect(mastodon.receive(statuses, requestURL: statusesURL, isSeen: { _ in false })
                == .fetch(url: statusesURL + "&max_id=112345678901234500", cursor: .mastodonMaxID("112345678901234500")))
    }

    @Test func aPinnedOldPostDoesNotEndTheCatchUp() throws {
        let feed = try BlueskyFeedParser.parse(PlatformFixtures.bytes("bluesky/handmade_author_feed.json"))
        let pinned = "at://did:plc:k4z2q7m3x5v6w2n7b3c4d5e6/app.bsky.feed.post/3jzfcijpj2z2a"
        var catchUp = CatchUp()
        #expect(catchUp.receive(feed, requestURL: "https://h/x?actor=a", isSeen: { $0 == pinned }) == .fetch(url: "https://h/x?actor=a&cursor=2024-10-11T01:00:00.000Z", cursor: .blueskyCursor("2024-10-11T01:00:00.000Z")))
    }

    @Test func stopsAtTheTimeTheAccountIsKnownThrough() {
        let known = PlatformFixtures.date("2024-10-11T00:00:00Z")
        var catchUp = CatchUp(knownThrough: known)
        let newer = page(ids: ["a"], next: .blueskyCursor("c1"), oldest: known.addingTimeInterval(60))
        #expect(catchUp.receive(newer, requestURL: "https://h/x", isSeen: { _ in false }) == .fetch(url: "https://h/x?cursor=c1", cursor: .blueskyCursor("c1")))
        let reaching = page(ids: ["b"], next: .blueskyCursor("c2"), oldest: known)
        #expect(catchUp.receive(reaching, requestURL: "https://h/x?cursor=c1", isSeen: { _ in false }) == .done(.reachedKnownTime))
    }

    @Test func stopsAtThePageLimitAndSaysSo() {
        var catchUp = CatchUp(policy: CatchUpPolicy(maxPages: 3))
        var url = "https://t.me/s/burst"
        var decisions: [CatchUp.Decision] = []
        for before in [300, 280, 260] {
            let decision = catchUp.receive(page(ids: ["burst/\(before + 5)"], next: .telegramBefore("\(before)")), requestURL: url, isSeen: { _ in false })
            decisions.append(decision)
            if case .fetch(let next, _) = decision { url = next }
        }
        #expect(decisions == [
            .fetch(url: "https://t.me/s/burst?before=300", cursor: .telegramBefore("300")),
            .fetch(url: "https://t.me/s/burst?before=280", cursor: .telegramBefore("280")),
            .done(.pageLimit(3)),
        ])
    }

    @Test func aFirstPollReadsOnlyItsFirstPagesByDefault() {
        var catchUp = CatchUp(isFirstPoll: true)
        #expect(catchUp.receive(page(ids: ["x/2"], next: .telegramBefore("2")), requestURL: "https://t.me/s/x", isSeen: { _ in false }) == .done(.pageLimit(1)))
        var deeper = CatchUp(policy: CatchUpPolicy(firstPollPages: 2), isFirstPoll: true)
        #expect(deeper.receive(page(ids: ["x/2"], next: .telegramBefore("2")), requestURL: "https://t.me/s/x", isSeen: { _ in false })
                == .fetch(url: "https://t.me/s/x?before=2", cursor: .telegramBefore("2")))
    }

    @Test func stopsOnTheLastPageAnEmptyPageAndARepeatedCursor() {
        var last = CatchUp()
        #expect(last.receive(page(ids: ["x/1"], next: nil), requestURL: "https://t.me/s/x", isSeen: { _ in false }) == .done(.noOlderPage))
        var empty = CatchUp()
        #expect(empty.receive(page(ids: [], next: .telegramBefore("5")), requestURL: "https://t.me/s/x", isSeen: { _ in false }) == .done(.emptyPage))
        var looping = CatchUp()
        _ = looping.receive(page(ids: ["x/9"], next: .telegramBefore("5")), requestURL: "https://t.me/s/x", isSeen: { _ in false })
        #expect(looping.receive(page(ids: ["x/8"], next: .telegramBefore("5")), requestURL: "https://t.me/s/x?before=5", isSeen: { _ in false }) == .done(.cursorRepeated))
    }
}
