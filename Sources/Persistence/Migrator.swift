import CSQLite

/// A numbered schema change: `0003_add_index.sql` is version 3, named "add_index".
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads version and name from a file name like `0001_initial_schema.sql`; nil if it does not start with digits.
    public init?(fileName: String, sql: String) {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        guard let version = Int(digits), version > 0 else { return nil }
        var name = stem.dropFirst(digits.count)
        if name.first == "_" { name = name.dropFirst() }
        self.init(version: version, name: String(name), sql: sql)
    }

    public var fileName: String {
        let number = String(version)
        return String(repeating: "0", count: max(0, 4 - number.count)) + number + "_" + name + ".sql"
    }

    /// FNV-1a (64-bit) of the text, in hex: enough to notice an edited file; not a security measure.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

public enum MigrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An applied migration's text differs from the one this binary carries.
    case modified(version: Int, fileName: String)
    /// The database was migrated by a newer binary.
    case newerSchema(database: Int, known: Int)
    /// Two migrations share a version number.
    case duplicateVersion(Int)
    /// Applying the migrations would leave rows whose foreign key points to no row (`PRAGMA foreign_key_check`).
    case brokenForeignKeys(table: String, rowid: Int64?, parent: String, count: Int)

    public var description: String {
        switch self {
        case .modified(let version, let fileName):
            "migration \(version) (\(fileName)) was changed after it was applied to this database; restore the original file, and put schema changes in a new numbered migration"
        case .newerSchema(let database, let known):
            "the database has schema version \(database), newer than this frenchtech knows (\(known)); use a newer frenchtech"
        case .duplicateVersion(let version):
            "two migrations share version \(version); give each file its own number"
        case .brokenForeignKeys(let table, let rowid, let parent, let count):
            "migrating would leave \(count) row\(count == 1 ? "" : "s") of \(table) pointing to a missing \(parent) row (first: rowid \(rowid.map(String.init) ?? "?")); nothing was applied; repair the references (`frenchtech check` lists them) or restore from a backup"
        }
    }
}

/// Where one migration stands on a database.
public struct MigrationStatus: Equatable, Sendable {
    public let version: Int
    public let name: String
    /// When it was applied (UTC, ISO 8601), nil while pending.
    public let appliedAt: String?
    /// False when the applied text differs from the carried one.
    public let checksumMatches: Bool
}

/// Applies numbered migrations in order, each in its own transaction together with the row that records it.
/// `PRAGMA user_version` mirrors the highest applied version so that opening a database can tell cheaply
/// whether anything is pending.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) throws(MigrationError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw MigrationError.duplicateVersion(a.version)
        }
        self.migrations = sorted
    }

    public var latestVersion: Int { migrations.last?.version ?? 0 }

    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL
        ) STRICT
        """

    /// The schema version recorded in the file's header.
    public func databaseVersion(_ db: Database) throws(SQLiteError) -> Int {
        guard case .integer(let version)? = try db.scalar("PRAGMA user_version") else { return 0 }
        return Int(version)
    }

    /// Whether the database is exactly at the version this binary knows.
    public func isCurrent(_ db: Database) throws(SQLiteError) -> Bool {
        try databaseVersion(db) == latestVersion
    }

    /// Applied and pending migrations, in order.
    public func status(_ db: Database) throws -> [MigrationStatus] {
        let applied = try appliedRows(db)
        return migrations.map { migration in
            let row = applied[migration.version]
            return MigrationStatus(
                version: migration.version,
                name: migration.name,
                appliedAt: row?.appliedAt,
                checksumMatches: row.map { $0.checksum == migration.checksum } ?? true
            )
        }
    }

    /// Refuses a database from a newer binary or one whose applied migrations were edited since.
    public func verify(_ db: Database) throws {
        let version = try databaseVersion(db)
        let appliedRows = try appliedRows(db)
        let newest = max(version, appliedRows.keys.max() ?? 0)
        if newest > latestVersion { throw MigrationError.newerSchema(database: newest, known: latestVersion) }
        for migration in migrations {
            if let row = appliedRows[migration.version], row.checksum != migration.checksum {
                throw MigrationError.modified(version: migration.version, fileName: migration.fileName)
            }
        }
    }

    /// Applies the pending migrations, each in its own transaction with the row that records it; returns them.
    /// With `finish` (a new registry's seed data), the migrations and `finish` share one transaction instead: the
    /// file then holds none of them or all.
    ///
    /// Foreign keys are off while they run and checked before each commit (`PRAGMA foreign_key_check`), as GRDB's
    /// DatabaseMigrator does by default: SQLite's way of changing a table beyond ALTER TABLE (a new table, the rows
    /// copied, the old one dropped) would otherwise cascade or refuse on the drop. SQLite switches foreign keys
    /// only outside a transaction: call this outside one.
    @discardableResult
    public func migrate(_ db: Database, then finish: (() throws -> Void)? = nil) throws -> [Migration] {
        guard !db.isInTransaction else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "migrations can only be applied outside a transaction")
        }
        let foreignKeys = try db.scalar("PRAGMA foreign_keys") == .integer(1)
        if foreignKeys { try db.executeScript("PRAGMA foreign_keys = OFF") }
        defer {
            if foreignKeys { try? db.executeScript("PRAGMA foreign_keys = ON") }
            // A migration that copies rows as they are (0005) turns CHECKs off for its copy: never left so on failure.
            try? db.executeScript("PRAGMA ignore_check_constraints = OFF")
        }
        if let finish {
            return try db.transaction {
                let done = try applyPending(db, limit: .max)
                try finish()
                if foreignKeys { try checkForeignKeys(db) }
                return done
            }
        }
        var done: [Migration] = []
        while let next = try db.transaction({ () throws -> Migration? in
            let step = try applyPending(db, limit: 1).first
            if foreignKeys && step != nil { try checkForeignKeys(db) }  // a full pass: not when nothing was applied
            return step
        }) {
            done.append(next)
        }
        return done
    }

    /// Within a transaction: applies up to `limit` pending migrations, read under the write lock (another process
    /// may have migrated the file since it was opened).
    private func applyPending(_ db: Database, limit: Int) throws -> [Migration] {
        try verify(db)
        try db.executeScript(Migrator.createTable)
        let applied = try appliedRows(db)
        var done: [Migration] = []
        for migration in migrations where applied[migration.version] == nil && done.count < limit {
            try db.executeScript(migration.sql)
            try db.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                [.integer(Int64(migration.version)), .text(migration.name), .text(migration.checksum)]
            )
            try db.setPragma("user_version", migration.version)
            done.append(migration)
        }
        return done
    }

    private func checkForeignKeys(_ db: Database) throws {
        let broken = try db.rows("PRAGMA foreign_key_check")
        guard let first = broken.first else { return }
        let rowid: Int64? = if case .integer(let id) = first[1] { id } else { nil }
        throw MigrationError.brokenForeignKeys(table: try first.get(0), rowid: rowid, parent: try first.get(2), count: broken.count)
    }

    private func appliedRows(_ db: Database) throws -> [Int: (checksum: String, appliedAt: String)] {
        guard try db.scalar("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'") != nil else {
            return [:]
        }
        var result: [Int: (checksum: String, appliedAt: String)] = [:]
        for row in try db.rows("SELECT version, checksum, applied_at FROM schema_migrations") {
            result[try row.get(0, as: Int.self)] = (try row.get(1), try row.get(2))
        }
        return result
    }
}
