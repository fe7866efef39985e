import Foundation

/// Reads a YouTube channel's (or playlist's) Atom feed, `feeds/videos.xml?channel_id=…`.
///
/// The feed is small and fixed (the latest 15 videos), so it is read here with libxml2 rather
/// than through the general Atom parser; ids are the entry's Atom `<id>` (`yt:video:ID`), the
/// value a general Atom parser would also choose, so the two can be swapped without new ids.
/// - text: `media:group/media:description` (the video's description); the title stays in `title`;
/// - media: the thumbnail(s) (`media:thumbnail`); the `media:content` player URL is not media;
/// - `published` and `updated`; YouTube moves `updated` when views or the description change, so
///   it never marks the video as edited.
/// There is no paging: the feed has no older pages.
public enum YouTubeFeedParser {
    static let atom = "http://www.w3.org/2005/Atom"
    static let media = "http://search.yahoo.com/mrss/"
    static let yt = "http://www.youtube.com/xml/schemas/2015"

    public static func parse(_ bytes: [UInt8], context: PlatformContext = PlatformContext()) throws(PlatformParseError) -> PlatformPage {
        if let error = PlatformResponseCheck.statusError(.youtube, context) { throw error }
        let channel = context.account.isEmpty ? "the channel" : "channel \"\(context.account)\""
        if let status = context.response?.status, status >= 400 {
            if status == 404 {
                throw PlatformParseError(platform: .youtube, kind: .accountNotFound,
                                         message: "YouTube has no feed for \(channel) (HTTP 404); check the channel id (it starts with UC)")
            }
            throw PlatformParseError(platform: .youtube, kind: .platformError(status: status),
                                     message: "HTTP \(status): \(PlatformResponseCheck.excerpt(bytes))")
        }
        let document: MarkupDocument
        do {
            document = try MarkupDocument.xml(bytes)
        } catch {
            throw PlatformParseError(platform: .youtube, kind: .malformedDocument, message: "could not read the feed of \(channel): \(error)")
        }
        let entryBytes = context.options.keepRaw ? HTMLElementSlicer.ranges(in: bytes, elementNamed: "entry") : []
        return try document.withRoot { (root) throws(PlatformParseError) -> PlatformPage in
            guard let root, root.isElement("feed", namespace: atom) else {
                let found = root.map { "<\($0.name)>" } ?? "no element"
                if document.recovered, root == nil || root?.name == "html" {
                    throw PlatformParseError(platform: .youtube, kind: .malformedDocument,
                                             message: "the feed of \(channel) is not well-formed XML: \(document.recoveryMessage?.description ?? "unreadable")")
                }
                throw PlatformParseError.layout(.youtube, "the answer for \(channel) is \(found), not an Atom <feed>")
            }
            let entries = root.elementChildren.filter { $0.isElement("entry", namespace: atom) }
            var page = PlatformPage()
            page.accountName = child(root, "author", atom).flatMap { child($0, "name", atom) }.map(\.textContent).map(trimmed)
                ?? child(root, "title", atom).map(\.textContent).map(trimmed)
            for (index, entry) in entries.enumerated() {
                var post = read(entry)
                post.recovered = document.recovered
                if context.options.keepRaw {
                    post.raw = entryBytes.count == entries.count ? Array(bytes[entryBytes[index]]) : entry.serializedHTML()
                }
                if post.id.isEmpty {
                    page.skipped.append(PlatformPage.Skipped(id: "", reason: .unreadable, detail: "an entry without id or yt:videoId"))
                } else {
                    page.posts.append(post)
                }
            }
            if !entries.isEmpty, page.posts.isEmpty {
                throw PlatformParseError.layout(.youtube, "\(entries.count) entries and none has an <id> or <yt:videoId>")
            }
            page.itemCount = entries.count
            page.oldestItemTime = page.posts.compactMap(\.publishedAt).min()
            if entries.isEmpty { page.empty = .noPosts }
            return page
        }
    }

    private static func read(_ entry: MarkupNode) -> Post {
        let videoID = child(entry, "videoId", yt).map(\.textContent).map(trimmed) ?? ""
        var id = child(entry, "id", atom).map(\.textContent).map(trimmed) ?? ""
        if id.isEmpty, !videoID.isEmpty { id = "yt:video:" + videoID }
        var post = Post(id: id)
        let alternate = entry.elementChildren.first {
            $0.isElement("link", namespace: atom) && ($0.attribute("rel") ?? "alternate") == "alternate"
        }?.attribute("href")
        post.url = alternate ?? (videoID.isEmpty ? nil : "https://www.youtube.com/watch?v=" + videoID)
        post.title = child(entry, "title", atom).map(\.textContent).map(trimmed)
        post.author = child(entry, "author", atom).flatMap { child($0, "name", atom) }.map(\.textContent).map(trimmed)
        post.publishedAt = child(entry, "published", atom).map(\.textContent).flatMap(PlatformTime.parse)
        post.updatedAt = child(entry, "updated", atom).map(\.textContent).flatMap(PlatformTime.parse)
        let group = child(entry, "group", media)
        if let description = group.flatMap({ child($0, "description", media) }) {
            post.text = description.textContent.replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let thumbnails = (group.map { [$0] } ?? []) + [entry]
        for parent in thumbnails {
            for thumbnail in parent.elementChildren where thumbnail.isElement("thumbnail", namespace: media) {
                if let url = thumbnail.attribute("url"), url.hasPrefix("http"), !post.media.contains(url) { post.media.append(url) }
            }
        }
        return post
    }

    private static func child(_ node: MarkupNode, _ name: String, _ namespace: String) -> MarkupNode? {
        node.elementChildren.first { $0.isElement(name, namespace: namespace) }
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
