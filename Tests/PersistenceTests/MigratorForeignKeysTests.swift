import Testing
@testable import Persistence

/// Migrations run with foreign keys off and checked before each commit, as GRDB's DatabaseMigrator does: a table
/// can be rebuilt (copied aside, dropped, created again) without its children cascading away, and a migration
/// that leaves a reference pointing nowhere is refused.
@Suite struct MigratorForeignKeys {
    let db: Database
    init() throws { db = try Database(path: ":memory:") }

    let schema = Migration(fileName: "0001_schema.sql", sql: """
        CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE);
        INSERT INTO parent VALUES (1, 'one'), (2, 'two');
        INSERT INTO child VALUES (10, 1), (20, 2);
        """)!

    /// SQLite's table rebuild. With foreign keys on, DROP TABLE parent deletes its rows first, and the cascade
    /// takes the children with them.
    let rebuild = Migration(fileName: "0002_rebuild.sql", sql: """
        CREATE TEMP TABLE parent_old AS SELECT * FROM main.parent;
        DROP TABLE main.parent;
        CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
        INSERT INTO main.parent SELECT * FROM temp.parent_old;
        DROP TABLE temp.parent_old;
        """)!

    @Test func aRebuiltParentTableKeepsItsChildren() throws {
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1))
        try Migrator(migrations: [schema, rebuild]).migrate(db)
        #expect(try db.rows("SELECT id, parent_id FROM child ORDER BY id").map { [$0[0], $0[1]] }
                == [[.integer(10), .integer(1)], [.integer(20), .integer(2)]])
        #expect(try db.scalar("SELECT group_concat(name) FROM (SELECT name FROM parent ORDER BY id)") == .text("one,two"))
        #expect(try db.scalar("SELECT sql LIKE '%AUTOINCREMENT%' FROM sqlite_schema WHERE name = 'parent'") == .integer(1))
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1), "foreign keys are on again")
        // And enforced again: a child of no parent is refused.
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO child VALUES (30, 99)") }
    }

    @Test func aMigrationThatBreaksAReferenceIsRefused() throws {
        let breaking = Migration(fileName: "0002_break.sql", sql: "DELETE FROM parent WHERE id = 2;")!
        let migrator = try Migrator(migrations: [schema, breaking])
        let error = try #require(throws: MigrationError.self) { try migrator.migrate(db) }
        #expect(error == .brokenForeignKeys(table: "child", rowid: 20, parent: "parent", count: 1))
        #expect(try db.scalar("PRAGMA user_version") == .integer(1), "0002 rolled back, 0001 kept")
        #expect(try db.scalar("SELECT count(*) FROM parent") == .integer(2))
        #expect(try db.scalar("SELECT count(*) FROM child") == .integer(2))
        #expect(try db.scalar("PRAGMA foreign_keys") == .integer(1), "foreign keys are on again after a failure")
    }

    /// A new database's migrations and what follows them (a registry's seed data) commit together or not at all.
    @Test func migrationsAndFinishShareOneTransaction() throws {
        struct SeedFailure: Error {}
        let migrator = try Migrator(migrations: [schema, rebuild])
        #expect(throws: SeedFailure.self) {
            try migrator.migrate(db, then: {
                try db.execute("INSERT INTO parent (name) VALUES ('three')")
                throw SeedFailure()
            })
        }
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema") == .integer(0), "nothing left, not even schema_migrations")
        #expect(try db.scalar("PRAGMA user_version") == .integer(0))
        let applied = try migrator.migrate(db, then: { try db.execute("INSERT INTO parent (name) VALUES ('three')") })
        #expect(applied.map(\.version) == [1, 2])
        #expect(try db.scalar("SELECT group_concat(id) FROM (SELECT id FROM parent ORDER BY id)") == .text("1,2,3"))
    }

    @Test func refusedInsideATransaction() throws {
        try db.executeScript("BEGIN")
        #expect(throws: SQLiteError.self) { try Migrator(migrations: [schema]).migrate(db) }
        try db.executeScript("ROLLBACK")
    }
}
