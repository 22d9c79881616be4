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
