import Foundation
import GRDB

/// Appends links to the evidence chain inside the caller's write transaction, so a link is
/// committed together with what it records or not at all. The head is read once per
/// transaction; SQLite's single writer keeps the sequence gap-free.
struct ChainWriter {
    let db: Database
    private(set) var head: (seq: Int, hash: String)
    private let insert: DirectInsert

    init(_ db: Database) throws {
        self.db = db
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1")) {
            head = (row[0], row[1])
        } else {
            head = (0, ChainLink.genesis)
        }
        insert = try DirectInsert(db.cachedStatement(sql: """
            INSERT INTO chain (seq, at, event, account_key, post_id, alert_id, line, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """))
    }

    /// Appends `link` (its `seq` is assigned here) and returns it with its hash. `lineAfterSeq`:
    /// the link's line after its seq, when the caller rendered it beforehand (off the writer).
    @discardableResult
    mutating func append(_ link: ChainLink, lineAfterSeq: String? = nil) throws -> (link: ChainLink, hash: String) {
        var link = link
        link.seq = head.seq + 1
        let line = String(link.seq) + (lineAfterSeq ?? link.lineAfterSeq())
        let hash = ChainLink.hash(previous: head.hash, line: line)
        try insert.run {
            try $0.integer(link.seq)
            try $0.double(link.at.timeIntervalSince1970)
            try $0.text(link.event.rawValue)
            try $0.text(link.accountKey)
            try $0.text(link.postID)
            try $0.text(link.alertID)
            try $0.text(line)
            try $0.text(hash)
        }
        head = (link.seq, hash)
        return (link, hash)
    }
}
