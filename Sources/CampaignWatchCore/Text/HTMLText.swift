/// HTML to the plain text a person reads: markup removed, block elements as line breaks,
/// entities decoded (every HTML named reference and numeric references with the HTML rules),
/// scripts and styles dropped, image alt text kept, whitespace collapsed, and markup that was
/// escaped twice (`&amp;lt;p&amp;gt;`) removed as well.
///
/// A byte-level tokenizer: no DOM and no libxml2 per call, so it is cheap enough to run on every
/// post of a large feed and on every status of a timeline.
public enum HTMLText {
    /// The plain text of an HTML fragment. With `singleLine` every line break becomes a space
    /// (titles, names).
    public static func plainText(_ html: String, singleLine: Bool = false) -> String {
        var html = html
        return html.withUTF8 { plainText(utf8: $0, singleLine: singleLine) }
    }

    public static func plainText(utf8 html: UnsafeBufferPointer<UInt8>, singleLine: Bool = false) -> String {
        UTF8Validator.string(plainTextBytes(html, singleLine: singleLine))
    }

    /// Text, link targets and image sources of an HTML fragment, the URLs resolved against
    /// `baseURL` (RFC 3986).
    public struct Extract: Sendable, Hashable {
        public var text: String
        public var links: [String]
        public var images: [String]
    }

    public static func extract(_ html: String, baseURL: String? = nil, singleLine: Bool = false) -> Extract {
        var html = html
        return html.withUTF8 { p in
            var renderer = HTMLTextRenderer(capacity: p.count, singleLine: singleLine, collectURLs: true)
            renderer.render(p)
            var text = renderer.out
            if renderer.mayHoldEscapedMarkup, HTMLSniffer.looksLikeHTML(text) {
                text = text.withUnsafeBufferPointer { plainTextBytes($0, singleLine: singleLine) }  // the escaped layers
            }
            let resolve = { (url: String) in URLResolver.resolve(url, against: baseURL) }
            return Extract(text: UTF8Validator.string(text), links: renderer.links.map(resolve),
                           images: renderer.images.map(resolve))
        }
    }

    /// Plain text (not HTML) with the same whitespace rules: runs of spaces become one, lines
    /// are trimmed, at most one blank line in a row; line breaks kept unless `singleLine`.
    public static func collapsingWhitespace(_ text: String, singleLine: Bool = false) -> String {
        var text = text
        return text.withUTF8 { UTF8Validator.string(collapsedBytes($0, singleLine: singleLine)) }
    }

    /// Whether text holds HTML: a tag of a known HTML element or an entity reference. Used where
    /// a feed does not say whether a field is HTML (RSS titles and descriptions).
    public static func looksLikeHTML(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { HTMLSniffer.looksLikeHTML($0) }
    }

    /// Markup escaped more than this many times is left as the last pass shows it.
    static let maxPasses = 3

    static func plainTextBytes(_ html: UnsafeBufferPointer<UInt8>, singleLine: Bool) -> [UInt8] {
        var out: [UInt8] = []
        render(html, singleLine: singleLine, into: &out)
        return out
    }

    /// Renders into `out` (emptied first, its capacity reused).
    static func render(_ html: UnsafeBufferPointer<UInt8>, singleLine: Bool, into out: inout [UInt8]) {
        var renderer = HTMLTextRenderer(reusing: &out, capacity: html.count, singleLine: singleLine, collectURLs: false)
        renderer.render(html)
        var passes = 1
        while passes < maxPasses, renderer.mayHoldEscapedMarkup, HTMLSniffer.looksLikeHTML(renderer.out) {
            var next = HTMLTextRenderer(capacity: renderer.out.count, singleLine: singleLine, collectURLs: false)
            renderer.out.withUnsafeBufferPointer { next.render($0) }
            renderer = next
            passes += 1
        }
        swap(&out, &renderer.out)
    }

    static func collapsedBytes(_ text: UnsafeBufferPointer<UInt8>, singleLine: Bool) -> [UInt8] {
        var out: [UInt8] = []
        collapse(text, singleLine: singleLine, into: &out)
        return out
    }

    static func collapse(_ text: UnsafeBufferPointer<UInt8>, singleLine: Bool, into out: inout [UInt8]) {
        var renderer = HTMLTextRenderer(reusing: &out, capacity: text.count, singleLine: singleLine, collectURLs: false)
        renderer.renderPlain(text)
        swap(&out, &renderer.out)
    }
}

extension HTMLSniffer {
    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { looksLikeHTML($0) }
    }
}
