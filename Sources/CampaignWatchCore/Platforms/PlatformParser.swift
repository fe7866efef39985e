/// The platforms read by their own parsers (the feed platforms rss, atom and jsonfeed are read by
/// the feed parser).
public enum SocialPlatform: String, Sendable, Hashable, CaseIterable {
    case telegram, bluesky, mastodon, youtube

    public init?(_ platform: Platform) {
        self.init(rawValue: platform.rawValue)
    }

    public var platform: Platform {
        switch self {
        case .telegram: .telegram
        case .bluesky: .bluesky
        case .mastodon: .mastodon
        case .youtube: .youtube
        }
    }
}

/// One entry point for every platform parser: bytes of one answer in, one page of posts out.
///
/// For Mastodon this reads the statuses answer; the account id the statuses URL needs comes
/// first from `MastodonAccountLookup.parse`.
public enum PlatformParser {
    public static func parse(_ platform: SocialPlatform, bytes: [UInt8], context: PlatformContext = PlatformContext()) throws(PlatformParseError) -> PlatformPage {
        switch platform {
        case .telegram: try TelegramPreviewParser.parse(bytes, context: context)
        case .bluesky: try BlueskyFeedParser.parse(bytes, context: context)
        case .mastodon: try MastodonStatusParser.parse(bytes, context: context)
        case .youtube: try YouTubeFeedParser.parse(bytes, context: context)
        }
    }
}
