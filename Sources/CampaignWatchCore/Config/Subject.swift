public struct Subject: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case candidate, party, official, proxy, media, other
    }

    public var id: String
    public var name: String
    /// What `@names` in a rule stands for (the loader includes `name` itself).
    public var names: [String]
    public var role: Role
    public var elections: [String]
    public var district: String?
    public var tags: [String]
    public var accounts: [Account]

    public init(
        id: String, name: String, names: [String] = [], role: Role = .candidate, elections: [String],
        district: String? = nil, tags: [String] = [], accounts: [Account] = []
    ) {
        self.id = id
        self.name = name
        self.names = names
        self.role = role
        self.elections = elections
        self.district = district
        self.tags = tags
        self.accounts = accounts
    }
}

/// One watched account of a subject: exactly one platform key, plus optional url and poll.
public struct Account: Sendable, Hashable {
    public var platform: Platform
    /// The channel, handle, DID, `@user@instance`, channel id, or feed URL as configured.
    public var handle: String
    /// The URL to fetch: the configured `url`, else derived from the platform's base URL.
    public var url: String
    public var poll: PollOverride?

    public init(platform: Platform, handle: String, url: String, poll: PollOverride? = nil) {
        self.platform = platform
        self.handle = handle
        self.url = url
        self.poll = poll
    }

    /// The identity of the account in the state store: stable across reloads and URL edits.
    public var key: String { "\(platform.rawValue):\(handle)" }

    /// Where a person sees the account (what alerts show), whatever address it is fetched from:
    /// a mirror, an API endpoint or the demo's loopback server.
    public var publicURL: String {
        switch platform {
        case .telegram: return "https://t.me/s/\(handle)"
        case .bluesky: return "https://bsky.app/profile/\(handle)"
        case .mastodon:
            guard let parsed = MastodonHandle(handle) else { return url }
            return "https://\(parsed.instance)/@\(parsed.user)"
        case .youtube: return "https://www.youtube.com/channel/\(handle)"
        case .rss, .atom, .jsonfeed: return handle
        }
    }
}
