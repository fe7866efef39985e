/// Mastodon's status HTML (`content`) as plain text.
///
/// Mastodon shortens long links for display: `<a href="https://example.org/a/long/path">` holds
/// `<span class="invisible">https://</span><span class="ellipsis">example.org/a/lo</span>
/// <span class="invisible">ng/path</span>`, and a reader sees `example.org/a/lo…`. The text keeps
/// the full address instead (as it does for Bluesky's shortened links): the cut form is a display
/// artifact, and a monitor searching for a site or a path must find it. Mentions and hashtags
/// keep their text (`@user`, `#tag`).
enum MastodonContentText {
    static func plainText(fromHTML html: String) -> String {
        guard !html.isEmpty else { return "" }
        guard let document = try? MarkupDocument.html(Array(html.utf8)) else { return "" }
        return document.withRoot { root in
            guard let root else { return "" }
            return renderer.render(root)
        }
    }

    static let renderer = MarkupTextRenderer(customise: { element in
        if element.hasName("a"), element.first(where: { $0.hasClass("invisible") || $0.hasClass("ellipsis") }) != nil,
           let href = element.attribute("href"), !href.isEmpty {
            return .text(href)
        }
        if element.hasClass("invisible") { return .skip }
        return .render
    })
}
