import CampaignWatchCore
import Foundation
import GRDB

/// Everything one poll of one account changes, written in one transaction so that a post and the
/// alerts it raised are recorded together or not at all.
public struct PollRecord: Sendable {
    public enum Outcome: Sendable, Hashable {
        case fetched(status: Int, etag: String?, lastModified: String?, redirectedTo: String?)
        case notModified(status: Int)
        case failed(status: Int?, message: String)
    }

    public var accountKey: String
    public var at: Date
    public var outcome: Outcome
    public var nextPollAt: Date?
    /// Every post the source listed in this poll (all pages), new or known.
    public var posts: [PostObservation]
    /// Alerts raised by this poll; stored pending, spooled after the commit.
    public var alerts: [AlertRow]
    /// The pipeline's per-account memory (JSON), written when given.
    public var platformState: String?
    /// Known posts this listing should have shown but did not (first sighting of an absence).
    public var missing: [String] = []
    /// Posts marked missing that this listing no longer covers: the mark is withdrawn.
    public var unmarked: [String] = []
    /// Absences confirmed by this poll.
    public var deletions: [PostDeletion] = []
    /// Objects this poll packed into the evidence archive (the versions' raw bytes and the
    /// responses); the versions name their places, and the packs' recorded ends move with them.
    public var objects: [PackedObject] = []

    public init(accountKey: String, at: Date, outcome: Outcome, nextPollAt: Date? = nil,
                posts: [PostObservation] = [], alerts: [AlertRow] = [], platformState: String? = nil) {
        self.platformState = platformState
        self.accountKey = accountKey
        self.at = at
        self.outcome = outcome
        self.nextPollAt = nextPollAt
        self.posts = posts
        self.alerts = alerts
    }
}

public struct PostObservation: Sendable {
    public var post: Post
    public var subjectID: String
    public var contentSHA256: String
    /// The archived bytes of this version (set for new versions only: known ones are archived).
    public var rawSHA256: String?
    /// The archived response the version came in, and where it was fetched.
    public var responseSHA256: String?
    public var responseURL: String?
    /// Where the raw object and the response lie in the packs.
    public var rawPacked: PackedObject?
    public var responsePacked: PackedObject?

    public init(post: Post, subjectID: String, contentSHA256: String, rawSHA256: String? = nil,
                responseSHA256: String? = nil, responseURL: String? = nil) {
        self.post = post
        self.subjectID = subjectID
        self.contentSHA256 = contentSHA256
        self.rawSHA256 = rawSHA256
        self.responseSHA256 = responseSHA256
        self.responseURL = responseURL
    }
}

/// A post whose absence from its source a second successful poll confirmed.
public struct PostDeletion: Sendable, Hashable {
    public var postID: String
    /// The last version seen.
    public var contentSHA256: String
    public var rawSHA256: String?
    public var lastSeenAt: Date

    public init(postID: String, contentSHA256: String, rawSHA256: String?, lastSeenAt: Date) {
        self.postID = postID
        self.contentSHA256 = contentSHA256
        self.rawSHA256 = rawSHA256
        self.lastSeenAt = lastSeenAt
    }
}

/// What the store already knows of a post, to decide what is new or changed before judging.
public struct KnownPost: Sendable, Hashable {
    public var contentSHA256: String
    public var firstSeenAt: Date
    /// When the stored (current) version was first seen.
    public var versionSeenAt: Date
    public var text: String
}

/// An alert as stored: the fields the store queries by, and the document as it is spooled.
public struct AlertRow: Sendable, Hashable {
    public var id: String
    public var kind: String
    public var electionID: String
    public var periodKind: String
    public var subjectID: String
    public var accountKey: String
    public var postID: String
    public var createdAt: Date
    public var document: [UInt8]
    public var spooledAt: Date?
    /// The alert itself when it is still to be recorded: recording links it into the evidence
    /// chain and renders `document` again with its `chain_seq` and `chain_hash`.
    public var alert: Alert?

    public init(id: String, kind: String, electionID: String, periodKind: String, subjectID: String,
                accountKey: String, postID: String, createdAt: Date, document: [UInt8], spooledAt: Date? = nil,
                alert: Alert? = nil) {
        self.alert = alert
        self.id = id
        self.kind = kind
        self.electionID = electionID
        self.periodKind = periodKind
        self.subjectID = subjectID
        self.accountKey = accountKey
        self.postID = postID
        self.createdAt = createdAt
        self.document = document
        self.spooledAt = spooledAt
    }

    init(row: Row) {
        id = row["id"]
        kind = row["kind"]
        electionID = row["election_id"]
        periodKind = row["period_kind"]
        subjectID = row["subject_id"]
        accountKey = row["account_key"]
        postID = row["post_id"]
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        document = [UInt8](row["document"] as Data)
        spooledAt = AccountRecord.date(row["spooled_at"])
    }
}

/// What a recorded poll changed, for logs and counters.
public struct PollRecordResult: Sendable, Hashable {
    public var newPosts: Int
    public var changedPosts: Int
    /// Alerts stored by this poll (an alert id already known is not stored twice).
    public var newAlerts: [String]
    /// Those alerts as stored: their documents carry their chain links.
    public var storedAlerts: [AlertRow] = []
    public var deletedPosts = 0
    /// The chain's head after this poll.
    public var chainSeq = 0
}

extension StateStore {
    /// The stored state of the given posts of one account.
    public func knownPosts(accountKey: String, ids: [String]) throws(StoreError) -> [String: KnownPost] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in try Self.knownPosts(accountKey: accountKey, ids: ids, in: db) }
    }

    static func knownPosts(accountKey: String, ids: [String], in db: Database) throws -> [String: KnownPost] {
        guard !ids.isEmpty else { return [:] }
        var known: [String: KnownPost] = [:]
        // One query for the whole page: the ids travel as one JSON array parameter.
        let statement = try db.cachedStatement(sql: """
            SELECT post_id, content_sha256, first_seen_at, version_seen_at, text FROM post
            WHERE account_key = ? AND post_id IN (SELECT value FROM json_each(?))
            """)
        for row in try Row.fetchAll(statement, arguments: [accountKey, StoredList.encode(ids)]) {
            known[row[0]] = KnownPost(contentSHA256: row[1], firstSeenAt: Date(timeIntervalSince1970: row[2]),
                                      versionSeenAt: Date(timeIntervalSince1970: row[3]), text: row[4])
        }
        return known
    }

    /// Writes one poll: the account's fetch state, every post listed, and the alerts raised.
    @discardableResult
    public func record(_ poll: PollRecord) throws(StoreError) -> PollRecordResult {
        let prepared = PreparedPoll(poll)
        return try write { db in try Self.record(prepared, in: db) }
    }

    /// `record`, suspending while the writer is busy; polls finishing together are written in
    /// one transaction (`GroupCommit`). What can be rendered without the database (statement
    /// arguments, chain lines) is rendered here, on the caller's task, not on the one writer.
    @discardableResult
    public func record(_ poll: PollRecord) async throws(StoreError) -> PollRecordResult {
        try await groupCommit.record(PreparedPoll(poll)).get()
    }

    static func record(_ prepared: PreparedPoll, in db: Database) throws -> PollRecordResult {
        let poll = prepared.poll
        do {
            let at = poll.at.timeIntervalSince1970
            switch poll.outcome {
            case .fetched(let status, let etag, let lastModified, let redirectedTo):
                try db.cachedStatement(sql: """
                    UPDATE account SET last_poll_at = ?, last_success_at = ?, last_status = ?, etag = ?,
                        last_modified = ?, redirected_to = ?, consecutive_failures = 0, failing_since = NULL,
                        next_poll_at = ?
                    WHERE key = ?
                    """).execute(arguments: [at, at, status, etag, lastModified, redirectedTo,
                                              poll.nextPollAt?.timeIntervalSince1970, poll.accountKey])
            case .notModified(let status):
                try db.cachedStatement(sql: """
                    UPDATE account SET last_poll_at = ?, last_success_at = ?, last_status = ?,
                        consecutive_failures = 0, failing_since = NULL, next_poll_at = ?
                    WHERE key = ?
                    """).execute(arguments: [at, at, status, poll.nextPollAt?.timeIntervalSince1970, poll.accountKey])
            case .failed(let status, let message):
                try db.cachedStatement(sql: """
                    UPDATE account SET last_poll_at = ?, last_status = ?, last_error = ?, last_error_at = ?,
                        consecutive_failures = consecutive_failures + 1,
                        failing_since = COALESCE(failing_since, ?), next_poll_at = ?
                    WHERE key = ?
                    """).execute(arguments: [at, status, message, at, at, poll.nextPollAt?.timeIntervalSince1970, poll.accountKey])
            }

            if let state = poll.platformState {
                try db.cachedStatement(sql: "UPDATE account SET platform_state = ? WHERE key = ?").execute(arguments: [state, poll.accountKey])
            }
            var result = PollRecordResult(newPosts: 0, changedPosts: 0, newAlerts: [])
            var chain: ChainWriter?
            // What the store holds of the listed posts, in one query for the listing.
            var stored: [String: (contentSHA256: String, deleted: Bool, lastSeenAt: Double)] = [:]
            if !poll.posts.isEmpty {
                let lookup = try db.cachedStatement(sql: """
                    SELECT post_id, content_sha256, deleted_at IS NOT NULL, last_seen_at FROM post
                    WHERE account_key = ? AND post_id IN (SELECT value FROM json_each(?))
                    """)
                let rows = try Row.fetchCursor(lookup, arguments: [poll.accountKey, StoredList.encode(poll.posts.map(\.post.id))])
                while let row = try rows.next() { stored[row[0]] = (row[1], row[2], row[3]) }
            }
            let insert = try DirectInsert(db.cachedStatement(sql: """
                INSERT INTO post (account_key, post_id, subject_id, url, title, text, author, published_at,
                    updated_at, edited, edited_at, declared_at, tags, media, forwarded_from, content_sha256,
                    first_seen_at, last_seen_at, version_seen_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """))
            // Listed again: any absence noted before is withdrawn.
            let touch = try db.cachedStatement(
                sql: "UPDATE post SET last_seen_at = ?, missing_since = NULL, deleted_at = NULL WHERE account_key = ? AND post_id = ?")
            let replace = try DirectInsert(db.cachedStatement(sql: """
                UPDATE post SET subject_id = ?, url = ?, title = ?, text = ?, author = ?, published_at = ?,
                    updated_at = ?, edited = ?, edited_at = ?, declared_at = ?, tags = ?, media = ?,
                    forwarded_from = ?, content_sha256 = ?, last_seen_at = ?, version_seen_at = ?,
                    missing_since = NULL, deleted_at = NULL
                WHERE account_key = ? AND post_id = ?
                """))
            let closeVersion = try db.cachedStatement(sql: """
                UPDATE post_version SET last_seen_at = ? WHERE account_key = ? AND post_id = ? AND content_sha256 = ?
                """)
            // A post can return to an earlier content: that version is current again, and keeps
            // the objects archived when it was first seen (each with its place).
            let putVersion = try DirectInsert(db.cachedStatement(sql: """
                INSERT INTO post_version (account_key, post_id, content_sha256, first_seen_at, last_seen_at, edited,
                    edited_at, title, text, media, raw_sha256, response_sha256, response_url,
                    raw_pack, raw_offset, raw_length, response_pack, response_offset, response_length, chain_seq)
                VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (account_key, post_id, content_sha256) DO UPDATE SET last_seen_at = NULL,
                    raw_pack = IIF(post_version.raw_sha256 IS NULL, excluded.raw_pack, post_version.raw_pack),
                    raw_offset = IIF(post_version.raw_sha256 IS NULL, excluded.raw_offset, post_version.raw_offset),
                    raw_length = IIF(post_version.raw_sha256 IS NULL, excluded.raw_length, post_version.raw_length),
                    raw_sha256 = COALESCE(post_version.raw_sha256, excluded.raw_sha256),
                    response_pack = IIF(post_version.response_sha256 IS NULL, excluded.response_pack, post_version.response_pack),
                    response_offset = IIF(post_version.response_sha256 IS NULL, excluded.response_offset, post_version.response_offset),
                    response_length = IIF(post_version.response_sha256 IS NULL, excluded.response_length, post_version.response_length),
                    response_sha256 = COALESCE(post_version.response_sha256, excluded.response_sha256),
                    response_url = COALESCE(post_version.response_url, excluded.response_url)
                """))
            for (observation, rendered) in zip(poll.posts, prepared.posts) {
                let post = observation.post
                // A post listed twice is known the second time.
                defer { stored[post.id] = (observation.contentSHA256, false, at) }
                let link = rendered.link
                if let known = stored[post.id] {
                    let storedHash = known.contentSHA256
                    if known.deleted {
                        if chain == nil { chain = try ChainWriter(db) }
                        var reappeared = link
                        reappeared.event = .reappeared
                        reappeared.contentSHA256 = storedHash
                        reappeared.rawSHA256 = nil
                        reappeared.responseSHA256 = nil
                        try chain!.append(reappeared)
                    }
                    if storedHash == observation.contentSHA256 {
                        try touch.execute(arguments: [at, poll.accountKey, post.id])
                    } else {
                        result.changedPosts += 1
                        if chain == nil { chain = try ChainWriter(db) }
                        var version = link
                        version.event = .version
                        version.detail = storedHash
                        let seq = try chain!.append(version).link.seq
                        try closeVersion.execute(arguments: [known.lastSeenAt, poll.accountKey, post.id, storedHash])
                        try putVersion.run {
                            try PreparedPoll.bindVersion(observation, rendered, accountKey: poll.accountKey, at: at, chainSeq: seq, to: &$0)
                        }
                        try replace.run {
                            try $0.text(observation.subjectID)
                            try PreparedPoll.bindFields(observation, rendered, to: &$0)
                            try $0.double(at)
                            try $0.double(at)
                            try $0.text(poll.accountKey)
                            try $0.text(post.id)
                        }
                    }
                } else {
                    result.newPosts += 1
                    if chain == nil { chain = try ChainWriter(db) }
                    let seq = try chain!.append(link, lineAfterSeq: rendered.linkAfterSeq).link.seq
                    try putVersion.run {
                        try PreparedPoll.bindVersion(observation, rendered, accountKey: poll.accountKey, at: at, chainSeq: seq, to: &$0)
                    }
                    try insert.run {
                        try $0.text(poll.accountKey)
                        try $0.text(post.id)
                        try $0.text(observation.subjectID)
                        try PreparedPoll.bindFields(observation, rendered, to: &$0)
                        try $0.double(at)
                        try $0.double(at)
                        try $0.double(at)
                    }
                }
            }
            try recordPackEnds(poll.objects, in: db)
            try recordAbsences(poll, chain: &chain, result: &result, in: db)
            if result.newPosts > 0 {
                try db.cachedStatement(sql: "UPDATE account SET posts_seen = posts_seen + ?, last_new_post_at = ? WHERE key = ?")
                    .execute(arguments: [result.newPosts, at, poll.accountKey])
            }

            for row in try storeAlerts(poll.alerts, at: poll.at, chain: &chain, in: db) {
                result.newAlerts.append(row.id)
                result.storedAlerts.append(row)
            }
            result.chainSeq = chain?.head.seq ?? 0
            return result
        }
    }

    /// Stores alerts not stored before, each linked into the chain first so that its document
    /// carries its link; returns the rows stored now. Shared by polls and `replay --write`.
    static func storeAlerts(_ alerts: [AlertRow], at: Date, chain: inout ChainWriter?, in db: Database) throws -> [AlertRow] {
        var stored: [AlertRow] = []
        let insertAlert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO alert (id, kind, election_id, period_kind, subject_id, account_key, post_id,
                created_at, document, spooled_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
            """)
        let alertExists = try db.cachedStatement(sql: "SELECT 1 FROM alert WHERE id = ?")
        for var row in alerts {
            // An alert raised before is neither linked nor stored again.
            guard try Int.fetchOne(alertExists, arguments: [row.id]) == nil else { continue }
            if var alert = row.alert {
                if chain == nil { chain = try ChainWriter(db) }
                let appended = try chain!.append(ChainLink(
                    seq: 0, at: at, event: .alert, accountKey: row.accountKey, postID: row.postID,
                    contentSHA256: alert.post.contentSHA256, rawSHA256: alert.evidence.rawSHA256, alertID: row.id,
                    detail: row.kind))
                alert.evidence.chainSeq = appended.link.seq
                alert.evidence.chainHash = appended.hash
                row.document = alert.jsonBytes()
                row.alert = alert
            }
            try insertAlert.execute(arguments: [
                row.id, row.kind, row.electionID, row.periodKind, row.subjectID, row.accountKey,
                row.postID, row.createdAt.timeIntervalSince1970, Data(row.document),
            ])
            if db.changesCount > 0 { stored.append(row) }
        }
        return stored
    }


    /// Absences: first sightings are marked, marks no longer covered are withdrawn, confirmed
    /// ones become deletions with their chain link.
    private static func recordAbsences(_ poll: PollRecord, chain: inout ChainWriter?, result: inout PollRecordResult,
                                       in db: Database) throws {
        let at = poll.at.timeIntervalSince1970
        if !poll.missing.isEmpty {
            let mark = try db.cachedStatement(sql: """
                UPDATE post SET missing_since = ? WHERE account_key = ? AND post_id = ? AND missing_since IS NULL
                """)
            for id in poll.missing { try mark.execute(arguments: [at, poll.accountKey, id]) }
        }
        if !poll.unmarked.isEmpty {
            let unmark = try db.cachedStatement(sql: "UPDATE post SET missing_since = NULL WHERE account_key = ? AND post_id = ?")
            for id in poll.unmarked { try unmark.execute(arguments: [poll.accountKey, id]) }
        }
        guard !poll.deletions.isEmpty else { return }
        let delete = try db.cachedStatement(sql: """
            UPDATE post SET deleted_at = ? WHERE account_key = ? AND post_id = ? AND deleted_at IS NULL
            """)
        for deletion in poll.deletions {
            try delete.execute(arguments: [at, poll.accountKey, deletion.postID])
            guard db.changesCount > 0 else { continue }
            result.deletedPosts += 1
            if chain == nil { chain = try ChainWriter(db) }
            try chain!.append(ChainLink(seq: 0, at: poll.at, event: .deletion, accountKey: poll.accountKey,
                                        postID: deletion.postID, contentSHA256: deletion.contentSHA256,
                                        rawSHA256: deletion.rawSHA256, detail: "last seen " + Timestamp.utc(deletion.lastSeenAt)))
        }
    }

    /// Alerts recorded but not yet in the spool, oldest first.
    public func pendingAlerts(limit: Int = 1000) throws(StoreError) -> [AlertRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE spooled_at IS NULL ORDER BY created_at, id LIMIT ?",
                             arguments: [limit]).map(AlertRow.init(row:))
        }
    }

    /// The newest platform time among the account's known posts: a page whose oldest post is
    /// older than this reaches what is already known (catch-up can stop there).
    public func newestPostTime(accountKey: String) throws(StoreError) -> Date? {
        try read { db in
            try Double.fetchOne(db.cachedStatement(sql: "SELECT MAX(published_at) FROM post WHERE account_key = ?"),
                                arguments: [accountKey]).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// The first alert raised on a post in each election: what edits and deletions refer to.
    public func priorAlerts(accountKey: String, postID: String) throws(StoreError) -> [PriorAlert] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT election_id, id FROM alert WHERE account_key = ? AND post_id = ?
                ORDER BY created_at, CASE kind WHEN 'violation' THEN 0 WHEN 'edit' THEN 1 ELSE 2 END, id
                """, arguments: [accountKey, postID])
            var seen = Set<String>()
            return rows.compactMap { row -> PriorAlert? in
                let election: String = row[0]
                guard seen.insert(election).inserted else { return nil }
                return PriorAlert(electionID: election, alertID: row[1])
            }
        }
    }

    public func markSpooled(_ id: String, at: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE alert SET spooled_at = ? WHERE id = ? AND spooled_at IS NULL",
                           arguments: [at.timeIntervalSince1970, id])
        }
    }

    public func alert(id: String) throws(StoreError) -> AlertRow? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM alert WHERE id = ?", arguments: [id]).map(AlertRow.init(row:))
        }
    }
}

/// Small JSON arrays of strings stored in TEXT columns (tags, media).
enum StoredList {
    static func encode(_ values: [String]) -> String {
        guard !values.isEmpty else { return "[]" }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8),
              let values = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return values
    }
}

/// A poll with what its writing needs rendered beforehand: each post's JSON lists and its
/// `post` chain link, all but the link's seq. Built on the polling task, so the one writer
/// only binds and steps.
struct PreparedPoll: Sendable {
    struct RenderedPost: Sendable {
        /// The `post` link of a first sighting (seq 0 until appended).
        var link: ChainLink
        /// `link`'s line after its seq.
        var linkAfterSeq: String
        var tags: String
        var media: String
    }

    var poll: PollRecord
    var posts: [RenderedPost]

    init(_ poll: PollRecord) {
        self.poll = poll
        let time = Timestamp.utc(poll.at)
        posts = poll.posts.map { observation in
            let post = observation.post
            let link = ChainLink(seq: 0, at: poll.at, event: .post, accountKey: poll.accountKey, postID: post.id,
                                 contentSHA256: observation.contentSHA256, rawSHA256: observation.rawSHA256,
                                 responseSHA256: observation.responseSHA256)
            return RenderedPost(link: link, linkAfterSeq: link.lineAfterSeq(time: time), tags: StoredList.encode(post.tags),
                                media: StoredList.encode(post.media))
        }
    }

    /// The post's columns from `url` to `content_sha256`, in the order of the insert and the replace.
    static func bindFields(_ observation: PostObservation, _ rendered: RenderedPost,
                           to parameters: inout DirectInsert.Parameters) throws {
        let post = observation.post
        try parameters.text(post.url)
        try parameters.text(post.title)
        try parameters.text(post.text)
        try parameters.text(post.author)
        try parameters.double(post.publishedAt?.timeIntervalSince1970)
        try parameters.double(post.updatedAt?.timeIntervalSince1970)
        try parameters.bool(post.edited)
        try parameters.double(post.editedAt?.timeIntervalSince1970)
        try parameters.double(post.declaredAt?.timeIntervalSince1970)
        try parameters.text(rendered.tags)
        try parameters.text(rendered.media)
        try parameters.text(post.forwardedFrom)
        try parameters.text(observation.contentSHA256)
    }

    /// The version row, `chain_seq` last.
    static func bindVersion(_ observation: PostObservation, _ rendered: RenderedPost, accountKey: String, at: Double,
                            chainSeq: Int, to parameters: inout DirectInsert.Parameters) throws {
        let post = observation.post
        try parameters.text(accountKey)
        try parameters.text(post.id)
        try parameters.text(observation.contentSHA256)
        try parameters.double(at)
        try parameters.bool(post.edited)
        try parameters.double(post.editedAt?.timeIntervalSince1970)
        try parameters.text(post.title)
        try parameters.text(post.text)
        try parameters.text(rendered.media)
        try parameters.text(observation.rawSHA256)
        try parameters.text(observation.responseSHA256)
        try parameters.text(observation.responseURL)
        for place in [observation.rawPacked, observation.responsePacked] {
            try parameters.integer(place?.pack)
            try parameters.integer(place?.offset)
            try parameters.integer(place?.length)
        }
        try parameters.integer(chainSeq)
    }
}
