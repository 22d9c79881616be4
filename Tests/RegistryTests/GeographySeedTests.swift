import Foundation
import Testing
import Persistence
@testable import Registry

/// Migration 0007 and seeds 0003–0007: the geography, the seeded perimeters and INSEE's ICT set, in new
/// registries and in registries made before them. Expected figures are read from the seed CSV files by Python.
@Suite struct GeographySeedTests {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Seeds").path

    /// Python's count over the seeds, for `expression` over rows `r` of Seeds/FILE.
    func pythonCount(_ file: String, where expression: String) throws -> Int64 {
        let script = "import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.stdin.read())) if \(expression)))"
        return Int64(try pythonLines(script, input: "\(Self.seeds)/\(file)").first ?? "") ?? -1
    }

    func count(_ db: Database, _ sql: String) throws -> Int64 {
        try db.scalar(sql).flatMap { if case .integer(let n) = $0 { n } else { nil } } ?? -1
    }

    func expectGeography(_ db: Database) throws {
        #expect(try count(db, "SELECT count(*) FROM communes") == pythonCount("0006_communes_2026.csv", where: "True"))
        #expect(try count(db, "SELECT count(*) FROM communes WHERE kind = 'arrondissement'") == 45)
        #expect(try count(db, "SELECT count(*) FROM epcis") == pythonCount("0005_epci_2026.csv", where: "r['siren'].isdigit()"))
        #expect(try count(db, "SELECT count(*) FROM departments") == pythonCount("0004_departments_2026.csv", where: "True"))
        #expect(try count(db, "SELECT count(*) FROM regions") == pythonCount("0003_regions_2026.csv", where: "True"))
        // ICT = groups 26.1–26.4, 26.8, 46.5, 58.2, 61, 62, 63.1, 95.1 (INSEE): its sub-classes, by Python.
        let ict = try pythonCount("0002_naf_rev2.csv", where: "r['group_code'] in ('26.1','26.2','26.3','26.4','26.8','46.5','58.2','63.1','95.1') or r['division_code'] in ('61','62')")
        #expect(ict == 25)
        #expect(try count(db, "SELECT count(*) FROM naf_set_subclasses JOIN naf_sets ON id = naf_set_id WHERE name = 'ict'") == ict)
        #expect(try db.rows("PRAGMA foreign_key_check").isEmpty)
    }

    func perimeterSize(_ db: Database, _ territory: String, kind: String) throws -> Int64 {
        try count(db, """
            SELECT count(*) FROM territory_communes tc JOIN communes c ON c.code = tc.commune
            WHERE c.kind = '\(kind)' AND tc.territory_id = (SELECT id FROM territories WHERE name = '\(territory.replacing("'", with: "''"))')
            """)
    }

    @Test func aNewRegistryHasTheGeographyAndThePerimeters() throws {
        let store = try RegistryStore(path: ":memory:", createIfMissing: true)
        try expectGeography(store.db)
        let aixMarseille = try pythonCount("0006_communes_2026.csv", where: "r['epci_siren'] == '200054807' and r['kind'] == 'commune'")
        #expect(aixMarseille == 92)
        #expect(try perimeterSize(store.db, "Aix-Marseille", kind: "commune") == aixMarseille)
        #expect(try perimeterSize(store.db, "Aix-Marseille", kind: "arrondissement") == 16, "Marseille's, as SIRENE codes them")
        #expect(try perimeterSize(store.db, "Provence-Alpes-Côte d'Azur (PACA)", kind: "commune")
                == pythonCount("0006_communes_2026.csv", where: "r['region'] == '93' and r['kind'] == 'commune'"))
    }

    @Test func anEmptyRegistryHasTheReferenceDataButNoTerritory() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "frenchtech-geo-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try RegistryStore(path: path, createIfMissing: true, seed: false)
        try expectGeography(store.db)
        #expect(try count(store.db, "SELECT count(*) FROM territories") == 0)
        #expect(try count(store.db, "SELECT count(*) FROM territory_perimeters") == 0)
    }

    /// A registry made at migration 0006 gets the reference data and the perimeters of the seeded territories
    /// it still has, in the migration's transaction; one its users removed a territory from gets no perimeter
    /// for it, and the facts they removed are not seeded again.
    @Test func anOlderRegistryGetsThemWithTheMigration() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "frenchtech-geo-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let db = try Database(path: path)
            try Migrator(migrations: Schema.migrations.filter { $0.version <= 6 }).migrate(db)
            try db.executeScript(String(contentsOfFile: "\(Self.seeds)/0001_french_tech_aix_marseille_2014.sql", encoding: .utf8))
            // The NAF nomenclature every registry has had since its first schema.
            let naf = "import csv,sys\nfor r in csv.reader(list(open(sys.stdin.read()))[1:]):\n print('INSERT INTO naf_codes VALUES (%s);' % ','.join(\"'\" + v.replace(\"'\", \"''\") + \"'\" for v in r))"
            try db.executeScript(try pythonLines(naf, input: "\(Self.seeds)/0002_naf_rev2.csv").joined(separator: "\n"))
            try db.executeScript("DELETE FROM territories WHERE name = 'Aix-Marseille'; DELETE FROM partners;")
        }
        let store = try RegistryStore(path: path, seed: false)
        #expect(store.openReport.appliedMigrations == Schema.migrations.filter { $0.version > 6 }.map(\.fileName))
        try expectGeography(store.db)
        #expect(try count(store.db, "SELECT count(*) FROM partners") == 0, "facts removed stay removed")
        #expect(try store.db.rows("SELECT kind, code FROM territory_perimeters").map(\.values) == [[.text("region"), .text("93")]])
    }
}
