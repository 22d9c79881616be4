import Foundation
import Testing


/// The startups of a registry file as Python's sqlite3 reads them, one repr per line, by name: sector, codes,
/// figures and programmes, without ids, timestamps or source.
private func firms(_ db: String) throws -> String {
    try python("""
        import sqlite3, sys
        con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
        for row in con.execute('''
            SELECT s.name, sec.name, s.siren, s.siret, s.naf_code, s.city, s.employees, s.founded, s.revenue_eur,
                   (SELECT group_concat(name, '|') FROM (SELECT a.name FROM memberships m JOIN accelerators a ON a.id = m.accelerator_id
                                                         WHERE m.startup_id = s.id ORDER BY a.name))
            FROM startups s JOIN sectors sec ON sec.id = s.sector_id ORDER BY s.name_key'''):
            print(repr(row))
        """, [db])
}

/// Luhn check digit appended, computed by Python.
private func sirenFrom(_ stem: String) throws -> String {
    try python("""
        import sys
        stem = sys.argv[1]
        total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(int(c) for c in reversed(stem)))
        print(stem + str((10 - total % 10) % 10), end="")
        """, [stem])
}

@Suite struct BulkCLITests {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = ws.folder.appending(path: name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func hostileSpreadsheetLandsAsPythonReadsIt() throws {
        let siren = try sirenFrom("01234567")
        // BOM, semicolons, CRLF, a quoted ; and doubled quotes, empty cells, a code with a leading zero.
        let text = "\u{FEFF}Name;sector;siren;naf_code;city;employees;accelerators\r\n"
            + "\"Le \"\"Lab\"\"; Marseille\";NFC;\(siren);01.11Z;Marseille;;Jaguar|Kedge\r\n"
            + "Étoile;big data;;;\"Aix-en-Provence\";12;\r\n"
        let path = try write("hostile.csv", Array(text.utf8))
        let result = try ws.run(["import", "startups", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("note: imported hostile.csv: 2 rows, 2 inserted, 0 updated in "))
        // Python's csv module reads the same file; empty cells are NULL in the registry.
        let expected = try python("""
            import csv, sys
            with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
                rows = list(csv.DictReader(f, delimiter=";"))
            rows.sort(key=lambda r: r["Name"].lower().replace("é", "e").replace("É", "e"))
            sectors = {"nfc": "NFC", "big data": "big data"}
            for r in rows:
                n = lambda v: v or None
                print(repr((r["Name"], sectors[r["sector"].lower()], n(r["siren"]), None, n(r["naf_code"]), n(r["city"]),
                            int(r["employees"]) if r["employees"] else None, None, None, n("|".join(sorted(r["accelerators"].split("|"), key=str.lower)) if r["accelerators"] else None))))
            """, [path])
        #expect(try firms(ws.db) == expected)
    }

    @Test func oneBadRowChangesNothingAndExits65() throws {
        try ws.ok(["import", "startups", try write("first.csv", Array("name,sector\nAlpha,NFC\n".utf8))])
        let before = try ws.snapshot()
        var bytes = Array("name,sector,employees\nBeta,NFC,3\nGamma,NFC,many\nalpha,NFC,1\nBad ".utf8)
        bytes += [0xC3, 0x28]  // invalid UTF-8
        bytes += Array(",NFC,\n".utf8)
        // Read as UTF-8 (given): by default a file with invalid UTF-8 is read as Windows-1252 (EncodingCLITests).
        let result = try ws.run(["import", "startups", try write("bad.csv", bytes), "--encoding", "utf-8"])
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("error: line 3: invalid employees 'many': "))
        #expect(lines[1].hasPrefix("error: line 4: the name 'alpha' is already registered (Alpha, id 1)"))
        #expect(lines[2].hasPrefix("error: line 5: invalid UTF-8 in field 1"))
        #expect(lines[3] == "error: bad.csv: 3 rows break the rules; nothing was imported: correct them and import again")
        #expect(try ws.snapshot() == before)
    }

    @Test func unterminatedQuoteAndMissingFile() throws {
        let before = try ws.snapshot()
        let open = try ws.run(["import", "startups", try write("open.csv", Array("name,sector\nAlpha,NFC\n\"Beta,NFC\nGamma,NFC\n".utf8))])
        #expect(open.status == 65)
        #expect(open.stderr.contains("error: line 3: unterminated quoted field 1"))
        let missing = try ws.run(["import", "startups", ws.folder.appending(path: "nowhere.csv").path])
        #expect(missing.status == 66)
        #expect(missing.stderr.hasPrefix("error: cannot open "))
        #expect(try ws.snapshot() == before)
    }

    @Test func standardInputDryRunAndUpsert() throws {
        let csv = Data("name,sector,city\nAlpha,NFC,Marseille\n".utf8)
        let before = try ws.snapshot()
        let dry = try ws.run(["import", "startups", "-", "--dry-run"], input: csv)
        #expect(dry.status == 0)
        #expect(dry.stderr.contains("dry run of standard input: every row is valid"))
        #expect(try ws.snapshot() == before)
        try ws.ok(["import", "startups", "-"], input: csv)
        let again = try ws.run(["import", "startups", "-"], input: csv)
        #expect(again.status == 65)
        let upsert = try ws.run(["import", "startups", "-", "--upsert"], input: Data("name,sector,city\nALPHA,big data,\n".utf8))
        #expect(upsert.status == 0)
        #expect(upsert.stderr.contains("1 row, 0 inserted, 1 updated"))
        #expect(try firms(ws.db) == "('ALPHA', 'big data', None, None, None, None, None, None, None, None)\n")
        let source = try python("import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT source FROM startups').fetchone()[0])", [ws.db])
        #expect(source == "import: standard input\n")
    }

    @Test func exportedCSVIsTheRegistryAndImportsBackIdentically() throws {
        try ws.ok(["generate", "--firms", "500", "--seed", "3"])
        try ws.ok(["startup", "add", "--name", "Virgule, \"Guillemets\"", "--sector", "NFC", "--accelerator", "Kedge", "--accelerator", "gemalto"])
        let csv = try ws.ok(["export", "startups"])
        let path = ws.folder.appending(path: "out.csv").path
        try ws.ok(["export", "startups", "-o", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == csv)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.folder.path).filter { $0.contains(".tmp-") }.isEmpty)
        let fromPython = try python("""
            import csv, sys
            with open(sys.argv[1], newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            assert rows[0] == ["name", "sector", "siren", "siret", "naf_code", "city", "employees", "founded", "revenue_eur", "accelerators"], rows[0]
            n = lambda v: v or None
            num = lambda v: int(v) if v else None
            for r in sorted(rows[1:], key=lambda r: r[0].lower()):
                print(repr((r[0], r[1], n(r[2]), n(r[3]), n(r[4]), n(r[5]), num(r[6]), num(r[7]), num(r[8]), n(r[9]))))
            """, [path])
        let registry = try firms(ws.db)
        #expect(Set(fromPython.split(separator: "\n")) == Set(registry.split(separator: "\n")))
        #expect(registry.split(separator: "\n").count == 501)

        let copy = try Workspace()
        try copy.ok(["init"])
        try copy.ok(["import", "startups", path])
        #expect(try firms(copy.db) == registry)
    }

    @Test func syntheticFirmsAreLabelledAndCanBeLeftOut() throws {
        let result = try ws.run(["generate", "--firms", "50", "--seed", "9"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("added 50 synthetic startups"))
        try ws.ok(["startup", "add", "--name", "Real", "--sector", "NFC"])
        let counts = try python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            print(con.execute("SELECT count(*) FROM startups WHERE source = 'synthetic' AND name LIKE 'Synthetic %'").fetchone()[0])
            """, [ws.db])
        #expect(counts == "50\n")
        #expect(try ws.ok(["export", "startups", "--exclude-synthetic"]).split(separator: "\r\n").count == 2)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try ws.ok(["export", "startups", "--format", "json", "--exclude-synthetic"]).utf8)) as? [[String: Any]])
        #expect(json.count == 1 && json[0]["name"] as? String == "Real" && json[0]["accelerators"] as? [String] == [])
        let ndjson = try ws.ok(["export", "startups", "--format", "ndjson"]).split(separator: "\n")
        #expect(ndjson.count == 51)
    }

    @Test func jsonListsProgrammesWithTheirCohortsAsTheCSVCellDoes() throws {
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC", "--accelerator", "Kedge (2016)", "--accelerator", "gemalto"])
        try ws.ok(["startup", "add", "--name", "Beta", "--sector", "NFC"])
        for sort in [[], ["--sort", "name"]] {
            let text = try ws.ok(["export", "startups", "--format", "json"] + sort)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            let programmes = json.map { $0["accelerators"] as? [String] }
            #expect(programmes == [["gemalto", "Kedge (2016)"], []])
        }
        #expect(try ws.ok(["export", "startups"]).contains("Alpha,NFC,,,,,,,,gemalto|Kedge (2016)\r\n"))
    }

    @Test func noProgressBarWhenStderrIsNotATerminal() throws {
        var text = "name,sector\n"
        for n in 1...20_000 { text += "Firm \(n),NFC\n" }
        let result = try ws.run(["import", "startups", try write("many.csv", Array(text.utf8))])
        #expect(result.status == 0)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!result.stderr.contains("\r"))
        #expect(result.stderr.contains("20,000 inserted"))
    }
}

/// Import options by name, and the export → `init --empty` → import round trip the README shows.
@Suite struct ImportExportOptions {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }


    @Test func delimiterByNameOrCharacter() throws {
        for delimiter in [";", "semicolon"] {
            let ws = try Workspace()
            try ws.initialise()
            let file = ws.path("firms.csv")
            try "name;sector\nCalanques Pay;e-commerce\n".write(toFile: file, atomically: true, encoding: .utf8)
            try ws.ok(["import", "startups", file, "--delimiter", delimiter])
            #expect(try pythonScalar(ws.db, "SELECT name FROM startups") == "Calanques Pay")
        }
        try ws.refused(["import", "startups", "x.csv", "--delimiter", "|"], status: 64, mentioning: ["delimiter"])
    }

    @Test func anExportImportsIntoAnEmptyRegistry() throws {
        try ws.ok(["sector", "add", "Quantum"])
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "Quantum", "--naf", "62.01Z", "--city", "Marseille",
                   "--accelerator", "Kedge (2016)", "--accelerator", "gemalto"])
        let file = ws.path("startups.csv")
        try ws.ok(["export", "startups", "-o", file])

        let empty = ws.path("empty.sqlite")
        try ws.ok(["init", "--empty", "--db", empty])
        #expect(try pythonScalar(empty, "SELECT count(*) FROM accelerators") == "0")
        #expect(try pythonScalar(empty, "SELECT count(*) FROM startups") == "0")
        #expect(try pythonScalar(empty, "SELECT count(*) FROM naf_codes") == pythonScalar(ws.db, "SELECT count(*) FROM naf_codes"))

        // Without --new-accelerators: refused, saying how to create them, the file unchanged.
        let before = try dump(empty)
        let refused = try ws.run(["import", "startups", file, "--new-sectors", "--db", empty])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("unknown accelerator") && refused.stderr.contains("--new-accelerators"))
        #expect(try dump(empty) == before)

        try ws.ok(["import", "startups", file, "--new-sectors", "--new-accelerators", "--db", empty])
        let read = """
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for row in con.execute("SELECT s.name, sec.name, s.naf_code, s.city FROM startups s JOIN sectors sec ON sec.id = s.sector_id"):
                print(row)
            for row in con.execute("SELECT s.name, a.name, m.cohort FROM memberships m JOIN startups s ON s.id = m.startup_id JOIN accelerators a ON a.id = m.accelerator_id ORDER BY a.name"):
                print(row)
            """
        #expect(try python(read, [empty]) == python(read, [ws.db]))
        #expect(try pythonScalar(empty, "SELECT group_concat(name || '/' || pilot, ',') FROM (SELECT * FROM accelerators ORDER BY lower(name))") == "gemalto/gemalto,Kedge/Kedge")
    }
}
