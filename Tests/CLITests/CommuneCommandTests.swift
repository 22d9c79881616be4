import Foundation
import Testing

/// `commune list`: the communes of a territory, an EPCI, a region or a department, against Python over the seed file.
@Suite struct CommuneCommand {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    /// The codes of a CSV listing, in order.
    func codes(_ arguments: [String]) throws -> [String] {
        try ws.ok(["commune", "list"] + arguments + ["--format", "csv"]).split(whereSeparator: \.isNewline).dropFirst()
            .map { String($0.prefix { $0 != "," }) }
    }

    func pythonCodes(_ condition: String) throws -> [String] {
        try seedJSON("print(json.dumps(sorted(r['code'] for r in communes if \(condition))))") as? [String] ?? ["python failed"]
    }

    @Test func aTerritorysCommunesAndItsArrondissementsOnlyWhenAsked() throws {
        let metropole = try pythonCodes("r['epci_siren'] == '200054807' and r['kind'] == 'commune'")
        #expect(metropole.count == 92)
        #expect(try codes(["--territory", "Aix-Marseille"]) == metropole)
        #expect(try codes(["--epci", "200054807"]) == metropole)
        let withArrondissements = try codes(["--territory", "Aix-Marseille", "--arrondissements"])
        #expect(withArrondissements == (try pythonCodes("r['epci_siren'] == '200054807'")))
        #expect(withArrondissements.filter { $0.hasPrefix("132") } == (13201...13216).map(String.init))
        #expect(try codes(["--territory", "PACA"]) == (try pythonCodes("r['region'] == '93' and r['kind'] == 'commune'")))
    }

    @Test func filtersCombine() throws {
        #expect(try codes(["--region", "93", "--department", "13", "--arrondissements"]) == (try pythonCodes("r['department'] == '13'")))
        #expect(try codes(["--territory", "Aix-Marseille", "--department", "83"])
                == (try pythonCodes("r['epci_siren'] == '200054807' and r['department'] == '83' and r['kind'] == 'commune'")))
        let none = try ws.run(["commune", "list", "--region", "93", "--department", "75"])
        #expect(none.status == 0 && none.stdout == "no communes\n")
        #expect(try codes(["--department", "2a"]) == (try pythonCodes("r['department'] == '2A' and r['kind'] == 'commune'")))
    }

    @Test func everyFormatGivesTheSameRows() throws {
        let rows = try #require(try ws.json(["commune", "list", "--territory", "Aix-Marseille", "--arrondissements"]) as? [[String: Any]])
        let python = try #require(try seedJSON("""
            print(json.dumps([{'code': r['code'], 'name': r['name'], 'kind': r['kind'], 'department': r['department'], 'region': r['region'],
                               'epci': r['epci_siren'] or None, 'population': int(r['population_2025']) if r['population_2025'] else None}
                              for r in sorted(communes, key=lambda r: r['code']) if r['epci_siren'] == '200054807']))
            """) as? [[String: Any]])
        #expect(rows.count == python.count)
        #expect((rows as NSArray).isEqual(to: python))
        let ndjson = try ws.ok(["commune", "list", "--territory", "Aix-Marseille", "--format", "ndjson"]).split(separator: "\n")
        #expect(ndjson.count == 92 && ndjson[0].hasPrefix("{\"code\":\"13001\",\"name\":\"Aix-en-Provence\""))
        let table = try ws.ok(["commune", "list", "--epci", "200054807", "--arrondissements"])
        #expect(table.hasPrefix("code   name") && table.hasSuffix("108 communes\n"))
        #expect(table.contains("13201  Marseille 1er Arrondissement"))
        let csv = try ws.ok(["commune", "list", "--department", "13", "--arrondissements", "--format", "csv"])
        #expect(csv.hasPrefix("code,name,kind,department,region,epci,population\r\n"))
        #expect(csv.contains("\r\n13201,Marseille 1er Arrondissement,arrondissement,13,93,200054807,\r\n"))
    }

    @Test(arguments: [
        (["--territory", "Aix-Marseile"], "unknown territory 'Aix-Marseile'; did you mean 'Aix-Marseille'?"),
        (["--epci", "999999999"], "unknown EPCI '999999999'"),
        (["--region", "9"], "unknown region '9'"),
        (["--department", "1X"], "unknown department '1X'"),
    ])
    func anUnknownFilterIsRefused(arguments: [String], mention: String) throws {
        let before = try fileState(ws.db)
        let result = try ws.run(["commune", "list"] + arguments)
        #expect(result.status == 65)
        #expect(isOneErrorLine(result.stderr) && result.stderr.contains(mention), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try fileState(ws.db) == before)
    }

    @Test func aTerritoryWithoutPerimeterHasNoCommunesToList() throws {
        try ws.ok(["territory", "set", "Toulon", "--level", "metropolis"])
        let result = try ws.run(["commune", "list", "--territory", "Toulon"])
        #expect(result.status == 65)
        #expect(isOneErrorLine(result.stderr) && result.stderr.contains("territory Toulon has no perimeter")
                && result.stderr.contains("`frenchtech territory set 'Toulon' --epci SIREN`"), "\(result.stderr)")
    }
}
