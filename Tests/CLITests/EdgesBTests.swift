import Foundation
import Testing

/// The rough edges a newcomer meets: cohorts shown, an unknown city, a mistyped command, `--db` first, and the
/// export → `init --empty` → import round trip.
@Suite struct EdgesBTests {
    let ws: Workspace

    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    private func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

    @Test func enrolmentsAreShownWithTheirCohort() throws {
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC", "--accelerator", "Kedge (2016)", "--accelerator", "gemalto"])
        // Read back apart: the cohort stored for Kedge, none for gemalto.
        let stored = try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for name, cohort in con.execute("SELECT a.name, m.cohort FROM memberships m JOIN accelerators a ON a.id = m.accelerator_id ORDER BY a.name COLLATE NOCASE"):
                print(name if cohort is None else "%s (%d)" % (name, cohort))
            """, [ws.db])
        let expected = lines(stored).map(String.init)
        #expect(expected == ["gemalto", "Kedge (2016)"])

        let shown = try #require(try ws.json(["startup", "show", "Alpha"]) as? [String: Any])
        #expect(shown["accelerators"] as? [String] == expected)
        let listed = try #require(try ws.json(["startup", "list"]) as? [[String: Any]])
        #expect(listed.map { $0["accelerators"] as? [String] } == [expected])
        let exported = try #require(try ws.json(["export", "startups"]) as? [[String: Any]])
        #expect(exported.map { $0["accelerators"] as? [String] } == [expected])
        #expect(try ws.ok(["startup", "show", "Alpha"]).contains("Kedge (2016)"))
        #expect(try ws.ok(["startup", "list"]).contains("Kedge (2016)"))

        let firms = try #require(try ws.json(["accelerator", "firms", "Kedge"]) as? [[String: Any]])
        #expect(firms.count == 1 && firms[0]["name"] as? String == "Alpha" && firms[0]["cohort"] as? Int == 2016)
        let unknown = try #require(try ws.json(["accelerator", "firms", "gemalto"]) as? [[String: Any]])
        #expect(unknown.count == 1 && unknown[0]["cohort"] is NSNull)
        let csv = try ws.ok(["accelerator", "firms", "Kedge", "--format", "csv"])
        #expect(csv.hasPrefix("id,name,siren,siret,sector,naf_code,city,employees,founded,revenue_eur,accelerators,cohort\r\n"))
        #expect(csv.hasSuffix(",2016\r\n"))
    }

    @Test func anUnknownCityIsRefusedWithTheNearestKnownOnes() throws {
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC", "--city", "Marseille"])
        try ws.ok(["startup", "add", "--name", "Beta", "--sector", "NFC", "--city", "Aix-en-Provence"])
        let before = try ws.snapshot()
        let result = try ws.run(["startup", "list", "--city", "Marseile"])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(lines(result.stderr) == ["error: unknown city 'Marseile'; did you mean 'Marseille'? (see `frenchtech stats by-city`)"])
        #expect(try ws.snapshot() == before)
        // A known city, in any case, still selects its startups.
        let listed = try #require(try ws.json(["startup", "list", "--city", "marseille"]) as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == ["Alpha"])
    }

    @Test func aMistypedCommandSuggestsTheNearestName() throws {
        let before = try ws.snapshot()
        let root = try ws.run(["startp", "list"])
        #expect(root.status == 64)
        #expect(lines(root.stderr) == ["error: unknown command 'startp'; did you mean 'startup', 'stats'? (see `frenchtech --help`)"])
        let nested = try ws.run(["startup", "lst"])
        #expect(nested.status == 64)
        #expect(lines(nested.stderr) == ["error: unknown command 'lst'; did you mean 'list'? (see `frenchtech startup --help`)"])
        #expect(try ws.snapshot() == before)
    }

    @Test func dbIsAcceptedBeforeTheSubcommand() throws {
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC"])
        for arguments in [["--db", ws.db, "startup", "list", "--format", "json"], ["--db=" + ws.db, "startup", "list", "--format", "json"]] {
            let result = try ws.run(arguments, useDB: false)
            #expect(result.status == 0, "\(result.stderr)")
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(listed.map { $0["name"] as? String } == [try pythonScalar(ws.db, "SELECT name FROM startups")])
        }
        // The path given first is the one used: a missing file is refused, not replaced by the default.
        let missing = try ws.run(["--db", ws.path("nowhere.sqlite"), "startup", "list"], useDB: false)
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: ws.path("nowhere.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: ws.path("frenchtech.sqlite")))
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
