import Foundation

/// Reads `app.bsky.feed.getAuthorFeed` answers (`{"feed": [{"post", "reply", "reason"}], "cursor"}`).
/// Also accepts a single `postView` and a `getPosts` answer (`{"posts": […]}`), so that one post
/// saved from the API can be parsed too.
///
/// Times: `record.createdAt` is written by the author's client and can be backdated (or set in
/// the future). The AppView's `indexedAt` is when the network saw the post. The platform time
/// (`publishedAt`) is `createdAt` unless it is later than `indexedAt`, or earlier by more than an
/// hour, in which case it is `indexedAt`. `declaredAt` always keeps `createdAt`.
public enum BlueskyFeedParser {
    /// How far a client's `createdAt` may precede `indexedAt` and still be believed.
    public static let backdatingTolerance: TimeInterval = 3600

    public static func parse(_ bytes: [UInt8], context: PlatformContext = PlatformContext()) throws(PlatformParseError) -> PlatformPage {
        if let error = PlatformResponseCheck.statusError(.bluesky, context) { throw error }
        let root: JSONNode
        do {
            root = try JSONTree.parse(bytes)
        } catch {
            if let status = context.response?.status, status >= 400 {
                throw PlatformParseError(platform: .bluesky, kind: .platformError(status: status),
                                         message: "HTTP \(status) with a body that is not JSON: \(PlatformResponseCheck.excerpt(bytes))")
            }
            throw PlatformParseError.malformedJSON(.bluesky, error, what: "getAuthorFeed answer")
        }
        if let error = BlueskyErrorAnswer.error(in: root, context: context) { throw error }

        let items: [JSONNode]
        if let feed = root["feed"] {
            guard let array = feed.array else {
                throw PlatformParseError.layout(.bluesky, "\"feed\" is \(feed.kindName), not an array of feed items")
            }
            items = array
        } else if let posts = root["posts"]?.array {
            items = posts.map { JSONNode(value: .object([JSONMember(key: "post", node: $0)]), span: $0.span) }
        } else if root["uri"] != nil, root["record"] != nil {
            items = [JSONNode(value: .object([JSONMember(key: "post", node: root)]), span: root.span)]
        } else {
            throw PlatformParseError.layout(.bluesky, "the answer is \(root.kindName) without a \"feed\" array, a \"posts\" array or a post")
        }
        let next = root["cursor"]?.string.flatMap { $0.isEmpty ? nil : PageCursor.blueskyCursor($0) }

        var page = PlatformPage(next: next)
        var times: [Date] = []
        var accountName: String?
        for item in items {
            let reader = BlueskyItemReader(item: item, bytes: bytes, context: context)
            switch reader.read() {
            case .unreadable(let id, let reason):
                page.skipped.append(PlatformPage.Skipped(id: id, reason: .unreadable, detail: reason))
            case .skipped(let id, let reason, let time):
                page.skipped.append(PlatformPage.Skipped(id: id, reason: reason))
                if let time { times.append(time) }
            case .post(let post, let isPinned, let ownerName):
                if isPinned {
                    page.pinnedIDs.insert(post.id)
                } else if let time = post.publishedAt {
                    times.append(time)
                }
                if accountName == nil { accountName = ownerName }
                page.posts.append(post)
            }
        }
        if !items.isEmpty, page.skipped.count == items.count, page.skipped.allSatisfy({ $0.reason == .unreadable }) {
            throw PlatformParseError.layout(.bluesky, "\(items.count) feed item(s) and none could be read (\(page.skipped[0].detail ?? "")")
        }
        page.itemCount = items.count
        page.oldestItemTime = times.min()
        page.accountName = accountName
        if items.isEmpty { page.empty = .noPosts }
        return page
    }

    /// The platform time of a post from its declared and indexed times (see the type's notes).
    public static func platformTime(createdAt: Date?, indexedAt: Date?) -> Date? {
        guard let createdAt else { return indexedAt }
        guard let indexedAt else { return createdAt }
        if createdAt > indexedAt || indexedAt.timeIntervalSince(createdAt) > backdatingTolerance { return indexedAt }
        return createdAt
    }
}

/// Error answers of the AppView: `{"error": "InvalidRequest", "message": "Profile not found"}`.
enum BlueskyErrorAnswer {
    static func error(in root: JSONNode, context: PlatformContext) -> PlatformParseError? {
        let status = context.response?.status
        guard let name = root["error"]?.string else {
            if let status, status >= 400 {
                return PlatformParseError(platform: .bluesky, kind: .platformError(status: status), message: "HTTP \(status) without an error name")
            }
            return nil
        }
        let message = root["message"]?.string ?? ""
        let said = message.isEmpty ? name : "\(name): \(message)"
        let account = context.account.isEmpty ? "the account" : "\"\(context.account)\""
        let lowered = message.lowercased()
        switch name {
        case "RateLimitExceeded":
            return PlatformResponseCheck.rateLimited(.bluesky, context, detail: said)
        case "AccountTakedown":
            return PlatformParseError(platform: .bluesky, kind: .accountNotFound, message: "\(account) was taken down by Bluesky moderation (\(said))")
        case "AccountDeactivated":
            return PlatformParseError(platform: .bluesky, kind: .accountNotFound, message: "\(account) is deactivated (\(said))")
        case "InvalidRequest" where lowered.contains("not found") || lowered.contains("could not find") || lowered.contains("unable to resolve"):
            return PlatformParseError(platform: .bluesky, kind: .accountNotFound,
                                      message: "no Bluesky account \(account) (\(said)); check the handle or DID, or the account was deleted")
        case "AuthMissing", "AuthRequired", "InvalidToken", "ExpiredToken":
            return PlatformParseError(platform: .bluesky, kind: .authenticationRequired,
                                      message: "the server wants a login (\(said)); use the public AppView https://public.api.bsky.app as base URL")
        default:
            return PlatformParseError(platform: .bluesky, kind: .platformError(status: status), message: "the server answered \(said)")
        }
    }
}
