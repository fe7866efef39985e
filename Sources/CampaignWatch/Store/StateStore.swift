import Foundation
import GRDB

/// The daemon's memory: each account's fetch state, every post seen, every alert and whether it
/// has reached the spool. One SQLite file in WAL mode, so `status` can read while the daemon
/// writes; opening a database written by an older version migrates it.
public final class StateStore: Sendable {
    public let path: String
    let pool: DatabasePool
    let groupCommit: GroupCommit

    /// Opens (creating when missing) and migrates the database at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        } catch {
            throw StoreError(kind: .unavailable, path: path, detail: "\(error.localizedDescription)")
        }
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL with NORMAL survives a killed process; a power cut may lose the last commits but
            // never corrupts, and the spool's own fsync plus deterministic alert ids cover the rest.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = StoreSchema.migrator
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                let applied = try pool.read { try migrator.appliedIdentifiers($0) }
                let unknown = applied.subtracting(migrator.migrations).sorted().joined(separator: ", ")
                throw StoreError(kind: .tooNew, path: path, detail: "unknown schema steps: \(unknown)")
            }
            try migrator.migrate(pool)
        } catch {
            throw StoreError.wrap(error, path: path)
        }
        groupCommit = GroupCommit(pool: pool, path: path)
    }

    /// Runs a read with errors turned into StoreError. Every read of the store is one SQL
    /// statement, atomic by itself, so no transaction is opened around it (that cost more than
    /// the query in the polling hot path).
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.unsafeRead(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// A read on the writer's connection, suspending while the writer is busy: for the reads
    /// every poll makes. A reader connection drops its page cache whenever another connection
    /// changed the database (SQLite's WAL mode), which the polls do all the time, so each read
    /// there starts from cold pages; the writer's cache is warm.
    func readOnWriter<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.writeWithoutTransaction(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// Runs several statements against one consistent snapshot (a read transaction), for reads
    /// that walk a table while the daemon keeps writing.
    func snapshotRead<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// Runs a write transaction with errors turned into StoreError.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// The same write, suspending instead of blocking a thread while the writer is busy: polls
    /// finishing together queue here, and Swift's few cooperative threads must stay free.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.write(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// Checkpoints the WAL into the main file (on shutdown, so the file alone is complete).
    public func checkpoint() throws(StoreError) {
        do { _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) } } catch { throw StoreError.wrap(error, path: path) }
    }
}
