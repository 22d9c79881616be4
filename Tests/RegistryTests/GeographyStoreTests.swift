import FoundationEssentials
import Foundation
import Testing
import Persistence
@testable import Registry

/// Python's figures over the seed files (Tests/Fixtures/geography/seed_figures.py: `communes`, `naf`, `size`,
/// `covered`), independently of the registry's SQL: `script` prints one JSON value.
func seedFigures(_ script: String) throws -> Any {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Fixtures/geography").path
    let program = "import sys\nsys.dont_write_bytecode = True\nsys.path.insert(0, sys.stdin.read())\nfrom seed_figures import *\n" + script
    let text = try pythonLines(program, input: fixtures).joined(separator: "\n")
    return try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
}

/// Perimeters and the communes of the 2026 geography (Store+Geography.swift), on a fresh seeded registry.
@Suite struct GeographyStoreTests {
    let store: RegistryStore
    init() throws { store = try RegistryStore(path: ":memory:", createIfMissing: true) }

    struct Size: Equatable {
        var communes: Int?, sireneCodes: Int?, population: Int?, regions: [String]?
    }

    func size(_ p: Perimeter) -> Size {
        Size(communes: Int(p.communes), sireneCodes: Int(p.sireneCodes), population: p.population.map(Int.init), regions: p.regions)
    }

    /// What Python's `size()` printed.
    func expected(_ any: Any) -> Size {
        let d = any as? [String: Any] ?? [:]
        return Size(communes: d["communes"] as? Int, sireneCodes: d["sirene_codes"] as? Int, population: d["population"] as? Int,
                    regions: d["regions"] as? [String])
    }

    /// The perimeter rows, to show that a refused change wrote nothing.
    func perimeters() throws -> [[SQLValue]] {
        try store.db.rows("SELECT * FROM territory_perimeters ORDER BY 1").map(\.values)
            + store.db.rows("SELECT * FROM territory_perimeter_communes ORDER BY 1, 2").map(\.values)
    }

    @Test func theSeededPerimetersHaveTheSizeOfTheGeography() throws {
        let aix = try #require(try store.perimeter(ofTerritory: store.territory("Aix-Marseille").id))
        #expect(aix.kind == .epci && aix.code == "200054807" && aix.name == "Métropole d'Aix-Marseille-Provence")
        #expect(aix.notes?.contains("MPM") == true)
        let python = expected(try seedFigures("print(json.dumps(size([r for r in communes if r['epci_siren'] == '200054807'])))"))
        #expect(python.communes == 92 && python.sireneCodes == 108, "92 communes and Marseille's 16 arrondissements")
        #expect(size(aix) == python)
        let paca = try #require(try store.perimeter(ofTerritory: store.territory("PACA").id))
        #expect(paca.kind == .region && paca.code == "93" && paca.name == "Provence-Alpes-Côte d'Azur")
        #expect(size(paca) == expected(try seedFigures("print(json.dumps(size([r for r in communes if r['region'] == '93'])))")))
    }

    @Test func aListOfCommunesBringsTheirArrondissementsAndReplacesThePerimeter() throws {
        let (territory, set) = try store.setPerimeter("Aix-Marseille", .communes([" 13055", "75056", "13001", "13001", ""]),
                                                      notes: "Marseille, Paris and Aix", source: "test")
        #expect(territory.name == "Aix-Marseille")
        #expect(set.kind == .communes && set.code == nil && set.name == nil && set.notes == "Marseille, Paris and Aix" && set.source == "test")
        let python = try seedFigures("""
            listed = {'13055', '75056', '13001'}
            print(json.dumps(size([r for r in communes if r['code'] in listed or r['parent'] in listed])))
            """)
        #expect(size(set) == expected(python))
        #expect(set.regions == ["11", "93"])
        #expect(try store.db.rows("SELECT commune FROM territory_perimeter_communes ORDER BY 1").map(\.values)
                == [[.text("13001")], [.text("13055")], [.text("75056")]])
        // A region replaces the list; the notes of the list go with it, the source defaults.
        let region = try store.setPerimeter("Aix-Marseille", .region("93")).perimeter
        #expect(region.kind == .region && region.notes == nil && region.source == "manual entry")
        #expect(try store.db.scalar("SELECT count(*) FROM territory_perimeter_communes") == .integer(0))
        #expect(try store.db.scalar("SELECT count(*) FROM territory_perimeters") == .integer(2))
        // An arrondissement alone: a perimeter of one SIRENE code and no commune.
        let district = try store.setPerimeter("2", .communes(["13202"])).perimeter
        #expect(district.communes == 0 && district.sireneCodes == 1 && district.population == nil)
    }

    @Test(arguments: [
        (PerimeterChoice.epci("123456789"), "unknown EPCI '123456789'"),
        (.epci("20005480"), "nine digits"),
        (.region("99"), "unknown region '99'"),
        (.communes(["13001", "13999", "2C001", "99999"]), "unknown commune codes 13999, 2C001, 99999"),
        (.communes(["13055", "13201", "13216"]), "13201 (of 13055), 13216 (of 13055)"),
        (.communes([" ", ""]), "no commune code given"),
    ])
    func aBadPerimeterIsRefusedAndNothingChanges(choice: PerimeterChoice, mention: String) throws {
        let before = try perimeters()
        let error = try #require(throws: RegistryError.self) { try store.setPerimeter("Aix-Marseille", choice, notes: "x") }
        #expect(error.isInvalidData)
        #expect(error.message.contains(mention), "\(error.message)")
        #expect(try perimeters() == before)
    }

    @Test func anUnknownTerritoryIsRefusedWithTheNearestName() throws {
        let error = try #require(throws: RegistryError.self) { try store.setPerimeter("Aix-Marseile", .region("93")) }
        #expect(error.suggestions == ["Aix-Marseille"])
        #expect(throws: FieldError.self) { try store.setPerimeter("PACA", .region("93"), source: " ") }
    }

    @Test func communesAreListedByEveryFilterGiven() throws {
        let epci = try store.communes(CommuneFilter(epci: "200054807")).map(\.code)
        #expect(epci == (try seedFigures("print(json.dumps(sorted(r['code'] for r in communes if r['epci_siren'] == '200054807' and r['kind'] == 'commune')))") as? [String]))
        #expect(try store.communes(CommuneFilter(territory: "Aix-Marseille")).map(\.code) == epci)
        let withArrondissements = try store.communes(CommuneFilter(territory: "Aix-Marseille", arrondissements: true))
        #expect(withArrondissements.count == 108)
        #expect(withArrondissements.filter { $0.kind == .arrondissement }.map(\.code) == (13201...13216).map(String.init))
        let bouches = try store.communes(CommuneFilter(region: "93", department: "13", arrondissements: true))
        #expect(bouches.count == (try seedFigures("print(sum(1 for r in communes if r['department'] == '13'))") as? Int))
        #expect(try store.communes(CommuneFilter(region: "93", department: "75")).isEmpty)
        let marseille = try #require(bouches.first { $0.code == "13055" })
        #expect(marseille == Commune(code: "13055", name: "Marseille", kind: .commune, department: "13", region: "93",
                                     epci: "200054807", population: 883466))
        #expect(try store.communes(CommuneFilter()).count
                == (try seedFigures("print(sum(1 for r in communes if r['kind'] == 'commune'))") as? Int))
    }

    @Test func aFilterOnWhatTheGeographyLacksIsRefused() throws {
        for filter in [CommuneFilter(territory: "Toulon"), CommuneFilter(epci: "999999999"), CommuneFilter(region: "9"),
                       CommuneFilter(department: "1X")] {
            #expect(try #require(throws: RegistryError.self) { try store.communes(filter) }.isInvalidData, "\(filter)")
        }
        try store.db.execute("DELETE FROM territory_perimeters")
        let error = try #require(throws: RegistryError.self) { try store.communes(CommuneFilter(territory: "PACA")) }
        #expect(error.message.contains("has no perimeter") && error.remedies == [.setPerimeter(territory: "Provence-Alpes-Côte d'Azur (PACA)")])
    }
}
