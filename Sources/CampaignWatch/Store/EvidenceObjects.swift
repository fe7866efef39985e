import Foundation
import GRDB

/// The index of packed evidence objects (`evidence_object`): SHA-256 → pack, offset, length.
/// Rows are written by `record` in the transaction of the poll whose versions name them.
extension StateStore {
    /// Of `shas`, those the index holds.
    public func packedObjects(among shas: [String]) throws(StoreError) -> Set<String> {
        guard !shas.isEmpty else { return [] }
        return try read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT sha256 FROM evidence_object WHERE sha256 IN (SELECT value FROM json_each(?))
                """)
            return Set(try String.fetchAll(statement, arguments: [StoredList.encode(shas)]))
        }
    }

    public func packedObject(_ sha: String) throws(StoreError) -> PackedObject? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT pack, offset, length FROM evidence_object WHERE sha256 = ?"),
                             arguments: [sha]).map { PackedObject(sha256: sha, pack: $0[0], offset: $0[1], length: $0[2]) }
        }
    }

    /// Where the last record the index names in `pack` ends; nil when it names none.
    public func packEnd(_ pack: Int) throws(StoreError) -> Int? {
        try read { db in
            try Int.fetchOne(db.cachedStatement(sql: """
                SELECT offset + length FROM evidence_object WHERE pack = ? ORDER BY offset DESC LIMIT 1
                """), arguments: [pack])
        }
    }

    public func packedObjectCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM evidence_object") ?? 0 }
    }

    /// Every packed object in pack and offset order (each pack read front to back), from one
    /// snapshot of the database.
    public func forEachPackedObject(_ body: (PackedObject) throws -> Void) throws(StoreError) {
        try snapshotRead { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT sha256, pack, offset, length FROM evidence_object ORDER BY pack, offset")
            while let row = try cursor.next() {
                try body(PackedObject(sha256: row[0], pack: row[1], offset: row[2], length: row[3]))
            }
        }
    }

    static func recordPackedObjects(_ objects: [PackedObject], in db: Database) throws {
        guard !objects.isEmpty else { return }
        // An object packed twice (two polls met the same bytes at once) keeps its first place.
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO evidence_object (sha256, pack, offset, length) VALUES (?, ?, ?, ?)")
        for object in objects {
            try insert.execute(arguments: [object.sha256, object.pack, object.offset, object.length])
        }
    }
}
