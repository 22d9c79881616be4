import Foundation
import Registry
import Testing

// The reliability guarantees that need `frenchtech import startups` (issue 5) and `frenchtech sql` (issue 4),
// written against their documented interface before those commands were merged, and enabled with the merge.

/// Writes a CSV of `rows` synthetic startups (Luhn-valid SIRENs from `firstNumber`, three seeded sectors) with
/// Python, independently of the code under test.
func writeSyntheticCSV(_ path: String, rows: Int, firstNumber: Int = 0) throws {
    try python("""
        import csv, sys
        path, rows, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        def siren(n):
            base = "%08d" % (70000000 + n)
            for d in range(10):
                total = 0
                for i, c in enumerate(reversed(base + str(d))):
                    x = int(c) * (2 if i % 2 else 1)
                    total += x - 9 if x > 9 else x
                if total % 10 == 0:
                    return base + str(d)
        sectors = ["NFC", "big data", "e-commerce"]
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["name", "sector", "siren", "siret", "naf_code", "city", "employees", "founded", "revenue_eur", "accelerators"])
            for n in range(first, first + rows):
                w.writerow(["Synthetic firm %07d" % n, sectors[n % 3], siren(n), "", "", "Marseille", n % 500, 1990 + n % 30, "", ""])
        """, [path, String(rows), String(firstNumber)])
}

/// The startups' names, sorted, hashed by Python: equal hashes, equal sets of rows.
func startupsFingerprint(_ db: String) throws -> String {
    try python("""
        import hashlib, sqlite3, sys
        con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
        h = hashlib.sha256()
        n = 0
        for row in con.execute("SELECT name, siren, employees, founded FROM startups ORDER BY name"):
            h.update(repr(row).encode())
            n += 1
        print(n, h.hexdigest())
        """, [db]).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// kill -9 during a 200,000-row import, and readers during one.
@Suite
struct ReliabilityImportCrashes {
    let ws: Workspace
    let big: String
    init() throws {
        ws = try Workspace()
        try ws.initialise()
        let small = ws.path("small.csv")
        try writeSyntheticCSV(small, rows: 1_000, firstNumber: 900_000)
        try ws.ok(["import", "startups", small])
        big = ws.path("big.csv")
        try writeSyntheticCSV(big, rows: 200_000)
    }

    /// The time one whole import takes here, and the fingerprint of the registry after it.
    func fullImport() throws -> (seconds: Double, after: String) {
        let copy = ws.path("full.sqlite")
        try FileManager.default.copyItem(atPath: ws.db, toPath: copy)
        let started = Date()
        let result = try ws.run(["import", "startups", big, "--db", copy])
        #expect(result.status == 0, "\(result.stderr)")
        return (Date().timeIntervalSince(started), try startupsFingerprint(copy))
    }

    @Test func killedImportLeavesAllOrNothing() throws {
        let before = try startupsFingerprint(ws.db)
        let (seconds, after) = try fullImport()
        #expect(before.hasPrefix("1000 ") && after.hasPrefix("201000 "))
        var interruptedWhileWriting = 0
        // Seeded: the same "random" moments on every run, so that a failure can be replayed.
        var generator = SplitMix64(seed: 6)
        let fractions = (0..<5).map { _ in Double.random(in: 0.15...0.95, using: &generator) }
        for (index, fraction) in fractions.enumerated() {
            let db = ws.path("killed-\(index).sqlite")
            try FileManager.default.copyItem(atPath: ws.db, toPath: db)
            let process = try launch(Workspace.binary, ["import", "startups", big, "--db", db], stdin: FileHandle.standardInput)
            usleep(useconds_t(seconds * fraction * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let wal = (try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size] as? Int) ?? 0
            if wal > 0 { interruptedWhileWriting += 1 }
            // Opening recovers; the check must pass and the rows be one state or the other.
            let check = try ws.run(["check", "--db", db])
            #expect(check.status == 0, "after kill at \(Int(fraction * 100)) %: \(check.stdout)\(check.stderr)")
            let state = try startupsFingerprint(db)
            #expect(state == before || state == after, "kill at \(Int(fraction * 100)) % left \(state.prefix(12))…")
        }
        #expect(interruptedWhileWriting > 0, "no kill landed while the import was writing: the test proved nothing")
    }

    @Test func readersDuringAnImportSeeTheStateBeforeIt() throws {
        let before = try startupsFingerprint(ws.db)
        let listBefore = try ws.ok(["startup", "list", "--format", "csv"])
        let importer = try ws.start(["import", "startups", big])
        // Wait until the import has written pages to the WAL: it is in the middle of its transaction.
        let deadline = Date().addingTimeInterval(60)
        while importer.isRunning && Date() < deadline {
            let wal = (try? FileManager.default.attributesOfItem(atPath: ws.db + "-wal")[.size] as? Int) ?? 0
            if wal > 1 << 20 { break }
            usleep(10_000)
        }
        #expect(importer.isRunning, "the import ended before a reader could look: use a larger file")
        let list = try ws.run(["startup", "list", "--format", "csv"])
        let count = try ws.run(["sql", "SELECT count(*) AS n FROM startups", "--format", "csv"])
        let stillRunning = importer.isRunning
        #expect(list.status == 0 && list.stdout == listBefore)
        #expect(count.status == 0 && count.stdout.split(whereSeparator: \.isNewline).last == "1000", "\(count.stdout)\(count.stderr)")
        #expect(try startupsFingerprint(ws.db) == before)
        #expect(stillRunning, "the readers waited for the import to end")
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)
        #expect(try startupsFingerprint(ws.db).hasPrefix("201000 "))
    }
}

/// Bad input to `import` and `sql`: each gives its exit code, the rows unchanged. With the 52 cases of
/// ReliabilityHostileInput (startup add and friends) the table of 40 or more is passed three times over.
@Suite
struct ReliabilityHostileImportAndSQL {
    static let header = "name,sector,siren,siret,naf_code,city,employees,founded,revenue_eur,accelerators\n"
    static func row(_ name: String = "Newco", sector: String = "NFC", siren: String = "", employees: String = "") -> String {
        "\(name),\(sector),\(siren),,,Marseille,\(employees),,,\n"
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        let label: String
        let bytes: [UInt8]
        let extra: [String]
        let status: Int32
        var testDescription: String { label }
        init(_ label: String, _ text: String, _ extra: [String] = [], _ status: Int32 = 65) {
            self.init(label, Array(text.utf8), extra, status)
        }
        init(_ label: String, _ bytes: [UInt8], _ extra: [String] = [], _ status: Int32 = 65) {
            self.label = label
            self.bytes = bytes
            self.extra = extra
            self.status = status
        }
    }

    static let files: [BadFile] = [
        BadFile("empty file", ""),
        BadFile("header only", header, [], 0),
        BadFile("dry run of a good row", header + row(), ["--dry-run"], 0),
        BadFile("a row with too few columns", header + "Newco,NFC\n"),
        BadFile("a row with too many columns", header + row().dropLast() + ",extra\n"),
        BadFile("unterminated quote", header + "\"Newco,NFC,,,,Marseille,,,,\n"),
        BadFile("text after a closing quote", header + "\"Newco\"x,NFC,,,,,,,,\n"),
        BadFile("quote inside an unquoted field", header + "New\"co,NFC,,,,,,,,\n"),
        BadFile("NUL byte in a name", Array((header + "New").utf8) + [0] + Array(("co,NFC,,,,,,,,\n").utf8)),
        // Read as UTF-8 (given): by default such a file is read as Windows-1252 (EncodingCLITests).
        BadFile("invalid UTF-8 in a name", Array(header.utf8) + [0x4E, 0xE9, 0x6F] + Array(",NFC,,,,,,,,\n".utf8), ["--encoding", "utf-8"]),
        BadFile("Latin-1 file", Array(header.utf8) + [0x53, 0x6F, 0x63, 0x69, 0xE9, 0x74, 0xE9] + Array(",NFC,,,,,,,,\n".utf8), ["--encoding", "utf-8"]),
        BadFile("BOM in the middle of the file", header + row("One") + "\u{FEFF}" + row("Two")),
        BadFile("1 MB name", header + row(String(repeating: "x", count: 1 << 20))),
        BadFile("1 MB quoted field with line breaks", header + "\"" + String(repeating: "a\n", count: 1 << 19) + "\",NFC,,,,,,,,\n"),
        BadFile("10,000-character name", header + row(String(repeating: "é", count: 10_000))),
        BadFile("employees past Int64", header + row(employees: "99999999999999999999")),
        BadFile("negative employees", header + row(employees: "-5")),
        BadFile("fractional employees", header + row(employees: "2.5")),
        BadFile("injection in the sector column", header + row(sector: "x' OR '1'='1")),
        BadFile("a SIREN twice in the file", header + row("One", siren: "732829320") + row("Two", siren: "732829320")),
        BadFile("a name already registered", header + row("existing")),
        BadFile("a good row then a bad one: nothing imported", header + row("Good") + row("Bad", employees: "x")),
        BadFile("unknown column", "name,sector,colour\nNewco,NFC,blue\n"),
        BadFile("no name column", "sector,city\nNFC,Marseille\n"),
        BadFile("semicolons read with --delimiter ,", header.replacing(",", with: ";") + row().replacing(",", with: ";"), ["--delimiter", ","]),
        BadFile("binary bytes", (0..<4096).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }, ["--encoding", "utf-8"]),
    ]

    struct BadQuery: Sendable, CustomTestStringConvertible {
        let sql: String
        let params: [String]
        let status: Int32
        var testDescription: String { sql }
        init(_ sql: String, _ params: [String] = [], _ status: Int32 = 65) {
            self.sql = sql
            self.params = params
            self.status = status
        }
    }

    static let queries: [BadQuery] = [
        BadQuery("DROP TABLE startups"),
        BadQuery("DELETE FROM startups"),
        BadQuery("UPDATE startups SET employees = 0"),
        BadQuery("INSERT INTO sectors (name, source) VALUES ('x', 'y')"),
        BadQuery("REPLACE INTO sectors (name, source) VALUES ('x', 'y')"),
        BadQuery("WITH doomed AS (SELECT id FROM startups) DELETE FROM startups WHERE id IN doomed"),
        BadQuery("SELECT 1; DROP TABLE startups"),
        BadQuery("SELECT * FROM startups; DELETE FROM startups"),
        BadQuery("PRAGMA user_version = 5"),
        BadQuery("PRAGMA journal_mode = DELETE"),
        BadQuery("ATTACH DATABASE 'attached.sqlite' AS other"),
        BadQuery("VACUUM INTO 'copy.sqlite'"),
        BadQuery("CREATE TEMP TABLE t (x)"),
        BadQuery("BEGIN IMMEDIATE"),
        BadQuery("SELECT load_extension('/nonexistent/extension')"),
        BadQuery("SELECT 'unterminated"),
        BadQuery("SELECT name FROM startups WHERE name = ?", ["' OR 1=1 --"], 0),
        BadQuery("SELECT ?", ["99999999999999999999"], 0),
    ]

    /// A seeded registry with one startup, "Existing".
    func workspace() throws -> Workspace {
        let ws = try Workspace()
        try FileManager.default.copyItem(atPath: ReliabilityHostileInput.template, toPath: ws.db)
        return ws
    }

    @Test(arguments: files)
    func importIsRefusedWholeAndChangesNoRow(_ file: BadFile) throws {
        let ws = try workspace()
        let csv = ws.path("input.csv")
        try Data(file.bytes).write(to: URL(fileURLWithPath: csv))
        let before = try ws.snapshot()
        let result = try ws.run(["import", "startups", csv] + file.extra)
        #expect(result.status == file.status, "\(file.label): \(result.stderr)")
        if file.status != 0 {
            let lines = result.stderr.split(separator: "\n")
            #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("error: ") }, "\(file.label): \(result.stderr)")
        }
        #expect(try ws.snapshot() == before, "\(file.label) changed a row")
    }

    @Test func importOfAMissingFileOrAFolder() throws {
        let ws = try workspace()
        let before = try ws.snapshot()
        for path in [ws.path("absent.csv"), ws.folder.path] {
            let result = try ws.run(["import", "startups", path])
            #expect(result.status == 66)
            #expect(isOneErrorLine(result.stderr), "\(result.stderr)")
        }
        #expect(try ws.snapshot() == before)
    }

    @Test(arguments: queries)
    func sqlRefusesWhatWritesAndChangesNothing(_ query: BadQuery) throws {
        let ws = try workspace()
        let before = try fileState(ws.db)
        let rows = try ws.snapshot()
        let result = try ws.run(["sql", query.sql, "--format", "csv"] + query.params.flatMap { ["--param", $0] })
        #expect(result.status == query.status, "\(query.sql): \(result.stderr)")
        if query.status != 0 { #expect(isOneErrorLine(result.stderr), "\(result.stderr)") }
        #expect(try ws.snapshot() == rows)
        #expect(try fileState(ws.db) == before, "\(query.sql) changed the file or left one beside it")
        #expect(!FileManager.default.fileExists(atPath: ws.path("attached.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: ws.path("copy.sqlite")))
    }

    @Test func injectionThroughAParameterIsJustText() throws {
        let ws = try workspace()
        let result = try ws.run(["sql", "SELECT name FROM startups WHERE name = ?", "--param", "' OR 1=1 --", "--format", "csv"])
        #expect(result.status == 0)
        #expect(result.stdout.split(whereSeparator: \.isNewline).filter { $0 != "name" }.isEmpty, "no row matches the literal text")
    }
}

