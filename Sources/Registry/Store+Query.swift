import Persistence

/// Ad hoc read-only SQL for analysts (`frenchtech sql`).
extension RegistryStore {
    /// Runs one statement that only reads, with `parameters` bound in order to its `?`, streaming the column
    /// names once and then each row. Anything that would write, attach, set a pragma or hold several
    /// statements is refused (invalid data) before a row is read; see `Database.prepareReadOnly`.
    /// Parameters are typed as analysts expect: see `queryValue`.
    public func query(_ sql: String, parameters: [String],
                      columns: ([String]) throws -> Void, row: ([SQLValue]) throws -> Void) throws {
        let statement: Statement
        do {
            statement = try db.prepareReadOnly(sql)
        } catch {
            throw Self.describeQueryFailure(error)
        }
        guard statement.parameterCount == parameters.count else {
            throw RegistryError.invalid("the query has \(statement.parameterCount) parameter\(statement.parameterCount == 1 ? "" : "s") and \(parameters.count) --param \(parameters.count == 1 ? "was" : "were") given; give one --param per ?")
        }
        try columns(statement.columnNames)
        do {
            try statement.forEachRow(parameters.map(Self.queryValue)) { current in
                try row(current.values)
            }
        } catch let error as SQLiteError {
            throw Self.describeQueryFailure(error)
        }
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
        if let value = Double(text), value.isFinite { return .real(value) }
        return .text(text)
    }

    /// SQLite's complaint about the query, said as invalid data; failures of the file itself stay failures.
    static func describeQueryFailure(_ error: Error) -> Error {
        guard let error = error as? SQLiteError else { return error }
        switch error.code {
        case 23 /* SQLITE_AUTH */:
            return RegistryError.invalid("refused: \(error.message); `frenchtech sql` runs one statement that only reads (SELECT, WITH, reporting PRAGMAs)")
        case 21 /* SQLITE_MISUSE */ where error.message.contains("more than one"):
            return RegistryError.invalid("refused: more than one SQL statement given; `frenchtech sql` runs one statement at a time")
        case 1 /* SQLITE_ERROR */, 21, 25 /* SQLITE_RANGE */:
            return RegistryError.invalid("SQL error: \(error.message)")
        case SQLiteError.readOnly:
            return RegistryError.invalid("refused: the statement would change the database; `frenchtech sql` only reads")
        default:
            return RegistryError(.failure, "\(error)")
        }
    }
}
