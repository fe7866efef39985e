import Foundation

/// What a post's embed adds: media URLs from the hydrated view (`post.embed`), and text from
/// the record itself (`post.record.embed`), because the record is what the author signed and
/// does not change when the AppView re-renders a card or a quoted post disappears.
///
/// - images: the full-size URLs are media; each alt text is added to the text;
/// - video: the HLS playlist URL is media; its alt text is added to the text;
/// - external link card: its title, description and address are added to the text (the author's
///   client wrote them into the record); its picture is not media (it shows the linked page);
/// - quoted post: its address (by DID, which never changes) is added to the text; its content is
///   someone else's and can vanish, so it is not.
struct BlueskyEmbed {
    private(set) var media: [String] = []
    private var altTexts: [String] = []
    private var card: (uri: String, title: String, description: String)?
    private var quoted: String?

    init(record: JSONNode?, view: JSONNode?) {
        if let view { collectMedia(view) }
        if let record {
            collectText(record, isView: false)
        } else if let view {
            collectText(view, isView: true)
        }
    }

    /// The paragraphs to add after the post's own text (a card address already in the text
    /// is not repeated).
    func textParagraphs(excluding text: String) -> [String] {
        var paragraphs: [String] = []
        let alts = altTexts.filter { !$0.isEmpty }
        if !alts.isEmpty { paragraphs.append(alts.joined(separator: "\n")) }
        if let card {
            var lines = [card.title, card.description].filter { !$0.isEmpty }
            if !card.uri.isEmpty, !text.contains(card.uri) { lines.append(card.uri) }
            if !lines.isEmpty { paragraphs.append(lines.joined(separator: "\n")) }
        }
        if let quoted, !text.contains(quoted) { paragraphs.append(quoted) }
        return paragraphs
    }

    private mutating func collectMedia(_ view: JSONNode) {
        switch view["$type"]?.string {
        case "app.bsky.embed.images#view":
            for image in view["images"]?.array ?? [] {
                if let url = image["fullsize"]?.string ?? image["thumb"]?.string { add(url) }
            }
        case "app.bsky.embed.video#view":
            if let playlist = view["playlist"]?.string { add(playlist) }
        case "app.bsky.embed.recordWithMedia#view":
            if let media = view["media"] { collectMedia(media) }
        default:
            break
        }
    }

    private mutating func add(_ url: String) {
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), !media.contains(url) else { return }
        media.append(url)
    }

    private mutating func collectText(_ embed: JSONNode, isView: Bool) {
        let suffix = isView ? "#view" : ""
        switch embed["$type"]?.string {
        case "app.bsky.embed.images" + suffix:
            for image in embed["images"]?.array ?? [] {
                if let alt = image["alt"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) { altTexts.append(alt) }
            }
        case "app.bsky.embed.video" + suffix:
            if let alt = embed["alt"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) { altTexts.append(alt) }
        case "app.bsky.embed.external" + suffix:
            if let external = embed["external"] {
                card = (external["uri"]?.string ?? "",
                        external["title"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "",
                        external["description"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            }
        case "app.bsky.embed.record" + suffix:
            quote(embed["record"])
        case "app.bsky.embed.recordWithMedia" + suffix:
            quote(embed["record"]?["record"])
            if let media = embed["media"] { collectText(media, isView: isView) }
        default:
            break
        }
    }

    private mutating func quote(_ reference: JSONNode?) {
        guard let uri = reference?["uri"]?.string, let location = ATURI(uri), location.collection == "app.bsky.feed.post" else { return }
        quoted = location.webURL(handle: nil)
    }
}
