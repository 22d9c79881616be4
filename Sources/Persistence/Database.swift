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
        /// Read only, from a file that nothing changes while it is open (SQLite's `immutable` URI parameter):
        /// no lock taken, no -wal read, no -shm needed. For a WAL database in a folder where SQLite cannot create
        /// the -shm that reading it otherwise takes; the caller must know that no process writes it.
        case immutable
    }

    let handle: OpaquePointer
    public let path: String
    public let mode: Mode
    private var statementCache: [String: Statement] = [:]
    private var savepointDepth = 0

    /// How long a writer waits for another connection's lock before giving up.
    public static let busyTimeoutMilliseconds: Int32 = 5_000

    /// How many more times BEGIN IMMEDIATE is tried once a busy timeout has run out.
    public static let busyRetries = 2

    /// Opens `path` (":memory:" for a private in-memory database) and sets the connection up:
    /// foreign keys on, WAL journal, synchronous NORMAL, a busy timeout, no double-quoted string literals.
    /// Fails here, not later, when the file is not an SQLite database.
    /// With `walJournal` false the journal is left as the file has it, until `useWALJournal()`: switching is a
    /// write, which a caller may first want to know the file is its own.
    public init(path: String, mode: Mode = .readWriteCreate, walJournal: Bool = true) throws(SQLiteError) {
        Database.configureSQLite
        var handle: OpaquePointer?
        let flags: Int32 = switch mode {
        case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: SQLITE_OPEN_READWRITE
        case .readOnly: SQLITE_OPEN_READONLY
        case .immutable: SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
        }
        let name = mode == .immutable ? Database.immutableURI(path) : path
        let rc = sqlite3_open_v2(name, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
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
            if isWritable && walJournal { try useWALJournal() }
        } catch {
            statementCache = [:]
            sqlite3_close_v2(handle)
            throw error
        }
    }

    /// Whether the connection may write (not `readOnly` or `immutable`).
    public var isWritable: Bool { mode == .readWriteCreate || mode == .readWrite }

    /// The URI of the file at `path` with `immutable=1`. Every byte but unreserved ones and "/" is percent-encoded
    /// ("?", "#" and "%" would end or escape the path); a leading "//" would be read as an authority.
    static func immutableURI(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        if encoded.hasPrefix("//") { encoded = "/." + encoded }
        return "file:" + encoded + "?immutable=1"
    }

    /// `path` as the name of a file, never one of the names sqlite3_open_v2 takes for something else: ":memory:"
    /// (a private in-memory database) and, as Debian builds SQLite with URI names on whatever the flags say,
    /// "file:…" (`file:reg.sqlite` would open reg.sqlite). Such names get "./" before them: the same file, read
    /// as a plain path. "" (a temporary database) is the caller's to refuse.
    public static func fileName(_ path: String) -> String {
        path.hasPrefix(":") || path.hasPrefix("file:") ? "./" + path : path
    }

    /// WAL journal (readers never wait for the writer), synchronous NORMAL. A no-op read on a file already in WAL.
    public func useWALJournal() throws(SQLiteError) {
        guard isWritable else { return }
        let journal = try scalar("PRAGMA journal_mode = WAL")
        if journal != .text("wal") && path != ":memory:" && !path.isEmpty {
            throw SQLiteError(extendedCode: SQLITE_ERROR, message: "could not switch \(path) to WAL journal mode (got \(journal.map { "\($0)" } ?? "nothing"))")
        }
        try execute("PRAGMA synchronous = NORMAL")
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
        if nested { try executeScript("SAVEPOINT \(savepoint)") } else { try beginImmediate() }
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

    /// Runs `body` with SQLite's foreign-key and CHECK enforcement off, then turns both back on. For a bulk load
    /// whose every value the caller has already checked against the same rules: on a million rows the two cost
    /// about 2 s of a 3 s insert (a lookup per reference, a GLOB per identifier). UNIQUE, NOT NULL and STRICT
    /// types are still enforced, and `PRAGMA integrity_check` and `foreign_key_check` still see any violation.
    /// SQLite switches foreign keys only outside a transaction: call this before opening one.
    public func withConstraintChecksOff<T>(_ body: () throws -> T) throws -> T {
        guard !isInTransaction else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "constraint checks can only be switched off outside a transaction")
        }
        try executeScript("PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON")
        defer { try? executeScript("PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF") }
        return try body()
    }

    /// Takes the write lock. SQLite's busy handler gives no turn order: among many short writers one can lose
    /// every race of a whole timeout. Nothing has run yet, so trying again is safe and cannot apply anything twice.
    private func beginImmediate() throws(SQLiteError) {
        var retries = Database.busyRetries
        while true {
            do {
                try executeScript("BEGIN IMMEDIATE")
                return
            } catch where error.code == SQLITE_BUSY && retries > 0 {
                retries -= 1
            }
        }
    }

    // MARK: Backup

    /// Copies this database into the file at `destination` (created, or replaced whole) with SQLite's online
    /// backup API. One step copies every page under one read transaction: the copy is the database as one commit
    /// left it, however many other connections write meanwhile (in WAL mode they are not even held up).
    /// The destination gets a plain connection, not `Database`'s WAL set-up: the copy takes the source's page
    /// size and journal mode from the pages themselves.
    public func backup(to destination: String) throws(SQLiteError) {
        var target: OpaquePointer?
        // NOFOLLOW: a symbolic link at `destination` is refused rather than written through.
        let rc = sqlite3_open_v2(Database.fileName(destination), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, nil)
        defer { sqlite3_close_v2(target) }
        guard rc == SQLITE_OK, let target else { throw SQLiteError.last(target, code: rc) }
        sqlite3_extended_result_codes(target, 1)
        guard let backup = sqlite3_backup_init(target, "main", handle, "main") else {
            throw SQLiteError.last(target)
        }
        // BUSY or LOCKED: another connection holds the destination, or (rollback journal only) writes the
        // source. Wait as long as a busy timeout, then give up.
        var step: Int32
        var waits = Int(Database.busyTimeoutMilliseconds) / 50
        repeat {
            step = sqlite3_backup_step(backup, -1)
            guard step == SQLITE_BUSY || step == SQLITE_LOCKED, waits > 0 else { break }
            waits -= 1
            sqlite3_sleep(50)
        } while true
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE else {
            throw SQLiteError(extendedCode: step, message: String(cString: sqlite3_errstr(step)))
        }
        guard finish == SQLITE_OK else { throw SQLiteError.last(target) }
    }

    /// Sets a pragma whose value is a fixed, known word or number (never user text).
    public func setPragma(_ name: StaticString, _ value: Int) throws(SQLiteError) {
        try executeScript("PRAGMA \(name) = \(value)")
    }
}
