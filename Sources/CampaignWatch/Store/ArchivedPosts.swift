import CampaignWatchCore
import Foundation
import GRDB

/// A post as the store holds it: its current (last seen) version and when it was seen.
public struct ArchivedPost: Sendable {
    public var accountKey: String
    public var subjectID: String
    public var post: Post
    public var contentSHA256: String
    public var firstSeenAt: Date
    public var versionSeenAt: Date
    public var lastSeenAt: Date

    /// The instant the judge decides by: the platform's time, else when the post was first seen.
    public var judgedAt: Date { post.publishedAt ?? firstSeenAt }

    init(row: Row) {
        accountKey = row["account_key"]
        subjectID = row["subject_id"]
        var post = Post(id: row["post_id"], text: row["text"])
        post.url = row["url"]
        post.title = row["title"]
        post.author = row["author"]
        post.publishedAt = AccountRecord.date(row["published_at"])
        post.updatedAt = AccountRecord.date(row["updated_at"])
        post.edited = row["edited"]
        post.editedAt = AccountRecord.date(row["edited_at"])
        post.declaredAt = AccountRecord.date(row["declared_at"])
        post.tags = StoredList.decode(row["tags"])
        post.media = StoredList.decode(row["media"])
        post.forwardedFrom = row["forwarded_from"]
        self.post = post
        contentSHA256 = row["content_sha256"]
        firstSeenAt = Date(timeIntervalSince1970: row["first_seen_at"])
        versionSeenAt = Date(timeIntervalSince1970: row["version_seen_at"])
        lastSeenAt = Date(timeIntervalSince1970: row["last_seen_at"])
    }
}

/// What an archived alert says, enough to compare it with a new judgement and to show it.
public struct ArchivedAlert: Sendable, Hashable {
    public var id: String
    public var kind: String
    public var electionID: String
    public var accountKey: String
    public var postID: String
    public var document: [UInt8]
}

extension StateStore {
    /// Number of archived posts judged at an instant in `since..<until` (either end open).
    public func archivedPostCount(since: Date?, until: Date?) throws(StoreError) -> Int {
        try snapshotRead { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM post WHERE " + Self.judgedRange, arguments: Self.rangeArguments(since, until)) ?? 0
        }
    }

    /// Every archived post judged at an instant in `since..<until`, in account and post order,
    /// read from one snapshot of the database (the daemon may be writing meanwhile). `body`
    /// returns false to stop early.
    public func forEachArchivedPost(since: Date?, until: Date?, _ body: (ArchivedPost) throws -> Bool) throws(StoreError) {
        try snapshotRead { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM post WHERE " + Self.judgedRange + " ORDER BY account_key, post_id",
                                             arguments: Self.rangeArguments(since, until))
            while let row = try cursor.next() {
                guard try body(ArchivedPost(row: row)) else { return }
            }
        }
    }

    /// The alerts of the given kinds, without their documents' bodies parsed.
    public func archivedAlerts(kinds: [String]) throws(StoreError) -> [ArchivedAlert] {
        try snapshotRead { db in
            try Row.fetchAll(db, sql: """
                SELECT id, kind, election_id, account_key, post_id, document FROM alert
                WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY created_at, id
                """, arguments: [StoredList.encode(kinds)]).map { row in
                ArchivedAlert(id: row[0], kind: row[1], electionID: row[2], accountKey: row[3], postID: row[4],
                              document: [UInt8](row[5] as Data))
            }
        }
    }

    /// Stores alerts raised outside a poll (a replay with `--write`) as pending; an id already
    /// known is left alone. Returns the ids stored now.
    public func storeAlerts(_ alerts: [AlertRow]) throws(StoreError) -> [String] {
        try write { db in
            var stored: [String] = []
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO alert (id, kind, election_id, period_kind, subject_id, account_key, post_id,
                    created_at, document, spooled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                """)
            for alert in alerts {
                try insert.execute(arguments: [
                    alert.id, alert.kind, alert.electionID, alert.periodKind, alert.subjectID, alert.accountKey,
                    alert.postID, alert.createdAt.timeIntervalSince1970, Data(alert.document),
                ])
                if db.changesCount > 0 { stored.append(alert.id) }
            }
            return stored
        }
    }

    /// The instant a post is judged at, as SQL: platform time, else first seen.
    private static let judgedRange =
        "(? IS NULL OR COALESCE(published_at, first_seen_at) >= ?) AND (? IS NULL OR COALESCE(published_at, first_seen_at) < ?)"

    private static func rangeArguments(_ since: Date?, _ until: Date?) -> StatementArguments {
        let s = since?.timeIntervalSince1970, u = until?.timeIntervalSince1970
        return [s, s, u, u]
    }
}
