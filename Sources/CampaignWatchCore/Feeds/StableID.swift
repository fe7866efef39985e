import Crypto
import Foundation

/// Ids for posts whose feed gives neither an id nor a link, and disambiguation of ids a feed
/// repeats for different posts.
enum StableID {
    /// `sha256:` and the hex SHA-256 of the fields that identify the post's content: title,
    /// text, publication time, author and media, joined with U+001F. Independent of when or how
    /// often the feed is polled, and of markup or whitespace the text renders away.
    static func hash(of post: Post) -> String {
        var hasher = SHA256()
        func add(_ text: String?) {
            hasher.update(data: Array((text ?? "").utf8))
            hasher.update(data: [0x1F])
        }
        add(post.title)
        add(post.text)
        add(post.publishedAt.map(Timestamp.utc) ?? post.updatedAt.map(Timestamp.utc))
        add(post.author)
        add(post.media.joined(separator: " "))
        return "sha256:" + Hex.lower(hasher.finalize())
    }
}

/// Keeps ids unique within one document. A feed that repeats an id for a different post (a
/// CMS bug) gets `#` and the first 12 hex digits of the content hash appended to the later
/// one, stable across polls; an exact repeat of a post is dropped.
struct DuplicateIDs {
    /// What makes two posts with one id the same post: title, link, time and the length of
    /// the text (comparing whole texts would keep every text alive for the whole document).
    private struct Signature: Equatable {
        var title: String?
        var url: String?
        var textLength: Int
        var publishedAt: Date?
    }

    /// Keyed by the id's hash (cheap to compare and to rehash as the table grows); the id is
    /// kept to tell a real repeat from a hash collision.
    private var seen: [Int: (id: String, signature: Signature)] = [:]

    /// The hash of the id's UTF-8 bytes. `String.hashValue` hashes the canonical (NFC) form,
    /// which cost about 1% of parsing a feed; ids are compared as they are written anyway.
    private static func key(_ id: String) -> Int {
        var hasher = Hasher()
        var id = id
        id.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        return hasher.finalize()
    }

    /// Gives the post a unique id; false when it repeats an earlier post exactly. In place, so
    /// that a post (a dozen references) is not copied on its way through.
    mutating func admit(_ post: inout Post) -> Bool {
        let signature = Signature(title: post.title, url: post.url, textLength: post.text.utf8.count, publishedAt: post.publishedAt)
        let key = Self.key(post.id)
        guard let earlier = seen[key], earlier.id == post.id else {
            seen[key] = (post.id, signature)
            return true
        }
        if earlier.signature == signature { return false }
        let suffix = StableID.hash(of: post).dropFirst("sha256:".count).prefix(12)
        let alternative = post.id + "#" + suffix
        let alternativeKey = Self.key(alternative)
        if let repeated = seen[alternativeKey], repeated.id == alternative { return false }  // same content hash: a repeat
        seen[alternativeKey] = (alternative, signature)
        post.id = alternative
        return true
    }
}
