import CampaignWatchCore
import Foundation
import GRDB

/// A known post that a listing did not show, with what the store knows of its last version.
public struct AbsentPost: Sendable, Hashable {
    /// The last version seen, as stored (no raw bytes: those are in the archive).
    public var post: Post
    public var contentSHA256: String
    public var rawSHA256: String?
    public var firstSeenAt: Date
    public var versionSeenAt: Date
    public var lastSeenAt: Date
    /// Set when an earlier successful poll already missed it.
    public var missingSince: Date?
    /// The time its coverage is decided by: the platform's time, else when it was first seen.
    public var time: Date
}

extension StateStore {
    /// The account's posts, not known to be deleted and not in `listed`, that are either newer
    /// than `coveredAfter` (the listing covers their time, so they should have been in it) or
    /// already marked missing. With `coveredAfter` nil, only the marked ones.
    public func absentPosts(accountKey: String, listed: [String], coveredAfter: Date?) throws(StoreError) -> [AbsentPost] {
        try read { db in try Self.absentPosts(accountKey: accountKey, listed: listed, coveredAfter: coveredAfter, in: db) }
    }

    /// `absentPosts` as a poll reads it (`readOnWriter`).
    public func absentPosts(accountKey: String, listed: [String], coveredAfter: Date?) async throws(StoreError) -> [AbsentPost] {
        try await readOnWriter { db in try Self.absentPosts(accountKey: accountKey, listed: listed, coveredAfter: coveredAfter, in: db) }
    }

    /// What a listing tells about the account's posts, read together: which of `ids` the store
    /// knows, and (when `absencesCoveredAfter` is given) which posts it should have shown.
    public func listing(accountKey: String, ids: [String], absencesCoveredAfter: Date??) async throws(StoreError)
        -> (known: [String: KnownPost], absent: [AbsentPost]?) {
        try await readOnWriter { db in
            let known = try Self.knownPosts(accountKey: accountKey, ids: ids, in: db)
            guard let cover = absencesCoveredAfter else { return (known, nil) }
            return (known, try Self.absentPosts(accountKey: accountKey, listed: ids, coveredAfter: cover, in: db))
        }
    }

    static func absentPosts(accountKey: String, listed: [String], coveredAfter: Date?, in db: Database) throws -> [AbsentPost] {
        // Three index ranges (named: without statistics SQLite would scan the account's posts):
        // dated posts newer than the cover, undated ones first seen after it, marked ones.
        // A NULL cover matches nothing in the first two.
        let statement = try db.cachedStatement(sql: """
            SELECT p.post_id, p.url, p.title, p.text, p.author, p.published_at, p.updated_at, p.edited, p.edited_at,
                p.declared_at, p.tags, p.media, p.forwarded_from, p.content_sha256, p.first_seen_at, p.version_seen_at,
                p.last_seen_at, p.missing_since, v.raw_sha256
            FROM post p LEFT JOIN post_version v
                ON v.account_key = p.account_key AND v.post_id = p.post_id AND v.content_sha256 = p.content_sha256
            WHERE p.account_key = ?1 AND p.deleted_at IS NULL
                AND p.post_id NOT IN (SELECT value FROM json_each(?2))
                AND p.post_id IN (
                    SELECT post_id FROM post INDEXED BY post_published WHERE account_key = ?1 AND published_at > ?3
                    UNION SELECT post_id FROM post INDEXED BY post_published WHERE account_key = ?1 AND published_at IS NULL
                        AND first_seen_at > ?3
                    UNION SELECT post_id FROM post INDEXED BY post_missing
                        WHERE account_key = ?1 AND missing_since IS NOT NULL AND deleted_at IS NULL)
            """)
        return try Row.fetchAll(statement, arguments: [accountKey, StoredList.encode(listed),
                                                       coveredAfter?.timeIntervalSince1970]).map { row in
            func date(_ index: Int) -> Date? { (row[index] as Double?).map(Date.init(timeIntervalSince1970:)) }
            let post = Post(id: row[0], url: row[1], title: row[2], text: row[3], author: row[4], publishedAt: date(5),
                            updatedAt: date(6), edited: row[7], editedAt: date(8), declaredAt: date(9),
                            tags: StoredList.decode(row[10]), media: StoredList.decode(row[11]), forwardedFrom: row[12])
            let firstSeen = date(14)!
            return AbsentPost(post: post, contentSHA256: row[13], rawSHA256: row[18], firstSeenAt: firstSeen,
                              versionSeenAt: date(15)!, lastSeenAt: date(16)!, missingSince: date(17),
                              time: post.publishedAt ?? firstSeen)
        }
    }
}
