import CSQLite

/// A prepared statement. Finalized when the last reference goes away.
public final class Statement {
    let handle: OpaquePointer
    /// The connection's handle, kept for error messages (the `Database` outlives its statements).
    let connection: OpaquePointer
    public let sql: String
    /// Column names, read once at preparation.
    public let columnNames: [String]

    init(connection: OpaquePointer, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        var moreSQL = false
        let rc = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(connection, text, -1, 0, &statement, &tail)
            // One statement at a time: trailing text other than spaces, comments and semicolons is refused,
            // so that a second statement can never ride along unnoticed.
            moreSQL = tail.map(Statement.hasMoreSQL) ?? false
            return rc
        }
        guard rc == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw SQLiteError.last(connection, sql: sql)
        }
        guard let statement else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "no SQL statement in the text", sql: sql)
        }
        if moreSQL {
            sqlite3_finalize(statement)
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "more than one SQL statement given", sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
        self.columnNames = (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) }
    }

    deinit {
        sqlite3_finalize(handle)
        inPlace.deallocate()
    }

    /// Where `bind(inPlace:at:)` copies text during `execute(inPlaceBytes:binding:)`, and how much of it the run
    /// may use and has used (both 0 outside such a run). Unchecked exclusivity: only this statement's methods
    /// touch them, one call at a time, and the checks cost as much as the copy.
    @exclusivity(unchecked) private var inPlace = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    @exclusivity(unchecked) private var inPlaceUsed = 0
    @exclusivity(unchecked) private var inPlaceLimit = 0

    /// Whether the statement leaves the database unchanged (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    // MARK: Binding

    /// Binds positional values (`?`, `?NNN`), resetting first so a statement can be reused.
    public func bind(_ values: [SQLValue]) throws(SQLiteError) {
        try reset()
        guard values.count == parameterCount else {
            throw SQLiteError(extendedCode: SQLITE_RANGE,
                              message: "expected \(parameterCount) values to bind, got \(values.count)", sql: sql)
        }
        for (index, value) in values.enumerated() { try bind(value, at: Int32(index + 1)) }
    }

    /// Binds named values (`:name`, `@name`, `$name`; give the name with its prefix).
    public func bind(named values: [String: SQLValue]) throws(SQLiteError) {
        try reset()
        for (name, value) in values {
            let index = sqlite3_bind_parameter_index(handle, name)
            guard index > 0 else {
                throw SQLiteError(extendedCode: SQLITE_RANGE, message: "no parameter named \(name)", sql: sql)
            }
            try bind(value, at: index)
        }
    }

    /// Binds one value at a 1-based index.
    public func bind(_ value: SQLValue, at index: Int32) throws(SQLiteError) {
        let rc: Int32
        switch value {
        case .null:
            rc = sqlite3_bind_null(handle, index)
        case .integer(let v):
            rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v):
            rc = sqlite3_bind_double(handle, index, v)
        case .text(let v) where v.isEmpty:
            // Empty text stays text, not NULL.
            rc = sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT)
        case .text(let v):
            // The byte count is given, so embedded NULs survive.
            var v = v
            rc = v.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    sqlite3_bind_text64(handle, index, chars.baseAddress, sqlite3_uint64(chars.count),
                                        SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let v):
            rc = v.withUnsafeBytes { bytes in
                // A zero-length blob is a blob, not NULL: sqlite3_bind_zeroblob keeps the distinction.
                guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_bind_zeroblob(handle, index, 0) }
                return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(bytes.count), SQLITE_TRANSIENT)
            }
        }
        guard rc == SQLITE_OK else { throw SQLiteError.last(connection, sql: sql) }
    }

    /// Binds UTF-8 bytes as text (a copy: the bytes may change once this returns); empty bytes bind empty text.
    public func bind(utf8 bytes: UnsafeBufferPointer<UInt8>, at index: Int32) throws(SQLiteError) {
        let rc = bytes.withMemoryRebound(to: CChar.self) { chars in
            guard let base = chars.baseAddress, chars.count > 0 else { return sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT) }
            return sqlite3_bind_text64(handle, index, base, sqlite3_uint64(chars.count), SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
        }
        guard rc == SQLITE_OK else { throw SQLiteError.last(connection, sql: sql) }
    }

    /// Binds text that SQLite then reads where it lies instead of copying it (SQLITE_STATIC): within
    /// `execute(inPlaceBytes:binding:)` the text is copied once into the statement's own buffer, which stays put
    /// until the run ends. Outside such a run, or past the bytes it announced, the text is bound as a copy.
    public func bind(inPlace text: String, at index: Int32) throws(SQLiteError) {
        var text = text
        let count = text.utf8.count
        // Empty text is bound as a copy too: it has no bytes to point at, and a NULL pointer would bind NULL.
        guard count > 0, inPlaceUsed + count <= inPlaceLimit, let buffer = inPlace.baseAddress else {
            return try bind(.text(text), at: index)
        }
        let start = buffer + inPlaceUsed
        text.withUTF8 { bytes in start.copyMemory(from: bytes.baseAddress!, byteCount: count) }
        inPlaceUsed += count
        let rc = sqlite3_bind_text64(handle, index, start.assumingMemoryBound(to: CChar.self), sqlite3_uint64(count),
                                     nil, UInt8(SQLITE_UTF8))
        guard rc == SQLITE_OK else { throw SQLiteError.last(connection, sql: sql) }
    }

    // MARK: Stepping

    /// Advances: true when a row is available, false when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError.last(connection, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    public func reset() throws(SQLiteError) {
        // sqlite3_reset repeats the last step's error; that error was already thrown by step().
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Runs the statement to completion with these values.
    public func execute(_ values: [SQLValue] = []) throws(SQLiteError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Runs the statement to completion with the values `bind` binds one by one (`bind(_:at:)`): for a statement
    /// run once per row of a large load, which then builds no array of values per row. Parameters `bind` leaves
    /// alone are NULL.
    public func execute(binding bind: (Statement) throws(SQLiteError) -> Void) throws(SQLiteError) {
        try reset()
        try bind(self)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Runs the statement to completion with the values `bind` binds, keeping the earlier bindings of the
    /// parameters it leaves alone: a value constant over a large load (its source, its date) is bound once rather
    /// than copied by SQLite once a row (measured in C on a million rows: 12 % of the insert's time).
    public func execute(rebinding bind: (Statement) throws(SQLiteError) -> Void) throws(SQLiteError) {
        sqlite3_reset(handle)
        try bind(self)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Runs the statement to completion with the values `bind` binds, text among them bound in place
    /// (`bind(inPlace:at:)`, at most `inPlaceBytes` bytes of it): for an INSERT of many rows at a time, SQLite
    /// then copies each value once, into the row it writes, instead of twice (callgrind: about 1,300 instructions
    /// less for each row of an import). Every parameter is NULL before and after the run, so none ever points into
    /// text the next run overwrites.
    public func execute(inPlaceBytes: Int, binding bind: (Statement) throws(SQLiteError) -> Void) throws(SQLiteError) {
        try reset()
        if inPlaceBytes > inPlace.count {
            let size = max(inPlaceBytes, 2 * inPlace.count, 4096)
            inPlace.deallocate()
            inPlace = .allocate(byteCount: size, alignment: 1)
        }
        inPlaceUsed = 0
        inPlaceLimit = inPlaceBytes
        defer {
            inPlaceLimit = 0
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bind(self)
        while try step() {}
    }

    /// All rows for these values.
    public func rows(_ values: [SQLValue] = []) throws(SQLiteError) -> [Row] {
        try bind(values)
        var rows: [Row] = []
        while try step() { rows.append(currentRow()) }
        sqlite3_reset(handle)
        return rows
    }

    /// Calls `body` for each row without collecting them (for large results).
    public func forEachRow(_ values: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() { try body(currentRow()) }
    }

    // MARK: Columns of the current row

    public var columnCount: Int { columnNames.count }

    public func value(at index: Int) -> SQLValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard let pointer = sqlite3_column_text(handle, i) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard let pointer = sqlite3_column_blob(handle, i), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default: return .null
        }
    }

    /// Whether the current row's column is NULL.
    public func isNull(at index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    /// The current row's column as raw bytes (its text form), without creating a String; valid inside `body` only.
    public func withColumnBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let i = Int32(index)
        let pointer = sqlite3_column_text(handle, i)
        let count = Int(sqlite3_column_bytes(handle, i))
        return try body(UnsafeRawBufferPointer(start: pointer.map(UnsafeRawPointer.init), count: pointer == nil ? 0 : count))
    }

    public func currentRow() -> Row {
        Row(columnNames: columnNames, values: (0..<columnCount).map(value(at:)))
    }

    static func hasMoreSQL(_ tail: UnsafePointer<CChar>) -> Bool {
        var p = tail
        while p.pointee != 0 {
            switch UInt8(bitPattern: p.pointee) {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ";"), 0x0B, 0x0C:
                p += 1
            case UInt8(ascii: "-") where (p + 1).pointee == CChar(UInt8(ascii: "-")):
                while p.pointee != 0 && p.pointee != CChar(UInt8(ascii: "\n")) { p += 1 }
            case UInt8(ascii: "/") where (p + 1).pointee == CChar(UInt8(ascii: "*")):
                p += 2
                while p.pointee != 0 && !(p.pointee == CChar(UInt8(ascii: "*")) && (p + 1).pointee == CChar(UInt8(ascii: "/"))) { p += 1 }
                if p.pointee != 0 { p += 2 }
            default:
                return true
            }
        }
        return false
    }
}

/// One result row: values with their column names. Decoding a missing column throws.
public struct Row: Equatable, Sendable {
    public let columnNames: [String]
    public let values: [SQLValue]

    public subscript(index: Int) -> SQLValue { values[index] }

    /// The value of the named column decoded as `T`.
    public func get<T: SQLDecodable>(_ column: String, as type: T.Type = T.self) throws(DecodingError) -> T {
        guard let index = columnNames.firstIndex(of: column) else {
            throw DecodingError("a column named \(column)", .null, column: column)
        }
        return try get(index, as: T.self)
    }

    /// The value at `index` decoded as `T`.
    public func get<T: SQLDecodable>(_ index: Int, as type: T.Type = T.self) throws(DecodingError) -> T {
        guard values.indices.contains(index) else {
            throw DecodingError("a column at index \(index)", .null, column: "#\(index)")
        }
        do {
            return try T.decode(values[index])
        } catch {
            throw DecodingError(error.expected, error.found, column: columnNames[index])
        }
    }
}
