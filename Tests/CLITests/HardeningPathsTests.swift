import Foundation
import Persistence
import Registry
import Testing

// "Nothing lost, nothing let through": an interrupted init, the paths and arguments commands take, ids that are
// never given twice, and constraint failures said as rules. Every expectation is read back with Python's sqlite3.

/// What a file holds, read with Python's sqlite3: "absent", "not a registry" (no table but perhaps
/// schema_migrations, user_version 0: what init completes), or every row of every table (schema_migrations
/// without its dates), to compare with a registry made in one go.
func registryState(_ path: String) throws -> String {
    try python("""
        import os, sqlite3, sys
        p = sys.argv[1]
        if not os.path.exists(p):
            print("absent"); sys.exit()
        # Read-write, as any SQLite connection opens it: a killed writer's hot journal is rolled back first
        # (a read-only connection cannot, and fails with "attempt to write a readonly database").
        con = sqlite3.connect(p)
        tables = [n for (n,) in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
        if set(tables) <= {"schema_migrations"} and con.execute("PRAGMA user_version").fetchone()[0] == 0:
            print("not a registry"); sys.exit()
        print("user_version", con.execute("PRAGMA user_version").fetchone()[0])
        for name in tables:
            print("==", name)
            sql = "SELECT version, name, checksum FROM schema_migrations" if name == "schema_migrations" else 'SELECT * FROM "%s"' % name
            for row in con.execute(sql + " ORDER BY 1"):
                print(repr(row))
        """, [path])
}

/// `sqlite_schema` as Python reads it: type, name, table and text of every object but SQLite's own sequence table.
func schemaObjects(_ path: String) throws -> [String: String] {
    let text = try python("""
        import json, sqlite3, sys
        con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
        rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name <> 'sqlite_sequence'")
        print(json.dumps({"%s %s %s" % (t, n, tb): s for (t, n, tb, s) in rows}))
        """, [path])
    return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] ?? [:]
}

extension Workspace {
    /// Runs the binary as a user whom file permissions bind: nobody when the tests run as root, who writes anywhere.
    func runUnprivileged(_ arguments: [String]) throws -> CLIResult {
        guard geteuid() == 0 else { return try run(arguments) }
        let quoted = (arguments + ["--db", db]).map { "'" + $0.replacing("'", with: "'\\''") + "'" }.joined(separator: " ")
        return try shell("\(ReliabilityHostileDatabases.nobody) \"$FT\" \(quoted)")
    }
}

@Suite struct HardeningInit {
    /// A registry made by one uninterrupted init, as Python reads it.
    static func reference() throws -> String {
        let ws = try Workspace()
        try ws.initialise()
        return try registryState(ws.db)
    }

    /// After an interrupted init, the file is absent, not yet a registry, or the whole registry; a second init
    /// makes it the whole registry, which `check` passes.
    static func expectNothingOrWhole(_ ws: Workspace, reference: String, after: String) throws {
        let state = try registryState(ws.db)
        #expect(state == "absent\n" || state == "not a registry\n" || state == reference,
                "\(after): a partial registry: \(state.prefix(300))")
        let again = try ws.run(["init"])
        #expect(again.status == 0, "\(after): init again: \(again.stderr)")
        #expect(try registryState(ws.db) == reference, "\(after): init again did not complete the registry")
        try ws.ok(["check"])
    }

    /// The kill falls at the same point on every run: bash's `ulimit -f` (KiB) lets init write its files up to
    /// that size, and the kernel kills it (SIGXFSZ, not caught) on the first write beyond. From 8 KiB to 968 KiB, a
    /// new registry's journal grows through the schema and the seeds: on a binary that committed them apart, the
    /// kills from about 400 KiB on left a registry of schema version 1 to 4 without a single accelerator.
    @Test func initKilledAtEveryFileSizeLeavesNothingOrTheWholeRegistry() throws {
        let reference = try Self.reference()
        for kib in stride(from: 8, through: 968, by: 40) {
            let ws = try Workspace()
            _ = try ws.shell("ulimit -c 0; ulimit -f \(kib); exec \"$FT\" init --db \"$DB\"")
            try Self.expectNothingOrWhole(ws, reference: reference, after: "killed at \(kib) KiB")
        }
    }

    /// kill -9 at six seeded moments spread over the time one init takes.
    @Test func initKilledAtRandomMomentsLeavesNothingOrTheWholeRegistry() throws {
        let reference = try Self.reference()
        let timing = try Workspace()
        let started = Date()
        try timing.initialise()
        let duration = Date().timeIntervalSince(started)
        var state: UInt64 = 2014
        for moment in 0..<6 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let fraction = 0.1 + 0.9 * Double(state >> 11) / Double(1 << 53)
            let ws = try Workspace()
            let process = try ws.start(["init"])
            usleep(useconds_t(duration * fraction * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try Self.expectNothingOrWhole(ws, reference: reference, after: "kill -9 \(moment) at \(Int(fraction * 100)) % of \(Int(duration * 1000)) ms")
        }
    }
}

@Suite struct HardeningPaths {
    /// Names of the files in the workspace's folder.
    func files(_ ws: Workspace) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: ws.folder.path).sorted()
    }

    @Test func anEmptyPathIsRefused() throws {
        let ws = try Workspace()
        let empty = try ws.run(["init", "--db", ""], useDB: false)
        #expect(empty.status == 64 && isOneErrorLine(empty.stderr), "\(empty.stderr)")
        #expect(empty.stderr.contains("--db is empty"))
        let env = try ws.run(["init"], environment: ["FRENCHTECH_DB": ""], useDB: false)
        #expect(env.status == 64 && isOneErrorLine(env.stderr), "\(env.stderr)")
        #expect(try files(ws).isEmpty, "nothing created, not even the default frenchtech.sqlite")
    }

    /// ":memory:" and "file:…" are SQLite's names for an in-memory database and a URI; from --db they are files.
    @Test(arguments: [":memory:", "file:reg.sqlite", ":x"])
    func specialNamesAreFiles(name: String) throws {
        let ws = try Workspace()
        let made = try ws.run(["init", "--db", name], useDB: false)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try files(ws).filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") } == [name])
        #expect(try pythonScalar(ws.path(name), "SELECT count(*) FROM accelerators") == "8")
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "NFC", "--db", name])
        #expect(try pythonScalar(ws.path(name), "SELECT name FROM startups") == "Calanques Pay")
        let env = try ws.run(["startup", "list", "--format", "csv"], environment: ["FRENCHTECH_DB": name], useDB: false)
        #expect(env.status == 0 && env.stdout.contains("Calanques Pay"), "\(env.stderr)")
    }

    /// Every value of these options starts with a dash: each reaches the rules (exit 65, the rule's message) or is
    /// taken as it is, instead of "Missing value" (exit 64).
    @Test func dashLedValuesAreValues() throws {
        let ws = try Workspace()
        try ws.initialise()
        let before = try ws.snapshot()
        for (option, word) in [("--employees", "employees"), ("--founded", "founded"), ("--revenue", "revenue"), ("--siren", "SIREN")] {
            let result = try ws.run(["startup", "add", "--name", "Minus", "--sector", "NFC", option, "-1"])
            #expect(result.status == 65 && isOneErrorLine(result.stderr), "\(option): \(result.stderr)")
            #expect(result.stderr.contains(word) && result.stderr.contains("'-1'"), "\(option): \(result.stderr)")
        }
        let territory = try ws.run(["territory", "set", "PACA", "--digital-jobs", "-5"])
        #expect(territory.status == 65 && isOneErrorLine(territory.stderr), "\(territory.stderr)")
        #expect(try ws.snapshot() == before, "refused values changed nothing")
        try ws.ok(["startup", "add", "--name", "-X", "--sector", "NFC", "--city", "-Y"])
        #expect(try pythonScalar(ws.db, "SELECT name || '/' || city FROM startups") == "-X/-Y")
        try ws.ok(["accelerator", "add", "Dash", "--pilot", "-pilot"])
        #expect(try pythonScalar(ws.db, "SELECT pilot FROM accelerators WHERE name = 'Dash'") == "-pilot")
        let found = try ws.run(["startup", "list", "--search", "-X", "--format", "csv"])
        #expect(found.status == 0 && found.stdout.contains("-X,"), "\(found.stderr)")
    }
}

/// A registry in a folder that cannot be written: reading works; writing says that the folder is the cause.
@Suite struct HardeningReadOnly {
    enum Case: String, CaseIterable, Sendable { case readOnlyFolder, readOnlyFileAndFolder, readOnlyFile }

    @Test(arguments: Case.allCases)
    func readsWorkAndWritesSayWhy(kind: Case) throws {
        let ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "NFC", "--employees", "12"])
        let expected = try python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            for (id, name, employees) in con.execute("SELECT id, name, employees FROM startups ORDER BY id"):
                print("%d,%s,,,NFC,,,%d,,," % (id, name, employees))
            """, [ws.db])
        let folderMode: Int = kind == .readOnlyFile ? 0o777 : 0o555
        let fileMode: Int = kind == .readOnlyFolder ? 0o666 : 0o444
        try FileManager.default.setAttributes([.posixPermissions: fileMode], ofItemAtPath: ws.db)
        try FileManager.default.setAttributes([.posixPermissions: folderMode], ofItemAtPath: ws.folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ws.folder.path) }
        let before = try fileState(ws.db)

        let list = try ws.runUnprivileged(["startup", "list", "--format", "csv"])
        #expect(list.status == 0, "\(kind): \(list.stderr)")
        // CSV lines end in CRLF (RFC 4180).
        #expect(list.stdout.replacing("\r\n", with: "\n").split(separator: "\n").dropFirst().joined(separator: "\n") + "\n" == expected)
        let query = try ws.runUnprivileged(["sql", "SELECT count(*) FROM accelerators", "--format", "csv"])
        #expect(query.status == 0 && query.stdout.hasSuffix("\r\n8\r\n"), "\(kind): \(query.stderr)")
        let check = try ws.runUnprivileged(["check"])
        #expect(check.status == 0, "\(kind): \(check.stderr)")

        let add = try ws.runUnprivileged(["startup", "add", "--name", "Refused", "--sector", "NFC"])
        #expect(add.status == 1 && isOneErrorLine(add.stderr), "\(kind): \(add.stderr)")
        switch kind {
        case .readOnlyFolder:
            #expect(add.stderr.contains("its folder") && add.stderr.contains("is read-only;") && add.stderr.contains("-shm")
                    && add.stderr.contains("chmod u+w \(ws.folder.path)") && !add.stderr.contains("so is the file"), "\(add.stderr)")
        case .readOnlyFileAndFolder:
            #expect(add.stderr.contains("its folder") && add.stderr.contains("and so is the file"), "\(add.stderr)")
        case .readOnlyFile:
            #expect(add.stderr.contains("is read-only; make it writable (chmod u+w)"), "\(add.stderr)")
        }
        #expect(try fileState(ws.db) == before, "\(kind): the file changed or something was left beside it")
    }
}

@Suite struct HardeningIDs {
    /// The largest id of `table`, as Python reads it.
    func maxID(_ ws: Workspace, _ table: String) throws -> Int {
        Int(try pythonScalar(ws.db, "SELECT max(id) FROM \(table)")) ?? -1
    }

    /// The highest id of each table is removed, then a row added: its id is greater than the removed one.
    @Test func aRemovedIdIsNeverGivenAgain() throws {
        let ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC"])
        try ws.ok(["startup", "add", "--name", "Beta", "--sector", "NFC"])
        let removals: [(table: String, add: [String], remove: [String], again: [String])] = [
            ("startups", [], ["startup", "remove", "Beta"], ["startup", "add", "--name", "Gamma", "--sector", "NFC"]),
            ("accelerators", ["accelerator", "add", "Ninth"], ["accelerator", "remove", "Ninth"], ["accelerator", "add", "Tenth"]),
            ("partners", ["partner", "add", "Région Sud", "--kind", "region"], ["partner", "remove", "Région Sud"],
             ["partner", "add", "Département 13", "--kind", "other"]),
            ("sectors", ["sector", "add", "robotics"], ["sector", "remove", "robotics"], ["sector", "add", "space"]),
        ]
        for step in removals {
            if !step.add.isEmpty { try ws.ok(step.add) }
            let removed = try maxID(ws, step.table)
            try ws.ok(step.remove)
            try ws.ok(step.again)
            #expect(try maxID(ws, step.table) > removed, "\(step.table): the id \(removed) was given again")
        }
        // No command removes a territory; Python does.
        try ws.ok(["territory", "set", "Toulon", "--level", "metropolis", "--parent", "PACA"])
        let toulon = try maxID(ws, "territories")
        try python("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM territories WHERE id = ?', (int(sys.argv[2]),)); c.commit()",
                   [ws.db, String(toulon)])
        try ws.ok(["territory", "set", "Nice", "--level", "metropolis", "--parent", "PACA"])
        #expect(try maxID(ws, "territories") > toulon)
        try ws.ok(["check"])
    }

    /// A registry at schema version 4, as the binaries before migration 0005 made it (the Migrator on 0001-0004,
    /// the seed SQL, rows written by Python with gaps in the ids), is migrated with nothing lost: every row of every
    /// table equal, the schema equal but for AUTOINCREMENT (and equal to a new registry's), sqlite_sequence at each
    /// table's largest id.
    @Test func upgradeFromVersion4KeepsEveryRow() throws {
        let ws = try Workspace()
        do {
            let db = try Database(path: ws.db)
            try Migrator(migrations: Schema.migrations.filter { $0.version <= 4 }).migrate(db)
        }
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "Seeds")
        try python("""
            import csv, sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            con.execute("PRAGMA foreign_keys = ON")
            con.executescript(open(sys.argv[2] + "/0001_french_tech_aix_marseille_2014.sql").read())
            rows = list(csv.reader(open(sys.argv[2] + "/0002_naf_rev2.csv")))[1:]
            con.executemany("INSERT INTO naf_codes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            nfc = con.execute("SELECT id FROM sectors WHERE name = 'NFC'").fetchone()[0]
            for i in range(1, 8):
                con.execute("INSERT INTO startups (id, name, name_key, siren, sector_id, naf_code, city, employees, source) VALUES (?, ?, ?, NULL, ?, '62.01Z', 'Marseille', ?, 'test')",
                            (i, "Firm %d" % i, "firm %d" % i, nfc, i * 3))
            con.execute("INSERT INTO memberships VALUES (2, 4, 2015), (5, 1, NULL), (6, 8, 2016)")
            con.execute("DELETE FROM startups WHERE id IN (3, 7)")
            con.execute("INSERT INTO sectors (name, source) VALUES ('robotics', 'test')")
            con.execute("INSERT INTO partners (name, kind, source) VALUES ('Région Sud', 'region', 'test')")
            con.commit()
            """, [ws.db, seeds.path])
        let rowsBefore = try registryState(ws.db)
        let schemaBefore = try schemaObjects(ws.db)
        #expect(try pythonScalar(ws.db, "PRAGMA user_version") == "4")

        let list = try ws.run(["startup", "list", "--format", "csv"])
        #expect(list.status == 0 && list.stderr.contains("applied 0005_"), "\(list.stderr)")
        #expect(try pythonScalar(ws.db, "PRAGMA user_version") == "\(Schema.migrations.count)")
        let rowsAfter = try registryState(ws.db)
        // Equal but for the rows of the migrations since 0004 and SQLite's sequence table (0006 rewrites only
        // the old seed text, which this seed no longer has).
        let dropped = rowsAfter.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !Schema.migrations.filter { $0.version > 4 }.contains { line.hasPrefix("(\($0.version), '\($0.name)'") }
        }
        // The tables made since 0004 (0007's geography and NAF sets, filled from the seeds) are compared with a new
        // registry's below; here only the tables version 4 had.
        let tablesBefore = Set(rowsBefore.split(separator: "\n").filter { $0.hasPrefix("== ") })
        var lines: [Substring] = []
        var skipped = false
        for line in dropped {
            if line.hasPrefix("== ") { skipped = line == "== sqlite_sequence" || !tablesBefore.contains(line) }
            if !skipped { lines.append(line) }
        }
        #expect(lines.filter { !$0.isEmpty }.joined(separator: "\n").replacing("user_version \(Schema.migrations.count)", with: "user_version 4")
                == rowsBefore.split(separator: "\n").joined(separator: "\n"))

        let schemaAfter = try schemaObjects(ws.db)
        #expect(Set(schemaBefore.keys).isSubset(of: schemaAfter.keys), "nothing of version 4's schema is lost")
        let added = Set(schemaAfter.keys).subtracting(schemaBefore.keys)
        let laterSQL = Schema.migrations.filter { $0.version > 4 }.map(\.sql).joined(separator: "\n")
        for key in added {
            let name = key.split(separator: " ")[1]
            #expect(laterSQL.contains(" \(name) ") || laterSQL.contains(" \(name)("), "\(key) comes from a later migration")
        }
        let rebuilt = ["sectors", "accelerators", "partners", "startups", "territories"]
        for (key, sql) in schemaBefore {
            let expected = rebuilt.contains(where: { key == "table \($0) \($0)" })
                ? sql.replacing("INTEGER PRIMARY KEY,", with: "INTEGER PRIMARY KEY AUTOINCREMENT,") : sql
            #expect(schemaAfter[key] == expected, "\(key) changed")
        }
        let fresh = try Workspace()
        try fresh.initialise()
        #expect(try schemaObjects(fresh.db) == schemaAfter, "an upgraded registry and a new one have the same schema")

        let sequence = try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for t in ["sectors", "accelerators", "partners", "startups", "territories"]:
                seq = con.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (t,)).fetchone()
                print(t, seq[0] if seq else None, con.execute("SELECT max(id) FROM " + t).fetchone()[0])
            """, [ws.db])
        for line in sequence.split(separator: "\n") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 3 && parts[1] == parts[2], "sqlite_sequence: \(line)")
        }
        try ws.ok(["check"])
        try ws.ok(["startup", "remove", "6"])
        try ws.ok(["startup", "add", "--name", "After", "--sector", "NFC"])
        #expect(try pythonScalar(ws.db, "SELECT id FROM startups WHERE name = 'After'") == "7",
                "the removed 6 is not given again (7, removed before the upgrade, could not be known)")
    }

    /// A row stored before the rules caught up with the schema (an import, which leaves CHECKs to the rules, took a
    /// name of 150 `e` + U+0301: 300 code points for SQLite) does not make the upgrade, and so every command, fail:
    /// it is carried over as it is and `check` reports it.
    @Test func upgradeCarriesARowThatBreaksACheck() throws {
        let ws = try Workspace()
        do {
            let db = try Database(path: ws.db)
            try Migrator(migrations: Schema.migrations.filter { $0.version <= 4 }).migrate(db)
        }
        let name = String(repeating: "e\u{301}", count: 150)
        try python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            con.execute("INSERT INTO sectors (id, name, source) VALUES (1, 'NFC', 'test')")
            con.execute("PRAGMA ignore_check_constraints = 1")
            con.execute("INSERT INTO startups (id, name, name_key, sector_id, source) VALUES (1, ?, 'e', 1, 'test')", (sys.argv[2],))
            con.commit()
            """, [ws.db, name])
        let list = try ws.run(["startup", "list", "--format", "csv"])
        #expect(list.status == 0 && list.stderr.contains("applied 0005_"), "\(list.stderr)")
        #expect(try pythonScalar(ws.db, "PRAGMA user_version") == "\(Schema.migrations.count)")
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM startups WHERE id = 1 AND name = '\(name)'") == "1")
        let check = try ws.run(["check"])
        #expect(check.status == 1 && check.stdout.contains("FAILED"), "\(check.stdout)")
        // The rebuilt table keeps its CHECKs: another tool breaking one now is refused by SQLite itself.
        let direct = try python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            try:
                con.execute("UPDATE sectors SET name = '' WHERE id = 1"); con.commit(); print("stored")
            except sqlite3.IntegrityError as e:
                print("refused")
            """, [ws.db])
        #expect(direct.hasPrefix("refused"))
    }

    /// An import large enough to drop and rebuild the indexes, after the highest id was removed: its rows get ids
    /// above the removed one, and a repeated name is still reported by line.
    @Test func aBulkImportAfterARemovalNumbersItsLines() throws {
        let ws = try Workspace()
        try ws.initialise()
        for name in ["Alpha", "Beta", "Gamma"] { try ws.ok(["startup", "add", "--name", name, "--sector", "NFC"]) }
        try ws.ok(["startup", "remove", "Gamma"])
        let removed = 3
        var csv = "name,sector\n"
        for i in 1...1200 { csv += "Firm \(String(format: "%04d", i)),NFC\n" }
        try Data((csv + "Firm 0005,NFC\n").utf8).write(to: URL(fileURLWithPath: ws.path("dup.csv")))
        try Data(csv.utf8).write(to: URL(fileURLWithPath: ws.path("firms.csv")))
        let before = try ws.snapshot()
        let refused = try ws.run(["import", "startups", "dup.csv"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("line 1202: the name 'Firm 0005' is also on line 6 of the file"), "\(refused.stderr)")
        #expect(try ws.snapshot() == before)
        try ws.ok(["import", "startups", "firms.csv"])
        #expect(try pythonScalar(ws.db, "SELECT min(id) || '-' || max(id) FROM startups WHERE name LIKE 'Firm %'")
                == "\(removed + 1)-\(removed + 1200)")
        #expect(try pythonScalar(ws.db, "SELECT id FROM startups WHERE name = 'Firm 0001'") == "\(removed + 1)")
        try ws.ok(["check"])
    }
}

/// Values the rules let through but the schema's CHECKs refused came out as "SQLite error 275 … while executing
/// `INSERT …`". A name of 150 "é" typed as e + U+0301 is 150 characters on screen and 300 for SQLite's length().
@Suite struct HardeningConstraints {
    static let decomposed = String(repeating: "e\u{301}", count: 150)

    @Test(arguments: [
        ["startup", "add", "--name", decomposed, "--sector", "NFC"],
        ["startup", "update", "Alpha", "--name", decomposed],
        ["sector", "add", decomposed],
        ["accelerator", "add", decomposed],
        ["accelerator", "update", "Kedge", "--name", decomposed],
        ["partner", "add", decomposed, "--kind", "city"],
        ["partner", "update", "Ville de Marseille", "--name", decomposed],
    ])
    func aNameTooLongForSQLiteIsARule(arguments: [String]) throws {
        let ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC"])
        let before = try ws.snapshot()
        let result = try ws.run(arguments)
        #expect(result.status == 65 && isOneErrorLine(result.stderr), "\(result.stderr)")
        #expect(!result.stderr.contains("SQLite error"), "\(result.stderr)")
        #expect(try ws.snapshot() == before)
    }

    @Test func anImportedNameTooLongForSQLiteIsARule() throws {
        let ws = try Workspace()
        try ws.initialise()
        try Data("name,sector\nAlpha,NFC\n\(Self.decomposed),NFC\n".utf8).write(to: URL(fileURLWithPath: ws.path("long.csv")))
        let before = try ws.snapshot()
        let result = try ws.run(["import", "startups", "long.csv"])
        #expect(result.status == 65 && result.stderr.contains("line 3") && !result.stderr.contains("SQLite error"), "\(result.stderr)")
        #expect(try ws.snapshot() == before)
    }
}

extension HardeningConstraints {
    /// `sector remove` counts a sector's firms from the statistics' totals; when other tools have made them wrong,
    /// SQLite's ON DELETE RESTRICT refuses the removal, said as a rule, not as SQL.
    @Test func aConstraintTheRulesMissedIsStillSaidAsARule() throws {
        let ws = try Workspace()
        try ws.initialise()
        try ws.ok(["sector", "add", "robotics"])
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "robotics"])
        try python("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE sector_totals SET firms = 0 WHERE sector_id = (SELECT id FROM sectors WHERE name = 'robotics')\"); c.commit()",
                   [ws.db])
        let before = try ws.snapshot()
        let result = try ws.run(["sector", "remove", "robotics"])
        #expect(result.status == 65 && isOneErrorLine(result.stderr), "\(result.stderr)")
        #expect(result.stderr.contains("FOREIGN KEY constraint failed") && !result.stderr.contains("while executing"), "\(result.stderr)")
        #expect(try ws.snapshot() == before)
    }
}
