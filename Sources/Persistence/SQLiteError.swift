import CSQLite

/// An SQLite failure: the extended result code, SQLite's message and the SQL that failed.
public struct SQLiteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The extended result code, e.g. 2067 (SQLITE_CONSTRAINT_UNIQUE).
    public let extendedCode: Int32
    /// SQLite's message, e.g. "UNIQUE constraint failed: startups.siren".
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// The primary result code, e.g. 19 (SQLITE_CONSTRAINT).
    public var code: Int32 { extendedCode & 0xFF }

    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql { text += " - while executing `\(SQLiteError.excerpt(sql))`" }
        return text
    }

    /// How much of the SQL an error quotes: one line of at most this many characters.
    public static let quotedSQLLength = 120

    /// The SQL as an error quotes it: its first line, cut to `quotedSQLLength` characters, "…" when shortened.
    /// An error is one line; the whole text stays in `sql`.
    static func excerpt(_ sql: String) -> String {
        var text = Substring(sql)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        let firstLine = text.prefix { !$0.isNewline }
        guard firstLine.count < text.count || firstLine.count > quotedSQLLength else { return String(text) }
        return String(firstLine.prefix(quotedSQLLength - 1)) + "…"
    }

    public static let constraint: Int32 = SQLITE_CONSTRAINT
    public static let constraintUnique: Int32 = 2067       // SQLITE_CONSTRAINT_UNIQUE
    public static let constraintPrimaryKey: Int32 = 1555   // SQLITE_CONSTRAINT_PRIMARYKEY
    public static let constraintForeignKey: Int32 = 787    // SQLITE_CONSTRAINT_FOREIGNKEY
    public static let constraintCheck: Int32 = 275         // SQLITE_CONSTRAINT_CHECK
    public static let constraintNotNull: Int32 = 1299      // SQLITE_CONSTRAINT_NOTNULL
    public static let busy: Int32 = SQLITE_BUSY
    public static let readOnly: Int32 = SQLITE_READONLY
    public static let notADatabase: Int32 = SQLITE_NOTADB
    public static let cantOpen: Int32 = SQLITE_CANTOPEN
    public static let corrupt: Int32 = SQLITE_CORRUPT
    public static let interrupt: Int32 = SQLITE_INTERRUPT
}

extension SQLiteError {
    /// The error SQLite reports for the connection right now; the single place errors are read.
    static func last(_ handle: OpaquePointer?, sql: String? = nil, code: Int32? = nil) -> SQLiteError {
        guard let handle else {
            let rc = code ?? SQLITE_NOMEM
            return SQLiteError(extendedCode: rc, message: String(cString: sqlite3_errstr(rc)), sql: sql)
        }
        return SQLiteError(
            extendedCode: sqlite3_extended_errcode(handle),
            message: String(cString: sqlite3_errmsg(handle)),
            sql: sql
        )
    }
}
