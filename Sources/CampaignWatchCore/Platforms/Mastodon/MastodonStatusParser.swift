import Foundation

/// Reads `GET /api/v1/accounts/:id/statuses` answers (an array of Status entities); a single
/// Status object is accepted too.
///
/// - `id` is the status's web address (`url`, else its ActivityPub `uri`): the same value the
///   account's RSS feed uses as `<guid>`, so posts keep their identity when polling falls back
///   from the API to RSS. The numeric API id only serves paging (`max_id`).
/// - text: the content warning (`spoiler_text`), the content as plain text, a poll's options,
///   then each attachment's description, separated by empty lines. The preview card is left
///   out: the server fetches it after the post is published, so it would look like an edit.
/// - `edited_at` sets `edited`, `editedAt` and `updatedAt`.
public enum MastodonStatusParser {
    public static func parse(_ bytes: [UInt8], context: PlatformContext = PlatformContext()) throws(PlatformParseError) -> PlatformPage {
        let root = try MastodonErrorAnswer.root(of: bytes, context: context, what: "statuses answer")

        let statuses: [JSONNode]
        if let array = root.array {
            statuses = array
        } else if root["content"] != nil, root["id"] != nil {
            statuses = [root]
        } else if root["acct"] != nil, root["username"] != nil {
            throw PlatformParseError.layout(.mastodon, "this is an account (an /api/v1/accounts/lookup answer), not statuses; "
                + "statuses come from /api/v1/accounts/ID/statuses")
        } else {
            throw PlatformParseError.layout(.mastodon, "the answer is \(root.kindName), not an array of statuses")
        }

        var page = PlatformPage()
        var times: [Date] = []
        var lastID: String?
        for status in statuses {
            if let id = status["id"]?.scalarText { lastID = id }
            switch read(status, bytes: bytes, context: context) {
            case .post(let post):
                if let time = post.publishedAt { times.append(time) }
                if page.accountName == nil { page.accountName = status["account"]?["display_name"]?.string.flatMap { $0.isEmpty ? nil : $0 } }
                page.posts.append(post)
            case .skipped(let id, let reason, let time):
                if let time { times.append(time) }
                page.skipped.append(PlatformPage.Skipped(id: id, reason: reason))
            case .unreadable(let id, let reason):
                page.skipped.append(PlatformPage.Skipped(id: id, reason: .unreadable, detail: reason))
            }
        }
        if !statuses.isEmpty, page.skipped.count == statuses.count, page.skipped.allSatisfy({ $0.reason == .unreadable }) {
            throw PlatformParseError.layout(.mastodon, "\(statuses.count) status(es) and none could be read (\(page.skipped[0].detail ?? ""))")
        }
        // The Link header names the next page exactly; without it, the last id of this page does.
        let linked = context.response?.headers["link"].flatMap { MastodonLinkHeader.next(in: $0) }
            .flatMap { MastodonLinkHeader.queryValue("max_id", in: $0) }
        if root.array != nil, !statuses.isEmpty, let maxID = linked ?? lastID {
            page.next = .mastodonMaxID(maxID)
        }
        page.itemCount = statuses.count
        page.oldestItemTime = times.min()
        if statuses.isEmpty { page.empty = .noPosts }
        return page
    }

    enum Outcome {
        case post(Post)
        case skipped(id: String, reason: PlatformPage.Skipped.Reason, time: Date?)
        case unreadable(id: String, reason: String)
    }

    static func read(_ status: JSONNode, bytes: [UInt8], context: PlatformContext) -> Outcome {
        guard status.members != nil else { return .unreadable(id: "", reason: "a status that is \(status.kindName), not an object") }
        let id = status["url"]?.string ?? status["uri"]?.string ?? status["id"]?.scalarText ?? ""
        guard !id.isEmpty else { return .unreadable(id: "", reason: "a status without url, uri or id") }
        let createdAt = status["created_at"]?.string.flatMap(PlatformTime.parse)

        var source = status
        if let reblog = status["reblog"], reblog.members != nil {
            guard context.options.includeReposts else { return .skipped(id: id, reason: .repost, time: createdAt) }
            source = reblog
        }
        if let parent = status["in_reply_to_id"], !parent.isNull {
            switch context.options.replies {
            case .none:
                return .skipped(id: id, reason: .reply, time: createdAt)
            case .ownThreads:
                let parentAccount = status["in_reply_to_account_id"]?.scalarText
                if parentAccount == nil || parentAccount != status["account"]?["id"]?.scalarText {
                    return .skipped(id: id, reason: .reply, time: createdAt)
                }
            case .all:
                break
            }
        }

        var post = Post(id: id, url: status["url"]?.string ?? status["uri"]?.string)
        post.publishedAt = createdAt
        post.author = accountName(status["account"])
        if source["id"]?.scalarText != status["id"]?.scalarText {
            let original = accountName(source["account"])
            let link = source["url"]?.string ?? source["uri"]?.string
            switch (original, link) {
            case let (name?, link?): post.forwardedFrom = "\(name) (\(link))"
            case let (name, link): post.forwardedFrom = name ?? link
            }
        }
        if let editedAt = source["edited_at"]?.string.flatMap(PlatformTime.parse) {
            post.edited = true
            post.editedAt = editedAt
            post.updatedAt = editedAt
        }
        post.text = text(of: source)
        post.tags = (source["tags"]?.array ?? []).compactMap { $0["name"]?.string }.filter { !$0.isEmpty }
        post.media = (source["media_attachments"]?.array ?? []).compactMap { attachment in
            [attachment["url"], attachment["remote_url"], attachment["preview_url"]]
                .compactMap { $0?.string }.first { $0.hasPrefix("https://") || $0.hasPrefix("http://") }
        }
        if context.options.keepRaw { post.raw = Array(bytes[status.span]) }
        return .post(post)
    }

    private static func text(of status: JSONNode) -> String {
        var paragraphs: [String] = []
        if let warning = status["spoiler_text"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines), !warning.isEmpty {
            paragraphs.append(warning)
        }
        paragraphs.append(MastodonContentText.plainText(fromHTML: status["content"]?.string ?? ""))
        let options = (status["poll"]?["options"]?.array ?? []).compactMap { $0["title"]?.string }.filter { !$0.isEmpty }
        if !options.isEmpty { paragraphs.append(options.joined(separator: "\n")) }
        let descriptions = (status["media_attachments"]?.array ?? [])
            .compactMap { $0["description"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
        if !descriptions.isEmpty { paragraphs.append(descriptions.joined(separator: "\n")) }
        return paragraphs.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// "Display Name (@acct)", or whichever of the two there is.
    static func accountName(_ account: JSONNode?) -> String? {
        let display = account?["display_name"]?.string.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let acct = account?["acct"]?.string.flatMap { $0.isEmpty ? nil : "@" + $0 }
        switch (display, acct) {
        case let (name?, acct?): return "\(name) (\(acct))"
        case let (name, acct): return name ?? acct
        }
    }
}
