import CSVStream
import Foundation
import Persistence
import Testing
@testable import Registry

// `ecosystem`, `sireneRegionalShare` and the startups' SIRENE lookups on a migrated registry, against figures
// computed by Tests/Fixtures/sirene/expected_figures.py with Python's csv module straight from the stock file and
// the seed files (never by the code under test).

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let fixture = root.appending(path: "Tests/Fixtures/sirene/stock-3.11.csv").path
private let aixMarseilleEPCI = "200054807"

/// Runs `python3 ARGS`; its stdout, the test failing on a non-zero exit.
private func python3(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let stdout = Pipe()
    process.standardOutput = stdout
    try process.run()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "python3 \(arguments)", sourceLocation: sourceLocation)
    return data
}

/// The reference figures of a stock file for the territory of an EPCI (and, with `region`, that region's).
func expectedSireneFigures(_ stock: String, epci: String = aixMarseilleEPCI, region: String? = nil, by: String? = nil) throws -> [String: Any] {
    var arguments = [root.appending(path: "Tests/Fixtures/sirene/expected_figures.py").path, stock, "--epci", epci]
    if let region { arguments += ["--region", region] }
    if let by { arguments += ["--by", by] }
    return try #require(try JSONSerialization.jsonObject(with: python3(arguments)) as? [String: Any])
}

/// A synthetic stock of `rows` lines from the benchmark's generator, in a temporary file.
func generatedStock(rows: Int) throws -> URL {
    let file = FileManager.default.temporaryDirectory.appending(path: "sirene-\(UUID().uuidString).csv")
    _ = try python3([root.appending(path: "Benchmarks/sirene_generate.py").path, "--rows", String(rows), "--out", file.path])
    return file
}

private let figureKeys = ["establishments", "employer_establishments", "firms", "jobs_low", "jobs_mid", "jobs_high",
                          "unknown_headcount", "open_ended"]

private func values(_ f: EcosystemFigures) -> [String: Double] {
    ["establishments": Double(f.establishments), "employer_establishments": Double(f.employerEstablishments),
     "firms": Double(f.firms), "jobs_low": Double(f.jobsLow), "jobs_mid": f.jobsMid, "jobs_high": Double(f.jobsHigh),
     "unknown_headcount": Double(f.unknownHeadcount), "open_ended": Double(f.openEnded)]
}

private func expectFigures(_ f: EcosystemFigures, _ want: Any?, sourceLocation: SourceLocation = #_sourceLocation) {
    let want = want as? [String: Any] ?? [:]
    let mine = values(f)
    for key in figureKeys {
        #expect(mine[key] == (want[key] as? NSNumber)?.doubleValue, "\(key) of \(f.key ?? "the whole")", sourceLocation: sourceLocation)
    }
}

/// The share of figures the issue defines, from the reference figures.
private func expectedShares(_ t: [String: Any], _ r: [String: Any]) -> (low: Double?, mid: Double?, high: Double?) {
    func n(_ d: [String: Any], _ key: String) -> Double { (d[key] as? NSNumber)?.doubleValue ?? .nan }
    func ratio(_ a: Double, _ b: Double) -> Double? { b == 0 ? nil : a / b }
    return (ratio(n(t, "jobs_low"), n(t, "jobs_low") + n(r, "jobs_high") - n(t, "jobs_high")),
            ratio(n(t, "jobs_mid"), n(r, "jobs_mid")),
            ratio(n(t, "jobs_high"), n(t, "jobs_high") + n(r, "jobs_low") - n(t, "jobs_low")))
}

private func close(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case let (a?, b?): abs(a - b) < 1e-12
    default: false
    }
}

extension RegistryStore {
    @discardableResult
    func importStock(_ path: String, regions: SireneRegions = .territories) throws -> SireneImportSummary {
        let reader = try CSVReader(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), delimiter: UInt8(ascii: ","))
        return try importSirene(from: reader, options: SireneImportOptions(file: path, regions: regions))
    }
}

@Suite struct SireneStatisticsTests {
    let store: RegistryStore

    init() throws {
        store = try RegistryStore(path: ":memory:", createIfMissing: true)
    }

    @Test func theFixturesFiguresMatchPythonsByEveryBreakdown() throws {
        #expect(try store.importStock(fixture).kept == 9)
        let want = try expectedSireneFigures(fixture)
        let total = try store.ecosystem()
        expectFigures(total, want["total"])
        #expect(total.territory == "Aix-Marseille" && total.nafSet == "ict" && total.stockDate == want["stock_date"] as? String)
        // Halves are exact: bands 11, 12, 21 and 53 give 14.5 + 34.5 + 74.5 + 10,000.
        #expect(total.jobsMid == 10_123.5)
        for by in EcosystemBreakdown.allCases {
            let expected = try #require(try expectedSireneFigures(fixture, by: by.rawValue)["rows"] as? [String: [String: Any]])
            let rows = try store.ecosystem(by: by)
            #expect(Set(rows.map { $0.key ?? "" }) == Set(expected.keys), "\(by)")
            for row in rows {
                let wanted = expected[row.key ?? ""]
                expectFigures(row, wanted)
                if by != .band { #expect(row.label == wanted?["label"] as? String, "label of \(row.key ?? "")") }
            }
            if by != .band { #expect(rows.map(\.jobsMid) == rows.map(\.jobsMid).sorted(by: >), "\(by) by jobs") }
        }
        // Marseille's establishments, coded by arrondissement, count in 13055.
        #expect(try store.ecosystem(by: .commune).contains { $0.key == "13055" && $0.label == "Marseille" && $0.establishments == 4 })
        #expect(try store.ecosystem(by: .band).last?.key == nil)
    }

    @Test func aGeneratedStockMatchesPythonAndItsRegionalShareTheIssuesBounds() throws {
        let stock = try generatedStock(rows: 20_000)
        defer { try? FileManager.default.removeItem(at: stock) }
        try store.importStock(stock.path)
        let want = try expectedSireneFigures(stock.path, region: "93")
        let total = try store.ecosystem()
        expectFigures(total, want["total"])
        #expect(total.stockDate == want["stock_date"] as? String)
        #expect(total.establishments > 0)
        for by in EcosystemBreakdown.allCases {
            let expected = try #require(try expectedSireneFigures(stock.path, by: by.rawValue)["rows"] as? [String: [String: Any]])
            let rows = try store.ecosystem(by: by)
            #expect(rows.count == expected.count, "\(by)")
            for row in rows { expectFigures(row, expected[row.key ?? ""]) }
        }
        let share = try store.sireneRegionalShare()
        let t = try #require(want["total"] as? [String: Any]), r = try #require(want["region"] as? [String: Any])
        expectFigures(share.territoryFigures, t)
        expectFigures(share.regionFigures, r)
        let shares = expectedShares(t, r)
        #expect(close(share.shareLow, shares.low) && close(share.shareMid, shares.mid) && close(share.shareHigh, shares.high))
        #expect(share.shareLow! <= share.shareMid! && share.shareMid! <= share.shareHigh!)
        #expect(share.region == "Provence-Alpes-Côte d'Azur" && share.regionCode == "93")
        #expect(share.reportedShare == 0.55)
    }

    @Test func anotherTerritoryStockDateAndNAFSetAreChosenByName() throws {
        try store.importStock(fixture)
        // PACA's perimeter is region 93: the region's figures.
        let paca = try store.ecosystem(EcosystemQuery(territory: "paca"))
        expectFigures(paca, try expectedSireneFigures(fixture, region: "93")["region"])
        #expect(try store.ecosystem(EcosystemQuery(stockDate: "2025-10-31")) == store.ecosystem())
        try store.db.execute("INSERT INTO naf_sets (name, source) VALUES ('software', 'test')")
        try store.db.execute("INSERT INTO naf_set_codes SELECT id, '62.01' FROM naf_sets WHERE name = 'software'")
        let software = try store.ecosystem(EcosystemQuery(nafSet: "Software"))
        let naf = try #require(try expectedSireneFigures(fixture, by: "naf")["rows"] as? [String: Any])
        expectFigures(software, naf["62.01Z"])
        #expect(software.nafSet == "software")
    }

    @Test func sharesOfNoJobsAreNilNotACrash() throws {
        try store.importStock(fixture)
        try store.db.execute("INSERT INTO naf_sets (name, source) VALUES ('farming', 'test')")
        try store.db.execute("INSERT INTO naf_set_codes SELECT id, '01' FROM naf_sets WHERE name = 'farming'")
        let share = try store.sireneRegionalShare(EcosystemQuery(nafSet: "farming"))
        #expect(share.shareLow == nil && share.shareMid == nil && share.shareHigh == nil)
        #expect(share.territoryFigures.establishments == 0 && share.regionFigures.jobsMid == 0)
        #expect(try store.ecosystem(EcosystemQuery(nafSet: "farming"), by: .division).isEmpty)
    }

    private func refusal(_ body: () throws -> Void) -> RegistryError? {
        do { try body() } catch let error as RegistryError { return error } catch { Issue.record("\(error)") }
        return nil
    }

    @Test func everyRefusalSaysWhatAndWhatToDo() throws {
        let none = refusal { _ = try store.ecosystem() }
        #expect(none?.kind == .missingInput(path: ":memory:") && none?.remedies == [.importSirene])
        #expect(refusal { _ = try store.sireneRegionalShare() }?.remedies == [.importSirene])

        try store.importStock(fixture)
        let date = refusal { _ = try store.ecosystem(EcosystemQuery(stockDate: "2024-01-31")) }
        #expect(date?.isInvalidData == true && date?.message.contains("2025-10-31") == true && date?.remedies == [.chooseStockDate])
        let set = refusal { _ = try store.ecosystem(EcosystemQuery(nafSet: "tic")) }
        #expect(set?.isInvalidData == true && set?.message.contains("the sets are ict") == true && set?.remedies == [.chooseNafSet])
        let unknown = refusal { _ = try store.ecosystem(EcosystemQuery(territory: "Aix-Marseile")) }
        #expect(unknown?.suggestions == ["Aix-Marseille"])
        try store.setTerritory("Toulon", TerritoryDraft(digitalJobs: "9000", level: .metropolis))
        let bare = refusal { _ = try store.ecosystem(EcosystemQuery(territory: "Toulon")) }
        #expect(bare?.isInvalidData == true && bare?.remedies == [.setPerimeter(territory: "Toulon")])

        // Toulon (83137, region 93) with Avignon (84007, region 93) and Lyon's 1st arrondissement (69381, region 84).
        let toulon = try store.territory("Toulon").id
        try store.db.execute("INSERT INTO territory_perimeters (territory_id, kind, source) VALUES (?, 'communes', 'test')", [.integer(toulon)])
        for commune in ["83137", "69123"] {
            try store.db.execute("INSERT INTO territory_perimeter_communes VALUES (?, ?)", [.integer(toulon), .text(commune)])
        }
        let outside = refusal { _ = try store.ecosystem(EcosystemQuery(territory: "Toulon")) }
        #expect(outside?.isInvalidData == true && outside?.remedies == [.importRegions(["84", "93"])])
        #expect(outside?.message.contains("region 84") == true)

        try store.importStock(fixture, regions: .all)
        #expect(try store.ecosystem(EcosystemQuery(territory: "Toulon")).establishments == 1)  // 69381's Lyon firm, band 00
        let spanning = refusal { _ = try store.sireneRegionalShare(EcosystemQuery(territory: "Toulon")) }
        #expect(spanning?.isInvalidData == true && spanning?.message.contains("spans regions 84, 93") == true)
    }

    @Test func startupsMeetTheirEstablishments() throws {
        try store.importStock(fixture)
        let bySIRET = try store.sireneEstablishment("900 012 345 00113")
        #expect(bySIRET.siret == "90001234500113" && bySIRET.headOffice == false && bySIRET.commune == "13055")
        let headOffice = try store.sireneEstablishment("900012345")
        #expect(headOffice.siret == "90001234500105" && headOffice.communeName == "Marseille" && headOffice.band == "11")
        #expect(headOffice.name == "SYNTHETIQUE CALANQUES LOGICIEL" && headOffice.nafCode == "62.01Z" && headOffice.created == "2012-05-14")

        let filled = StartupDraft(sector: "big data", city: "Aix").filling(from: headOffice)
        #expect(filled == StartupDraft(name: "SYNTHETIQUE CALANQUES LOGICIEL", sector: "big data", siren: "900012345",
                                       siret: "90001234500105", nafCode: "62.01Z", city: "Aix", founded: "2012"))
        // Not the head office: the SIREN only.
        #expect(StartupDraft().filling(from: bySIRET).siret == nil)

        #expect(refusal { _ = try store.sireneEstablishment("900013459") }?.message.contains("no active establishment of SIREN 900013459") == true)
        #expect(refusal { _ = try store.sireneEstablishment("90001459999999") }?.isInvalidData == true)
        #expect(throws: FieldError.self) { try store.sireneEstablishment("12345") }

        let registered = try store.addStartup(StartupDraft(name: "Calanques", sector: "big data", siren: "900012345", siret: "90001234500113"))
        let shown = try #require(try store.sireneEstablishment(of: registered))
        #expect(shown.siret == "90001234500113" && shown.band == nil && shown.stockDate == "2025-10-31")
        #expect(try store.sireneEstablishment(of: store.addStartup(StartupDraft(name: "Sans SIREN", sector: "big data"))) == nil)
        let closed = try store.addStartup(StartupDraft(name: "Fermée", sector: "big data", siren: "900013459"))
        let paris = try store.addStartup(StartupDraft(name: "Paris", sector: "big data", siren: "900015306"))
        let check = try store.startupsMissingFromSirene()
        #expect(check.missing.map(\.id) == [closed.id, paris.id])
        #expect(check.snapshot.stockDate == "2025-10-31" && check.snapshot.regions == ["93"])
        let withoutSIREN = try store.db.rows("SELECT count(*) FROM startups WHERE siren IS NULL")[0].get(0, as: Int64.self)
        #expect(check.withoutSIREN == withoutSIREN && withoutSIREN >= 1)
    }

    @Test func aSIRENWhoseHeadOfficeIsNotInTheSnapshotAsksForASIRET() throws {
        // Only the second establishment of 900012345 (not its head office).
        let lines = try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n")
        let file = FileManager.default.temporaryDirectory.appending(path: "sirene-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try (lines[0] + "\n" + lines[2] + "\n").write(to: file, atomically: true, encoding: .utf8)
        try store.importStock(file.path)
        let error = refusal { _ = try store.sireneEstablishment("900012345") }
        #expect(error?.remedies == [.giveSIRET] && error?.message.contains("90001234500113") == true)
    }
}
