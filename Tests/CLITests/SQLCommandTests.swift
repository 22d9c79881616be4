import Foundation
import Testing

@Suite struct SQLQueries {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
        try fillRegistry(ws)
    }

    func files() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: ws.folder.path)).subtracting([
            "registry.sqlite-wal", "registry.sqlite-shm"])
    }

    /// Every kind of statement that could change something, each refused with 65 and the file left as it was.
    @Test func everyRefusedKindLeavesTheFileUntouched() throws {
        let refused = [
            "INSERT INTO sectors (name, source) VALUES ('x', 'y')",
            "REPLACE INTO sectors (name, source) VALUES ('x', 'y')",
            "UPDATE startups SET employees = employees + 1",
            "DELETE FROM startups",
            "WITH doomed AS (SELECT id FROM startups) DELETE FROM startups WHERE id IN doomed",
            "CREATE TABLE t (x)", "CREATE TEMP TABLE t (x)", "CREATE INDEX i ON startups(founded)",
            "CREATE VIEW v AS SELECT 1", "CREATE TRIGGER tr AFTER INSERT ON sectors BEGIN SELECT 1; END",
            "DROP TABLE memberships", "DROP INDEX startups_by_city", "ALTER TABLE startups ADD COLUMN x",
            "ALTER TABLE startups RENAME TO firms",
            "ATTACH 'other.sqlite' AS other", "ATTACH ':memory:' AS other", "DETACH main",
            "PRAGMA user_version = 99", "PRAGMA journal_mode = DELETE", "PRAGMA foreign_keys = OFF",
            "PRAGMA writable_schema = ON", "PRAGMA main.application_id = 7", "PRAGMA optimize",
            "PRAGMA wal_checkpoint(TRUNCATE)",
            "SELECT 1; SELECT 2", "SELECT 1; DELETE FROM startups",
            "VACUUM", "VACUUM INTO 'copy.sqlite'", "REINDEX", "ANALYZE",
            "BEGIN", "SAVEPOINT s", "SELECT load_extension('libevil')",
        ]
        let before = try ws.snapshot()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ws.db))
        let folder = try files()
        for sql in refused {
            let result = try ws.run(["sql", sql])
            #expect(result.status == 65, "\(sql): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(sql)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(sql): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: ws.db)) == bytes, "\(sql) changed the file")
            #expect(try files() == folder, "\(sql) created a file")
        }
        #expect(try ws.snapshot() == before)
    }

    @Test func jsonKeepsSQLiteTypesAndColumnNames() throws {
        let sql = "SELECT name, employees, revenue_eur / 3.0 AS third, city, x'00ff10' AS bytes FROM startups ORDER BY id"
        let mine = try #require(try ws.json(["sql", sql]) as? [[String: Any]])
        let want = try #require(try pythonJSON("""
            import base64
            cur = con.execute(\(String(reflecting: sql)))
            names = [d[0] for d in cur.description]
            print(json.dumps([{k: (base64.b64encode(v).decode() if isinstance(v, bytes) else v) for k, v in zip(names, row)} for row in cur]))
            """, ws.db) as? [[String: Any]])
        #expect(mine.count == want.count && mine.count == 18)
        for (row, expected) in zip(mine, want) {
            #expect(Set(row.keys) == ["name", "employees", "third", "city", "bytes"])
            for key in expected.keys {
                #expect("\(row[key]!)" == "\(expected[key]!)", "\(key)")
                // JSON types follow SQLite's: integers stay integers, reals reals, NULL null.
                #expect(type(of: row[key]!) == type(of: expected[key]!), "\(key)")
            }
        }
        let csv = try ws.ok(["sql", "SELECT 1 AS one, NULL AS none, 'a,b' AS text", "--format", "csv"])
        #expect(csv == "one,none,text\r\n1,,\"a,b\"\r\n")
    }

    @Test func parametersBindInOrderWithTheirTypes() throws {
        let types = try #require(try ws.json(["sql", "SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c, typeof(?) AS d",
                                             "--param", "10", "--param", "2.5", "--param", "012345678", "--param", "Marseille"])
                                 as? [[String: Any]])
        #expect(types.first?.values.count == 4)
        #expect(types.first?["a"] as? String == "integer" && types.first?["b"] as? String == "real")
        #expect(types.first?["c"] as? String == "text" && types.first?["d"] as? String == "text")
        let big = try #require(try ws.json(["sql", "SELECT name FROM startups WHERE employees > ? AND city = ? ORDER BY name",
                                           "--param", "40", "--param", "Marseille"]) as? [[String: Any]])
        let want = try #require(try pythonJSON("""
            print(json.dumps([{"name": n} for (n,) in con.execute("SELECT name FROM startups WHERE employees > 40 AND city = 'Marseille' ORDER BY name")]))
            """, ws.db) as? [[String: Any]])
        #expect(big.compactMap { $0["name"] as? String } == want.compactMap { $0["name"] as? String })
        #expect(!big.isEmpty)
        let missing = try ws.run(["sql", "SELECT ?"])
        #expect(missing.status == 65 && missing.stderr.contains("--param"))
    }

    @Test func missingRegistryIsNotCreated() throws {
        let result = try ws.run(["sql", "SELECT 1", "--db", ws.folder.appending(path: "nowhere.sqlite").path])
        #expect(result.status == 66)
        #expect(!FileManager.default.fileExists(atPath: ws.folder.appending(path: "nowhere.sqlite").path))
    }
}
