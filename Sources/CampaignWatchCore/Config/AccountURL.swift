/// The address an account is fetched from when the configuration gives no `url`, built from the
/// platform's base URL (`platforms.<p>.base_url`, defaults in `PlatformSettings.defaults`) and
/// the handle. The handle must already have passed `AccountHandleSyntax`.
///
/// - telegram: `{base}{channel}`: `https://t.me/s/zhylanbayev`, the public preview page.
/// - bluesky: `{base}/xrpc/app.bsky.feed.getAuthorFeed?actor={handle or DID}&limit=50&filter=posts_with_replies`;
///   the base is the AppView host (`https://public.api.bsky.app`).
/// - mastodon: `https://{instance}/api/v1/accounts/lookup?acct={user}`, the first call of the
///   public API (it gives the account id whose statuses are read next); a configured base URL
///   stands in for `https://{instance}`.
/// - youtube: `{base}{channel id}`: `https://www.youtube.com/feeds/videos.xml?channel_id=UC…`.
/// - rss, atom, jsonfeed: the handle is the feed's address and is fetched as it is.
public enum AccountURL {
    public static let blueskyPageSize = 50

    public static func derive(platform: Platform, handle: String, baseURL: String?) -> String {
        switch platform {
        case .telegram:
            let base = baseURL ?? "https://t.me/s/"
            return (base.hasSuffix("/") || base.hasSuffix("=") ? base : base + "/") + handle
        case .bluesky:
            return trimmed(baseURL ?? "https://public.api.bsky.app") + "/xrpc/app.bsky.feed.getAuthorFeed?actor="
                + handle + "&limit=\(blueskyPageSize)&filter=posts_with_replies"
        case .mastodon:
            let parts = handle.split(separator: "@")
            let user = parts.first.map(String.init) ?? handle
            let instance = parts.count > 1 ? String(parts[1]).lowercased() : ""
            return trimmed(baseURL ?? "https://" + instance) + "/api/v1/accounts/lookup?acct=" + user
        case .youtube:
            return (baseURL ?? "https://www.youtube.com/feeds/videos.xml?channel_id=") + handle
        case .rss, .atom, .jsonfeed:
            return handle
        }
    }

    /// Whether `platforms.<p>.base_url` means anything for the platform (feeds have their own URL).
    public static func takesBaseURL(_ platform: Platform) -> Bool {
        switch platform {
        case .telegram, .bluesky, .mastodon, .youtube: true
        case .rss, .atom, .jsonfeed: false
        }
    }

    private static func trimmed(_ base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
