import Glibc
import Testing
@testable import Persistence

/// The bounds an ad hoc query runs within: time (a progress handler on a monotonic clock), the pragmas that
/// change state even when only read, and errors that quote their SQL on one short line.
@Suite struct QueryLimits {
    let db: Database
    init() throws { db = try Database(path: ":memory:") }

    static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"

    func seconds(_ body: () throws -> Void) rethrows -> Double {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        try body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    @Test func anEndlessQueryIsInterruptedAtTheLimit() throws {
        var expired = false
        let elapsed = try seconds {
            let error = #expect(throws: SQLiteError.self) {
                try db.withTimeLimit(seconds: 0.5) { limit in
                    defer { expired = limit.hasExpired }
                    let statement = try db.prepare(Self.endless)
                    while try statement.step() {}
                }
            }
            #expect(error?.code == SQLiteError.interrupt)
        }
        #expect(expired)
        #expect(elapsed >= 0.45 && elapsed < 5, "stopped after \(elapsed) s")
        // The handler is gone afterwards: the connection runs on unlimited.
        #expect(try db.scalar("SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000) SELECT x FROM c)") == .integer(1000))
    }

    @Test func timeOutsideSQLiteIsNotCounted() throws {
        try db.withTimeLimit(seconds: 0.3) { limit in
            let statement = try db.prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3) SELECT x FROM c")
            var rows = 0
            while try statement.step() {
                rows += 1
                limit.excluding { usleep(250_000) }  // 0.75 s in all, more than the limit
            }
            #expect(rows == 3)
            #expect(!limit.hasExpired)
        }
    }

    @Test(arguments: ["PRAGMA journal_mode", "PRAGMA main.journal_mode", "SELECT * FROM pragma_journal_mode",
                      "SELECT journal_mode FROM main.PRAGMA_JOURNAL_MODE", "PRAGMA locking_mode",
                      "SELECT * FROM pragma_locking_mode"])
    func pragmasThatChangeStateAreRefusedWithoutAValue(_ sql: String) throws {
        let file = TempDatabase()
        _ = try Database(path: file.path)  // a WAL file, as registries are
        let db = try Database(path: file.path, mode: .readOnly)
        let error = #expect(throws: SQLiteError.self) { try db.prepareReadOnly(sql) }
        #expect(error?.code == 23 /* SQLITE_AUTH */)
    }

    @Test func readingPragmasStillWork() throws {
        #expect(try db.prepareReadOnly("PRAGMA user_version").step())
        #expect(try db.prepareReadOnly("SELECT * FROM pragma_table_list").step())
    }

    @Test func anErrorQuotesOneShortLineOfItsSQL() {
        let multiline = SQLiteError(extendedCode: 1, message: "no such table: t", sql: "SELECT *\nFROM t")
        #expect(multiline.description == "SQLite error 1: no such table: t - while executing `SELECT *…`")
        let long = String(repeating: "x", count: 300)
        let cut = SQLiteError(extendedCode: 1, message: "m", sql: long).description
        #expect(cut == "SQLite error 1: m - while executing `\(String(repeating: "x", count: 119))…`")
        let exact = String(repeating: "y", count: 120)
        #expect(SQLiteError(extendedCode: 1, message: "m", sql: exact + "\n").description == "SQLite error 1: m - while executing `\(exact)`")
        #expect(multiline.sql == "SELECT *\nFROM t", "the whole text is kept")
    }
}
