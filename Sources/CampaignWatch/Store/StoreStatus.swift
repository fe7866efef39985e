import Foundation
import GRDB

/// What `campaignwatch status` and the metrics show, read from the store in one transaction.
public struct StoreStatus: Sendable {
    public var accounts: [AccountRecord]
    /// Alerts per account key.
    public var alertsByAccount: [String: Int]
    public var alertCounts: [AlertCount]
    /// Recorded, not yet in the spool.
    public var pendingAlerts: Int
    /// Created at or after the `since` the snapshot was asked for (the start of today).
    public var alertsSince: Int

    /// The number of alerts of one kind in one period of one election.
    public struct AlertCount: Sendable, Hashable {
        public var electionID: String
        public var periodKind: String
        public var kind: String
        public var count: Int
    }

    public var totalAlerts: Int { alertCounts.reduce(0) { $0 + $1.count } }

    /// The queries, shared by the daemon's own store and the read-only reader `status` uses.
    static func read(_ db: Database, includeRemoved: Bool, since: Date) throws -> StoreStatus {
        let accountSQL = includeRemoved
            ? "SELECT * FROM account ORDER BY subject_id, key"
            : "SELECT * FROM account WHERE removed_at IS NULL ORDER BY subject_id, key"
        let accounts = try Row.fetchAll(db, sql: accountSQL).map(AccountRecord.init(row:))
        var byAccount: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT account_key, COUNT(*) FROM alert GROUP BY account_key") {
            byAccount[row[0]] = row[1]
        }
        let counts = try Row.fetchAll(db, sql: """
            SELECT election_id, period_kind, kind, COUNT(*) FROM alert
            GROUP BY election_id, period_kind, kind ORDER BY election_id, period_kind, kind
            """).map { AlertCount(electionID: $0[0], periodKind: $0[1], kind: $0[2], count: $0[3]) }
        let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert WHERE spooled_at IS NULL") ?? 0
        let recent = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert WHERE created_at >= ?",
                                      arguments: [since.timeIntervalSince1970]) ?? 0
        return StoreStatus(accounts: accounts, alertsByAccount: byAccount, alertCounts: counts,
                           pendingAlerts: pending, alertsSince: recent)
    }
}

extension StateStore {
    /// The status as the daemon sees it (metrics).
    public func status(includeRemoved: Bool = false, since: Date) throws(StoreError) -> StoreStatus {
        do {
            return try pool.read { try StoreStatus.read($0, includeRemoved: includeRemoved, since: since) }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Alerts created at or after `since`.
    public func alertCount(since: Date) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert WHERE created_at >= ?", arguments: [since.timeIntervalSince1970]) ?? 0
        }
    }
}

/// The store opened read-only, for `campaignwatch status` while the daemon runs: it never
/// creates, migrates or writes anything, so running it as another user (root) cannot leave files
/// the daemon's user could not open.
public final class StoreStatusReader: Sendable {
    public let path: String
    let queue: DatabaseQueue

    public init(path: String) throws(StoreError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(kind: .unavailable, path: path,
                             detail: "no such file: the daemon has not run with this state_dir yet")
        }
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let known = try queue.read { try $0.tableExists("account") && $0.tableExists("alert") }
            guard known else {
                throw StoreError(kind: .corrupt, path: path, detail: "no account and alert tables")
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    public func status(includeRemoved: Bool = false, since: Date) throws(StoreError) -> StoreStatus {
        do {
            return try queue.read { try StoreStatus.read($0, includeRemoved: includeRemoved, since: since) }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }
}
