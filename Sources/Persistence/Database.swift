import CSQLite

/// SQLite's "copy the bytes now" destructor, defined once.
let SQLITE_TRANSIENT = frenchtech_transient()

/// One connection to one SQLite file. Closed when the last reference goes away.
public final class Database {
    public enum Mode: Sendable {
        /// Read and write; create the file if missing.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only: every write fails with SQLITE_READONLY.
        case readOnly
    }

    let handle: OpaquePointer
    public let path: String
    public let mode: Mode
    private var statementCache: [String: Statement] = [:]
    private var savepointDepth = 0

    /// How long a writer waits for another connection's lock before giving up.
    public static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Opens `path` (":memory:" for a private in-memory database) and sets the connection up:
    /// foreign keys on, WAL journal, synchronous NORMAL, a busy timeout, no double-quoted string literals.
    /// Fails here, not later, when the file is not an SQLite database.
    public init(path: String, mode: Mode = .readWriteCreate) throws(SQLiteError) {
        Database.configureSQLite
        var handle: OpaquePointer?
        let flags: Int32 = switch mode {
        case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: SQLITE_OPEN_READWRITE
        case .readOnly: SQLITE_OPEN_READONLY
        }
        let rc = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let handle else {
            let error = SQLiteError.last(handle, code: rc)
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        self.path = path
        self.mode = mode
        sqlite3_extended_result_codes(handle, 1)
        do throws(SQLiteError) {
            guard frenchtech_disable_dqs(handle) == SQLITE_OK else { throw SQLiteError.last(handle) }
            guard sqlite3_busy_timeout(handle, Database.busyTimeoutMilliseconds) == SQLITE_OK else { throw SQLiteError.last(handle) }
            try execute("PRAGMA foreign_keys = ON")
            // Reading the schema here is what detects a file that is not a database.
            _ = try scalar("SELECT count(*) FROM sqlite_schema")
            if mode != .readOnly {
                let journal = try scalar("PRAGMA journal_mode = WAL")
                if journal != .text("wal") && path != ":memory:" && !path.isEmpty {
                    throw SQLiteError(extendedCode: SQLITE_ERROR, message: "could not switch \(path) to WAL journal mode (got \(journal.map { "\($0)" } ?? "nothing"))")
                }
                try execute("PRAGMA synchronous = NORMAL")
            }
        } catch {
            statementCache = [:]
            sqlite3_close_v2(handle)
            throw error
        }
    }

    /// Process-wide settings, applied once before the first connection opens SQLite. Without memory statistics
    /// a million-row import spends about 4 % less time on the thread that writes (their mutex, in perf).
    private static let configureSQLite: Void = { _ = frenchtech_disable_memory_statistics() }()

    deinit {
        statementCache = [:]  // finalize statements before closing
        sqlite3_close_v2(handle)
    }

    // MARK: Statements

    /// Prepares one statement. Text with a second statement is refused.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(connection: handle, sql: sql)
    }

    /// A prepared statement kept for reuse: for statements run many times (per row of an import).
    public func cachedStatement(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = statementCache[sql] { return statement }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs one statement with positional values.
    public func execute(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) {
        try cachedStatement(sql).execute(values)
    }

    /// Runs a script of several statements (migrations, seeds). Takes no values: scripts are fixed text.
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        sqlite3_free(message)
        guard rc == SQLITE_OK else { throw SQLiteError.last(handle, sql: sql) }
    }

    /// All rows of one query.
    public func rows(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) -> [Row] {
        try cachedStatement(sql).rows(values)
    }

    /// The first column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) -> SQLValue? {
        let statement = try cachedStatement(sql)
        try statement.bind(values)
        defer { try? statement.reset() }
        return try statement.step() ? statement.value(at: 0) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: Transactions

    /// Runs `body` in a transaction: BEGIN IMMEDIATE (a savepoint when nested), commit on return,
    /// roll back and rethrow on any error.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let nested = isInTransaction
        let savepoint = "frenchtech_\(savepointDepth + 1)"
        try executeScript(nested ? "SAVEPOINT \(savepoint)" : "BEGIN IMMEDIATE")
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        do {
            let result = try body()
            try executeScript(nested ? "RELEASE \(savepoint)" : "COMMIT")
            return result
        } catch {
            // SQLite may already have rolled back on its own (after SQLITE_FULL, for example): then there is
            // nothing left to undo, and the original error is the one to report.
            if nested {
                try? executeScript("ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
            } else if isInTransaction {
                try? executeScript("ROLLBACK")
            }
            throw error
        }
    }

    // MARK: Backup

    /// Copies this database into a new file at `destination` with SQLite's online backup API: a consistent
    /// snapshot even while other connections write.
    public func backup(to destination: String) throws(SQLiteError) {
        let target = try Database(path: destination, mode: .readWriteCreate)
        guard let backup = sqlite3_backup_init(target.handle, "main", handle, "main") else {
            throw SQLiteError.last(target.handle)
        }
        var rc: Int32
        repeat {
            // Copy everything in one step: pages are read under one read transaction, so the copy is consistent.
            rc = sqlite3_backup_step(backup, -1)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(50) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finish == SQLITE_OK else { throw SQLiteError.last(target.handle) }
    }

    /// Sets a pragma whose value is a fixed, known word or number (never user text).
    public func setPragma(_ name: StaticString, _ value: Int) throws(SQLiteError) {
        try executeScript("PRAGMA \(name) = \(value)")
    }
}
