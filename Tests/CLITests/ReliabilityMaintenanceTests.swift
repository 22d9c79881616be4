import Foundation
import Testing

/// `frenchtech backup PATH`: a consistent, complete copy or nothing at PATH.
@Suite struct ReliabilityBackup {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
        for (name, sector) in [("Calanques Pay", "e-commerce"), ("Massilia Data", "big data"), ("Étoile NFC", "NFC")] {
            try ws.ok(["startup", "add", "--name", name, "--sector", sector, "--accelerator", "Jaguar", "--cohort", "2015"])
        }
    }

    @Test func copiesEveryRowIntoAValidRegistry() throws {
        let copy = ws.path("copy.sqlite")
        let result = try ws.run(["backup", copy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "a backup prints no data")
        // Only the registry and the copy: no temporary file, journal or WAL left beside them.
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.folder.path).sorted() == ["copy.sqlite", "registry.sqlite"])
        #expect(try dump(copy) == dump(ws.db))
        #expect(try pythonScalar(copy, "PRAGMA integrity_check") == "ok")
        #expect(try pythonScalar(copy, "PRAGMA journal_mode") == "wal", "the copy keeps the registry's journal mode")
        // The copy is a registry the binary works with.
        try ws.ok(["check", "--db", copy])
        #expect(try ws.ok(["startup", "list", "--db", copy, "--format", "csv"]) == ws.ok(["startup", "list", "--format", "csv"]))
    }

    @Test func refusesAnExistingFileUnlessForced() throws {
        let copy = ws.path("existing.sqlite")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: copy))
        let before = try fileState(copy)
        let refused = try ws.run(["backup", copy])
        #expect(refused.status == 1)
        #expect(isOneErrorLine(refused.stderr) && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try fileState(copy) == before)

        let forced = try ws.run(["backup", copy, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try dump(copy) == dump(ws.db))
    }

    /// A missing folder is no longer refused: it is created (`HardeningFilesTests.missingFoldersAreCreated`).
    @Test func refusesTheRegistryItselfAndAFolder() throws {
        try FileManager.default.createDirectory(atPath: ws.path("folder"), withIntermediateDirectories: false)
        let registry = try fileState(ws.db)
        for target in [ws.db, ws.path("folder")] {
            for force in [false, true] {
                let result = try ws.run(["backup", target] + (force ? ["--force"] : []))
                #expect(result.status == 1, "backup \(target)")
                #expect(isOneErrorLine(result.stderr), "\(result.stderr)")
                #expect(try fileState(ws.db) == registry)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path("folder")).isEmpty)
    }

    /// While Python commits batches of 10 rows, each backup must hold whole batches only: the rows of the first
    /// k commits for some k, never a part of one.
    @Test func isConsistentWhileAnotherProcessWrites() throws {
        let writer = try startSyntheticWriter(ws.db, prefix: "Synthetic ", transactions: 3_000, rowsPerCommit: 10)
        var copies: [String] = []
        while writer.isRunning || copies.count < 3 {
            let copy = ws.path("copy-\(copies.count).sqlite")
            let result = try ws.run(["backup", copy])
            #expect(result.status == 0, "\(result.stderr)")
            copies.append(copy)
            if copies.count >= 8 { break }
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        let total = Int(try pythonScalar(ws.db, "SELECT count(*) FROM startups WHERE source = 'synthetic'")) ?? -1
        #expect(total == 30_000)
        var counts: [Int] = []
        for copy in copies {
            #expect(try pythonScalar(copy, "PRAGMA integrity_check") == "ok")
            let count = Int(try pythonScalar(copy, "SELECT count(*) FROM startups WHERE source = 'synthetic'")) ?? -1
            // Whole commits, and exactly the first ones: the highest number equals the count.
            #expect(count % 10 == 0, "\(copy) holds part of a commit: \(count) synthetic rows")
            let highest = try pythonScalar(copy, "SELECT coalesce(max(CAST(substr(name, 11) AS INTEGER)), 0) FROM startups WHERE source = 'synthetic'")
            #expect(highest == String(count), "\(copy): rows 1...\(highest) but \(count) of them")
            #expect(try pythonScalar(copy, "SELECT count(*) FROM startups WHERE source <> 'synthetic'") == "3")
            counts.append(count)
        }
        #expect(counts == counts.sorted(), "later backups never hold fewer rows")
    }

    /// kill -9 at several moments of a backup of a larger registry (200,000 rows, about 37 MB): PATH is then
    /// absent or a complete copy. The moments are spread over the time one whole backup takes, measured first.
    @Test func killedBackupLeavesNothingHalfWritten() throws {
        let writer = try startSyntheticWriter(ws.db, prefix: "Synthetic ", transactions: 20, rowsPerCommit: 10_000)
        writer.waitUntilExit()
        let original = try dump(ws.db)
        let started = Date()
        try ws.ok(["backup", ws.path("whole.sqlite")])
        let duration = Date().timeIntervalSince(started)
        var interrupted = 0
        for (index, fraction) in [0.3, 0.45, 0.6, 0.75, 0.9].enumerated() {
            let copy = ws.path("killed-\(index).sqlite")
            let process = try ws.start(["backup", copy])
            usleep(useconds_t(duration * fraction * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if FileManager.default.fileExists(atPath: copy) {
                #expect(try dump(copy) == original, "a partial backup at \(copy)")
            } else {
                interrupted += 1
            }
        }
        #expect(interrupted > 0, "no kill landed before the end of a backup: the test proved nothing")
        #expect(try dump(ws.db) == original, "the registry is untouched")
        #expect(try ws.run(["check"]).status == 0)
    }
}

/// `frenchtech check` against Python's own reading of the same file.
@Suite struct ReliabilityCheck {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
        for i in 1...5 { try ws.ok(["startup", "add", "--name", "Firm \(i)", "--sector", "NFC", "--accelerator", "Jaguar"]) }
    }

    enum Damage: String, CaseIterable, Sendable {
        case none, danglingForeignKey, editedMigration, newerUserVersion, newerMigrationRow, headerDisagrees, brokenIndex
    }

    static let damages: [Damage: String] = [
        .none: "",
        .danglingForeignKey: """
            con.execute("PRAGMA foreign_keys = OFF")
            con.execute("INSERT INTO memberships (startup_id, accelerator_id) VALUES (9999, (SELECT min(id) FROM accelerators))")
            """,
        .editedMigration: "con.execute(\"UPDATE schema_migrations SET checksum = '0123456789abcdef' WHERE version = 1\")",
        .newerUserVersion: "con.execute(\"PRAGMA user_version = 99\")",
        .newerMigrationRow: "con.execute(\"INSERT INTO schema_migrations VALUES (99, 'future', 'x', '2099-01-01T00:00:00Z')\")",
        .headerDisagrees: "con.execute(\"DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)\")",
        .brokenIndex: """
            size = con.execute("PRAGMA page_size").fetchone()[0]
            unique_names = "type = 'index' AND tbl_name = 'startups' AND (sql LIKE '%(name_key)%' OR name = 'sqlite_autoindex_startups_1')"
            root = con.execute("SELECT rootpage FROM sqlite_schema WHERE " + unique_names).fetchone()[0]
            con.close()
            with open(db, "r+b") as f:
                f.seek(root * size - 40)
                tail = f.read(40)
                f.seek(root * size - 40)
                f.write(bytes(b ^ 0x20 if 0x41 <= b <= 0x7a else b for b in tail))
            """,
    ]

    /// The four verdicts computed by Python alone: SQLite's two checks, FNV-1a of the files in Migrations/ against
    /// the recorded checksums, and the recorded versions against the highest file number.
    static let pythonVerdicts = """
        import glob, json, os, sqlite3, sys
        db, migrations = sys.argv[1], sys.argv[2]
        def fnv(data):
            h = 0xcbf29ce484222325
            for b in data:
                h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
            return "%016x" % h
        files = {int(os.path.basename(p)[:4]): fnv(open(p, "rb").read()) for p in glob.glob(migrations + "/*.sql")}
        con = sqlite3.connect("file:" + db + "?mode=ro", uri=True)
        integrity = con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        keys = con.execute("PRAGMA foreign_key_check").fetchall() == []
        recorded = dict(con.execute("SELECT version, checksum FROM schema_migrations"))
        checksums = all(files[v] == c for v, c in recorded.items() if v in files)
        header = con.execute("PRAGMA user_version").fetchone()[0]
        highest = max(recorded) if recorded else 0
        version = header == highest and highest <= max(files)
        print(json.dumps([integrity, keys, checksums, version]))
        """

    static let migrationsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Migrations").path

    @Test(arguments: Damage.allCases)
    func reportsWhatPythonFinds(_ damage: Damage) throws {
        if let script = Self.damages[damage], !script.isEmpty {
            try python("import sqlite3, sys\ndb = sys.argv[1]\ncon = sqlite3.connect(db, isolation_level=None)\n" + script, [ws.db])
        }
        let expected = try JSONSerialization.jsonObject(with: Data(python(Self.pythonVerdicts, [ws.db, Self.migrationsFolder]).utf8)) as? [Bool]
        if damage != .none { #expect(expected?.contains(false) == true, "the damage \(damage) should break one check") }
        let before = try fileState(ws.db)
        let result = try ws.run(["check", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
        #expect(rows.map { $0["check"] } == ["integrity", "foreign keys", "migration checksums", "schema version", "rules"])
        // None of these damages breaks a rule of add, update and import: the last row passes.
        #expect(rows.map { $0["result"] == "ok" } == expected.map { $0 + [true] })
        #expect(result.status == (expected?.allSatisfy { $0 } == true ? 0 : 1))
        if result.status != 0 { #expect(isOneErrorLine(result.stderr), "\(result.stderr)") }
        #expect(try fileState(ws.db) == before, "check writes nothing")
    }
}
