import Foundation

/// Reads one `div.tgme_widget_message` of a t.me preview page into a `Post`.
struct TelegramMessageReader {
    enum Outcome {
        case post(Post, isService: Bool)
        case unreadable(id: String, reason: String)
    }

    /// The channel title from the page header, for posts whose block names no owner.
    var channelTitle: String?

    func read(_ message: MarkupNode) -> Outcome {
        guard let dataPost = message.attribute("data-post")?.trimmingCharacters(in: .whitespaces), !dataPost.isEmpty else {
            return .unreadable(id: "", reason: "a message block without data-post")
        }
        guard let slash = dataPost.lastIndex(of: "/"), slash != dataPost.startIndex,
              TelegramMarkup.isNumber(String(dataPost[dataPost.index(after: slash)...])) else {
            return .unreadable(id: dataPost, reason: "data-post \"\(dataPost)\" is not channel/number")
        }
        var post = Post(id: dataPost, url: "https://t.me/" + dataPost)
        post.publishedAt = publishedAt(of: message)
        post.author = author(of: message)
        post.forwardedFrom = forwardedFrom(of: message)
        let (edited, editedAt) = editMark(of: message)
        post.edited = edited
        post.editedAt = editedAt
        let content = content(of: message)
        post.text = content.text
        post.tags = content.tags
        post.media = media(of: message)
        return .post(post, isService: message.hasClass("service_message"))
    }

    // MARK: - Time, author, forward, edit mark

    /// The `<time datetime>` of the post's date link; a video's running time is also a `<time>`,
    /// so the first `<time>` of the block is only the fallback, and only when it has a datetime.
    private func publishedAt(of message: MarkupNode) -> Date? {
        if let dateLink = message.first(withClass: "tgme_widget_message_date"),
           let time = dateLink.hasName("time") && dateLink.attribute("datetime") != nil
               ? dateLink : dateLink.first(where: { $0.hasName("time") && $0.attribute("datetime") != nil }),
           let value = time.attribute("datetime") {
            return PlatformTime.parse(value)
        }
        let fallback = message.all(
            where: { $0.hasName("time") && $0.attribute("datetime") != nil },
            descendInto: { !Self.isQuoted($0) && !Self.isEditMark($0) })
            .first { !$0.hasAncestor(within: message, where: Self.isEditMark) }
        return fallback.flatMap { $0.attribute("datetime") }.flatMap(PlatformTime.parse)
    }

    /// The channel's name on the message, with the signature of the admin who posted it when
    /// the channel signs messages: "Channel (Signer)".
    private func author(of message: MarkupNode) -> String? {
        let owner = message.first(where: { $0.hasClass("tgme_widget_message_owner_name") && !$0.hasAncestor(within: message, where: Self.isQuoted) })
            .map { Self.renderer.render($0) }
            .flatMap { $0.isEmpty ? nil : $0 } ?? channelTitle
        let signer = message.first(withClass: "tgme_widget_message_from_author").map { Self.renderer.render($0) }
            .flatMap { $0.isEmpty ? nil : $0 }
        switch (owner, signer) {
        case let (owner?, signer?): return "\(owner) (\(signer))"
        case let (owner, signer): return signer ?? owner
        }
    }

    /// "Name (https://t.me/source/123)", with the original signer when the forward shows one.
    private func forwardedFrom(of message: MarkupNode) -> String? {
        guard let block = message.first(withClass: "tgme_widget_message_forwarded_from") else { return nil }
        let nameElement = block.first(withClass: "tgme_widget_message_forwarded_from_name")
        var name = nameElement.map { Self.renderer.render($0) } ?? ""
        if name.isEmpty {
            // Forwards from hidden users carry only text: "Forwarded from Name".
            name = Self.renderer.render(block)
            for prefix in ["Forwarded from", "Forwarded From"] where name.hasPrefix(prefix) {
                name = String(name.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            }
        }
        if let signer = block.first(withClass: "tgme_widget_message_forwarded_from_author").map({ Self.renderer.render($0) }),
           !signer.isEmpty {
            name = name.isEmpty ? signer : "\(name), \(signer)"
        }
        let link = nameElement.flatMap { element in
            (element.hasName("a") ? element : element.first { $0.hasName("a") }).flatMap(TelegramMarkup.href(of:))
        }.flatMap(TelegramMarkup.absolute)
        switch (name.isEmpty, link) {
        case (false, let link?): return "\(name) (\(link))"
        case (false, nil): return name
        case (true, let link?): return link
        case (true, nil): return nil
        }
    }

    /// Two markups mark an edit. Until at least 2023 the word "edited" stood as bare text in
    /// `span.tgme_widget_message_meta` before the date link; newer pages carry an element whose
    /// class starts with `tgme_widget_message_edited`, sometimes with a `<time>` of the edit.
    /// Only the meta span's own text is read, so a signer named "edited" is not an edit.
    private func editMark(of message: MarkupNode) -> (Bool, Date?) {
        if let mark = message.first(where: { Self.isEditMark($0) && !$0.hasAncestor(within: message, where: Self.isQuoted) }) {
            let time = mark.hasName("time") ? mark : mark.first { $0.hasName("time") }
            let value = time?.attribute("datetime") ?? mark.attribute("datetime") ?? mark.attribute("data-edited")
            return (true, value.flatMap(PlatformTime.parse))
        }
        for meta in message.all(where: { $0.hasClass("tgme_widget_message_meta") }, descendInto: { !Self.isQuoted($0) }) {
            for child in meta.children where child.isText {
                let words = child.textContent.lowercased().split(whereSeparator: { !$0.isLetter })
                if words.contains("edited") { return (true, nil) }
            }
        }
        return (false, nil)
    }

    static func isEditMark(_ node: MarkupNode) -> Bool {
        node.hasClass(withPrefix: "tgme_widget_message_edited")
    }

    /// The quoted message a post replies to, and the preview of a link: their text and
    /// pictures belong to someone else.
    static func isQuoted(_ node: MarkupNode) -> Bool {
        node.hasClass("tgme_widget_message_reply") || node.hasClass("tgme_widget_message_link_preview")
    }

    // MARK: - Text

    struct Content {
        var text: String
        var tags: [String]
    }

    /// The text a reader sees in the bubble, in page order: a poll's question and options, a
    /// document's file name, and every message text block (an album of documents has one
    /// caption per document). A link preview and the quoted reply are not the post's text.
    private func content(of message: MarkupNode) -> Content {
        var pieces: [String] = []
        var tags: [String] = []
        let blocks = message.all(
            where: { Self.isTextBlock($0) || $0.hasClass("tgme_widget_message_document_title") || $0.hasClass("tgme_widget_message_poll") },
            descendInto: { !Self.isQuoted($0) && !Self.isTextBlock($0) && !$0.hasClass("tgme_widget_message_poll")
                && !$0.hasClass("tgme_widget_message_document_title") })
        for block in blocks {
            if block.hasClass("tgme_widget_message_poll") {
                pieces.append(pollText(block))
                continue
            }
            let text = Self.renderer.render(block)
            if !text.isEmpty { pieces.append(text) }
            if Self.isTextBlock(block) { tags.append(contentsOf: hashtags(in: block)) }
        }
        var seen = Set<String>()
        return Content(text: pieces.filter { !$0.isEmpty }.joined(separator: "\n\n"), tags: tags.filter { seen.insert($0.lowercased()).inserted })
    }

    static func isTextBlock(_ node: MarkupNode) -> Bool {
        node.hasClass("tgme_widget_message_text") && !node.hasClass("js-message_reply_text")
    }

    /// The question and each option, one a line; the running percentages are left out (they
    /// change with every vote and are not the author's words).
    private func pollText(_ poll: MarkupNode) -> String {
        var lines: [String] = []
        if let question = poll.first(withClass: "tgme_widget_message_poll_question") {
            lines.append(Self.renderer.render(question))
        }
        for option in poll.all(where: { $0.hasClass("tgme_widget_message_poll_option_text") }) {
            lines.append(Self.renderer.render(option))
        }
        return lines.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Hashtag links point at the channel's search: `?q=%23tag`.
    private func hashtags(in block: MarkupNode) -> [String] {
        block.all(where: { $0.hasName("a") }).compactMap { link in
            guard let href = link.attribute("href"), href.contains("q=%23") || href.contains("q=#") else { return nil }
            let text = link.textContent.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("#"), text.count > 1 else { return nil }
            return String(text.dropFirst())
        }
    }

    /// Flattens bold, italics, spoilers and emoji wrappers; an emoji image with no character in
    /// it is read back from its file name.
    static let renderer = MarkupTextRenderer(customise: { element in
        if element.hasName("i"), element.hasClass("emoji") {
            let text = element.textContent.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { return .text(text) }
            if let style = element.attribute("style"), let url = TelegramMarkup.backgroundImage(in: style),
               let emoji = TelegramMarkup.emoji(fromImageURL: url) {
                return .text(emoji)
            }
            return .skip
        }
        if element.hasClass("message_media_not_supported") || element.hasClass("tgme_widget_message_inline_keyboard") {
            return .skip
        }
        return .render
    })

    // MARK: - Media

    /// Absolute URLs of the post's own photos, videos, voice notes, stickers and documents, in
    /// page order. Link previews and the quoted reply are skipped (not the author's upload).
    private func media(of message: MarkupNode) -> [String] {
        var urls: [String] = []
        func add(_ url: String?) {
            guard let url, let absolute = TelegramMarkup.absolute(url), !urls.contains(absolute) else { return }
            urls.append(absolute)
        }
        let items = message.all(where: Self.isMediaElement, descendInto: { !Self.isQuoted($0) && !Self.isPlayer($0) })
        for item in items {
            if Self.isPlayer(item) {
                // The video file when the page links it, else its poster (too big to preview).
                let video = item.hasName("video") ? item : item.first { $0.hasName("video") && $0.attribute("src") != nil }
                if let source = video?.attribute("src"), TelegramMarkup.absolute(source) != nil {
                    add(source)
                } else if let thumb = item.first(where: { $0.hasClass("tgme_widget_message_video_thumb") || $0.hasClass("tgme_widget_message_roundvideo_thumb") }),
                          let style = thumb.attribute("style") {
                    add(TelegramMarkup.backgroundImage(in: style))
                }
            } else if item.hasName("video") || item.hasName("audio") {
                add(item.attribute("src"))
            } else if item.hasClass("tgme_widget_message_document_wrap") {
                add(TelegramMarkup.href(of: item))
            } else if let webp = item.attribute("data-webp") {
                add(webp)
            } else if let style = item.attribute("style"), let image = TelegramMarkup.backgroundImage(in: style) {
                add(image)
            } else if let image = item.first(where: { $0.hasName("img") && $0.attribute("src") != nil }) {
                add(image.attribute("src"))
            }
        }
        return urls
    }

    static func isPlayer(_ node: MarkupNode) -> Bool {
        node.hasClass("tgme_widget_message_video_player") || node.hasClass("tgme_widget_message_roundvideo_player")
            || node.hasClass("tgme_widget_message_videosticker")
    }

    static func isMediaElement(_ node: MarkupNode) -> Bool {
        if isPlayer(node) { return true }
        if node.hasName("video"), node.attribute("src") != nil { return true }
        if node.hasName("audio"), node.attribute("src") != nil { return true }
        return node.hasClass("tgme_widget_message_photo_wrap") || node.hasClass("tgme_widget_message_document_wrap")
            || node.hasClass("tgme_widget_message_sticker") || node.hasClass("tgme_widget_message_tgsticker")
            || node.hasClass("tgme_widget_message_service_photo")
    }
}
