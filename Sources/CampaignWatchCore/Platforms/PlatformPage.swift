import Foundation

/// What a platform answer says beside the bytes: the HTTP status, headers and where redirects
/// ended. The fetcher fills it in; `parse` from a file has none.
public struct PlatformHTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    /// The URL after redirects (Telegram sends a channel without a preview from `/s/name` to `/name`).
    public var finalURL: String?
    /// When the answer arrived, to turn rate-limit reset times into a wait.
    public var receivedAt: Date?

    public init(status: Int, headers: [String: String] = [:], finalURL: String? = nil, receivedAt: Date? = nil) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.finalURL = finalURL
        self.receivedAt = receivedAt
    }
}

/// Which items of an account count as its posts.
public struct PlatformOptions: Sendable, Hashable {
    public enum Replies: String, Sendable, Hashable, CaseIterable {
        /// Every reply the account wrote (they are its own words).
        case all
        /// Only replies inside threads the account started (a long post split into a thread).
        case ownThreads = "own-threads"
        case none
    }

    /// Bluesky reposts of other accounts' posts. Telegram forwards are always kept: a forward
    /// is published in the channel as a post of its own.
    public var includeReposts: Bool
    public var replies: Replies
    /// Telegram service messages ("Channel photo updated", "pinned …"): not the author's words.
    public var includeServiceMessages: Bool
    /// Keep each post's own bytes in `Post.raw` for the evidence archive.
    public var keepRaw: Bool

    public init(includeReposts: Bool = false, replies: Replies = .all, includeServiceMessages: Bool = false, keepRaw: Bool = true) {
        self.includeReposts = includeReposts
        self.replies = replies
        self.includeServiceMessages = includeServiceMessages
        self.keepRaw = keepRaw
    }

    /// These options with what `account` configures for itself.
    public func applying(_ account: Account) -> PlatformOptions {
        var options = self
        if let reposts = account.reposts { options.includeReposts = reposts }
        if let replies = account.replies { options.replies = replies }
        return options
    }
}

/// Everything a platform parser needs besides the bytes.
public struct PlatformContext: Sendable, Hashable {
    /// The account as configured (channel, handle or DID, `@user@instance`, channel id); used in
    /// messages and to tell the account's own posts from others'.
    public var account: String
    /// The URL the bytes came from: the next page's URL is derived from it.
    public var requestURL: String?
    public var response: PlatformHTTPResponse?
    public var options: PlatformOptions

    public init(account: String = "", requestURL: String? = nil, response: PlatformHTTPResponse? = nil, options: PlatformOptions = PlatformOptions()) {
        self.account = account
        self.requestURL = requestURL
        self.response = response
        self.options = options
    }
}

/// Where the next (older) page of an account starts.
public enum PageCursor: Sendable, Hashable, CustomStringConvertible {
    /// Telegram `?before=ID`: posts with a smaller number.
    case telegramBefore(String)
    /// Bluesky `cursor=…`, opaque.
    case blueskyCursor(String)
    /// Mastodon `max_id=ID`: statuses older than this one.
    case mastodonMaxID(String)

    public var queryItem: (name: String, value: String) {
        switch self {
        case .telegramBefore(let value): ("before", value)
        case .blueskyCursor(let value): ("cursor", value)
        case .mastodonMaxID(let value): ("max_id", value)
        }
    }

    public var description: String { "\(queryItem.name)=\(queryItem.value)" }
}

/// One answer of a platform, read.
public struct PlatformPage: Sendable {
    public enum EmptyReason: Sendable, Hashable {
        /// The account exists and has nothing to show.
        case noPosts
        /// Telegram answered with its "No posts found" block. It also does so when it throttles a
        /// client, so an empty page of this kind is never proof that posts were deleted.
        case noPostsFoundMarker
    }

    /// An item of the answer that is not kept as a post, with the reason, for counts and logs.
    public struct Skipped: Sendable, Hashable {
        public enum Reason: String, Sendable, Hashable {
            case repost, reply, serviceMessage = "service-message", unreadable
        }
        public var id: String
        public var reason: Reason
        public var detail: String?

        public init(id: String, reason: Reason, detail: String? = nil) {
            self.id = id
            self.reason = reason
            self.detail = detail
        }
    }

    /// In the order the platform served them (Telegram: oldest first; the APIs: newest first).
    public var posts: [Post]
    /// The next older page, when the platform offers one.
    public var next: PageCursor?
    /// The account's display name (channel title, display name), when the answer carries it.
    public var accountName: String?
    public var skipped: [Skipped]
    public var empty: EmptyReason?
    /// Posts shown because they are pinned, not because they are recent (they must not end a
    /// catch-up: an old pinned post is "already seen" at the top of every page).
    public var pinnedIDs: Set<String>
    /// The earliest platform time of any item on the page, kept or skipped.
    public var oldestItemTime: Date?
    /// Every item on the page, kept or skipped.
    public var itemCount: Int

    public init(posts: [Post] = [], next: PageCursor? = nil, accountName: String? = nil, skipped: [Skipped] = [],
                empty: EmptyReason? = nil, pinnedIDs: Set<String> = [], oldestItemTime: Date? = nil, itemCount: Int? = nil) {
        self.posts = posts
        self.next = next
        self.accountName = accountName
        self.skipped = skipped
        self.empty = empty
        self.pinnedIDs = pinnedIDs
        self.oldestItemTime = oldestItemTime ?? posts.compactMap(\.publishedAt).min()
        self.itemCount = itemCount ?? posts.count + skipped.count
    }
}
