import Foundation

/// Small readers for the ways t.me puts values into its markup.
enum TelegramMarkup {
    /// The URL in a `style` attribute's `background-image:url('…')`, quoted or not, with the
    /// whitespace a pretty-printer adds.
    static func backgroundImage(in style: String) -> String? {
        guard let property = style.range(of: "background-image", options: .caseInsensitive),
              let open = style.range(of: "url(", options: .caseInsensitive, range: property.upperBound..<style.endIndex),
              let close = style.range(of: ")", range: open.upperBound..<style.endIndex) else { return nil }
        var value = style[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = value.first, first == "'" || first == "\"", value.count >= 2, value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return value.isEmpty ? nil : value
    }

    /// Telegram writes its own assets protocol-relative (`//telegram.org/…`) and some links
    /// root-relative (`/s/channel?before=…`); media URLs must be absolute.
    static func absolute(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed == "#" || trimmed.hasPrefix("javascript:") { return nil }
        if trimmed.hasPrefix("//") { return "https:" + trimmed }
        if trimmed.hasPrefix("/") { return "https://t.me" + trimmed }
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") { return trimmed }
        if trimmed.hasPrefix("tg://") || trimmed.hasPrefix("data:") { return nil }
        return nil
    }

    /// Since April 2024 t.me writes `&amp;` into the href of links that ask for confirmation
    /// (those with `onclick`), so the decoded attribute still holds `&amp;`.
    static func href(of link: MarkupNode) -> String? {
        guard let href = link.attribute("href") else { return nil }
        if link.attribute("onclick") != nil { return href.replacingOccurrences(of: "&amp;", with: "&") }
        return href
    }

    /// Telegram's emoji images are named by the emoji's UTF-8 bytes in hex
    /// (`…/emoji/40/F09F918D.png` is 👍); used when the markup carries no character.
    static func emoji(fromImageURL url: String) -> String? {
        guard let slash = url.lastIndex(of: "/") else { return nil }
        var name = url[url.index(after: slash)...]
        if let dot = name.firstIndex(of: ".") { name = name[..<dot] }
        guard !name.isEmpty, name.count % 2 == 0, name.count <= 64 else { return nil }
        var bytes: [UInt8] = []
        var index = name.startIndex
        while index < name.endIndex {
            let next = name.index(index, offsetBy: 2)
            guard let byte = UInt8(name[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        guard let text = String(validating: bytes, as: UTF8.self), !text.isEmpty else { return nil }
        return text
    }

    /// The number in `data-before="208634"` or in a `?before=208634` link.
    static func beforeCursor(in link: MarkupNode) -> String? {
        if let value = link.attribute("data-before"), isNumber(value) { return value }
        guard let href = link.attribute("href"), let query = href.range(of: "before=") else { return nil }
        let digits = href[query.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    static func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
