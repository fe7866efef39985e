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
    public static func sha256(of post: Post) -> String {
        var bytes = Array((post.title ?? "").utf8)
        bytes.append(0x1F)
        bytes += Array(post.text.utf8)
        for url in post.media {
            bytes.append(0x1F)
            bytes += Array(url.utf8)
        }
        return Hex.sha256(bytes)
    }
}
