import Testing
import Persistence
@testable import Registry

/// The store on a fresh, migrated and seeded in-memory registry per test.
@Suite struct StoreTests {
    let store: RegistryStore
    init() throws { store = try RegistryStore(path: ":memory:", createIfMissing: true) }

    func count(_ table: String) throws -> Int64 {
        try Int64.decode(store.db.scalar("SELECT count(*) FROM \(table)") ?? .null)
    }

    @Test func seedsHoldTheArticleAndTheNomenclature() throws {
        #expect(store.openReport.created && store.openReport.seeded)
        #expect(try count("accelerators") == 8)
        #expect(try count("partners") == 5)
        #expect(try count("sectors") == 5)
        #expect(try count("naf_codes") == 732)
        #expect(try count("territories") == 2)
        // Every seeded row names its source.
        for table in ["sectors", "accelerators", "partners", "territories"] {
            #expect(try store.db.scalar("SELECT count(*) FROM \(table) WHERE source NOT LIKE 'Article « French Tech%'") == .integer(0))
        }
    }

    @Test func loadingSeedsTwiceChangesNothing() throws {
        func all() throws -> [[SQLValue]] {
            try ["sectors", "accelerators", "partners", "territories", "naf_codes"].flatMap { table in
                try store.db.rows("SELECT * FROM \(table) ORDER BY 1").map(\.values)
            }
        }
        let before = try all()
        try store.loadSeeds()
        #expect(try all() == before)
    }

    @Test func derivedRegionalFigureFollowsFromTheArticle() throws {
        let row = try #require(try store.db.rows("SELECT digital_jobs, derived FROM territories WHERE level = 'region'").first)
        #expect(try row.get(0, as: Int.self) == Int((40_000.0 / 0.55).rounded(.down)))
        #expect(try row.get(1, as: Bool.self))
    }

    @Test func addThenReadBack() throws {
        let added = try store.addStartup(StartupDraft(name: "  Calanques Pay ", sector: "E-COMMERCE", siren: "732.829.320",
                                                      nafCode: "6201z", employees: "1 200", accelerators: ["stardust", "Jaguar"]))
        #expect(added.name == "Calanques Pay")
        #expect(added.sector == "e-commerce")
        #expect(added.siren == "732829320")
        #expect(added.nafCode == "62.01Z")
        #expect(added.employees == 1200)
        #expect(added.accelerators == ["Jaguar", "StarDust"])
        #expect(try store.startup("calanques PAY") == added)
        #expect(try store.startup("732 829 320") == added)
        #expect(try store.startup(String(added.id)) == added)
    }

    @Test func siretAloneSetsTheSiren() throws {
        let added = try store.addStartup(StartupDraft(name: "A", sector: "NFC", siret: "732 829 320 00074"))
        #expect(added.siren == "732829320")
        #expect(added.siret == "73282932000074")
    }

    @Test func failedAddWritesNothing() throws {
        let before = try count("startups")
        #expect(throws: RegistryError.self) {
            try store.addStartup(StartupDraft(name: "A", sector: "NFC", accelerators: ["Jaguar", "Nowhere"]))
        }
        #expect(try count("startups") == before)
        #expect(try count("memberships") == 0)
    }

    @Test func duplicateSirenNamesTheHolder() throws {
        try store.addStartup(StartupDraft(name: "First", sector: "NFC", siren: "732829320"))
        let error = try #require(throws: RegistryError.self) {
            try store.addStartup(StartupDraft(name: "Second", sector: "NFC", siren: "732829320"))
        }
        // The CLI's words ("; use `frenchtech startup update` to correct it") are pinned by the CLI tests.
        #expect(error.kind == .duplicate(entity: .startup, field: "siren", value: "732829320", holder: "First"))
        #expect(error.description == "a startup with SIREN 732829320 already exists (First, id 1)")
        #expect(error.remedies == [.update(.startup)])
    }

    // Migration 0003 dropped the unique index on SIRET: a SIRET's first nine digits are its SIREN, so the SIREN
    // index refuses a repeated SIRET, given alone or with its SIREN.
    @Test func duplicateSiretIsRefusedThroughItsSiren() throws {
        try store.addStartup(StartupDraft(name: "First", sector: "NFC", siret: "73282932000074"))
        for draft in [StartupDraft(name: "Second", sector: "NFC", siret: "73282932000074"),
                      StartupDraft(name: "Third", sector: "NFC", siren: "732829320", siret: "73282932000074")] {
            let error = try #require(throws: RegistryError.self) { try store.addStartup(draft) }
            #expect(error.kind == .duplicate(entity: .startup, field: "siren", value: "732829320", holder: "First"))
            #expect(error.description == "a startup with SIREN 732829320 already exists (First, id 1)")
            #expect(error.remedies == [.update(.startup)])
        }
        #expect(try count("startups") == 1)
        #expect(try store.db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'startups_by_siret'") == .integer(0))
    }

    @Test func updateKeepsWhatItIsNotGiven() throws {
        let added = try store.addStartup(StartupDraft(name: "A", sector: "NFC", city: "Marseille", employees: "4", founded: "2012"))
        let updated = try store.updateStartup("A", StartupDraft(employees: "9", accelerators: ["Kedge"]))
        #expect(updated.employees == 9)
        #expect(updated.city == "Marseille" && updated.founded == 2012 && updated.id == added.id)
        #expect(updated.accelerators == ["Kedge"])
        let cleared = try store.updateStartup("A", StartupDraft(city: ""))
        #expect(cleared.city == nil)
    }

    @Test func removingAStartupRemovesItsEnrolments() throws {
        try store.addStartup(StartupDraft(name: "A", sector: "NFC", accelerators: ["Jaguar"]))
        try store.removeStartup("a")
        #expect(try count("memberships") == 0)
        #expect(try store.accelerator("Jaguar").firms == 0)
    }

    @Test func aCohortInBracketsOutranksTheCohortOption() throws {
        // As `startup add --accelerator "Jaguar (2015)" --accelerator Kedge --cohort 2014` gives them.
        let added = try store.addStartup(StartupDraft(name: "A", sector: "NFC", accelerators: ["Jaguar (2015)", "Kedge"], cohort: "2014"))
        #expect(try store.memberships(ofStartup: added.id) == [Membership(accelerator: "Jaguar", cohort: 2015),
                                                             Membership(accelerator: "Kedge", cohort: 2014)])
        // An update names the programme again with another year: the cohort changes, the enrolments stay two.
        try store.updateStartup("A", StartupDraft(accelerators: ["jaguar (2016)"]))
        #expect(try store.memberships(ofStartup: added.id) == [Membership(accelerator: "Jaguar", cohort: 2016),
                                                             Membership(accelerator: "Kedge", cohort: 2014)])
    }

    @Test func joinAndLeave() throws {
        try store.addStartup(StartupDraft(name: "A", sector: "NFC"))
        #expect(try store.join("A", accelerator: "gemalto", cohort: "2015").accelerators == ["gemalto (2015)"])
        #expect(try store.memberships(ofStartup: 1) == [Membership(accelerator: "gemalto", cohort: 2015)])
        // Joining again changes the cohort, not the count.
        try store.join("A", accelerator: "GEMALTO", cohort: "2016")
        #expect(try store.memberships(ofStartup: 1) == [Membership(accelerator: "gemalto", cohort: 2016)])
        #expect(try store.leave("A", accelerator: "gemalto").accelerators.isEmpty)
        #expect(throws: RegistryError.self) { try store.leave("A", accelerator: "gemalto") }
    }

    @Test func filtersCombine() throws {
        try store.addStartup(StartupDraft(name: "Alpha", sector: "NFC", city: "Marseille", accelerators: ["Jaguar"]))
        try store.addStartup(StartupDraft(name: "Beta", sector: "NFC", city: "Aix-en-Provence", accelerators: ["Jaguar"]))
        try store.addStartup(StartupDraft(name: "Gamma", sector: "big data", city: "marseille"))
        func names(_ filter: StartupFilter) throws -> [String] { try store.startups(filter).map(\.name) }
        #expect(try names(StartupFilter(accelerator: "jaguar")) == ["Alpha", "Beta"])
        #expect(try names(StartupFilter(city: "MARSEILLE")) == ["Alpha", "Gamma"])
        #expect(try names(StartupFilter(accelerator: "Jaguar", city: "Marseille")) == ["Alpha"])
        #expect(try names(StartupFilter(sector: "NFC", search: "et")) == ["Beta"])
        #expect(try names(StartupFilter(search: "100%_")) == [])
    }

    @Test func acceleratorsAndPartnersAndSectors() throws {
        let added = try store.addAccelerator(name: "Provence Booster", pilot: nil, sector: "NFC")
        #expect(added.pilot == "Provence Booster" && added.sector == "NFC")
        #expect(throws: RegistryError.self) { try store.addAccelerator(name: "provence booster", pilot: nil, sector: nil) }
        let renamed = try store.updateAccelerator("Provence Booster", name: "Booster", pilot: "Booster SAS", sector: "")
        #expect(renamed.name == "Booster" && renamed.pilot == "Booster SAS" && renamed.sector == nil)
        try store.removeAccelerator("booster", force: false)
        #expect(try store.accelerators().count == 8)

        let partner = try store.addPartner(name: "Région Sud", kind: .region, role: nil)
        #expect(try store.updatePartner(String(partner.id), name: nil, kind: nil, role: "Co-funds").role == "Co-funds")
        try store.removePartner("region sud")
        #expect(try store.partners().count == 5)

        try store.addSector(name: "fintech", description: nil)
        #expect(throws: RegistryError.self) { try store.addSector(name: "FinTech", description: nil) }
        try store.removeSector("fintech")
        #expect(throws: RegistryError.self) { try store.removeSector("NFC") }  // gemalto's focus
    }
}

/// Sectors count their firms from the statistics' totals, startups having no index by sector (migration 0004).
@Suite struct SectorCountTests {
    let store: RegistryStore
    init() throws { store = try RegistryStore(path: ":memory:", createIfMissing: true) }

    @Test func countsFollowAddsImportsUpdatesAndRemovals() throws {
        func counted() throws -> [String: Int] {
            // Counted here from the startups themselves, by name.
            var counts: [String: Int] = [:]
            for row in try store.db.rows("SELECT sec.name, (SELECT count(*) FROM startups s WHERE s.sector_id = sec.id) FROM sectors sec") {
                counts[try row.get(0, as: String.self)] = try row.get(1, as: Int.self)
            }
            return counts
        }
        func listed() throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for sector in try store.sectors() { counts[sector.name] = Int(sector.firms) }
            return counts
        }
        try store.addStartup(StartupDraft(name: "Alpha", sector: "NFC"))
        // A bulk load (indexes and triggers dropped, totals added at the end), with a new sector.
        let rows = (1...1_500).map { "Firm \($0),\($0.isMultiple(of: 3) ? "fintech" : "big data"),\($0 % 7)" }
        try importCSV(store, "name,sector,employees\n" + rows.joined(separator: "\n"), options: ImportOptions(source: "import: s.csv", newSectors: true))
        try store.generateStartups(count: 40, seed: 3)
        try store.updateStartup("Alpha", StartupDraft(sector: "fintech"))
        try store.removeStartup("Firm 3")
        #expect(try listed() == counted())
        let fintech = try #require(try counted()["fintech"])
        #expect(fintech >= 500)  // 500 from the file, less Firm 3, plus Alpha, plus any synthetic firm drawn there
        #expect(try store.sector("fintech").firms == fintech)
        #expect(try store.db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'startups_by_sector'") == .integer(0))
        // In use: refused, and nothing removed.
        let error = try #require(throws: RegistryError.self) { try store.removeSector("fintech") }
        #expect(error.message.hasPrefix("sector fintech is used by \(fintech) startups"))
        #expect(try store.sectors().count == counted().count)
    }
}

/// Opening files: the store refuses what it must not touch.
@Suite struct OpeningTests {
    @Test func missingNamedFileIsNotCreated() throws {
        let path = "/tmp/frenchtech-missing-\(UInt64.random(in: 0...UInt64.max)).sqlite"
        let error = try #require(throws: RegistryError.self) { try RegistryStore(path: path) }
        #expect(error.kind == .missingInput(path: path))
    }

    @Test func emptyRegistryHasSchemaOnly() throws {
        let store = try RegistryStore(path: ":memory:", createIfMissing: true, seed: false)
        #expect(store.openReport.created && !store.openReport.seeded)
        #expect(try store.accelerators().isEmpty)
        #expect(try store.migrationStatus().allSatisfy { $0.appliedAt != nil })
    }
}
