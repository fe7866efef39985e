import Foundation

/// Reads a Telegram channel's public web preview (`https://t.me/s/channel`), or any fragment
/// of one that holds message blocks.
///
/// How an answer without posts is told apart:
/// - the page has the channel's message history (`section.tgme_channel_history`) and no
///   message: an empty channel, zero posts;
/// - it has Telegram's "No posts found" block: zero posts, marked `noPostsFoundMarker`, because
///   t.me serves that block to throttled clients too;
/// - it is t.me's contact/landing page (`div.tgme_page`), or the request was redirected away from
///   `/s/`: the channel has no public preview (`noPublicPreview`);
/// - anything else, or message blocks none of which can be read: `layoutChanged`.
public enum TelegramPreviewParser {
    public static func parse(_ bytes: [UInt8], context: PlatformContext = PlatformContext()) throws(PlatformParseError) -> PlatformPage {
        let channel = context.account.isEmpty ? "the channel" : "channel \"\(context.account)\""
        if let error = PlatformResponseCheck.statusError(.telegram, context) { throw error }
        if let status = context.response?.status, status >= 400 {
            throw PlatformParseError(platform: .telegram, kind: .platformError(status: status),
                                     message: "t.me answered HTTP \(status) for \(channel): \(PlatformResponseCheck.excerpt(bytes))")
        }
        if let response = context.response, let final = response.finalURL, !final.contains("/s/"),
           context.requestURL?.contains("/s/") ?? true {
            throw noPreview(channel, context, detail: "t.me redirected the preview to \(final)")
        }
        let document: MarkupDocument
        do {
            document = try MarkupDocument.html(bytes)
        } catch {
            throw PlatformParseError(platform: .telegram, kind: .malformedDocument, message: "could not read the page of \(channel): \(error)")
        }
        let slices = context.options.keepRaw ? HTMLElementSlicer.ranges(in: bytes, keyedBy: "data-post") : [:]
        return try document.withRoot { (root) throws(PlatformParseError) -> PlatformPage in
            guard let root else {
                throw PlatformParseError.layout(.telegram, "the page of \(channel) has no elements at all")
            }
            return try read(root: root, bytes: bytes, slices: slices, channel: channel, context: context)
        }
    }

    private static func read(root: MarkupNode, bytes: [UInt8], slices: [String: Range<Int>], channel: String,
                             context: PlatformContext) throws(PlatformParseError) -> PlatformPage {
        let isMessage: (MarkupNode) -> Bool = { $0.hasClass("tgme_widget_message") }
        let messages = root.all(where: isMessage, descendInto: { !isMessage($0) })
        let title = root.first(withClass: "tgme_channel_info_header_title")
            .map { TelegramMessageReader.renderer.render($0) }
            .flatMap { $0.isEmpty ? nil : $0 }
        let next = root.first { $0.hasClass("tme_messages_more") && TelegramMarkup.beforeCursor(in: $0) != nil }
            .flatMap(TelegramMarkup.beforeCursor(in:))
            .map(PageCursor.telegramBefore)

        if messages.isEmpty {
            if root.first(withClass: "tme_no_messages_found") != nil {
                return PlatformPage(next: next, accountName: title, empty: .noPostsFoundMarker)
            }
            if root.first(withClass: "tgme_channel_history") != nil {
                return PlatformPage(next: next, accountName: title, empty: .noPosts)
            }
            if let landing = root.first(where: { $0.hasClass("tgme_page") || $0.hasClass("tgme_page_wrap") }) {
                let name = landing.first(withClass: "tgme_page_title").map { TelegramMessageReader.renderer.render($0) } ?? ""
                throw noPreview(channel, context, detail: name.isEmpty ? "t.me answered with its contact page"
                                : "t.me answered with the contact page of \"\(name)\"")
            }
            if root.first(withClass: "tgme_widget_message_wrap") != nil {
                throw PlatformParseError.layout(.telegram, "the page of \(channel) has message wrappers but no div.tgme_widget_message inside them")
            }
            throw PlatformParseError.layout(.telegram, "the page of \(channel) has no message history, no message and is no t.me contact page; "
                + "either something other than t.me answered or t.me changed its markup")
        }

        let reader = TelegramMessageReader(channelTitle: title)
        var posts: [Post] = []
        var skipped: [PlatformPage.Skipped] = []
        var times: [Date] = []
        var unreadable: [String] = []
        for message in messages {
            switch reader.read(message) {
            case .unreadable(let id, let reason):
                unreadable.append(reason)
                skipped.append(PlatformPage.Skipped(id: id, reason: .unreadable, detail: reason))
            case .post(var post, let isService):
                if let time = post.publishedAt { times.append(time) }
                if isService && !context.options.includeServiceMessages {
                    skipped.append(PlatformPage.Skipped(id: post.id, reason: .serviceMessage, detail: post.text))
                    continue
                }
                if context.options.keepRaw {
                    post.raw = slices[post.id].map { Array(bytes[$0]) } ?? message.serializedHTML()
                }
                posts.append(post)
            }
        }
        if unreadable.count == messages.count {
            throw PlatformParseError.layout(.telegram, "the page of \(channel) has \(messages.count) message block(s) and none could be read ("
                + "\(unreadable[0])); t.me may have changed its markup")
        }
        return PlatformPage(posts: posts, next: next, accountName: title, skipped: skipped,
                            oldestItemTime: times.min(), itemCount: messages.count)
    }

    private static func noPreview(_ channel: String, _ context: PlatformContext, detail: String) -> PlatformParseError {
        let handle = context.account.isEmpty ? "" : " (https://t.me/\(context.account))"
        return PlatformParseError(
            platform: .telegram, kind: .noPublicPreview,
            message: "\(channel) has no public web preview: \(detail). The name may be wrong, or it is a private channel, "
                + "a group, a user or a bot, or its preview is restricted; check it in a browser\(handle)")
    }
}
