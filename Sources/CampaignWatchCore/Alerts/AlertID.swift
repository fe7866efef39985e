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
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(scalar)
        }
        return String(out)
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
