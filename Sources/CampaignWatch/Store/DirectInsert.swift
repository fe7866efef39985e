import GRDB
import GRDBSQLite

/// Runs a cached GRDB statement with values bound through SQLite's C API: for the few inserts
/// made per post on the polling path (post, version, chain link). GRDB's `StatementArguments`
/// turn every value into an existential and a `DatabaseValue` in a fresh array, which cost more
/// than SQLite's own work for these rows. Text is bound as a copy (`SQLITE_TRANSIENT`), so no
/// Swift buffer has to outlive the call. Every SQLite result code goes through `check`.
struct DirectInsert {
    let statement: Statement

    init(_ statement: Statement) {
        self.statement = statement
    }

    /// Binds the parameters in order, runs the statement to completion and resets it.
    func run(_ bind: (inout Parameters) throws -> Void) throws {
        let handle = statement.sqliteStatement
        var parameters = Parameters(handle: handle, statement: statement)
        defer { sqlite3_reset(handle) }
        try bind(&parameters)
        let expected = sqlite3_bind_parameter_count(handle)
        guard parameters.index - 1 == expected else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE,
                                message: "\(parameters.index - 1) values bound for \(expected) parameters", sql: statement.sql)
        }
        try Self.check(sqlite3_step(handle), statement, expected: SQLITE_DONE)
    }

    struct Parameters {
        let handle: SQLiteStatement
        let statement: Statement
        fileprivate(set) var index: Int32 = 1

        mutating func text(_ value: String?) throws {
            defer { index += 1 }
            guard var value else { return try DirectInsert.check(sqlite3_bind_null(handle, index), statement) }
            let (handle, index) = (handle, index)
            let code = value.withUTF8 { utf8 -> Int32 in
                // An empty string is bound from a literal: a null pointer would bind NULL.
                guard let start = utf8.baseAddress, utf8.count > 0 else { return sqlite3_bind_text(handle, index, "", 0, DirectInsert.transient) }
                return start.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                    sqlite3_bind_text(handle, index, $0, Int32(utf8.count), DirectInsert.transient)
                }
            }
            try DirectInsert.check(code, statement)
        }

        mutating func integer(_ value: Int?) throws {
            defer { index += 1 }
            guard let value else { return try DirectInsert.check(sqlite3_bind_null(handle, index), statement) }
            try DirectInsert.check(sqlite3_bind_int64(handle, index, Int64(value)), statement)
        }

        mutating func double(_ value: Double?) throws {
            defer { index += 1 }
            guard let value else { return try DirectInsert.check(sqlite3_bind_null(handle, index), statement) }
            try DirectInsert.check(sqlite3_bind_double(handle, index, value), statement)
        }

        mutating func bool(_ value: Bool) throws {
            try integer(value ? 1 : 0)
        }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the value before the call returns (a macro Swift cannot import).
    static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// The one place a result code of these calls becomes an error, with SQLite's message.
    static func check(_ code: Int32, _ statement: Statement, expected: Int32 = SQLITE_OK) throws {
        guard code != expected else { return }
        let message = sqlite3_db_handle(statement.sqliteStatement).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
