import Foundation
import GRDB

/// Where packed evidence objects lie. Each version row names its raw object's and its
/// response's place (`raw_pack`, `raw_offset`, `raw_length`, and the same for `response_`),
/// written with the version; `evidence_pack` keeps, per pack, where the last record the
/// database names ends, so a writer knows what may follow it only as a torn tail.
extension StateStore {
    /// Where the last record the database names in `pack` ends; nil when it names none.
    public func packEnd(_ pack: Int) throws(StoreError) -> Int? {
        try read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT recorded_end FROM evidence_pack WHERE pack = ?"), arguments: [pack])
        }
    }

    /// The packed raw object of one version (what an alert on it names).
    public func packedRaw(accountKey: String, postID: String, contentSHA256: String) throws(StoreError) -> PackedObject? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT raw_sha256, raw_pack, raw_offset, raw_length FROM post_version
                WHERE account_key = ? AND post_id = ? AND content_sha256 = ? AND raw_pack IS NOT NULL
                """), arguments: [accountKey, postID, contentSHA256]).map(PackedObject.init(row:))
        }
    }

    private static let packedObjects = """
        SELECT raw_sha256, raw_pack, raw_offset, raw_length FROM post_version WHERE raw_pack IS NOT NULL
        UNION SELECT response_sha256, response_pack, response_offset, response_length FROM post_version
            WHERE response_pack IS NOT NULL
        """

    /// Packed objects named by versions, each place once.
    public func packedObjectCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(Self.packedObjects))") ?? 0 }
    }

    /// Every packed object a version names, each place once, in pack and offset order (each
    /// pack read front to back), from one snapshot of the database.
    public func forEachPackedObject(_ body: (PackedObject) throws -> Void) throws(StoreError) {
        try snapshotRead { db in
            let cursor = try Row.fetchCursor(db, sql: Self.packedObjects + " ORDER BY 2, 3")
            while let row = try cursor.next() { try body(PackedObject(row: row)) }
        }
    }

    /// Notes, per pack, where the records this transaction names end.
    static func recordPackEnds(_ objects: [PackedObject], in db: Database) throws {
        var ends: [Int: Int] = [:]
        for object in objects { ends[object.pack] = max(ends[object.pack] ?? 0, object.offset + object.length) }
        guard !ends.isEmpty else { return }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO evidence_pack (pack, recorded_end) VALUES (?, ?)
            ON CONFLICT (pack) DO UPDATE SET recorded_end = MAX(recorded_end, excluded.recorded_end)
            """)
        for (pack, end) in ends { try upsert.execute(arguments: [pack, end]) }
    }
}

extension PackedObject {
    /// From four columns: SHA-256, pack, offset, length.
    init(row: Row) {
        self.init(sha256: row[0], pack: row[1], offset: row[2], length: row[3])
    }

    /// A version's place columns, or nil when the object is not packed.
    init?(sha256: String?, pack: Int?, offset: Int?, length: Int?) {
        guard let sha256, let pack, let offset, let length else { return nil }
        self.init(sha256: sha256, pack: pack, offset: offset, length: length)
    }
}
