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
        if let text = bytes.withContiguousStorageIfAvailable(lower(buffer:)) { return text }
        return Array(bytes).withUnsafeBufferPointer(lower(buffer:))
    }

    /// Written straight into the string's storage: hashes are rendered several times per post
    /// on the polling path.
    static func lower(buffer: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: buffer.count * 2) { out in
            var index = 0
            for byte in buffer {
                out[index] = digit(byte >> 4)
                out[index + 1] = digit(byte & 0xF)
                index += 2
            }
            return index
        }
    }

    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }

    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).withUnsafeBytes { lower(buffer: $0.bindMemory(to: UInt8.self)) }
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(post.text.utf8.count + (post.title?.utf8.count ?? 0) + 64 * post.media.count + 8)
        appendNormalised(post.title ?? "", to: &bytes)
        bytes.append(0x1F)
        appendNormalised(post.text, to: &bytes)
        for url in post.media {
            bytes.append(0x1F)
            bytes += Array(MediaIdentity.key(url).utf8)
        }
        return Hex.sha256(bytes)
    }

    /// NFC, runs of white space as one space, no leading or trailing space.
    static func normalised(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendNormalised(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the normalised UTF-8 of `text`, working on its bytes: this runs for every post
    /// of every poll. Runs between white space are copied whole.
    static func appendNormalised(_ text: String, to out: inout [UInt8]) {
        // Foundation's NFC is costly and almost never changes anything: only text with combining
        // marks (or scripts that compose) goes through it.
        var composed = text
        if composed.withUTF8(needsComposition(utf8:)) { composed = text.precomposedStringWithCanonicalMapping }
        let start = out.count
        composed.withUTF8 { utf8 in
            var pendingSpace = false
            var index = 0, run = 0
            let count = utf8.count
            func flush(upTo end: Int) {
                guard end > run else { return }
                if pendingSpace { out.append(0x20) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<end]))
            }
            while index < count {
                let width = whiteSpaceWidth(utf8, at: index)
                if width == 0 {
                    index += 1
                    continue
                }
                flush(upTo: index)
                pendingSpace = out.count > start
                index += width
                run = index
            }
            flush(upTo: count)
        }
    }

    /// The length in bytes of the Unicode White_Space character at `index`, or 0.
    @inline(__always)
    static func whiteSpaceWidth(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let byte = b[i]
        if byte < 0x80 { return (byte >= 0x09 && byte <= 0x0D) || byte == 0x20 ? 1 : 0 }
        let rest = b.count - i
        switch byte {
        case 0xC2 where rest >= 2 && (b[i + 1] == 0x85 || b[i + 1] == 0xA0):
            return 2
        case 0xE1 where rest >= 3 && b[i + 1] == 0x9A && b[i + 2] == 0x80:
            return 3                                                       // U+1680
        case 0xE2 where rest >= 3 && b[i + 1] == 0x80 && (b[i + 2] <= 0x8A || b[i + 2] == 0xA8 || b[i + 2] == 0xA9 || b[i + 2] == 0xAF):
            return 3                                                       // U+2000–200A, 2028, 2029, 202F
        case 0xE2 where rest >= 3 && b[i + 1] == 0x81 && b[i + 2] == 0x9F:
            return 3                                                       // U+205F
        case 0xE3 where rest >= 3 && b[i + 1] == 0x80 && b[i + 2] == 0x80:
            return 3                                                       // U+3000
        default:
            return 0
        }
    }

    /// False when every scalar is below U+0300 or a Cyrillic letter (U+0400–U+04FF without the
    /// combining U+0483–U+0489): such text is already NFC.
    static func needsComposition(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(needsComposition(utf8:))
    }

    static func needsComposition(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            index += 1
            if byte < 0x80 { continue }
            if byte >= 0xC2 && byte <= 0xCB { index += 1; continue }
            if byte >= 0xD0 && byte <= 0xD3 {
                guard index < count else { return false }
                let second = utf8[index]
                index += 1
                if byte == 0xD2 && second >= 0x83 && second <= 0x89 { return true }
                continue
            }
            return true
        }
        return false
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
