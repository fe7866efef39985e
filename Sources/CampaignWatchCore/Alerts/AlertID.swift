import Crypto

/// Alert ids: the same finding always gets the same id, so restarts and replays never write a
/// second copy (the spool names the file after it).
///
/// The id is the first 128 bits, as 32 lower-case hex digits, of SHA-256 over the UTF-8 bytes
/// of `campaignwatch.alert/1` followed by six netstrings (`<byte count>:<bytes>,`): election id,
/// subject id, platform, post id, kind, content SHA-256 (hex). Netstrings keep two different
/// tuples from ever producing the same bytes, whatever the fields contain.
public enum AlertID {
    public static func make(electionID: String, subjectID: String, platform: Platform, postID: String,
                            kind: Alert.Kind, contentSHA256: String) -> String {
        var bytes = Array(Alert.schema.utf8)
        for field in [electionID, subjectID, platform.rawValue, postID, kind.rawValue, contentSHA256] {
            let utf8 = Array(field.utf8)
            bytes += Array(String(utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes += utf8
            bytes.append(UInt8(ascii: ","))
        }
        return Hex.lower(SHA256.hash(data: bytes).prefix(16))
    }
}

/// SHA-256 in the lower-case hex form alerts carry.
public enum Hex {
    public static func lower(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        lower(SHA256.hash(data: Array(bytes)))
    }
}

/// The content hash of a post version: what an edit changes. SHA-256 (hex) over the UTF-8 of
/// the title, U+001F, the text, then U+001F and each media URL in order. The unit separator
/// cannot occur in feed text that survived parsing, so fields cannot run into each other.
public enum PostContentHash {
    /// SHA-256 over what the author controls: the title and the text with Unicode and white space
    /// normalised (a feed re-serialised with other line breaks is not an edit), and each media
    /// item by its stable identity (CDN addresses carry signatures that change between fetches).
    public static func sha256(of post: Post) -> String {
        var bytes = Array(normalised(post.title ?? "").utf8)
        bytes.append(0x1F)
        bytes += Array(normalised(post.text).utf8)
        for url in post.media {
            bytes.append(0x1F)
            bytes += Array(MediaIdentity.key(url).utf8)
        }
        return Hex.sha256(bytes)
    }

    /// NFC, runs of white space as one space, no leading or trailing space.
    static func normalised(_ text: String) -> String {
        // Foundation's NFC is costly and almost never changes anything: only text with combining
        // marks (or scripts that compose) goes through it.
        let composed = needsComposition(text) ? text.precomposedStringWithCanonicalMapping : text
        var out = [UInt8]()
        out.reserveCapacity(composed.utf8.count)
        var pendingSpace = false
        for scalar in composed.unicodeScalars {
            if isWhiteSpace(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            if scalar.value < 0x80 {
                out.append(UInt8(scalar.value))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// False when every scalar is below U+0300 or a Cyrillic letter (U+0400–U+04FF without the
    /// combining U+0483–U+0489): such text is already NFC.
    static func needsComposition(_ text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            if byte < 0x80 { continue }
            if byte >= 0xC2 && byte <= 0xCB { _ = utf8.next(); continue }
            if byte >= 0xD0 && byte <= 0xD3 {
                guard let second = utf8.next() else { return false }
                if byte == 0xD2 && second >= 0x83 && second <= 0x89 { return true }
                continue
            }
            return true
        }
        return false
    }

    /// Unicode White_Space, without a property lookup per scalar.
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

/// What identifies a media item across polls. The query and fragment of a media URL are access
/// tokens and sizes, not content; Telegram's CDN file names are re-issued between fetches, so a
/// Telegram file counts only as "a file of this kind".
public enum MediaIdentity {
    public static func key(_ url: String) -> String {
        var base = Substring(url)
        if let cut = base.firstIndex(where: { $0 == "?" || $0 == "#" }) { base = base[..<cut] }
        if let host = host(of: base), telegramCDNs.contains(where: { host == $0 || host.hasSuffix("." + $0) }) {
            let name = base.split(separator: "/").last ?? ""
            let ext = name.contains(".") ? String(name.split(separator: ".").last!) : "file"
            return "telegram-media:\(ext.lowercased())"
        }
        return String(base)
    }

    static let telegramCDNs = ["telesco.pe", "cdn-telegram.org", "telegram-cdn.org"]

    static func host(of url: Substring) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let hostPort = rest.prefix { $0 != "/" }
        let host = hostPort.split(separator: "@").last?.split(separator: ":").first ?? ""
        return host.isEmpty ? nil : host.lowercased()
    }
}
