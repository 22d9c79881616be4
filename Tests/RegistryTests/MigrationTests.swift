import Foundation
import Testing
import Persistence
@testable import Registry

/// Migration 0006: the seeds' source names the article, not a path of the repository that made the registry.
@Suite struct SeedSourceMigrationTests {
    static let seedFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Seeds/0001_french_tech_aix_marseille_2014.sql")
    static let article = "Article « French Tech · Tous unis pour dynamiser le numérique ! », 12.2014, Maurice Gouiran"
    static let oldText = article + " (shared/seed/french-tech-aix-marseille-2014.txt)"
    static let tables = ["sectors", "accelerators", "partners", "territories"]

    func sources(_ db: Database, _ table: String) throws -> [String] {
        try db.rows("SELECT source FROM \(table) ORDER BY id").map { try $0.get(0, as: String.self) }
    }

    /// A registry as the binaries before 0006 made it: schema 0001-0005 and the seed with its old source text,
    /// beside rows another source wrote.
    @Test func upgradeRewritesOnlyTheSeedsRows() throws {
        let db = try Database(path: ":memory:")
        try Migrator(migrations: Schema.migrations.filter { $0.version <= 5 }).migrate(db)
        let seed = try String(contentsOf: Self.seedFile, encoding: .utf8)
        #expect(seed.contains("'\(Self.article)'"), "the seed file names the article alone")
        try db.executeScript(seed.replacing("'\(Self.article)'", with: "'\(Self.oldText)'"))
        try db.execute("INSERT INTO partners (name, kind, source) VALUES ('Région Sud', 'region', ?)", [.text("Région Sud, 2016")])
        try db.execute("INSERT INTO sectors (name, source) VALUES ('robotics', ?)", [.text(Self.oldText + " and more")])
        let before = try Self.tables.map { try sources(db, $0) }
        #expect(before.joined().filter { $0 == Self.oldText }.count == 5 + 8 + 5 + 2, "the old seed wrote its text on every row")

        try Schema.migrator().migrate(db)

        for (table, old) in zip(Self.tables, before) {
            let expected = old.map { $0 == Self.oldText ? Self.article : $0 }
            #expect(try sources(db, table) == expected, "\(table)")
        }
        #expect(try db.scalar("SELECT count(*) FROM partners WHERE source = 'Région Sud, 2016'") == .integer(1))
        #expect(try db.scalar("SELECT count(*) FROM sectors WHERE source = ?", [.text(Self.oldText + " and more")]) == .integer(1))
    }

    @Test func aNewRegistryNamesNoPath() throws {
        let store = try RegistryStore(path: ":memory:", createIfMissing: true)
        for table in Self.tables {
            let all = try sources(store.db, table)
            #expect(!all.isEmpty && all.allSatisfy { $0 == Self.article }, "\(table): \(all)")
        }
    }
}

/// Migrating a registry that already holds startups keeps every row and enrolment, and the statistics
/// migration counts the rows that were already there.
@Test func laterMigrationsKeepStartupsAndEnrolments() throws {
    let path = FileManager.default.temporaryDirectory.appending(path: "frenchtech-migrate-\(UUID().uuidString).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    do {
        let db = try Database(path: path)
        try Migrator(migrations: Schema.migrations.filter { $0.version == 1 }).migrate(db)
        try db.executeScript("""
            INSERT INTO sectors (name, source) VALUES ('NFC', 's');
            INSERT INTO accelerators (name, pilot, source) VALUES ('Kedge', 'Kedge', 's');
            INSERT INTO startups (name, name_key, siren, sector_id, employees, source) VALUES ('Étoile', 'etoile', '552100554', 1, 3, 's');
            INSERT INTO memberships VALUES (1, 1, 2015);
            """)
    }
    let store = try RegistryStore(path: path, seed: false)
    #expect(store.openReport.appliedMigrations.contains("0002_statistics_aggregates.sql"))
    #expect(try store.db.rows("SELECT name, siren, employees FROM startups").map(\.values) == [[.text("Étoile"), .text("552100554"), .integer(3)]])
    #expect(try store.db.rows("SELECT * FROM memberships").map(\.values) == [[.integer(1), .integer(1), .integer(2015)]])
    #expect(try store.db.rows("PRAGMA foreign_key_check").isEmpty)
    // The totals of 0002 counted the row that was there, and its triggers count the next.
    #expect(try store.aggregateTriggersInstalled())
    try store.addStartup(StartupDraft(name: "Deux", sector: "NFC", employees: "4"))
    #expect(try store.db.rows("SELECT firms, jobs FROM sector_totals WHERE sector_id = 1 AND synthetic = 0").map(\.values) == [[.integer(2), .integer(7)]])
    #expect(try store.aggregatesAreConsistent())
    let duplicate = #expect(throws: SQLiteError.self) {
        try store.db.execute("INSERT INTO startups (name, name_key, siren, sector_id, source) VALUES ('x', 'x', '552100554', 1, 's')")
    }
    #expect(duplicate?.message == "UNIQUE constraint failed: startups.siren")
    // A registry keeps the page size it was made with (SQLite's default here).
    #expect(try store.db.scalar("PRAGMA page_size") == .integer(4_096))
}

/// A new registry file gets larger pages than SQLite's default, as a second connection reads them.
@Test func newRegistriesUseLargerPages() throws {
    let path = FileManager.default.temporaryDirectory.appending(path: "frenchtech-pages-\(UUID().uuidString).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    _ = try RegistryStore(path: path, createIfMissing: true)
    #expect(try Database(path: path, mode: .readOnly).scalar("PRAGMA page_size") == .integer(16_384))
}
