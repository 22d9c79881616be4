import CSQLite

/// Ad hoc queries from people (`frenchtech sql`): only statements that read.
///
/// Two independent locks. While the statement is prepared, an authorizer allows only reading actions (SELECT,
/// reading columns, functions other than `load_extension`, recursive CTEs, and pragmas that report rather than
/// set), so INSERT, UPDATE, DELETE, DDL, ATTACH, DETACH, transactions and setting pragmas fail to prepare. Then
/// `sqlite3_stmt_readonly` must agree that the statement writes nothing (it catches VACUUM, which the authorizer
/// never sees). Callers also open the connection read-only, so a gap in both would still not write.
extension Database {
    /// Pragmas that take an argument (a table, an index) and only report.
    static let reportingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
    ]
    /// Pragmas that act even without an argument, or that only name a setting whose reading SQLite may turn
    /// into a change of the file's state (journal_mode and locking_mode take locks and may switch journals).
    static let actingPragmas: Set<String> = ["optimize", "wal_checkpoint", "incremental_vacuum", "shrink_memory",
                                             "journal_mode", "locking_mode"]

    /// Prepares one statement that can only read; anything else throws an `SQLiteError` with code
    /// `SQLITE_AUTH` whose message says what was refused.
    public func prepareReadOnly(_ sql: String) throws(SQLiteError) -> Statement {
        let log = AuthorizerLog()
        let context = Unmanaged.passUnretained(log).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, first, second, _, _ in
            let log = Unmanaged<AuthorizerLog>.fromOpaque(context!).takeUnretainedValue()
            let refusal = Database.refusal(action: action, first: first.map { String(cString: $0) },
                                           second: second.map { String(cString: $0) })
            guard let refusal else { return SQLITE_OK }
            if log.refusal == nil { log.refusal = refusal }
            return SQLITE_DENY
        }, context)
        defer {
            sqlite3_set_authorizer(handle, nil, nil)
            withExtendedLifetime(log) {}
        }
        let statement: Statement
        do throws(SQLiteError) {
            statement = try prepare(sql)
        } catch {
            guard let refusal = log.refusal else { throw error }
            throw SQLiteError(extendedCode: SQLITE_AUTH, message: refusal, sql: sql)
        }
        guard statement.isReadOnly else {
            throw SQLiteError(extendedCode: SQLITE_AUTH, message: "the statement would change the database", sql: sql)
        }
        return statement
    }

    /// Why an action is refused, or nil when it only reads.
    static func refusal(action: Int32, first: String?, second: String?) -> String? {
        switch action {
        // The same pragmas read as tables (SELECT * FROM pragma_journal_mode) show only as reads of a table.
        case SQLITE_READ where first.map { $0.lowercased().hasPrefix("pragma_") && actingPragmas.contains(String($0.lowercased().dropFirst(7))) } == true:
            return "PRAGMA \(first!.lowercased().dropFirst(7)) acts on the database"
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return nil
        case SQLITE_FUNCTION:
            let name = second?.lowercased() ?? ""
            if name == "load_extension" { return "load_extension() loads code into the process" }
            // With two arguments it registers a tokenizer from a pointer (disabled by default; refused anyway).
            if name == "fts3_tokenizer" { return "fts3_tokenizer() handles raw pointers" }
            return nil
        case SQLITE_PRAGMA:
            let name = (first ?? "").lowercased()
            if second == nil && !actingPragmas.contains(name) { return nil }
            if second != nil && reportingPragmas.contains(name) { return nil }
            return "PRAGMA \(name) \(second == nil ? "acts on the database" : "with a value sets something")"
        // Schema changes (CREATE, DROP, ANALYZE) first show as writes to the schema table.
        case SQLITE_INSERT where first?.hasPrefix("sqlite_") == true,
             SQLITE_DELETE where first?.hasPrefix("sqlite_") == true:
            return "the statement changes the schema"
        // Reading a table-valued pragma (pragma_table_info) reports UPDATE on the schema table; a real UPDATE
        // of it would need writable_schema (refused) and fails the read-only check below anyway.
        case SQLITE_UPDATE where first == "sqlite_master" || first == "sqlite_temp_master":
            return nil
        case SQLITE_INSERT: return "INSERT writes"
        case SQLITE_UPDATE: return "UPDATE writes"
        case SQLITE_DELETE: return "DELETE writes"
        case SQLITE_ATTACH: return "ATTACH opens another database"
        case SQLITE_DETACH: return "DETACH changes the connection"
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT: return "transaction control has no place in one query"
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_INDEX, SQLITE_CREATE_TEMP_TABLE,
             SQLITE_CREATE_TEMP_TRIGGER, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_VIEW,
             SQLITE_CREATE_VTABLE:
            return "CREATE changes the schema"
        case SQLITE_DROP_INDEX, SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_INDEX, SQLITE_DROP_TEMP_TABLE,
             SQLITE_DROP_TEMP_TRIGGER, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TRIGGER, SQLITE_DROP_VIEW, SQLITE_DROP_VTABLE:
            return "DROP changes the schema"
        case SQLITE_ALTER_TABLE: return "ALTER TABLE changes the schema"
        case SQLITE_REINDEX, SQLITE_ANALYZE: return "\(action == SQLITE_REINDEX ? "REINDEX" : "ANALYZE") writes"
        default: return "the statement does more than read (authorizer action \(action))"
        }
    }
}

/// The first refusal the authorizer met, read back after `sqlite3_prepare`.
private final class AuthorizerLog {
    var refusal: String?
}
