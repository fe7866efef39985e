import Foundation

/// One item of a watched account, as a parser read it from a feed, a page or an API response.
///
/// The fields mirror the `parse` output of the command-line contract; everything a later stage
/// needs (judging, evidence) travels with the post so that no stage re-reads the source.
public struct Post: Sendable, Hashable {
    /// Stable across polls: the platform's id, else the link, else a hash of stable fields.
    public var id: String
    public var url: String?
    public var title: String?
    /// Readable plain text (markup removed, entities decoded, alt text kept).
    public var text: String
    public var author: String?
    /// The platform's time for the post: the time it is judged by when it is usable.
    public var publishedAt: Date?
    public var updatedAt: Date?
    /// The platform marks the post as edited (Telegram's "edited", Mastodon's `edited_at`).
    public var edited: Bool
    /// When the platform says the post was last edited, where it says so.
    public var editedAt: Date?
    /// A time the author's client declared, kept beside `publishedAt` when the two differ
    /// (Bluesky's `createdAt` can be backdated; `indexedAt` is then the platform time).
    public var declaredAt: Date?
    public var tags: [String]
    /// Absolute URLs of images, videos, documents and enclosures.
    public var media: [String]
    /// Where a forwarded or reposted post came from (a channel name or URL), when it says.
    public var forwardedFrom: String?
    /// The item was read by the recovering parser past an error in the document.
    public var recovered: Bool
    /// The item's own element or object as served (for the evidence archive), when kept.
    public var raw: [UInt8]?

    public init(
        id: String,
        url: String? = nil,
        title: String? = nil,
        text: String = "",
        author: String? = nil,
        publishedAt: Date? = nil,
        updatedAt: Date? = nil,
        edited: Bool = false,
        editedAt: Date? = nil,
        declaredAt: Date? = nil,
        tags: [String] = [],
        media: [String] = [],
        forwardedFrom: String? = nil,
        recovered: Bool = false,
        raw: [UInt8]? = nil
    ) {
        self.id = id
        self.url = url
        self.title = title
        self.text = text
        self.author = author
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.edited = edited
        self.editedAt = editedAt
        self.declaredAt = declaredAt
        self.tags = tags
        self.media = media
        self.forwardedFrom = forwardedFrom
        self.recovered = recovered
        self.raw = raw
    }
}
