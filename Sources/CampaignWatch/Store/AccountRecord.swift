import CampaignWatchCore
import Foundation
import GRDB

/// An account's fetch state as the store keeps it.
public struct AccountRecord: Sendable, Hashable {
    public var key: String
    public var platform: String
    public var handle: String
    public var url: String
    public var subjectID: String
    public var etag: String?
    public var lastModified: String?
    public var lastPollAt: Date?
    public var lastSuccessAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var lastErrorAt: Date?
    /// When the current run of failures began; nil while the account is healthy.
    public var failingSince: Date?
    public var consecutiveFailures: Int
    public var nextPollAt: Date?
    public var redirectedTo: String?
    public var postsSeen: Int
    public var lastNewPostAt: Date?
    public var removedAt: Date?
    /// The pipeline's per-account memory (JSON).
    public var platformState: String?

    init(row: Row) {
        key = row["key"]
        platform = row["platform"]
        handle = row["handle"]
        url = row["url"]
        subjectID = row["subject_id"]
        etag = row["etag"]
        lastModified = row["last_modified"]
        lastPollAt = Self.date(row["last_poll_at"])
        lastSuccessAt = Self.date(row["last_success_at"])
        lastStatus = row["last_status"]
        lastError = row["last_error"]
        lastErrorAt = Self.date(row["last_error_at"])
        failingSince = Self.date(row["failing_since"])
        consecutiveFailures = row["consecutive_failures"]
        nextPollAt = Self.date(row["next_poll_at"])
        redirectedTo = row["redirected_to"]
        postsSeen = row["posts_seen"]
        lastNewPostAt = Self.date(row["last_new_post_at"])
        removedAt = Self.date(row["removed_at"])
        platformState = row["platform_state"]
    }

    static func date(_ seconds: Double?) -> Date? { seconds.map(Date.init(timeIntervalSince1970:)) }
}

extension StateStore {
    /// Brings the account table in line with the configuration: new accounts added, changed URLs
    /// and subjects updated, accounts no longer configured marked removed (their history stays).
    public func syncAccounts(_ configured: [(account: Account, subjectID: String)], now: Date) throws(StoreError) {
        try write { db in
            let keys = configured.map(\.account.key)
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO account (key, platform, handle, url, subject_id) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET url = excluded.url, subject_id = excluded.subject_id, removed_at = NULL
                """)
            for (account, subjectID) in configured {
                try upsert.execute(arguments: [account.key, account.platform.rawValue, account.handle, account.url, subjectID])
            }
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS configured_key (key TEXT PRIMARY KEY)")
            try db.execute(sql: "DELETE FROM configured_key")
            let insertKey = try db.cachedStatement(sql: "INSERT OR IGNORE INTO configured_key (key) VALUES (?)")
            for key in keys { try insertKey.execute(arguments: [key]) }
            try db.execute(
                sql: "UPDATE account SET removed_at = ? WHERE removed_at IS NULL AND key NOT IN (SELECT key FROM configured_key)",
                arguments: [now.timeIntervalSince1970])
        }
    }

    /// Every account the store knows, configured or not (`includeRemoved`), ordered by key.
    public func accounts(includeRemoved: Bool = false) throws(StoreError) -> [AccountRecord] {
        try read { db in
            let sql = includeRemoved
                ? "SELECT * FROM account ORDER BY key"
                : "SELECT * FROM account WHERE removed_at IS NULL ORDER BY key"
            return try Row.fetchAll(db, sql: sql).map(AccountRecord.init(row:))
        }
    }

    public func account(key: String) throws(StoreError) -> AccountRecord? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM account WHERE key = ?"), arguments: [key]).map(AccountRecord.init(row:))
        }
    }

    /// What a poll starts from, in one read: the account's fetch state and the newest platform
    /// time among its posts (`newestPostTime`).
    public func pollStart(accountKey key: String) async throws(StoreError) -> (account: AccountRecord?, newestPostTime: Date?) {
        try await readOnWriter { db in
            let account = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM account WHERE key = ?"), arguments: [key])
                .map(AccountRecord.init(row:))
            let newest = try Double.fetchOne(db.cachedStatement(sql: "SELECT MAX(published_at) FROM post WHERE account_key = ?"),
                                             arguments: [key]).map(Date.init(timeIntervalSince1970:))
            return (account, newest)
        }
    }
}
