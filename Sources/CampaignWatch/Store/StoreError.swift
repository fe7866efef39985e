import GRDB

/// What went wrong with the state database, in words an operator can act on.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Not an SQLite database, or damaged.
        case corrupt
        /// Another process holds the lock longer than the busy timeout.
        case locked
        /// The file or its directory cannot be opened, created or written.
        case unavailable
        /// Written by a newer campaignwatch whose schema this one does not know.
        case tooNew
        case other
    }

    public var kind: Kind
    public var path: String
    public var detail: String

    public var description: String {
        switch kind {
        case .corrupt:
            "the state database \(path) is damaged or is not a campaignwatch database (\(detail)); "
                + "restore it from a backup, or move it aside to start a new one (its history stays in the moved file)"
        case .locked:
            "the state database \(path) is locked by another process (\(detail)); "
                + "is another campaignwatch running with the same state_dir?"
        case .unavailable:
            "cannot open the state database \(path) (\(detail)); check that state_dir exists and is writable"
        case .tooNew:
            "the state database \(path) was written by a newer campaignwatch (\(detail)); run that version or restore a backup"
        case .other:
            "state database \(path): \(detail)"
        }
    }

    /// The one place a GRDB/SQLite error becomes a StoreError.
    static func wrap(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let database = error as? DatabaseError else {
            return StoreError(kind: .other, path: path, detail: "\(error)")
        }
        let message = database.message ?? "\(database.resultCode)"
        switch database.resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(kind: .corrupt, path: path, detail: message)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(kind: .locked, path: path, detail: message)
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_IOERR, .SQLITE_FULL:
            return StoreError(kind: .unavailable, path: path, detail: message)
        default:
            return StoreError(kind: .other, path: path, detail: message)
        }
    }
}
