import Persistence

/// Ad hoc read-only SQL for analysts (`frenchtech sql`).
extension RegistryStore {
    /// Runs one statement that only reads, with `parameters` bound in order to its `?`, streaming the column
    /// names once and then each row. Anything that would write, attach, set a pragma or hold several
    /// statements is refused (invalid data) before a row is read; see `Database.prepareReadOnly`.
    /// Parameters are typed as analysts expect: see `queryValue`.
    /// With `timeLimit`, the statement is stopped once SQLite has worked on it that many seconds (time spent in
    /// `row` is not counted) and `QueryLimit.time` is thrown; `QueryLimit.memory` when SQLite ran out of the heap
    /// `limitQueryMemory` allows. `row` returns false to stop reading early.
    public func query(_ sql: String, parameters: [String], timeLimit: Double?,
                      columns: ([String]) throws -> Void, row: ([SQLValue]) throws -> Bool) throws {
        let statement: Statement
        do {
            statement = try db.prepareReadOnly(sql)
        } catch {
            throw Self.describeQueryFailure(error)
        }
        guard statement.parameterCount == parameters.count else {
            throw RegistryError.invalidRequest("the query has \(statement.parameterCount) parameter\(statement.parameterCount == 1 ? "" : "s") and \(parameters.count) \(parameters.count == 1 ? "was" : "were") given",
                                               remedy: .oneValuePerParameter(parameters: statement.parameterCount, given: parameters.count))
        }
        try columns(statement.columnNames)
        func readRows(_ limit: TimeLimit?) throws {
            try statement.bind(parameters.map(Self.queryValue))
            defer { try? statement.reset() }
            while try statement.step() {
                let values = statement.currentRow().values
                guard try limit.map({ limit in try limit.excluding { try row(values) } }) ?? row(values) else { return }
            }
        }
        var expired = false
        do {
            if let timeLimit {
                try db.withTimeLimit(seconds: timeLimit) { limit in
                    defer { expired = limit.hasExpired }
                    try readRows(limit)
                }
            } else {
                try readRows(nil)
            }
        } catch let error as SQLiteError {
            if expired && error.code == SQLiteError.interrupt { throw QueryLimit.time(seconds: timeLimit ?? 0) }
            if error.code == 7 /* SQLITE_NOMEM */, let bytes = Self.queryMemoryLimit { throw QueryLimit.memory(bytes: bytes) }
            throw Self.describeQueryFailure(error)
        }
    }

    /// All rows, for callers that read the whole result.
    public func query(_ sql: String, parameters: [String],
                      columns: ([String]) throws -> Void, row: ([SQLValue]) throws -> Void) throws {
        try query(sql, parameters: parameters, timeLimit: nil, columns: columns) { values in
            try row(values)
            return true
        }
    }

    /// A limit an ad hoc query ran into; the front end words it with its own options.
    public enum QueryLimit: Error, Equatable {
        /// SQLite worked on the statement longer than this.
        case time(seconds: Double)
        /// SQLite needed more heap than `limitQueryMemory` allows.
        case memory(bytes: Int64)
    }

    nonisolated(unsafe) private static var queryMemoryLimit: Int64?

    /// Caps the heap SQLite may take in this process at `bytes`, for a process that only runs ad hoc queries.
    /// Call it before opening the store (see `Database.limitHeap`); false when it is too late.
    @discardableResult
    public static func limitQueryMemory(toBytes bytes: Int64) -> Bool {
        guard Database.limitHeap(toBytes: bytes) else { return false }
        queryMemoryLimit = bytes
        return true
    }

    /// A parameter as typed on the command line: a decimal integer (no leading zero: "007" and a SIREN such as
    /// "012345678" stay text) binds as an integer, a decimal number with a point or exponent as a real, anything
    /// else as text. So `WHERE employees > ?` and `LIMIT ?` work, and a text column compared with a number
    /// still matches, by SQLite's affinity rules.
    public static func queryValue(_ text: String) -> SQLValue {
        let unsigned = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        let leadingZero = unsigned.count > 1 && unsigned.first == "0" && unsigned.dropFirst().first != "."
        guard !leadingZero, unsigned.contains(where: { $0.isASCII && $0.isNumber }),
              unsigned.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return .text(text) }
        if let value = Int64(text) { return .integer(value) }
        // Digits alone past Int64 stay text, exactly as typed, rather than become a rounded real.
        if unsigned.allSatisfy(\.isASCII) && unsigned.allSatisfy(\.isNumber) { return .text(text) }
        if let value = Double(text), value.isFinite { return .real(value) }
        return .text(text)
    }

    /// SQLite's complaint about the query, said as invalid data; failures of the file itself stay failures.
    static func describeQueryFailure(_ error: Error) -> Error {
        guard let error = error as? SQLiteError else { return error }
        switch error.code {
        case 23 /* SQLITE_AUTH */:
            return RegistryError.invalidRequest("refused: \(error.message)", remedy: .readingStatement)
        case 21 /* SQLITE_MISUSE */ where error.message.contains("more than one"):
            return RegistryError.invalidRequest("refused: more than one SQL statement given", remedy: .oneStatement)
        case 1 /* SQLITE_ERROR */, 21, 25 /* SQLITE_RANGE */:
            return RegistryError.invalidRequest("SQL error: \(error.message)")
        case SQLiteError.readOnly:
            return RegistryError.invalidRequest("refused: the statement would change the database", remedy: .onlyReads)
        default:
            return RegistryError.failure("\(error)")
        }
    }
}
