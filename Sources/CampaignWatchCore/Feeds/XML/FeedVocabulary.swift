/// The elements of RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and the common namespaces, by
/// namespace family and local name.
enum FeedVocabulary {
    enum Namespace: Sendable {
        /// No namespace, RSS 0.9/1.0/2.0 and Atom share the core names (`title`, `link`…).
        case core
        case rdf, dc, dcterms, content, media, itunes, xhtml, other
    }

    enum Element: UInt8, Sendable {
        case unknown
        case rss, rdfRoot, feed, channel, item, entry, source, author, contributor
        case mediaGroup, mediaContent, mediaThumbnail, mediaTitle, mediaDescription, mediaKeywords
        case title, link, description, summary, content, contentEncoded, guid, id
        case pubDate, published, updated, issued, modified, created
        case dcDate, dcCreator, dcSubject, dcTitle, dcDescription, dctermsCreated, dctermsIssued, dctermsModified
        case name, email, uri
        case category, enclosure, itunesImage, itunesAuthor
    }

    static let namespaces: [String: Namespace] = [
        "http://www.w3.org/2005/Atom": .core,
        "http://purl.org/atom/ns#": .core,
        "http://purl.org/rss/1.0/": .core,
        "http://my.netscape.com/rdf/simple/0.9/": .core,
        "http://backend.userland.com/rss2": .core,
        "http://blogs.law.harvard.edu/tech/rss": .core,
        "http://backend.userland.com/rss": .core,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#": .rdf,
        "http://purl.org/dc/elements/1.1/": .dc,
        "http://purl.org/dc/elements/1.0/": .dc,
        "http://purl.org/dc/terms/": .dcterms,
        "http://purl.org/rss/1.0/modules/content/": .content,
        "http://search.yahoo.com/mrss/": .media,
        "http://search.yahoo.com/mrss": .media,
        "http://video.search.yahoo.com/mrss": .media,
        "http://video.search.yahoo.com/mrss/": .media,
        "http://tools.search.yahoo.com/mrss/": .media,
        "http://www.itunes.com/dtds/podcast-1.0.dtd": .itunes,
        "http://www.w3.org/1999/xhtml": .xhtml,
    ]

    /// Prefixes used without a declaration (a common error) mean what they conventionally mean.
    static let conventionalPrefixes: [String: Namespace] = [
        "atom": .core, "rss": .core, "rdf": .rdf, "dc": .dc, "dcterms": .dcterms, "content": .content,
        "media": .media, "itunes": .itunes, "xhtml": .xhtml, "html": .xhtml,
    ]

    static func element(_ namespace: Namespace, _ name: String) -> Element {
        switch namespace {
        case .core:
            switch name {
            case "rss": .rss
            case "feed": .feed
            case "channel": .channel
            case "item": .item
            case "entry": .entry
            case "source": .source
            case "author": .author
            case "contributor": .contributor
            case "title": .title
            case "link": .link
            case "description": .description
            case "summary": .summary
            case "content": .content
            case "guid": .guid
            case "id": .id
            case "pubDate", "pubdate", "PubDate": .pubDate
            case "published": .published
            case "updated": .updated
            case "issued": .issued
            case "modified": .modified
            case "created": .created
            case "name": .name
            case "email": .email
            case "uri", "url": .uri
            case "category": .category
            case "enclosure": .enclosure
            case "RDF": .rdfRoot
            default: .unknown
            }
        case .rdf:
            name == "RDF" ? .rdfRoot : .unknown
        case .dc:
            switch name {
            case "date": .dcDate
            case "creator": .dcCreator
            case "subject": .dcSubject
            case "title": .dcTitle
            case "description": .dcDescription
            default: .unknown
            }
        case .dcterms:
            switch name {
            case "created": .dctermsCreated
            case "issued", "available": .dctermsIssued
            case "modified": .dctermsModified
            case "date": .dcDate
            default: .unknown
            }
        case .content:
            name == "encoded" ? .contentEncoded : .unknown
        case .media:
            switch name {
            case "group": .mediaGroup
            case "content": .mediaContent
            case "thumbnail": .mediaThumbnail
            case "title": .mediaTitle
            case "description": .mediaDescription
            case "keywords": .mediaKeywords
            default: .unknown
            }
        case .itunes:
            switch name {
            case "image": .itunesImage
            case "author": .itunesAuthor
            default: .unknown
            }
        case .xhtml, .other:
            .unknown
        }
    }
}
