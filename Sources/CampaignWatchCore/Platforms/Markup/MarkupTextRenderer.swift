/// Turns an HTML element's contents into the plain text a reader sees: markup flattened
/// (bold, spoilers, emoji wrappers), `<br>` and blocks as line breaks, paragraphs as an empty
/// line, link text kept, scripts and drawings dropped, image alt text kept.
///
/// Each platform adjusts it through `customise`, which sees every element before the default
/// rules do (Telegram's emoji images, Mastodon's shortened links).
struct MarkupTextRenderer: Sendable {
    enum Handling {
        /// Leave the element and everything in it out.
        case skip
        /// Write this text instead of the element.
        case text(String)
        /// Apply the default rules.
        case render
    }

    var customise: @Sendable (MarkupNode) -> Handling = { _ in .render }

    /// The text of `node`'s children (the node's own block-ness does not matter here).
    func render(_ node: MarkupNode) -> String {
        var builder = PlainTextBuilder()
        renderChildren(of: node, into: &builder, preformatted: false)
        return builder.finish()
    }

    func render(_ node: MarkupNode, into builder: inout PlainTextBuilder) {
        renderChildren(of: node, into: &builder, preformatted: false)
    }

    private func renderChildren(of node: MarkupNode, into builder: inout PlainTextBuilder, preformatted: Bool) {
        for child in node.children {
            if child.isText {
                child.withTextBytes { bytes in
                    if preformatted { builder.appendPreformatted(bytes) } else { builder.appendCollapsing(bytes) }
                }
            } else if child.isElement {
                renderElement(child, into: &builder, preformatted: preformatted)
            }
        }
    }

    private func renderElement(_ element: MarkupNode, into builder: inout PlainTextBuilder, preformatted: Bool) {
        switch customise(element) {
        case .skip:
            return
        case .text(let text):
            builder.appendCollapsing(text)
            return
        case .render:
            break
        }
        let name = element.name
        if name == "br" {
            builder.lineBreak()
            return
        }
        if Self.invisible.contains(name) { return }
        if name == "img" {
            if let alt = element.attribute("alt"), !alt.isEmpty { builder.appendCollapsing(alt) }
            return
        }
        if name == "hr" {
            builder.blockBoundary(2)
            return
        }
        if name == "td" || name == "th" {
            builder.softSpace()
            renderChildren(of: element, into: &builder, preformatted: preformatted)
            builder.softSpace()
            return
        }
        let breaks = Self.paragraphs.contains(name) ? 2 : (Self.blocks.contains(name) ? 1 : 0)
        if breaks > 0 { builder.blockBoundary(breaks) }
        renderChildren(of: element, into: &builder, preformatted: preformatted || name == "pre")
        if breaks > 0 { builder.blockBoundary(breaks) }
    }

    private static let invisible: Set<String> = [
        "script", "style", "svg", "head", "template", "title", "noscript", "audio", "video", "source",
        "object", "embed", "iframe", "canvas", "map", "input", "select", "textarea", "button",
    ]

    private static let paragraphs: Set<String> = [
        "p", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "figure",
    ]

    private static let blocks: Set<String> = [
        "div", "section", "article", "aside", "header", "footer", "main", "nav", "address", "li", "dd", "dt",
        "tr", "caption", "figcaption", "details", "summary", "dialog", "fieldset", "form", "hgroup", "legend",
    ]
}
