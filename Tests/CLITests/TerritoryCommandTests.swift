import Foundation
import Testing

/// `territory set`: the notes follow the figures.
@Suite struct TerritoryCommand {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }


    static let paca = "SELECT %@ FROM territories WHERE name LIKE '%(PACA)'"
    func paca(_ column: String) throws -> String {
        try pythonScalar(ws.db, Self.paca.replacingOccurrences(of: "%@", with: column))
    }

    @Test func givenFigureDropsTheDerivationNote() throws {
        #expect(try paca("derived") == "1")
        #expect(try paca("notes").contains("derived from the article"))
        try ws.ok(["territory", "set", "PACA", "--digital-jobs", "80000"])
        #expect(try paca("digital_jobs || ' ' || derived") == "80000 0")
        #expect(try paca("notes") == "None")
    }

    @Test func notesGivenWithTheFigureAreKept() throws {
        try ws.ok(["territory", "set", "PACA", "--digital-jobs", "80000", "--notes", "INSEE 2016, table 3"])
        #expect(try paca("notes") == "INSEE 2016, table 3")
    }

    @Test func notesOfAGivenFigureStay() throws {
        let query = "SELECT notes FROM territories WHERE name = 'Aix-Marseille'"
        let before = try pythonScalar(ws.db, query)
        #expect(before.contains("40,000 private digital jobs"))
        try ws.ok(["territory", "set", "Aix-Marseille", "--digital-jobs", "41000"])
        #expect(try pythonScalar(ws.db, query) == before)
        // A figure other than the derived one leaves the derivation note.
        try ws.ok(["territory", "set", "PACA", "--firms", "12000"])
        #expect(try paca("notes").contains("derived from the article"))
    }
}

/// Python's figures over the seed files (Tests/Fixtures/geography/seed_figures.py: `communes`, `naf`, `size`,
/// `covered`), independently of the binary: `script` prints one JSON value.
func seedJSON(_ script: String) throws -> Any {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Fixtures/geography").path
    let text = try python("import sys\nsys.dont_write_bytecode = True\nsys.path.insert(0, sys.argv[1])\nfrom seed_figures import *\n" + script, [fixtures])
    return try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
}

/// `territory set --epci | --region | --communes` and `territory show`: the perimeter and its size.
@Suite struct TerritoryPerimeterCommand {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    /// The perimeter's keys of `territory show --format json`, to compare with Python's `size()`.
    func size(_ show: Any) -> [String: String] {
        let object = show as? [String: Any] ?? [:]
        return Dictionary(uniqueKeysWithValues: ["communes", "sirene_codes", "population", "regions"].map { ($0, "\(object[$0] ?? "missing")") })
    }

    @Test func showGivesTheSeededPerimeters() throws {
        let aix = try #require(try ws.json(["territory", "show", "Aix-Marseille"]) as? [String: Any])
        #expect(aix["perimeter"] as? String == "epci" && aix["perimeter_code"] as? String == "200054807")
        #expect(aix["perimeter_name"] as? String == "Métropole d'Aix-Marseille-Provence")
        #expect((aix["perimeter_notes"] as? String)?.contains("Pays d'Aix") == true)
        let python = try seedJSON("print(json.dumps(size([r for r in communes if r['epci_siren'] == '200054807'])))")
        #expect(size(aix) == size(python))
        #expect(aix["communes"] as? Int == 92 && aix["sirene_codes"] as? Int == 108)
        let paca = try ws.json(["territory", "show", "PACA"])
        #expect(size(paca) == size(try seedJSON("print(json.dumps(size([r for r in communes if r['region'] == '93'])))")))
        let table = try ws.ok(["territory", "show", "Aix-Marseille"])
        #expect(table.contains("SIRENE codes      108\n") && table.contains("perimeter         epci\n"))
    }

    @Test func setReplacesThePerimeterAndShowFollows() throws {
        let set = try ws.run(["territory", "set", "Aix-Marseille", "--communes", "13001, 13055,75056", "--notes", "three cities",
                              "--source", "test", "--format", "json"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stderr.contains("note: set the perimeter of territory Aix-Marseille: 3 communes"))
        let python = try seedJSON("""
            listed = {'13001', '13055', '75056'}
            print(json.dumps(size([r for r in communes if r['code'] in listed or r['parent'] in listed])))
            """)
        let printed = try JSONSerialization.jsonObject(with: Data(set.stdout.utf8))
        #expect(size(printed) == size(python))
        #expect(size(try ws.json(["territory", "show", "2"])) == size(python))
        #expect(try pythonScalar(ws.db, "SELECT kind || '|' || coalesce(code, '') || '|' || notes || '|' || source FROM territory_perimeters WHERE territory_id = 2")
                == "communes||three cities|test")
        #expect(try pythonScalar(ws.db, "SELECT group_concat(commune) FROM (SELECT commune FROM territory_perimeter_communes ORDER BY 1)")
                == "13001,13055,75056")
        // The region replaces the list, in one command; the list's notes go, the source defaults.
        try ws.ok(["territory", "set", "Aix-Marseille", "--region", "93"])
        #expect(try pythonScalar(ws.db, "SELECT kind || '|' || code || '|' || coalesce(notes, 'none') || '|' || source FROM territory_perimeters WHERE territory_id = 2")
                == "region|93|none|manual entry")
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM territory_perimeter_communes") == "0")
        try ws.ok(["territory", "set", "Aix-Marseille", "--epci", "200 054 807"])
        #expect(size(try ws.json(["territory", "show", "Aix-Marseille"]))
                == size(try seedJSON("print(json.dumps(size([r for r in communes if r['epci_siren'] == '200054807'])))")))
    }

    @Test func showSaysWhenThereIsNoPerimeter() throws {
        try ws.ok(["territory", "set", "Toulon", "--level", "metropolis", "--parent", "PACA"])
        let result = try ws.run(["territory", "show", "Toulon", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("note: territory Toulon has no perimeter; give it one with `frenchtech territory set 'Toulon' --epci SIREN`"))
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(shown["perimeter"] is NSNull && shown["communes"] is NSNull && shown["name"] as? String == "Toulon")
    }

    @Test(arguments: [
        (["--epci", "123456789"], 65, "unknown EPCI '123456789': no EPCI of the 2026 geography has this SIREN; the epci column of `frenchtech commune list --department 13`"),
        (["--epci", "2000548"], 65, "nine digits"),
        (["--region", "99"], 65, "unknown region '99': not a region code of the 2026 geography (01, 02,"),
        (["--communes", "13001,13999,8300"], 65, "unknown commune codes 13999, 8300: not in the 2026 geography"),
        (["--communes", "13999"], 65, "see `frenchtech commune list --department 13`"),
        (["--communes", "13055,13216"], 65, "arrondissement 13216 (of 13055) listed with its commune"),
        (["--communes", ","], 65, "no commune code given"),
        (["--region", "93", "--source", ""], 65, "invalid source"),
        (["--region", "93", "--epci", "200054807"], 64, "--epci and --region both draw a perimeter"),
        (["--region", "93", "--communes", "13001"], 64, "--region and --communes both draw a perimeter"),
        (["--epci", "200054807", "--digital-jobs", "5"], 64, "set them in two commands"),
        (["--region", "93", "--level", "region"], 64, "--level the figures"),
    ])
    func aBadPerimeterIsRefusedAndTheFileIsUntouched(arguments: [String], status: Int32, mention: String) throws {
        let before = try fileState(ws.db)
        let result = try ws.run(["territory", "set", "Aix-Marseille"] + arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(isOneErrorLine(result.stderr) && result.stderr.contains(mention), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try fileState(ws.db) == before)
    }

    @Test func anUnknownTerritoryIsRefusedWithTheNearestName() throws {
        let before = try fileState(ws.db)
        for command in [["territory", "set", "Aix-Marseile", "--region", "93"], ["territory", "show", "Aix-Marseile"]] {
            let result = try ws.run(command)
            #expect(result.status == 65)
            #expect(isOneErrorLine(result.stderr) && result.stderr.contains("unknown territory 'Aix-Marseile'; did you mean 'Aix-Marseille'?"),
                    "\(result.stderr)")
        }
        #expect(try fileState(ws.db) == before)
    }
}
