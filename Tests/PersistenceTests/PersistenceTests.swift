import Testing
import CSQLite
import Glibc
@testable import Persistence

/// A fresh temp-file database per test, removed afterwards.
final class TempDatabase {
    let folder: String
    let path: String
    init() {
        var template = Array("/tmp/frenchtech-persistence-XXXXXX".utf8CString)
        folder = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        path = folder + "/test.sqlite"
    }
    deinit {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
        rmdir(folder)
    }
}

@Suite struct ValueRoundTrips {
    let db: Database
    init() throws {
        db = try Database(path: ":memory:")
        try db.executeScript("CREATE TABLE t (v ANY) STRICT")
    }

    func roundTrip(_ value: SQLValue) throws -> (SQLValue, String) {
        try db.execute("DELETE FROM t")
        try db.execute("INSERT INTO t (v) VALUES (?)", [value])
        let row = try #require(try db.rows("SELECT v, typeof(v) FROM t").first)
        return (row[0], try row.get(1))
    }

    @Test(arguments: [
        (SQLValue.null, "null"),
        (.integer(Int64.min), "integer"), (.integer(Int64.max), "integer"), (.integer(0), "integer"),
        (.real(-0.5), "real"), (.real(1e308), "real"),
        (.text(""), "text"), (.text("Société Générale 🚀"), "text"), (.text("a\u{0}b"), "text"),
        (.text("שלום 'quoted' \"double\" '; DROP TABLE t; --"), "text"),
        (.blob([]), "blob"), (.blob([0, 1, 0, 255]), "blob"),
    ])
    func valuesComeBackWithTheirStorageClass(value: SQLValue, type: String) throws {
        let (back, storedType) = try roundTrip(value)
        #expect(back == value)
        #expect(storedType == type)
    }

    @Test func emptyStringIsNotNull() throws {
        try db.execute("INSERT INTO t (v) VALUES (?), (?)", [.text(""), .null])
        let counts = try db.rows("SELECT count(*) FROM t WHERE v IS NULL UNION ALL SELECT count(*) FROM t WHERE v = ''")
        #expect(try counts.map { try $0.get(0, as: Int.self) } == [1, 1])
    }

    @Test func embeddedNulKeepsItsLength() throws {
        try db.execute("INSERT INTO t (v) VALUES (?)", [.text("a\u{0}b\u{0}")])
        #expect(try db.scalar("SELECT length(CAST(v AS BLOB)) FROM t") == .integer(4))
    }

    @Test func namedParameters() throws {
        let insert = try db.prepare("INSERT INTO t (v) VALUES (:first), (:second)")
        try insert.bind(named: [":first": .integer(7), ":second": .text("x")])
        while try insert.step() {}
        #expect(try db.rows("SELECT v FROM t ORDER BY rowid").map { $0[0] } == [.integer(7), .text("x")])
        #expect(throws: SQLiteError.self) { try insert.bind(named: [":missing": .null]) }
    }

    @Test func wrongParameterCountIsRefused() throws {
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO t (v) VALUES (?)", []) }
    }

    @Test func typedDecoding() throws {
        try db.execute("INSERT INTO t (v) VALUES (?)", [.integer(1)])
        let row = try #require(try db.rows("SELECT v AS n, NULL AS missing, 'x' AS s FROM t").first)
        #expect(try row.get("n", as: Int64.self) == 1)
        #expect(try row.get("n", as: Bool.self) == true)
        #expect(try row.get("missing", as: String?.self) == nil)
        #expect(try row.get("s", as: String.self) == "x")
        #expect(throws: DecodingError.self) { try row.get("s", as: Int.self) }
        #expect(throws: DecodingError.self) { try row.get("no_such_column", as: Int.self) }
        #expect(throws: DecodingError.self) { try row.get(9, as: Int.self) }
    }

    @Test func multipleStatementsAreRefused() throws {
        #expect(throws: SQLiteError.self) { try db.prepare("SELECT 1; DELETE FROM t") }
        // Trailing semicolons, spaces and comments are not a second statement.
        _ = try db.prepare("SELECT 1; -- done\n ;  /* end */ ")
    }
}

/// `Statement.bind(inPlace:at:)`: text SQLite reads from the statement's buffer instead of copying.
@Suite struct TextBoundInPlace {
    let db: Database
    init() throws {
        db = try Database(path: ":memory:")
        try db.executeScript("CREATE TABLE t (n INTEGER, v ANY) STRICT")
    }

    func stored() throws -> [[SQLValue]] { try db.rows("SELECT n, v FROM t ORDER BY rowid").map(\.values) }

    @Test func manyRowsOfTextComeBackAsBound() throws {
        // Small strings (inline in Swift), large ones, non-ASCII, embedded NUL, empty, and one longer than the
        // buffer's first size, so that it grows.
        let texts = ["", "a", "Société Générale 🚀", "a\u{0}b", String(repeating: "x", count: 10_000), "naf 62.01Z",
                     String(repeating: "é", count: 3_000), "last"]
        let statement = try db.prepare("INSERT INTO t (n, v) VALUES " + texts.indices.map { _ in "(?, ?)" }.joined(separator: ", "))
        for round in 0..<3 {
            let shuffled = Array(texts[round...] + texts[..<round])
            try statement.execute(inPlaceBytes: shuffled.reduce(0) { $0 + $1.utf8.count }) { statement throws(SQLiteError) in
                for (i, text) in shuffled.enumerated() {
                    try statement.bind(.integer(Int64(round * 100 + i)), at: Int32(2 * i + 1))
                    try statement.bind(inPlace: text, at: Int32(2 * i + 2))
                }
            }
            let rows = try db.rows("SELECT v, typeof(v) FROM t WHERE n / 100 = ? ORDER BY n", [.integer(Int64(round))])
            #expect(try rows.map { try $0.get(0, as: String.self) } == shuffled)
            #expect(try rows.map { try $0.get(1, as: String.self) } == Array(repeating: "text", count: texts.count))
        }
    }

    @Test func textPastTheAnnouncedBytesIsCopied() throws {
        let statement = try db.prepare("INSERT INTO t (n, v) VALUES (1, ?), (2, ?), (3, ?)")
        try statement.execute(inPlaceBytes: 5) { statement throws(SQLiteError) in
            try statement.bind(inPlace: "abcde", at: 1)
            try statement.bind(inPlace: "fits no more", at: 2)
            try statement.bind(inPlace: "", at: 3)
        }
        #expect(try stored() == [[.integer(1), .text("abcde")], [.integer(2), .text("fits no more")], [.integer(3), .text("")]])
    }

    @Test func outsideARunTextIsCopied() throws {
        let statement = try db.prepare("INSERT INTO t (n, v) VALUES (?, ?)")
        try statement.execute(binding: { statement throws(SQLiteError) in
            try statement.bind(.integer(1), at: 1)
            try statement.bind(inPlace: "copied", at: 2)
        })
        #expect(try stored() == [[.integer(1), .text("copied")]])
    }

    @Test func parametersAreNullAfterTheRun() throws {
        let statement = try db.prepare("INSERT INTO t (n, v) VALUES (?, ?)")
        try statement.execute(inPlaceBytes: 4) { statement throws(SQLiteError) in
            try statement.bind(.integer(1), at: 1)
            try statement.bind(inPlace: "once", at: 2)
        }
        // Run again binding nothing: the earlier values, the text in place among them, are gone.
        try statement.execute(rebinding: { _ throws(SQLiteError) in })
        #expect(try stored() == [[.integer(1), .text("once")], [.null, .null]])
    }

    @Test func aFailedRunLeavesNoBinding() throws {
        try db.executeScript("CREATE UNIQUE INDEX t_v ON t(v)")
        let statement = try db.prepare("INSERT INTO t (n, v) VALUES (?, ?), (?, ?)")
        #expect(throws: SQLiteError.self) {
            try statement.execute(inPlaceBytes: 6) { statement throws(SQLiteError) in
                try statement.bind(inPlace: "dup", at: 2)
                try statement.bind(inPlace: "dup", at: 4)
            }
        }
        try statement.execute(rebinding: { _ throws(SQLiteError) in })
        #expect(try stored() == [[.null, .null], [.null, .null]])
    }
}

@Suite struct Errors {
    let db: Database
    init() throws {
        db = try Database(path: ":memory:")
        try db.executeScript("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id), code TEXT UNIQUE,
                                n INTEGER CHECK (n >= 0)) STRICT;
            """)
    }

    @Test func uniqueViolationCarriesItsCodesAndSQL() throws {
        try db.execute("INSERT INTO child (code) VALUES (?)", [.text("a")])
        let error = try #require(throws: SQLiteError.self) {
            try db.execute("INSERT INTO child (code) VALUES (?)", [.text("a")])
        }
        #expect(error.extendedCode == 2067)
        #expect(error.code == SQLITE_CONSTRAINT)
        #expect(error.message == "UNIQUE constraint failed: child.code")
        #expect(error.description == "SQLite error 2067: UNIQUE constraint failed: child.code - while executing `INSERT INTO child (code) VALUES (?)`")
    }

    @Test func foreignKeysAreEnforced() throws {
        let error = try #require(throws: SQLiteError.self) {
            try db.execute("INSERT INTO child (parent_id) VALUES (?)", [.integer(42)])
        }
        #expect(error.extendedCode == SQLITE_CONSTRAINT | (3 << 8))  // SQLITE_CONSTRAINT_FOREIGNKEY
    }

    @Test func checkConstraint() throws {
        let error = try #require(throws: SQLiteError.self) {
            try db.execute("INSERT INTO child (n) VALUES (?)", [.integer(-1)])
        }
        #expect(error.extendedCode == SQLITE_CONSTRAINT | (1 << 8))  // SQLITE_CONSTRAINT_CHECK
    }

    @Test func syntaxErrorNamesTheSQL() throws {
        let error = try #require(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        #expect(error.code == SQLITE_ERROR)
        #expect(error.sql == "SELEC 1")
    }
}

@Suite struct Transactions {
    let db: Database
    struct Boom: Error {}
    init() throws {
        db = try Database(path: ":memory:")
        try db.executeScript("CREATE TABLE t (v INTEGER)")
    }
    func count() throws -> SQLValue? { try db.scalar("SELECT count(*) FROM t") }

    @Test func commitsOnReturn() throws {
        try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
        #expect(try count() == .integer(1))
        #expect(!db.isInTransaction)
    }

    @Test func rollsBackOnThrow() throws {
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try count() == .integer(0))
        #expect(!db.isInTransaction)
    }

    @Test func nestedFailureUndoesOnlyTheSavepoint() throws {
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            #expect(throws: Boom.self) {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
        }
        #expect(try db.rows("SELECT v FROM t ORDER BY v").map { $0[0] } == [.integer(1), .integer(3)])
    }

    @Test func outerFailureUndoesReleasedSavepoints() throws {
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
                throw Boom()
            }
        }
        #expect(try count() == .integer(0))
    }
}

@Suite struct Files {
    @Test func readOnlyConnectionRefusesWrites() throws {
        let temp = TempDatabase()
        do {
            let db = try Database(path: temp.path)
            try db.executeScript("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1);")
        }
        let reader = try Database(path: temp.path, mode: .readOnly)
        let error = try #require(throws: SQLiteError.self) { try reader.execute("INSERT INTO t VALUES (2)") }
        #expect(error.code == SQLITE_READONLY)
        #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(1))
    }

    @Test func connectionIsSetUp() throws {
        let temp = TempDatabase()
        let db = try Database(path: temp.path)
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try db.scalar("PRAGMA synchronous") == .integer(1))  // NORMAL
        #expect(try db.scalar("PRAGMA busy_timeout") == .integer(Int64(Database.busyTimeoutMilliseconds)))
    }

    @Test func fileThatIsNotADatabaseFailsAtOpen() throws {
        let temp = TempDatabase()
        let text = "name,sector\nnot a database,at all\n" + String(repeating: "x", count: 200)
        let file = fopen(temp.path, "w")
        fputs(text, file)
        fclose(file)
        let error = try #require(throws: SQLiteError.self) { try Database(path: temp.path) }
        #expect(error.code == SQLITE_NOTADB)
    }

    @Test func missingFileIsNotCreatedInReadWriteMode() throws {
        let temp = TempDatabase()
        let error = try #require(throws: SQLiteError.self) { try Database(path: temp.path, mode: .readWrite) }
        #expect(error.code == SQLITE_CANTOPEN)
        #expect(access(temp.path, F_OK) != 0)
    }

    @Test func folderIsNotADatabase() throws {
        let temp = TempDatabase()
        #expect(throws: SQLiteError.self) { try Database(path: temp.folder) }
    }

    @Test func backupCopiesEveryRow() throws {
        let temp = TempDatabase()
        let db = try Database(path: temp.path)
        try db.executeScript("CREATE TABLE t (v INTEGER); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO t SELECT i FROM n;")
        let copy = temp.folder + "/copy.sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(copy + suffix) } }
        try db.backup(to: copy)
        let restored = try Database(path: copy, mode: .readOnly)
        #expect(try restored.scalar("SELECT sum(v) FROM t") == .integer(1000 * 1001 / 2))
        #expect(try restored.scalar("PRAGMA integrity_check") == .text("ok"))
    }
}

@Suite struct Migrations {
    let db: Database
    init() throws { db = try Database(path: ":memory:") }

    let first = Migration(fileName: "0001_create.sql", sql: "CREATE TABLE a (x INTEGER);")!
    let second = Migration(fileName: "0002_more.sql", sql: "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1);")!

    @Test func fileNamesGiveVersionAndName() {
        #expect(first.version == 1 && first.name == "create" && first.fileName == "0001_create.sql")
        #expect(Migration(fileName: "readme.sql", sql: "") == nil)
    }

    @Test func appliesInOrderOnceEach() throws {
        let migrator = try Migrator(migrations: [second, first])
        #expect(try migrator.migrate(db).map(\.version) == [1, 2])
        #expect(try migrator.migrate(db).isEmpty)
        #expect(try db.scalar("SELECT count(*) FROM a") == .integer(1))
        #expect(try db.scalar("PRAGMA user_version") == .integer(2))
        let status = try migrator.status(db)
        #expect(status.map(\.version) == [1, 2])
        #expect(status.allSatisfy { $0.appliedAt != nil && $0.checksumMatches })
    }

    @Test func statusListsPending() throws {
        try Migrator(migrations: [first]).migrate(db)
        let status = try Migrator(migrations: [first, second]).status(db)
        #expect(status.map { $0.appliedAt == nil } == [false, true])
    }

    @Test func failingMigrationLeavesNoTrace() throws {
        let broken = Migration(fileName: "0002_broken.sql", sql: "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")!
        let migrator = try Migrator(migrations: [first, broken])
        #expect(throws: SQLiteError.self) { try migrator.migrate(db) }
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'b'") == .integer(0))
        #expect(try db.scalar("SELECT group_concat(version) FROM schema_migrations") == .text("1"))
        #expect(try db.scalar("PRAGMA user_version") == .integer(1))
    }

    @Test func editedMigrationIsRefusedByName() throws {
        try Migrator(migrations: [first]).migrate(db)
        let edited = Migration(fileName: "0001_create.sql", sql: "CREATE TABLE a (x INTEGER, z TEXT);")!
        let error = try #require(throws: MigrationError.self) { try Migrator(migrations: [edited]).migrate(db) }
        #expect(error == .modified(version: 1, fileName: "0001_create.sql"))
    }

    @Test func newerDatabaseIsRefused() throws {
        try Migrator(migrations: [first, second]).migrate(db)
        let error = try #require(throws: MigrationError.self) { try Migrator(migrations: [first]).migrate(db) }
        #expect(error == .newerSchema(database: 2, known: 1))
    }

    @Test func duplicateVersionsAreRefused() {
        #expect(throws: MigrationError.duplicateVersion(1)) {
            try Migrator(migrations: [first, Migration(version: 1, name: "again", sql: "")])
        }
    }

    @Test func checksumIsFNV1a() {
        // Published FNV-1a 64-bit test vectors.
        #expect(Migration(version: 1, name: "x", sql: "").checksum == "cbf29ce484222325")
        #expect(Migration(version: 1, name: "x", sql: "a").checksum == "af63dc4c8601ec8c")
    }
}

/// `withConstraintChecksOff` lets a bulk load skip SQLite's CHECK and foreign-key checks, and only that load.
@Suite struct RelaxedConstraintChecks {
    let db: Database
    init() throws {
        db = try Database(path: ":memory:")
        try db.executeScript("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
            CREATE TABLE child (id INTEGER PRIMARY KEY, code TEXT CHECK (code GLOB '[0-9][0-9]'),
                                parent_id INTEGER REFERENCES parent(id), label TEXT NOT NULL UNIQUE) STRICT;
            INSERT INTO parent VALUES (1);
            """)
    }

    func insert(_ code: String, parent: Int64, label: String) throws {
        try db.execute("INSERT INTO child (code, parent_id, label) VALUES (?, ?, ?)", [.text(code), .integer(parent), .text(label)])
    }

    @Test func checksAreSkippedInsideAndEnforcedAfter() throws {
        try db.withConstraintChecksOff {
            try insert("xx", parent: 1, label: "bad code")
            try insert("12", parent: 42, label: "no parent")
            // UNIQUE and NOT NULL are still enforced.
            #expect(throws: SQLiteError.self) { try insert("12", parent: 1, label: "no parent") }
        }
        #expect(try db.scalar("SELECT count(*) FROM child") == .integer(2))
        // What integrity_check and foreign_key_check report is what the caller vouched for.
        #expect(try db.scalar("PRAGMA integrity_check") != .text("ok"))
        #expect(try db.rows("PRAGMA foreign_key_check").count == 1)
        #expect(throws: SQLiteError.self) { try insert("yy", parent: 1, label: "after") }
        #expect(throws: SQLiteError.self) { try insert("34", parent: 7, label: "after") }
        try insert("34", parent: 1, label: "after")
    }

    @Test func checksComeBackWhenTheBodyThrows() throws {
        struct Stop: Error {}
        #expect(throws: Stop.self) { try db.withConstraintChecksOff { throw Stop() } }
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
        #expect(throws: SQLiteError.self) { try insert("zz", parent: 1, label: "after") }
    }

    @Test func refusedInsideATransaction() throws {
        // SQLite cannot switch foreign keys there: the call says so instead of silently checking them after all.
        try db.transaction {
            let error = #expect(throws: SQLiteError.self) { try db.withConstraintChecksOff {} }
            #expect(error?.code == SQLITE_MISUSE)
        }
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
    }
}
