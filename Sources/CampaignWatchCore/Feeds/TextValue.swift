/// A text field as the document gave it: a range of bytes in the arena its item (or feed)
/// collects text in, turned into plain text only when it is used.
struct TextValue {
    enum Mode {
        /// Plain text: whitespace collapsed, nothing else.
        case text
        /// HTML source (escaped HTML, CDATA, naked tags re-serialised).
        case html
        /// Not declared: HTML if it looks like HTML (a known tag or an entity), else text.
        case guess
    }

    var range: Range<Int>
    var mode: Mode

    /// The plain text, or nil when there is none. `scratch` is reused between calls.
    func plainText(in arena: UnsafeBufferPointer<UInt8>, singleLine: Bool, scratch: inout [UInt8]) -> String? {
        Self.plainText(UnsafeBufferPointer(rebasing: arena[range]), mode: mode, singleLine: singleLine, scratch: &scratch)
    }

    static func plainText(_ bytes: UnsafeBufferPointer<UInt8>, mode: Mode, singleLine: Bool, scratch: inout [UInt8]) -> String? {
        let html: Bool
        switch mode {
        case .html: html = true
        case .text: html = false
        case .guess: html = HTMLSniffer.looksLikeHTML(bytes)
        }
        if html {
            HTMLText.render(bytes, singleLine: singleLine, into: &scratch)
        } else {
            HTMLText.collapse(bytes, singleLine: singleLine, into: &scratch)
        }
        return scratch.isEmpty ? nil : UTF8Validator.string(scratch)
    }

    static func plainText(_ text: String, mode: Mode, singleLine: Bool) -> String? {
        var text = text
        var scratch: [UInt8] = []
        return text.withUTF8 { plainText($0, mode: mode, singleLine: singleLine, scratch: &scratch) }
    }

    /// Trimmed text for identifiers, links and dates.
    func trimmed(in arena: UnsafeBufferPointer<UInt8>) -> String? {
        var start = range.lowerBound, end = range.upperBound
        while start < end, arena[start] <= 0x20 { start += 1 }
        while end > start, arena[end - 1] <= 0x20 { end -= 1 }
        guard start < end else { return nil }
        let text = UTF8Validator.string(UnsafeBufferPointer(rebasing: arena[start..<end]))
        // Rarer spaces (U+00A0, U+FEFF) at the ends.
        if arena[start] >= 0x80 || arena[end - 1] >= 0x80 {
            let trimmed = text.trimmingWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }
        return text
    }
}

/// Authors as feeds write them.
enum AuthorName {
    /// RSS `author` and similar: `jo@example.org (Jo Doe)` and `Jo Doe <jo@example.org>` give the
    /// name; a bare address stays the address; anything else is the name as written.
    static func fromText(_ text: String) -> String? {
        let trimmed = HTMLText.collapsingWhitespace(text, singleLine: true)
        guard !trimmed.isEmpty else { return nil }
        // Most authors are a plain name: nothing to take apart.
        guard trimmed.utf8.contains(where: { $0 == UInt8(ascii: ")") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: ":") }) else {
            return trimmed
        }
        if trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") {
            let name = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingWhitespace()
            let before = trimmed[..<open].trimmingWhitespace()
            if !name.isEmpty, before.contains("@") || before.isEmpty { return name }
        }
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let name = trimmed[..<open].trimmingWhitespace().trimmingCharacters(in: "\"'")
            if !name.isEmpty { return name }
            let address = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingWhitespace()
            return address.isEmpty ? nil : address
        }
        if trimmed.lowercased().hasPrefix("mailto:") { return String(trimmed.dropFirst(7)) }
        return trimmed
    }

    /// Atom person constructs: the name, else the address.
    static func fromPerson(name: String?, email: String?, uri: String?) -> String? {
        if let name = name.map({ HTMLText.collapsingWhitespace($0, singleLine: true) }), !name.isEmpty { return name }
        if let email = email?.trimmingWhitespace(), !email.isEmpty { return email }
        return nil
    }
}

extension String {
    func trimmingCharacters(in characters: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, characters.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, characters.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

/// Order-preserving de-duplication for tags and media lists (a handful of values: a linear
/// search beats hashing).
struct OrderedUniqueStrings {
    private(set) var values: [String] = []

    mutating func append(_ value: String?) {
        guard let value, !value.isEmpty, !values.contains(value) else { return }
        values.append(value)
    }
}
