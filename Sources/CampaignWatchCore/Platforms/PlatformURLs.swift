import Foundation

/// The URLs each platform is read from, built from an account's handle and the platform's base
/// URL (a mirror, RSS-Bridge or a test server can stand in for the real host).
public enum PlatformURLs {
    public static let telegramBase = "https://t.me/s/"
    public static let blueskyBase = "https://public.api.bsky.app"
    public static let youtubeBase = "https://www.youtube.com/feeds/videos.xml?channel_id="
    /// Telegram shows 20 messages a page; Bluesky allows up to 100 a page, Mastodon 40.
    public static let blueskyPageSize = 50
    public static let mastodonPageSize = 40

    /// The first URL to fetch for an account of a social platform, from its handle and the
    /// platform's base URL (nil: use the default). For Mastodon this is the account lookup; the
    /// statuses URL needs the id it returns. Nil when the handle cannot be read (a Mastodon handle
    /// without its instance).
    public static func firstURL(_ platform: SocialPlatform, handle: String, baseURL: String? = nil,
                                options: PlatformOptions = PlatformOptions()) -> String? {
        switch platform {
        case .telegram:
            let channel = normalizedHandle(handle, platform: .telegram)
            return channel.isEmpty ? nil : telegramPreview(channel: channel, baseURL: baseURL ?? telegramBase)
        case .bluesky:
            let actor = normalizedHandle(handle, platform: .bluesky)
            return actor.isEmpty ? nil : blueskyAuthorFeed(actor: actor, baseURL: baseURL ?? blueskyBase, replies: options.replies)
        case .mastodon:
            return MastodonHandle(handle).map { mastodonLookup($0, origin: baseURL) }
        case .youtube:
            let channel = handle.trimmingCharacters(in: .whitespacesAndNewlines)
            return channel.isEmpty ? nil : youtubeFeed(channelID: channel, baseURL: baseURL ?? youtubeBase)
        }
    }

    /// `{base}{channel}`: `https://t.me/s/durov`.
    public static func telegramPreview(channel: String, baseURL: String = telegramBase) -> String {
        let base = baseURL.hasSuffix("/") || baseURL.hasSuffix("=") ? baseURL : baseURL + "/"
        return base + encodePathSegment(normalizedHandle(channel, platform: .telegram))
    }

    /// `{base}/xrpc/app.bsky.feed.getAuthorFeed?actor=…&limit=…&filter=…`. The filter follows
    /// the reply option so that the server leaves out what would be dropped anyway.
    public static func blueskyAuthorFeed(actor: String, baseURL: String = blueskyBase, limit: Int = blueskyPageSize,
                                         replies: PlatformOptions.Replies = .all) -> String {
        let filter = switch replies {
        case .all: "posts_with_replies"
        case .ownThreads: "posts_and_author_threads"
        case .none: "posts_no_replies"
        }
        return trimmedBase(baseURL) + "/xrpc/app.bsky.feed.getAuthorFeed?actor="
            + encodeQueryValue(normalizedHandle(actor, platform: .bluesky)) + "&limit=\(min(max(limit, 1), 100))&filter=" + filter
    }

    /// `{origin}/api/v1/accounts/lookup?acct=user` on the account's own instance.
    public static func mastodonLookup(_ handle: MastodonHandle, origin: String? = nil) -> String {
        trimmedBase(origin ?? handle.origin) + "/api/v1/accounts/lookup?acct=" + encodeQueryValue(handle.user)
    }

    /// `{origin}/api/v1/accounts/{id}/statuses?exclude_reblogs=true&limit=40` (reblogs are only
    /// asked for when reposts are kept; replies are left out server-side when none are wanted).
    public static func mastodonStatuses(accountID: String, handle: MastodonHandle, origin: String? = nil,
                                        limit: Int = mastodonPageSize, options: PlatformOptions = PlatformOptions()) -> String {
        var url = trimmedBase(origin ?? handle.origin) + "/api/v1/accounts/" + encodePathSegment(accountID) + "/statuses?"
        url += options.includeReposts ? "exclude_reblogs=false" : "exclude_reblogs=true"
        if options.replies == .none { url += "&exclude_replies=true" }
        return url + "&limit=\(min(max(limit, 1), 40))"
    }

    /// `{origin}/@user.rss`, the feed read when the API refuses anonymous requests.
    public static func mastodonRSS(_ handle: MastodonHandle, origin: String? = nil) -> String {
        trimmedBase(origin ?? handle.origin) + "/@" + encodePathSegment(handle.user) + ".rss"
    }

    /// `{base}{channel id}`: `https://www.youtube.com/feeds/videos.xml?channel_id=UC…`.
    public static func youtubeFeed(channelID: String, baseURL: String = youtubeBase) -> String {
        baseURL + encodeQueryValue(channelID.trimmingCharacters(in: .whitespaces))
    }

    /// The URL of the page after `url`: the cursor's query parameter set (replacing an earlier
    /// one), everything else kept, so that paging works against mirrors and test servers too.
    public static func nextPage(of url: String, cursor: PageCursor) -> String {
        let (name, value) = cursor.queryItem
        var base = url
        var fragment = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = String(base[hash...])
            base = String(base[..<hash])
        }
        var pairs: [Substring] = []
        if let question = base.firstIndex(of: "?") {
            pairs = base[base.index(after: question)...].split(separator: "&")
            base = String(base[..<question])
        }
        pairs.removeAll { $0 == name || $0.hasPrefix(name + "=") }
        let query = pairs.map(String.init) + [name + "=" + encodeQueryValue(value)]
        return base + "?" + query.joined(separator: "&") + fragment
    }

    /// The handle as the platform wants it: without `@` or a pasted profile address.
    public static func normalizedHandle(_ handle: String, platform: Platform) -> String {
        var text = handle.trimmingCharacters(in: .whitespacesAndNewlines)
        let prefixes: [String] = switch platform {
        case .telegram: ["https://t.me/s/", "http://t.me/s/", "https://t.me/", "http://t.me/", "t.me/s/", "t.me/",
                         "https://telegram.me/", "telegram.me/"]
        case .bluesky: ["https://bsky.app/profile/", "bsky.app/profile/", "at://"]
        default: []
        }
        for prefix in prefixes where text.lowercased().hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
            break
        }
        if platform == .telegram || platform == .bluesky {
            if text.hasPrefix("@") { text.removeFirst() }
            if let end = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { text = String(text[..<end]) }
        }
        return text
    }

    private static func trimmedBase(_ base: String) -> String {
        var base = base.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters and `:` `@`, which DIDs and
    /// handles contain and which are safe in a query value.
    public static func encodeQueryValue(_ value: String) -> String {
        encode(value, keeping: [UInt8(ascii: ":"), UInt8(ascii: "@")])
    }

    static func encodePathSegment(_ value: String) -> String {
        encode(value, keeping: [UInt8(ascii: "@"), UInt8(ascii: ":")])
    }

    private static func encode(_ value: String, keeping extra: Set<UInt8>) -> String {
        var output = ""
        for byte in value.utf8 {
            let unreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            if unreserved || extra.contains(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return output
    }
}

/// `@user@instance`, as configured for a Mastodon account (also `user@instance` and
/// `https://instance/@user`).
public struct MastodonHandle: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var instance: String

    public init?(_ text: String) {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for scheme in ["https://", "http://"] where text.lowercased().hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            let host = rest[..<slash]
            var path = rest[rest.index(after: slash)...]
            if path.hasPrefix("@") { path = path.dropFirst() } else if path.hasPrefix("users/") { path = path.dropFirst(6) } else { return nil }
            let user = path.prefix { $0 != "/" && $0 != "?" && $0 != "@" }
            guard !host.isEmpty, !user.isEmpty else { return nil }
            self.user = String(user)
            self.instance = String(host).lowercased()
            return
        }
        if text.hasPrefix("@") { text.removeFirst() }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[0].contains("/"), !parts[1].contains("/") else { return nil }
        user = String(parts[0])
        instance = String(parts[1]).lowercased()
    }

    public var origin: String { "https://" + instance }
    public var description: String { "@\(user)@\(instance)" }
}
