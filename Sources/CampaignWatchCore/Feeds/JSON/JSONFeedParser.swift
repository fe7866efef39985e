import Foundation

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). Items before a syntax error are
/// kept; the error is reported as a warning.
enum JSONFeedParser {
    static func parse(_ p: UnsafeBufferPointer<UInt8>, documentURL: String?, options: FeedParseOptions,
                      onPost: (consuming Post) -> Void) throws(FeedParseError) -> ParsedFeed {
        var reader = JSONReader(p, maxDepth: min(options.maxDepth, 512))
        var top: [String: JSONValue] = [:]
        var items: [JSONValue] = []
        var warning: String?
        do {
            try reader.expect(UInt8(ascii: "{"))
            if !reader.take(UInt8(ascii: "}")) {
                repeat {
                    reader.skipWhitespace()
                    let key = try reader.string()
                    try reader.expect(UInt8(ascii: ":"))
                    if key == "items" {
                        try readItems(&reader, into: &items)
                    } else {
                        let value = try reader.value(depth: 1)
                        if top[key] == nil { top[key] = value }
                    }
                } while reader.take(UInt8(ascii: ","))
                try reader.expect(UInt8(ascii: "}"))
            }
            reader.skipWhitespace()
            if !reader.atEnd { warning = "text after the JSON object ignored" }
        } catch {
            if error.message.hasPrefix("nested deeper") { throw .nestingTooDeep(reader.maxDepth) }
            guard !items.isEmpty else { throw .malformed(error.description) }
            warning = error.description + " (the items before it were read)"
        }
        let version = top["version"]?.string
        guard version?.utf8Contains("jsonfeed.org/version") ?? false || !items.isEmpty || top["items"] != nil else {
            throw .notAFeed("JSON that is not a JSON Feed (no \"version\" naming jsonfeed.org, no \"items\")")
        }

        let homePage = top["home_page_url"]?.string.map { URLResolver.resolve($0, against: documentURL) }
        let feedURL = top["feed_url"]?.string.map { URLResolver.resolve($0, against: documentURL) }
        let base = homePage ?? feedURL ?? documentURL
        let feedAuthors = authors(JSONValue(kind: .object(top), range: 0..<0))
        var duplicates = DuplicateIDs()
        for item in items {
            guard var post = post(from: item, base: base, feedAuthors: feedAuthors) else { continue }
            if options.keepRaw { post.raw = Array(UnsafeBufferPointer(rebasing: p[item.range])) }
            if duplicates.admit(&post) { onPost(post) }
        }
        return ParsedFeed(
            format: .jsonfeed,
            version: version.map { $0.split(separator: "/").last.map(String.init) ?? $0 },
            title: top["title"]?.string.flatMap { TextValue.plainText($0, mode: .guess, singleLine: true) },
            link: homePage,
            warnings: warning.map { [$0] } ?? [],
            problemCount: warning == nil ? 0 : 1
        )
    }

    /// Reads the items array one item at a time, so the items before an error survive it.
    private static func readItems(_ reader: inout JSONReader, into items: inout [JSONValue]) throws(JSONReader.Failure) {
        reader.skipWhitespace()
        guard reader.take(UInt8(ascii: "[")) else {
            _ = try reader.value(depth: 1)
            return
        }
        if reader.take(UInt8(ascii: "]")) { return }
        repeat { items.append(try reader.value(depth: 2)) } while reader.take(UInt8(ascii: ","))
        try reader.expect(UInt8(ascii: "]"))
    }

    /// `authors` (1.1) or `author` (1.0): names, else URLs.
    private static func authors(_ value: JSONValue) -> [String] {
        let people = value["authors"]?.array ?? value["author"].map { [$0] } ?? []
        return people.compactMap { person in
            if let name = person["name"]?.string.map({ HTMLText.collapsingWhitespace($0, singleLine: true) }), !name.isEmpty {
                return name
            }
            if let name = person.string, !name.isEmpty { return name }
            return person["url"]?.string
        }
    }

    private static func post(from item: JSONValue, base: String?, feedAuthors: [String]) -> Post? {
        guard case .object = item.kind else { return nil }
        let url = (item["url"]?.string ?? item["external_url"]?.string).flatMap { text -> String? in
            let trimmed = text.trimmingWhitespace()
            return trimmed.isEmpty ? nil : URLResolver.resolve(trimmed, against: base)
        }
        let title = item["title"]?.string.flatMap { TextValue.plainText($0, mode: .guess, singleLine: true) }
        var text = ""
        let candidates: [(String, TextValue.Mode)] = [("content_html", .html), ("content_text", .text), ("summary", .guess)]
        for (key, mode) in candidates {
            if let value = item[key]?.string, let plain = TextValue.plainText(value, mode: mode, singleLine: false) {
                text = plain
                break
            }
        }
        var authorList = OrderedUniqueStrings()
        for author in authors(item) { authorList.append(author) }
        if authorList.values.isEmpty { for author in feedAuthors { authorList.append(author) } }
        var tags = OrderedUniqueStrings()
        if let list = item["tags"]?.array {
            for tag in list { tags.append(tag.string.map { HTMLText.collapsingWhitespace($0, singleLine: true) }) }
        } else if let list = item["tags"]?.string {
            for tag in list.split(separator: ",") { tags.append(tag.trimmingWhitespace()) }
        }
        var media = OrderedUniqueStrings()
        for attachment in item["attachments"]?.array ?? [] {
            media.append(attachment["url"]?.string.map { URLResolver.resolve($0, against: base) })
        }
        media.append(item["image"]?.string.map { URLResolver.resolve($0, against: base) })
        media.append(item["banner_image"]?.string.map { URLResolver.resolve($0, against: base) })
        let published = item["date_published"]?.string.flatMap(FeedDate.parse)
        let updated = item["date_modified"]?.string.flatMap(FeedDate.parse)
        let id = item["id"]?.scalarText?.trimmingWhitespace()
        let stableID = (id?.isEmpty ?? true) ? url : id
        if stableID == nil && title == nil && text.isEmpty && media.values.isEmpty { return nil }
        return Post.feedItem(id: stableID, url: url, title: title, text: text, authors: authorList.values,
                             publishedAt: published, updatedAt: updated, tags: tags.values, media: media.values)
    }
}
