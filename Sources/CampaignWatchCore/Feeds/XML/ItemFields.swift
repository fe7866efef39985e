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
    var texts = Slots()
    var authors: [String] = []
    var itunesAuthor: String?
    var sourceAuthors: [String] = []
    /// Dates as written, parsed only when the post is built.
    var dates = Slots()
    var tags = OrderedUniqueStrings()
    var media = OrderedUniqueStrings()

    /// Up to ten text values by slot number, without an array to allocate per item.
    struct Slots {
        private var values: (TextValue?, TextValue?, TextValue?, TextValue?, TextValue?,
                             TextValue?, TextValue?, TextValue?, TextValue?, TextValue?)
            = (nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)

        subscript(slot: Int) -> TextValue? {
            get {
                switch slot {
                case 0: values.0
                case 1: values.1
                case 2: values.2
                case 3: values.3
                case 4: values.4
                case 5: values.5
                case 6: values.6
                case 7: values.7
                case 8: values.8
                default: values.9
                }
            }
            set {
                switch slot {
                case 0: values.0 = newValue
                case 1: values.1 = newValue
                case 2: values.2 = newValue
                case 3: values.3 = newValue
                case 4: values.4 = newValue
                case 5: values.5 = newValue
                case 6: values.6 = newValue
                case 7: values.7 = newValue
                case 8: values.8 = newValue
                default: values.9 = newValue
                }
            }
        }
    }

    /// The post, or nil for an item that says nothing at all. `arena` holds the item's text
    /// values; `scratch` is reused for rendering.
    /// Consuming: the item is finished, so its strings move into the post.
    consuming func post(arena: UnsafeBufferPointer<UInt8>, feedAuthors: [String], scratch: inout [UInt8]) -> Post? {
        let url = link ?? alternateLink ?? guidLink
        let title = (title ?? dcTitle ?? mediaTitle)?.plainText(in: arena, singleLine: true, scratch: &scratch)
        var text = ""
        for slot in TextSlot.allCases {
            if let value = texts[slot.rawValue], let plain = value.plainText(in: arena, singleLine: false, scratch: &scratch) {
                text = plain
                break
            }
        }
        var authorList = OrderedUniqueStrings()
        for author in authors { authorList.append(author) }
        if authorList.values.isEmpty { authorList.append(itunesAuthor) }
        if authorList.values.isEmpty { for author in sourceAuthors { authorList.append(author) } }
        if authorList.values.isEmpty { for author in feedAuthors { authorList.append(author) } }
        let published = firstDate(DateSlot.publication, arena)
        let updated = firstDate(DateSlot.update, arena)
        let id = guid ?? atomID ?? rdfAbout ?? url
        if id == nil && title == nil && text.isEmpty && media.values.isEmpty && published == nil { return nil }
        return Post.feedItem(id: id, url: url, title: title, text: text, authors: authorList.values,
                             publishedAt: published, updatedAt: updated, tags: tags.values, media: media.values)
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

    private func firstDate(_ slots: [DateSlot], _ arena: UnsafeBufferPointer<UInt8>) -> Date? {
        for slot in slots {
            if let value = dates[slot.rawValue], let date = FeedDate.parse(utf8: UnsafeBufferPointer(rebasing: arena[value.range])) {
                return date
            }
        }
        return nil
    }
}
