import Foundation

/// How far one poll may page back through an account.
public struct CatchUpPolicy: Sendable, Hashable {
    /// Pages per poll, the first included: on the eve of a silence day an account can post more
    /// than a page holds between two polls, and every post of the burst must be read.
    public var maxPages: Int
    /// Pages on the first poll of an account, when nothing of it is known yet (its history is
    /// not a burst to catch up with).
    public var firstPollPages: Int

    public init(maxPages: Int = 10, firstPollPages: Int = 1) {
        self.maxPages = max(1, maxPages)
        self.firstPollPages = max(1, firstPollPages)
    }
}

/// The paging decisions of one poll of one account, as a value: the pipeline fetches the first
/// page, hands each parsed page to `receive`, and fetches what it asks for until it says `done`.
///
/// It stops when a page reaches posts already seen, or items at or before the time up to which
/// the account is known (`knownThrough`: the start of the last complete poll), when the platform
/// offers no older page, when a cursor repeats, or at the page limit. Pinned posts do not count
/// as "seen": an old pinned post tops every page.
public struct CatchUp: Sendable {
    public enum Decision: Sendable, Equatable {
        case fetch(url: String, cursor: PageCursor)
        case done(StopReason)
    }

    public enum StopReason: Sendable, Equatable {
        case reachedSeenPosts
        case reachedKnownTime
        case noOlderPage
        case emptyPage
        case cursorRepeated
        /// Stopped by the limit while every post was still new: posts may lie beyond it, and
        /// the pipeline should say so.
        case pageLimit(Int)
    }

    public let policy: CatchUpPolicy
    public let knownThrough: Date?
    public let isFirstPoll: Bool
    public private(set) var pagesReceived = 0
    private var cursors: Set<PageCursor> = []

    public init(policy: CatchUpPolicy = CatchUpPolicy(), knownThrough: Date? = nil, isFirstPoll: Bool = false) {
        self.policy = policy
        self.knownThrough = knownThrough
        self.isFirstPoll = isFirstPoll
    }

    /// `requestURL` is the URL `page` was read from; `isSeen` answers whether the store already
    /// holds a post id of this account.
    public mutating func receive(_ page: PlatformPage, requestURL: String, isSeen: (String) -> Bool) -> Decision {
        pagesReceived += 1
        if page.itemCount == 0 && page.posts.isEmpty { return .done(.emptyPage) }
        if page.posts.contains(where: { !page.pinnedIDs.contains($0.id) && isSeen($0.id) }) { return .done(.reachedSeenPosts) }
        if let knownThrough, let oldest = page.oldestItemTime, oldest <= knownThrough { return .done(.reachedKnownTime) }
        guard let cursor = page.next else { return .done(.noOlderPage) }
        guard !cursors.contains(cursor) else { return .done(.cursorRepeated) }
        let limit = isFirstPoll ? policy.firstPollPages : policy.maxPages
        guard pagesReceived < limit else { return .done(.pageLimit(limit)) }
        cursors.insert(cursor)
        return .fetch(url: PlatformURLs.nextPage(of: requestURL, cursor: cursor), cursor: cursor)
    }
}
