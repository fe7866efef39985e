import Foundation

/// A Bluesky post's text with its facets applied: the full address of each link whose text
/// the client shortened (`example.com/very-lo...`), and the hashtags the facets name.
///
/// Facets index UTF-8 bytes of the text, not characters; a facet whose range is out of bounds,
/// splits a character or overlaps an earlier one is ignored rather than trusted.
struct BlueskyRichText {
    var text: String
    var tags: [String]

    init(record: JSONNode) {
        let source = Array((record["text"]?.string ?? "").utf8)
        var tags: [String] = []
        var replacements: [(range: Range<Int>, text: String)] = []
        let facets = (record["facets"]?.array ?? []).compactMap { facet -> (Range<Int>, [JSONNode])? in
            guard let index = facet["index"], let start = index["byteStart"]?.int, let end = index["byteEnd"]?.int,
                  start >= 0, start < end, end <= source.count,
                  Self.isBoundary(source, start), Self.isBoundary(source, end) else { return nil }
            return (start..<end, facet["features"]?.array ?? [])
        }.sorted { $0.0.lowerBound < $1.0.lowerBound }
        var covered = 0
        for (range, features) in facets {
            for feature in features {
                switch feature["$type"]?.string {
                case "app.bsky.richtext.facet#tag":
                    if let tag = feature["tag"]?.string, !tag.isEmpty { tags.append(tag.hasPrefix("#") ? String(tag.dropFirst()) : tag) }
                case "app.bsky.richtext.facet#link":
                    guard range.lowerBound >= covered, let uri = feature["uri"]?.string, !uri.isEmpty else { continue }
                    let shown = String(decoding: source[range], as: UTF8.self)
                    if Self.isShortened(shown, of: uri) {
                        replacements.append((range, uri))
                        covered = range.upperBound
                    }
                default:
                    continue
                }
            }
        }
        for extra in record["tags"]?.array ?? [] {
            if let tag = extra.string, !tag.isEmpty { tags.append(tag.hasPrefix("#") ? String(tag.dropFirst()) : tag) }
        }
        var output: [UInt8] = []
        output.reserveCapacity(source.count + 64)
        var position = 0
        for replacement in replacements {
            output.append(contentsOf: source[position..<replacement.range.lowerBound])
            output.append(contentsOf: replacement.text.utf8)
            position = replacement.range.upperBound
        }
        output.append(contentsOf: source[position...])
        var seen = Set<String>()
        self.text = String(decoding: output, as: UTF8.self)
        self.tags = tags.filter { seen.insert($0.lowercased()).inserted }
    }

    /// A byte offset that does not fall inside a multi-byte character.
    private static func isBoundary(_ bytes: [UInt8], _ offset: Int) -> Bool {
        offset == bytes.count || (bytes[offset] & 0xC0) != 0x80
    }

    /// The link text is the address with its scheme or `www.` dropped and possibly cut with an
    /// ellipsis: what Bluesky's clients show. Link text that says something else ("my site")
    /// is what the reader sees, and stays.
    static func isShortened(_ shown: String, of uri: String) -> Bool {
        let shown = shown.trimmingCharacters(in: .whitespaces)
        if shown == uri { return false }
        var stem = Substring(shown)
        for ellipsis in ["...", "…"] where stem.hasSuffix(ellipsis) { stem = stem.dropLast(ellipsis.count) }
        let bare = { (text: Substring) -> Substring in
            var text = text
            for prefix in ["https://", "http://"] where text.lowercased().hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
            if text.lowercased().hasPrefix("www.") { text = text.dropFirst(4) }
            return text
        }
        let shownStem = bare(stem)
        guard !shownStem.isEmpty else { return false }
        return bare(Substring(uri)).hasPrefix(shownStem)
    }
}
