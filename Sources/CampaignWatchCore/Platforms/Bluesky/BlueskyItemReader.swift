import Foundation

/// Reads one `feedViewPost` (`{"post", "reply", "reason"}`) of an author feed.
struct BlueskyItemReader {
    enum Outcome {
        case post(Post, isPinned: Bool, ownerName: String?)
        case skipped(id: String, reason: PlatformPage.Skipped.Reason, time: Date?)
        case unreadable(id: String, reason: String)
    }

    let item: JSONNode
    let bytes: [UInt8]
    let context: PlatformContext

    func read() -> Outcome {
        guard let post = item["post"], post.members != nil else {
            return .unreadable(id: "", reason: "a feed item without a post object")
        }
        guard let uri = post["uri"]?.string, let location = ATURI(uri) else {
            return .unreadable(id: post["uri"]?.string ?? "", reason: "a post without an at:// uri")
        }
        guard let record = post["record"], record.members != nil else {
            return .unreadable(id: uri, reason: "post \(uri) has no record")
        }
        let reasonType = item["reason"]?["$type"]?.string
        let isRepost = reasonType == "app.bsky.feed.defs#reasonRepost"
        let isPinned = reasonType == "app.bsky.feed.defs#reasonPin"
        let author = Actor(post["author"])
        let createdAt = record["createdAt"]?.string.flatMap(PlatformTime.parse)
        let indexedAt = post["indexedAt"]?.string.flatMap(PlatformTime.parse)
        let time = BlueskyFeedParser.platformTime(createdAt: createdAt, indexedAt: indexedAt)

        if isRepost {
            let by = Actor(item["reason"]?["by"])
            let id = item["reason"]?["uri"]?.string ?? "\(uri)#repost-by-\(by.did ?? by.handle ?? "unknown")"
            let repostedAt = item["reason"]?["indexedAt"]?.string.flatMap(PlatformTime.parse)
            guard context.options.includeReposts else { return .skipped(id: id, reason: .repost, time: repostedAt) }
            var repost = makePost(id: id, location: location, author: author, record: record, view: post)
            repost.author = by.name
            repost.publishedAt = repostedAt
            switch (author.name, repost.url) {
            case let (name?, url?): repost.forwardedFrom = "\(name) (\(url))"
            case let (name, url): repost.forwardedFrom = name ?? url
            }
            return .post(repost, isPinned: isPinned, ownerName: by.displayName)
        }

        if let reply = record["reply"] {
            switch context.options.replies {
            case .none:
                return .skipped(id: uri, reason: .reply, time: time)
            case .ownThreads:
                let rootAuthority = reply["root"]?["uri"]?.string.flatMap(ATURI.init)?.authority
                if rootAuthority == nil || rootAuthority != location.authority {
                    return .skipped(id: uri, reason: .reply, time: time)
                }
            case .all:
                break
            }
        }
        var result = makePost(id: uri, location: location, author: author, record: record, view: post)
        result.publishedAt = time
        result.declaredAt = createdAt
        return .post(result, isPinned: isPinned, ownerName: author.displayName)
    }

    private func makePost(id: String, location: ATURI, author: Actor, record: JSONNode, view: JSONNode) -> Post {
        let richText = BlueskyRichText(record: record)
        let embed = BlueskyEmbed(record: record["embed"], view: view["embed"])
        var paragraphs = [richText.text]
        paragraphs.append(contentsOf: embed.textParagraphs(excluding: richText.text))
        var post = Post(id: id)
        post.url = location.webURL(handle: author.handle)
        post.text = paragraphs.filter { !$0.isEmpty }.joined(separator: "\n\n")
        post.author = author.name
        post.tags = richText.tags
        post.media = embed.media
        if context.options.keepRaw { post.raw = Array(bytes[item.span]) }
        return post
    }

    struct Actor {
        var did: String?
        var handle: String?
        var displayName: String?

        init(_ node: JSONNode?) {
            did = node?["did"]?.string
            handle = node?["handle"]?.string
            displayName = node?["displayName"]?.string.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        }

        /// "Display Name (@handle)", or whichever of the two there is.
        var name: String? {
            let usableHandle = handle.flatMap { $0 == "handle.invalid" ? nil : "@" + $0 }
            switch (displayName, usableHandle) {
            case let (name?, handle?): return "\(name) (\(handle))"
            case let (name, handle): return name ?? handle ?? did
            }
        }
    }
}

/// `at://did:plc:…/app.bsky.feed.post/3l66cdbste424`.
struct ATURI {
    var authority: String
    var collection: String
    var recordKey: String

    init?(_ text: String) {
        guard text.hasPrefix("at://") else { return nil }
        let parts = text.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[0].isEmpty, !parts[2].isEmpty else { return nil }
        authority = String(parts[0])
        collection = String(parts[1])
        recordKey = String(parts[2])
    }

    /// The bsky.app address of a post: by handle when the handle is valid (readable), else by DID.
    func webURL(handle: String?) -> String {
        let profile = handle.flatMap { $0.isEmpty || $0 == "handle.invalid" ? nil : $0 } ?? authority
        return "https://bsky.app/profile/\(profile)/post/\(recordKey)"
    }
}
