import Foundation

/// What one RSS item or Atom entry said, collected while it streams past and turned into a
/// `Post` at its end tag.
struct ItemFields {
    enum DateSlot: Int, CaseIterable {
        // Publication, in order of preference.
        case pubDate, published, dcDate, dctermsIssued, dctermsCreated, issued, created
        // Last update, in order of preference.
        case updated, modified, dctermsModified

        static let publication: [DateSlot] = [.pubDate, .published, .dcDate, .dctermsIssued, .dctermsCreated, .issued, .created]
        static let update: [DateSlot] = [.updated, .modified, .dctermsModified]
    }

    enum TextSlot: Int, CaseIterable {
        // Content before summaries: the first that reads as non-empty text is the post's text.
        case contentEncoded, content, description, summary, dcDescription, mediaDescription
    }

    struct Link {
        var rel: String
        var type: String?
        var href: String
    }

    var guid: String?
    var guidIsPermaLink = true
    var atomID: String?
    var rdfAbout: String?
    /// RSS `<link>` text, resolved.
    var link: String?
    /// Atom-style links (`<link href>` in either format), resolved.
    var links: [Link] = []
    var title: TextValue?
    var dcTitle: TextValue?
    var mediaTitle: TextValue?
    var texts: [TextValue?] = Array(repeating: nil, count: TextSlot.allCases.count)
    var authors: [String] = []
    var itunesAuthor: String?
    var sourceAuthors: [String] = []
    /// Dates as written, parsed only when the post is built.
    var dates: [[UInt8]?] = Array(repeating: nil, count: DateSlot.allCases.count)
    var tags = OrderedUniqueStrings()
    var media = OrderedUniqueStrings()

    /// The post, or nil for an item that says nothing at all.
    func post(feedAuthors: [String]) -> Post? {
        let url = link ?? alternateLink ?? guidLink
        let title = (title ?? dcTitle ?? mediaTitle)?.plainText(singleLine: true)
        var text = ""
        for value in texts {
            if let value, let plain = value.plainText(singleLine: false) {
                text = plain
                break
            }
        }
        var authorList = OrderedUniqueStrings()
        for author in authors { authorList.append(author) }
        if authorList.values.isEmpty { authorList.append(itunesAuthor) }
        if authorList.values.isEmpty { for author in sourceAuthors { authorList.append(author) } }
        if authorList.values.isEmpty { for author in feedAuthors { authorList.append(author) } }
        let published = firstDate(DateSlot.publication)
        let updated = firstDate(DateSlot.update)
        let id = guid ?? atomID ?? rdfAbout ?? url
        if id == nil && title == nil && text.isEmpty && media.values.isEmpty && published == nil { return nil }
        var post = Post(
            id: id ?? "",
            url: url,
            title: title,
            text: text,
            author: authorList.values.isEmpty ? nil : authorList.values.joined(separator: ", "),
            publishedAt: published,
            updatedAt: updated,
            edited: published != nil && updated != nil && updated! > published!,
            tags: tags.values,
            media: media.values
        )
        if id == nil { post.id = StableID.hash(of: post) }
        return post
    }

    /// `rel="alternate"` (the default) with an HTML type preferred over other types.
    private var alternateLink: String? {
        var fallback: String?
        for link in links where link.rel == "alternate" {
            let type = link.type?.lowercased()
            if type == nil || type == "text/html" || type == "application/xhtml+xml" { return link.href }
            if fallback == nil { fallback = link.href }
        }
        return fallback
    }

    /// A permalink guid, or an id that is a web URL, stands in for a missing link.
    private var guidLink: String? {
        if let guid, guidIsPermaLink, URLResolver.isWebURL(guid) { return guid }
        if let atomID, URLResolver.isWebURL(atomID) { return atomID }
        if let rdfAbout, URLResolver.isWebURL(rdfAbout) { return rdfAbout }
        return nil
    }

    private func firstDate(_ slots: [DateSlot]) -> Date? {
        for slot in slots {
            if let text = dates[slot.rawValue], let date = text.withUnsafeBufferPointer(FeedDate.parse(utf8:)) { return date }
        }
        return nil
    }
}
