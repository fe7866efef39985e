/// The feed formats the parser reads. The raw value is the `parse --as` name.
public enum FeedFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// RSS 0.9x and 2.0.
    case rss
    /// RSS 1.0 and 0.90 (RDF).
    case rdf
    /// Atom 1.0 and 0.3.
    case atom
    /// JSON Feed 1.0 and 1.1.
    case jsonfeed

    public var isXML: Bool { self != .jsonfeed }
}

/// What is known about where the bytes came from.
public struct FeedSource: Sendable, Hashable {
    /// The URL the document was fetched from (after redirects), when it was fetched.
    public var url: String?
    /// The HTTP Content-Type, with its `charset` parameter when the server sent one.
    public var contentType: String?
    /// Used instead of `url` as the document's address when resolving relative links.
    public var baseURL: String?

    public init(url: String? = nil, contentType: String? = nil, baseURL: String? = nil) {
        self.url = url
        self.contentType = contentType
        self.baseURL = baseURL
    }

    var documentURL: String? { baseURL ?? url }
}

public struct FeedParseOptions: Sendable, Hashable {
    /// Keep each item's own element (or JSON object) in `Post.raw`.
    public var keepRaw: Bool
    /// A compressed document may expand to at most this many bytes.
    public var maxDecompressedBytes: Int
    /// Elements or JSON values nested deeper than this are refused as hostile.
    public var maxDepth: Int

    public init(keepRaw: Bool = true, maxDecompressedBytes: Int = 256 << 20, maxDepth: Int = 256) {
        self.keepRaw = keepRaw
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxDepth = maxDepth
    }
}

/// A feed as read: its own title and link, its posts, and what had to be repaired to read it.
public struct ParsedFeed: Sendable {
    public var format: FeedFormat
    /// `2.0`, `0.91`, `1.0` (RSS 1.0 or Atom 1.0), `0.3`, `1.1`… when the document says.
    public var version: String?
    public var title: String?
    /// The feed's own (HTML) link, absolute where it could be resolved.
    public var link: String?
    public var posts: [Post]
    /// The encoding the text was read in (`utf-8`, `windows-1251`…).
    public var encoding: String
    /// One line per problem the parser read past (recovered errors, encoding notes), capped.
    public var warnings: [String]
    /// How many problems there were in all (warnings lists at most the first few).
    public var problemCount: Int

    public init(format: FeedFormat, version: String? = nil, title: String? = nil, link: String? = nil,
                posts: [Post] = [], encoding: String = "utf-8", warnings: [String] = [], problemCount: Int = 0) {
        self.format = format
        self.version = version
        self.title = title
        self.link = link
        self.posts = posts
        self.encoding = encoding
        self.warnings = warnings
        self.problemCount = problemCount
    }
}
