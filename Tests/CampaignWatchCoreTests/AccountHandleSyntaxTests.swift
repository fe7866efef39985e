import CampaignWatchCore
import Testing

@Suite struct AccountHandleSyntaxTests {
    @Test(arguments: [
        (Platform.telegram, "asel_omarova_kz"), (.telegram, "durov"), (.telegram, "Abcd"),
        (.bluesky, "omarova.bsky.social"), (.bluesky, "example.org"), (.bluesky, "did:plc:z72i7hdynmk6r22z27h6tvur"),
        (.bluesky, "did:web:example.com"),
        (.mastodon, "@marat@mastodon.social"), (.mastodon, "@a.b-c_d@social.example.org"),
        (.youtube, "UC0123456789abcdefghijkl"), (.youtube, "UC_x5XG1OV2P6uZZ5FSM9Ttw"),
        (.rss, "https://example.org/feed.xml"), (.atom, "http://127.0.0.1:8080/atom"), (.jsonfeed, "https://example.org/feed.json"),
    ])
    func accepts(_ platform: Platform, _ handle: String) throws {
        try AccountHandleSyntax.check(handle, platform: platform)
    }

    @Test(arguments: [
        (Platform.telegram, "@asel", "without `@`"), (.telegram, "https://t.me/asel_kz", "`asel_kz`"),
        (.telegram, "https://t.me/+AbCdEf", "private channel"), (.telegram, "1channel", "starts with a letter"),
        (.telegram, "abc", "4 to 32"), (.telegram, "асель", "Latin letters"), (.telegram, " asel_kz", "spaces"),
        (.bluesky, "@omarova.bsky.social", "without `@`"), (.bluesky, "omarova", "not a Bluesky handle"),
        (.bluesky, "did:plc:short", "24 characters"), (.bluesky, "did:key:abc", "did:plc or did:web"),
        (.bluesky, "https://bsky.app/profile/omarova.bsky.social", "`omarova.bsky.social`"), (.bluesky, "-a.example.org", "not a Bluesky handle"),
        (.mastodon, "marat@mastodon.social", "`@marat@mastodon.social`"), (.mastodon, "@marat", "`@user@instance`"),
        (.mastodon, "https://mastodon.social/@marat", "`@marat@mastodon.social`"), (.mastodon, "@ma rat@mastodon.social", "user name"),
        (.mastodon, "@marat@localhost", "domain name"),
        (.youtube, "@omarova", "channel id"), (.youtube, "UC123", "not a YouTube channel id"),
        (.youtube, "https://www.youtube.com/channel/UC0123456789abcdefghijkl", "`UC0123456789abcdefghijkl`"),
        (.youtube, "UC0123456789abcdefghij!l", "not a YouTube channel id"),
        (.rss, "example.org/feed.xml", "http:// or https://"), (.rss, "ftp://example.org/feed", "http:// or https://"),
        (.rss, "https://exa mple.org/feed", "not a valid address"), (.rss, "https:///feed", "not a valid address"),
    ])
    func refusesWithAFix(_ platform: Platform, _ handle: String, _ fix: String) {
        let error = #expect(throws: ConfigValueError.self) { try AccountHandleSyntax.check(handle, platform: platform) }
        #expect(error?.message.contains(fix) == true, "\(error?.message ?? "")")
    }

    @Test func derivesEachPlatformsAddress() {
        #expect(AccountURL.derive(platform: .telegram, handle: "asel_kz", baseURL: nil) == "https://t.me/s/asel_kz")
        #expect(AccountURL.derive(platform: .telegram, handle: "asel_kz", baseURL: "http://127.0.0.1:8080/s") == "http://127.0.0.1:8080/s/asel_kz")
        #expect(AccountURL.derive(platform: .bluesky, handle: "omarova.bsky.social", baseURL: nil)
            == "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=omarova.bsky.social&limit=50&filter=posts_with_replies")
        #expect(AccountURL.derive(platform: .bluesky, handle: "did:plc:z72i7hdynmk6r22z27h6tvur", baseURL: "http://127.0.0.1:9/")
            == "http://127.0.0.1:9/xrpc/app.bsky.feed.getAuthorFeed?actor=did:plc:z72i7hdynmk6r22z27h6tvur&limit=50&filter=posts_with_replies")
        #expect(AccountURL.derive(platform: .mastodon, handle: "@marat@Mastodon.Social", baseURL: nil)
            == "https://mastodon.social/api/v1/accounts/lookup?acct=marat")
        #expect(AccountURL.derive(platform: .mastodon, handle: "@marat@mastodon.social", baseURL: "http://127.0.0.1:8081")
            == "http://127.0.0.1:8081/api/v1/accounts/lookup?acct=marat")
        #expect(AccountURL.derive(platform: .youtube, handle: "UC0123456789abcdefghijkl", baseURL: nil)
            == "https://www.youtube.com/feeds/videos.xml?channel_id=UC0123456789abcdefghijkl")
        #expect(AccountURL.derive(platform: .rss, handle: "https://example.org/feed.xml", baseURL: "https://ignored.example")
            == "https://example.org/feed.xml")
    }
}
