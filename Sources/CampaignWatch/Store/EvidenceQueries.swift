import CampaignWatchCore
import Foundation
import GRDB

/// A chain link as stored.
public struct StoredLink: Sendable, Hashable {
    public var seq: Int
    public var at: Date
    public var event: String
    public var accountKey: String?
    public var postID: String?
    public var alertID: String?
    public var line: String
    public var hash: String

    init(row: Row) {
        seq = row["seq"]
        at = Date(timeIntervalSince1970: row["at"])
        event = row["event"]
        accountKey = row["account_key"]
        postID = row["post_id"]
        alertID = row["alert_id"]
        line = row["line"]
        hash = row["hash"]
    }
}

/// One stored version of a post.
public struct StoredVersion: Sendable, Hashable {
    public var accountKey: String
    public var postID: String
    public var contentSHA256: String
    public var firstSeenAt: Date
    /// Nil while this is the current version.
    public var lastSeenAt: Date?
    public var edited: Bool
    public var editedAt: Date?
    public var title: String?
    public var text: String
    public var media: [String]
    public var rawSHA256: String?
    public var responseSHA256: String?
    public var responseURL: String?
    public var chainSeq: Int?
    /// Where the raw object and the response lie in the packs (nil: loose files).
    public var rawPacked: PackedObject?
    public var responsePacked: PackedObject?

    init(row: Row) {
        accountKey = row["account_key"]
        postID = row["post_id"]
        contentSHA256 = row["content_sha256"]
        firstSeenAt = Date(timeIntervalSince1970: row["first_seen_at"])
        lastSeenAt = (row["last_seen_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        edited = row["edited"]
        editedAt = (row["edited_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        title = row["title"]
        text = row["text"]
        media = StoredList.decode(row["media"])
        rawSHA256 = row["raw_sha256"]
        responseSHA256 = row["response_sha256"]
        responseURL = row["response_url"]
        chainSeq = row["chain_seq"]
        rawPacked = PackedObject(sha256: rawSHA256, pack: row["raw_pack"], offset: row["raw_offset"], length: row["raw_length"])
        responsePacked = PackedObject(sha256: responseSHA256, pack: row["response_pack"], offset: row["response_offset"],
                                      length: row["response_length"])
    }
}

/// An RFC 3161 token over a chain head.
public struct StoredTimestamp: Sendable, Hashable {
    public var chainSeq: Int
    public var chainHash: String
    public var requestedAt: Date
    public var tsaURL: String
    public var token: [UInt8]

    init(row: Row) {
        chainSeq = row["chain_seq"]
        chainHash = row["chain_hash"]
        requestedAt = Date(timeIntervalSince1970: row["requested_at"])
        tsaURL = row["tsa_url"]
        token = [UInt8](row["token"] as Data)
    }
}

extension StateStore {
    /// Every link in order, one at a time, from one consistent snapshot of the database.
    public func forEachLink(_ body: (StoredLink) throws -> Void) throws(StoreError) {
        do {
            try pool.read { db in
                let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM chain ORDER BY seq")
                while let row = try cursor.next() { try body(StoredLink(row: row)) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    public func chainHead() throws(StoreError) -> StoredLink? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM chain ORDER BY seq DESC LIMIT 1").map(StoredLink.init(row:)) }
    }

    public func links(from first: Int, through last: Int) throws(StoreError) -> [StoredLink] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM chain WHERE seq BETWEEN ? AND ? ORDER BY seq", arguments: [first, last])
                .map(StoredLink.init(row:))
        }
    }

    public func link(seq: Int) throws(StoreError) -> StoredLink? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM chain WHERE seq = ?", arguments: [seq]).map(StoredLink.init(row:)) }
    }

    /// The links about one post (its sightings, versions, deletion and alerts).
    public func links(accountKey: String, postID: String) throws(StoreError) -> [StoredLink] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM chain WHERE account_key = ? AND post_id = ? ORDER BY seq",
                             arguments: [accountKey, postID]).map(StoredLink.init(row:))
        }
    }

    /// Every object the store refers to: the chain's and the versions' raw and response hashes.
    public func versions(accountKey: String, postID: String) throws(StoreError) -> [StoredVersion] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM post_version WHERE account_key = ? AND post_id = ? ORDER BY first_seen_at",
                             arguments: [accountKey, postID]).map(StoredVersion.init(row:))
        }
    }

    /// Archive objects named by stored versions (the chain's lines name the rest).
    public func versionObjects() throws(StoreError) -> Set<String> {
        try read { db in
            var objects = Set<String>()
            let rows = try Row.fetchCursor(db, sql: """
                SELECT raw_sha256 FROM post_version WHERE raw_sha256 IS NOT NULL
                UNION SELECT response_sha256 FROM post_version WHERE response_sha256 IS NOT NULL
                """)
            while let row = try rows.next() { objects.insert(row[0]) }
            return objects
        }
    }

    public func alerts(accountKey: String, postID: String) throws(StoreError) -> [AlertRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE account_key = ? AND post_id = ? ORDER BY created_at, id",
                             arguments: [accountKey, postID]).map(AlertRow.init(row:))
        }
    }

    public func allAlerts(_ body: (AlertRow) throws -> Void) throws(StoreError) {
        do {
            try pool.read { db in
                let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM alert ORDER BY created_at, id")
                while let row = try cursor.next() { try body(AlertRow(row: row)) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    // MARK: Timestamps

    public func timestamps() throws(StoreError) -> [StoredTimestamp] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM chain_timestamp ORDER BY chain_seq").map(StoredTimestamp.init(row:)) }
    }

    public func latestTimestamp() throws(StoreError) -> StoredTimestamp? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chain_timestamp ORDER BY chain_seq DESC LIMIT 1").map(StoredTimestamp.init(row:))
        }
    }

    public func storeTimestamp(_ stamp: StoredTimestamp) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO chain_timestamp (chain_seq, chain_hash, requested_at, tsa_url, token) VALUES (?, ?, ?, ?, ?)
                """, arguments: [stamp.chainSeq, stamp.chainHash, stamp.requestedAt.timeIntervalSince1970, stamp.tsaURL,
                                 Data(stamp.token)])
        }
    }
}

extension StoredTimestamp {
    public init(chainSeq: Int, chainHash: String, requestedAt: Date, tsaURL: String, token: [UInt8]) {
        self.chainSeq = chainSeq
        self.chainHash = chainHash
        self.requestedAt = requestedAt
        self.tsaURL = tsaURL
        self.token = token
    }
}
