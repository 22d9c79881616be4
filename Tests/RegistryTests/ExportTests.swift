import CSVStream
import Persistence
@testable import Registry
import Testing

@Suite struct ExportTests {
    let store: RegistryStore
    init() throws { store = try RegistryStore(path: ":memory:", createIfMissing: true) }

    /// Startups with their sector and programmes (and cohorts), by name, in a form both registries can be compared in.
    func firms(_ store: RegistryStore) throws -> [[SQLValue]] {
        try store.db.rows("""
            SELECT s.name, sec.name, s.siren, s.siret, s.naf_code, s.city, s.employees, s.founded, s.revenue_eur,
                   (SELECT group_concat(enrolment, ',') FROM (
                        SELECT a.name || ':' || coalesce(m.cohort, 'none') AS enrolment
                        FROM memberships m JOIN accelerators a ON a.id = m.accelerator_id
                        WHERE m.startup_id = s.id ORDER BY a.name))
            FROM startups s JOIN sectors sec ON sec.id = s.sector_id ORDER BY s.name_key
            """).map(\.values)
    }

    func export(_ filter: StartupFilter = StartupFilter()) throws -> String {
        var writer = CSVWriter()
        try store.exportStartupsCSV(filter, to: &writer)
        return String(decoding: writer.buffer, as: UTF8.self)
    }

    @Test func csvExportImportedIntoAnEmptyRegistryGivesTheSameStartups() throws {
        try store.addSector(name: "santé numérique", description: nil)
        try store.addStartup(StartupDraft(name: "Calanques, \"Pay\"", sector: "e-commerce", siren: luhnCompleted("73282932"),
                                          siret: luhnCompleted(luhnCompleted("73282932") + "0001"), nafCode: "62.01Z",
                                          city: "Marseille", employees: "12", founded: "2013", revenueEUR: "1500000",
                                          accelerators: ["StarDust", "Jaguar", "P/factory"]))
        try store.addStartup(StartupDraft(name: "Étoile Santé", sector: "santé numérique", siren: luhnCompleted("01234567"),
                                          accelerators: ["Kedge", "gemalto"], cohort: "2014"))
        try store.join("Étoile Santé", accelerator: "Kedge", cohort: "2016")
        try store.addStartup(StartupDraft(name: "Nothing Known", sector: "NFC"))
        // A programme whose name ends in brackets keeps its name, with a cohort or without. Such names are refused
        // since (a CSV cell would read a cohort); one registered before, or by another tool, is written here.
        try store.db.execute("INSERT INTO accelerators (name, pilot, source) VALUES ('Lab (2014)', 'Lab', 'before')")
        try store.addStartup(StartupDraft(name: "Bracketed", sector: "NFC", accelerators: ["Lab (2014)"]))
        try store.addStartup(StartupDraft(name: "Bracketed Cohort", sector: "NFC", accelerators: ["Lab (2014)"], cohort: "2015"))
        try store.generateStartups(count: 300, seed: 7)
        #expect(try store.db.scalar("SELECT count(*) FROM memberships WHERE cohort IS NOT NULL") == .integer(3))
        let csv = try export()
        #expect(csv.contains(",gemalto (2014)|Kedge (2016)\r\n"))
        #expect(csv.contains(",Lab (2014)\r\n") && csv.contains(",Lab (2014) (2015)\r\n"))

        let copy = try RegistryStore(path: ":memory:", createIfMissing: true)
        try copy.db.execute("INSERT INTO accelerators (name, pilot, source) VALUES ('Lab (2014)', 'Lab', 'before')")
        let summary = try importCSV(copy, csv, options: ImportOptions(source: "import: export.csv", newSectors: true))
        #expect(summary.inserted == 305)
        #expect(try firms(copy) == firms(store))
        #expect(try firms(copy).count == 305)
    }

    @Test func headerAndCellsFollowTheImportColumns() throws {
        try store.addStartup(StartupDraft(name: "Alpha", sector: "NFC", employees: "0", accelerators: ["Kedge", "gemalto"]))
        let lines = try export().split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines == ["name,sector,siren,siret,naf_code,city,employees,founded,revenue_eur,accelerators",
                          "Alpha,NFC,,,,,0,,,gemalto|Kedge", ""])
    }

    @Test func registryOrderReadsProgrammesAlongsideWithTheSameCells() throws {
        try store.generateStartups(count: 400, seed: 11)
        try store.addStartup(StartupDraft(name: "Many Programmes", sector: "NFC", accelerators: ["voyageprive", "Kedge", "gemalto"]))
        let byID = try export(StartupFilter(sort: .id)).split(separator: "\r\n")
        let byName = try export(StartupFilter(sort: .name)).split(separator: "\r\n")
        #expect(Set(byID) == Set(byName) && byID.count == byName.count)
        let names = try store.db.rows("SELECT name FROM startups ORDER BY id").map { try $0.get(0, as: String.self) }
        #expect(byID.dropFirst().map { $0.split(separator: ",")[0] } == names.map { Substring($0) })
        #expect(byID.last?.hasSuffix(",gemalto|Kedge|voyageprive") == true)
    }

    @Test func filtersApplyAndSyntheticFirmsCanBeLeftOut() throws {
        try store.addStartup(StartupDraft(name: "Real One", sector: "NFC"))
        try store.generateStartups(count: 20, seed: 1)
        let all = try export().split(separator: "\r\n").count - 1
        let real = try export(StartupFilter(excludeSynthetic: true)).split(separator: "\r\n")
        #expect(all == 21)
        #expect(real.count == 2 && real[1].hasPrefix("Real One,"))
        let nfc = try store.db.scalar("SELECT count(*) FROM startups s JOIN sectors sec ON sec.id = s.sector_id WHERE sec.name = 'NFC'")
        #expect(.integer(Int64(try export(StartupFilter(sector: "nfc")).split(separator: "\r\n").count - 1)) == nfc)
    }
}
