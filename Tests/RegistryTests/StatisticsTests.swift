import Testing
import Persistence
@testable import Registry

/// One firm of the fixture, as the test knows it: the expected figures are computed from these by plain loops,
/// never by the store's SQL.
private struct Firm {
    var name: String
    var sector: String
    var employees: Int64?
    var city: String?
    var accelerators: [String] = []
    var revenue: Int64? = nil
    var synthetic = false
}

/// Unknown headcounts, firms in several programmes, cities differing only by case, synthetic rows, and sectors
/// without firms (transmedia from the seed, fintech added).
private let fixture: [Firm] = [
    Firm(name: "Calanques Pay", sector: "e-commerce", employees: 120, city: "Marseille", accelerators: ["StarDust", "Jaguar"], revenue: 3_000_000),
    Firm(name: "Massilia Data", sector: "big data", employees: 45, city: "marseille", accelerators: ["Jaguar"], revenue: 900_000),
    Firm(name: "Étoile NFC", sector: "NFC", employees: nil, city: "Aix-en-Provence", accelerators: ["gemalto", "Jaguar"]),
    Firm(name: "Voyages Bleus", sector: "e-tourisme", employees: 7, city: nil, accelerators: ["voyageprive"], revenue: 50_000),
    Firm(name: "Panier Local", sector: "e-commerce", employees: nil, city: "Aubagne"),
    Firm(name: "Data Sud", sector: "big data", employees: 0, city: "Aix-en-Provence", accelerators: ["StarDust"]),
    Firm(name: "Vieux Port Shop", sector: "e-commerce", employees: 30, city: "MARSEILLE", revenue: 400_000),
    Firm(name: "Synthetic One", sector: "big data", employees: 500, city: "Marseille", accelerators: ["Jaguar"], revenue: 10, synthetic: true),
    Firm(name: "Synthetic Two", sector: "NFC", employees: nil, city: "Toulon", synthetic: true),
]

private func close(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case let (a?, b?): abs(a - b) < 1e-12
    default: false
    }
}

@Suite struct StatisticsTests {
    let store: RegistryStore
    let sectors: [String]

    init() throws {
        store = try RegistryStore(path: ":memory:", createIfMissing: true)
        try store.addSector(name: "fintech", description: nil)
        for firm in fixture {
            try store.addStartup(StartupDraft(name: firm.name, sector: firm.sector, city: firm.city,
                                              employees: firm.employees.map(String.init),
                                              revenueEUR: firm.revenue.map(String.init),
                                              accelerators: firm.accelerators.isEmpty ? nil : firm.accelerators),
                                 source: firm.synthetic ? syntheticSource : "test fixture")
        }
        sectors = try store.sectors().map(\.name)
    }

    /// The expected per-sector rows, by loops over the fixture.
    private func expectedSectors(_ firms: [Firm], totalJobs: Int64) -> [SectorFigures] {
        let rows = sectors.map { sector in
            let inSector = firms.filter { $0.sector == sector }
            let jobs = inSector.compactMap(\.employees).reduce(0, +)
            return SectorFigures(sector: sector, firms: Int64(inSector.count), jobs: jobs,
                                 share: totalJobs == 0 ? nil : Double(jobs) / Double(totalJobs),
                                 unknownHeadcount: Int64(inSector.filter { $0.employees == nil }.count))
        }
        return rows.sorted { ($0.jobs, $1.sector.lowercased()) > ($1.jobs, $0.sector.lowercased()) }
    }

    private func expectSame(_ actual: [SectorFigures], _ expected: [SectorFigures], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.map(\.sector) == expected.map(\.sector), sourceLocation: sourceLocation)
        #expect(actual.map(\.firms) == expected.map(\.firms), sourceLocation: sourceLocation)
        #expect(actual.map(\.jobs) == expected.map(\.jobs), sourceLocation: sourceLocation)
        #expect(actual.map(\.unknownHeadcount) == expected.map(\.unknownHeadcount), sourceLocation: sourceLocation)
        #expect(zip(actual, expected).allSatisfy { close($0.share, $1.share) }, sourceLocation: sourceLocation)
    }

    private func jobs(_ firms: [Firm]) -> Int64 { firms.compactMap(\.employees).reduce(0, +) }

    @Test func jobsBySectorCountsKnownHeadcountsAndListsEmptySectors() throws {
        let figures = try store.jobsBySector()
        expectSame(figures, expectedSectors(fixture, totalJobs: jobs(fixture)))
        #expect(figures.count == 6)  // five seeded sectors and fintech, with or without firms
        #expect(figures.first { $0.sector == "fintech" }?.firms == 0)
    }

    @Test func jobsBySectorLeavesSyntheticRowsOut() throws {
        let real = fixture.filter { !$0.synthetic }
        expectSame(try store.jobsBySector(StatsScope(excludeSynthetic: true)), expectedSectors(real, totalJobs: jobs(real)))
    }

    @Test func jobsBySectorFilteredKeepsTheShareOfAllRegisteredJobs() throws {
        let jaguar = fixture.filter { $0.accelerators.contains("Jaguar") }
        expectSame(try store.jobsBySector(StatsScope(accelerator: "jaguar")), expectedSectors(jaguar, totalJobs: jobs(fixture)))

        let marseille = fixture.filter { $0.city?.lowercased() == "marseille" }
        expectSame(try store.jobsBySector(StatsScope(city: " MARSEILLE ")), expectedSectors(marseille, totalJobs: jobs(fixture)))

        let both = fixture.filter { $0.accelerators.contains("Jaguar") && $0.city?.lowercased() == "marseille" && !$0.synthetic }
        let real = fixture.filter { !$0.synthetic }
        expectSame(try store.jobsBySector(StatsScope(accelerator: "Jaguar", city: "Marseille", excludeSynthetic: true)),
                   expectedSectors(both, totalJobs: jobs(real)))

        #expect(throws: RegistryError.self) { try store.jobsBySector(StatsScope(accelerator: "Jagur")) }
    }

    @Test func byAcceleratorCountsAFirmInEachOfItsProgrammes() throws {
        for excludeSynthetic in [false, true] {
            let firms = fixture.filter { !excludeSynthetic || !$0.synthetic }
            let names = try store.accelerators().map(\.name)
            let expected = names.map { name in
                let enrolled = firms.filter { $0.accelerators.contains(name) }
                return AcceleratorFigures(accelerator: name, firms: Int64(enrolled.count), jobs: jobs(enrolled),
                                          revenueEUR: enrolled.compactMap(\.revenue).reduce(0, +),
                                          unknownHeadcount: Int64(enrolled.filter { $0.employees == nil }.count))
            }.sorted { ($0.jobs, $1.accelerator.lowercased()) > ($1.jobs, $0.accelerator.lowercased()) }
            #expect(try store.jobsByAccelerator(excludeSynthetic: excludeSynthetic) == expected)
        }
    }

    @Test func byCityGroupsCitiesIgnoringCase() throws {
        let figures = try store.jobsByCity()
        var expected: [String?: (firms: Int64, jobs: Int64, unknown: Int64)] = [:]
        for firm in fixture {
            let key = firm.city?.lowercased()
            var entry = expected[key] ?? (0, 0, 0)
            entry.firms += 1
            entry.jobs += firm.employees ?? 0
            entry.unknown += firm.employees == nil ? 1 : 0
            expected[key] = entry
        }
        #expect(figures.count == expected.count)
        for row in figures {
            let entry = try #require(expected[row.city?.lowercased()])
            #expect(row.firms == entry.firms && row.jobs == entry.jobs && row.unknownHeadcount == entry.unknown)
            #expect(close(row.share, Double(entry.jobs) / Double(jobs(fixture))))
        }
        #expect(figures.map(\.jobs) == figures.map(\.jobs).sorted(by: >))
    }

    @Test func summaryCountsEverything() throws {
        for excludeSynthetic in [false, true] {
            let firms = fixture.filter { !excludeSynthetic || !$0.synthetic }
            let summary = try store.summary(excludeSynthetic: excludeSynthetic)
            #expect(summary == RegistrySummary(
                startups: Int64(firms.count), accelerators: 8, partners: 5, sectors: 6, jobs: jobs(firms),
                revenueEUR: firms.compactMap(\.revenue).reduce(0, +),
                unknownHeadcount: Int64(firms.filter { $0.employees == nil }.count)))
        }
    }

    // MARK: Regional share

    @Test func regionalShareOnTheSeedReproducesTheArticle() throws {
        let seeded = try RegistryStore(path: ":memory:", createIfMissing: true)
        let share = try seeded.regionalShare()
        #expect(share.region == "Provence-Alpes-Côte d'Azur (PACA)")
        #expect(share.territory == "Aix-Marseille")
        #expect(share.regionalJobs == Int64((40_000.0 / 0.55).rounded(.down)))
        #expect(share.regionalJobsDerived)
        #expect(share.reportedJobs == 40_000)
        #expect(share.reportedShare == 0.55)
        // The reported 40,000 jobs of ≈72,727 are the article's 55 %.
        #expect(((share.reportedJobsShare ?? 0) * 100).rounded() == 55)
        #expect(share.registeredJobs == 0)
        #expect(share.share == 0)
    }

    @Test func regionalShareFollowsTheRegionsFigure() throws {
        let bySector = try store.regionalShare(bySector: true)
        #expect(bySector.registeredJobs == jobs(fixture))
        #expect(close(bySector.share, Double(jobs(fixture)) / 72_727))
        let sectorRows = try #require(bySector.sectors)
        expectSame(sectorRows.map { SectorFigures(sector: $0.sector, firms: $0.firms, jobs: $0.jobs, share: $0.share.map { $0 * 72_727 / Double(jobs(fixture)) }, unknownHeadcount: $0.unknownHeadcount) },
                   expectedSectors(fixture, totalJobs: jobs(fixture)))

        try store.setTerritory("paca", TerritoryDraft(digitalJobs: "80 000", year: "2016", source: "test"))
        let updated = try store.regionalShare(excludeSynthetic: true)
        let real = jobs(fixture.filter { !$0.synthetic })
        #expect(updated.regionalJobs == 80_000 && !updated.regionalJobsDerived)
        #expect(updated.registeredJobs == real)
        #expect(close(updated.share, Double(real) / 80_000))
        #expect(close(updated.reportedJobsShare, 40_000.0 / 80_000))
        #expect(updated.reportedShare == 0.55)  // what the territory reported stays as reported
    }

    @Test func regionalShareNeedsAChosenTerritoryWhenSeveralLieWithinARegion() throws {
        try store.setTerritory("Toulon", TerritoryDraft(digitalJobs: "9000", level: .metropolis, parent: "PACA"))
        #expect(throws: RegistryError.self) { try store.regionalShare() }
        let toulon = try store.regionalShare(territory: "toulon")
        #expect(toulon.reportedJobs == 9000)
        #expect(close(toulon.reportedJobsShare, 9000.0 / 72_727))
    }

    // MARK: Territories

    @Test func territorySetUpdatesCreatesAndRefuses() throws {
        let before = try store.territories()
        #expect(throws: RegistryError.self) { try store.setTerritory("Aix-Marseile", TerritoryDraft(digitalJobs: "1")) }
        #expect(throws: RegistryError.self) { try store.setTerritory("Aix-Marseille", TerritoryDraft()) }
        #expect(throws: FieldError.self) { try store.setTerritory("Aix-Marseille", TerritoryDraft(digitalJobs: "-3")) }
        #expect(throws: FieldError.self) { try store.setTerritory("Aix-Marseille", TerritoryDraft(reportedShare: "120 %")) }
        // PACA within Aix-Marseille, which lies within PACA: a loop.
        #expect(throws: RegistryError.self) { try store.setTerritory("PACA", TerritoryDraft(parent: "Aix-Marseille")) }
        #expect(try store.territories() == before)

        let (updated, created) = try store.setTerritory("aix-marseille", TerritoryDraft(firms: "7500", reportedShare: "52%"))
        #expect(!created)
        #expect(updated.firms == 7500 && updated.reportedShare == 0.52 && updated.digitalJobs == 40_000)
        let (added, isNew) = try store.setTerritory("France", TerritoryDraft(digitalJobs: "1000000", level: .country))
        #expect(isNew && added.level == .country && added.source == "manual entry")
        try store.setTerritory("PACA", TerritoryDraft(parent: "France"))
        #expect(try store.territory("paca").parent == "France")
    }

    // MARK: Aggregates

    @Test func aggregatesFollowEveryKindOfWrite() throws {
        #expect(try store.aggregatesAreConsistent())
        #expect(try store.aggregateTriggersInstalled())
        try store.updateStartup("Panier Local", StartupDraft(sector: "fintech", employees: "12"))
        try store.updateStartup("Calanques Pay", StartupDraft(employees: ""))
        try store.removeStartup("Massilia Data")
        try store.db.execute("UPDATE startups SET source = ? WHERE name = 'Data Sud'", [.text(syntheticSource)])
        try store.db.execute("UPDATE startups SET revenue_eur = 5 WHERE name = 'Voyages Bleus'")
        #expect(try store.aggregatesAreConsistent())
        let real = try store.db.rows("SELECT employees FROM startups WHERE source <> ?", [.text(syntheticSource)])
        let realJobs = try real.compactMap { try $0.get(0, as: Int64?.self) }.reduce(0, +)
        #expect(try store.summary(excludeSynthetic: true).jobs == realJobs)
    }

    @Test func rebuildRepairsTamperedAggregates() throws {
        try store.db.execute("UPDATE sector_totals SET jobs = jobs + 1")
        #expect(try !store.aggregatesAreConsistent())
        try store.rebuildAggregates()
        #expect(try store.aggregatesAreConsistent())
        expectSame(try store.jobsBySector(), expectedSectors(fixture, totalJobs: jobs(fixture)))
    }

    /// A large import loads without the aggregate triggers (`StartupLoad` drops and recreates them): they come
    /// back, and the totals hold the loaded rows as a fresh GROUP BY and the loop below count them.
    @Test func bulkLoadWithTriggersSuspended() throws {
        let count = StartupLoad.minimumBulkRows + 50
        let employees = { (i: Int) -> Int? in i % 5 == 0 ? nil : i % 40 }
        let csv = "name,sector,employees\n" + (1...count).map { "Bulk \($0),fintech,\(employees($0).map(String.init) ?? "")\n" }.joined()
        let summary = try importCSV(store, csv)
        #expect(summary.rebuiltIndexes)
        #expect(try store.aggregateTriggersInstalled())
        #expect(try store.aggregatesAreConsistent())
        let fintech = try #require(try store.jobsBySector().first { $0.sector == "fintech" })
        #expect(fintech.firms == Int64(count))
        #expect(fintech.jobs == Int64((1...count).compactMap(employees).reduce(0, +)))
        #expect(fintech.unknownHeadcount == Int64(count / 5))
    }

    /// A large import that fails (a name repeated at its end, found when the unique index is built) leaves the
    /// triggers and the totals as they were.
    @Test func failedBulkLoadLeavesTriggersAndTotals() throws {
        let before = try store.db.rows("SELECT * FROM sector_totals ORDER BY 1, 2").map(\.values)
        let count = StartupLoad.minimumBulkRows + 50
        let csv = "name,sector,employees\n" + (1...count).map { "Bulk \($0),fintech,3\n" }.joined() + "Bulk 1,NFC,4\n"
        #expect(throws: ImportError.self) { try importCSV(store, csv) }
        #expect(try store.aggregateTriggersInstalled())
        #expect(try store.db.rows("SELECT * FROM sector_totals ORDER BY 1, 2").map(\.values) == before)
        #expect(try store.aggregatesAreConsistent())
    }

    // MARK: Read-only queries

    @Test func queryParametersAreTypedAsAnalystsExpect() {
        #expect(RegistryStore.queryValue("10") == .integer(10))
        #expect(RegistryStore.queryValue("-4") == .integer(-4))
        #expect(RegistryStore.queryValue("0") == .integer(0))
        #expect(RegistryStore.queryValue("2.5") == .real(2.5))
        #expect(RegistryStore.queryValue("0.55") == .real(0.55))
        #expect(RegistryStore.queryValue("1e3") == .real(1000))
        #expect(RegistryStore.queryValue("012345678") == .text("012345678"))
        #expect(RegistryStore.queryValue("Marseille") == .text("Marseille"))
        #expect(RegistryStore.queryValue("") == .text(""))
        #expect(RegistryStore.queryValue("nan") == .text("nan"))
        #expect(RegistryStore.queryValue("62.01Z") == .text("62.01Z"))
    }

    /// The authorizer refuses on its own, even on a connection that could write.
    @Test(arguments: [
        "INSERT INTO sectors (name, source) VALUES ('x', 'y')", "UPDATE startups SET employees = 1",
        "DELETE FROM startups", "CREATE TABLE t (x)", "CREATE TEMP VIEW v AS SELECT 1", "DROP TABLE memberships",
        "ALTER TABLE startups ADD COLUMN x", "ATTACH ':memory:' AS other", "PRAGMA user_version = 9",
        "PRAGMA foreign_keys = OFF", "SELECT 1; DELETE FROM startups", "VACUUM", "BEGIN",
        "SELECT load_extension('libevil')",
    ])
    func queriesThatWouldWriteAreRefused(_ sql: String) throws {
        let before = try store.db.rows("SELECT * FROM startups ORDER BY id").map(\.values)
        let version = try store.db.scalar("PRAGMA user_version")
        #expect(throws: RegistryError.self) {
            try store.query(sql, parameters: [], columns: { _ in }, row: { _ in })
        }
        #expect(try store.db.rows("SELECT * FROM startups ORDER BY id").map(\.values) == before)
        #expect(try store.db.scalar("PRAGMA user_version") == version)
        #expect(try store.db.scalar("PRAGMA foreign_keys") == .integer(1))
        #expect(try store.db.scalar("SELECT count(*) FROM pragma_database_list WHERE name = 'other'") == .integer(0))
    }

    @Test func queryStreamsColumnsAndTypedRows() throws {
        var columns: [String] = []
        var rows: [[SQLValue]] = []
        try store.query("SELECT name, employees, 0.5 AS half, NULL AS unknown, x'01ff' AS bytes FROM startups WHERE employees > ? ORDER BY employees DESC",
                        parameters: ["40"], columns: { columns = $0 }, row: { rows.append($0) })
        #expect(columns == ["name", "employees", "half", "unknown", "bytes"])
        let expected = fixture.filter { ($0.employees ?? 0) > 40 }.sorted { $0.employees! > $1.employees! }
        #expect(rows.map { $0[0] } == expected.map { .text($0.name) })
        #expect(rows.map { $0[1] } == expected.map { .integer($0.employees!) })
        #expect(rows.allSatisfy { $0[2] == .real(0.5) && $0[3] == .null && $0[4] == .blob([1, 255]) })
        #expect(throws: RegistryError.self) { try store.query("SELECT ?", parameters: [], columns: { _ in }, row: { _ in }) }
    }
}
