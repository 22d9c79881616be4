import Persistence
#if canImport(Glibc)
import Glibc
#endif

/// One result of `frenchtech check`.
public struct CheckResult: Equatable, Sendable {
    public let name: String
    public let passed: Bool
    /// "ok", or what is wrong.
    public let detail: String
}

extension RegistryStore {
    // MARK: Backup

    /// Writes a consistent copy of the registry to `destination`, safe while other processes write.
    /// The copy is made in a temporary file beside `destination` and renamed into place once complete
    /// (`AtomicFile`), so a failed or killed backup never leaves a half-written file under that name.
    /// Returns the size of the copy in bytes.
    @discardableResult
    public func backup(to destination: String, replacing: Bool) throws -> Int {
        let file = try createFile(at: destination, replacing: replacing, exampleName: "frenchtech-backup.sqlite")
        // Renaming a new file over a database that has a WAL or journal beside it would pair the new file
        // with the old one's pending pages.
        for suffix in ["-wal", "-journal"] where access(file.destination + suffix, F_OK) == 0 {
            file.abandon()
            throw RegistryError.failure("\(destination) is a database in use (\(destination + suffix) exists); close what uses it, or give another path")
        }
        do {
            // SQLite opens the temporary by name: the empty file AtomicFile created exclusively, never a link.
            try db.backup(to: file.temporaryPath)
        } catch {  // an SQLiteError: backup(to:) throws no other
            file.abandon()
            if error.code == SQLiteError.cantOpen {
                throw RegistryError.failure("cannot write the backup \(destination): \(error.message); check that its folder is writable")
            }
            if error.code == SQLiteError.busy {
                throw RegistryError.failure("cannot write the backup \(destination): another process holds it locked; try again, or give another path")
            }
            throw RegistryError.failure("the backup to \(destination) failed: \(error.message); nothing was written there")
        }
        try file.commit()
        var copy = stat()
        return stat(file.destination, &copy) == 0 ? Int(copy.st_size) : 0
    }

    // MARK: Check

    /// The registry's health: SQLite's integrity and foreign-key checks, the applied migrations' checksums, the
    /// schema version, and the rules of add, update and import over every stored value (rows other tools wrote).
    /// Each check runs even when another failed; none writes.
    public func check() throws -> [CheckResult] {
        let migrator = try Schema.migrator()
        func run(_ name: String, _ body: () throws -> (Bool, String)) -> CheckResult {
            do {
                let (passed, detail) = try body()
                return CheckResult(name: name, passed: passed, detail: detail)
            } catch {
                return CheckResult(name: name, passed: false, detail: "\(error)")
            }
        }
        return [
            run("integrity") {
                let problems = try db.rows("PRAGMA integrity_check").map { try $0.get(0, as: String.self) }
                if problems == ["ok"] { return (true, "ok") }
                return (false, Self.summary(problems, noun: "problem"))
            },
            run("foreign keys") {
                let orphans = try db.rows("PRAGMA foreign_key_check").map { row in
                    "\(try row.get(0, as: String.self)) row \(row[1] == .null ? "?" : "\(try row.get(1, as: Int64.self))") points to a missing \(try row.get(2, as: String.self)) row"
                }
                return orphans.isEmpty ? (true, "ok") : (false, Self.summary(orphans, noun: "broken reference"))
            },
            run("migration checksums") {
                let status = try migrator.status(db)
                let changed = status.filter { $0.appliedAt != nil && !$0.checksumMatches }
                    .map { Migration(version: $0.version, name: $0.name, sql: "").fileName }
                if !changed.isEmpty {
                    return (false, "applied with another text than this frenchtech carries: " + changed.joined(separator: ", ")
                                   + "; the schema was edited by hand or by another build: restore from a backup")
                }
                let applied = status.filter { $0.appliedAt != nil }.count
                return (true, "ok (\(applied) applied, unchanged)")
            },
            run("schema version") {
                let version = try migrator.databaseVersion(db)
                let hasTable = try db.scalar("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'") != nil
                let recorded: Int = if hasTable {
                    try Int.decode(db.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations") ?? .null)
                } else { 0 }
                let known = migrator.latestVersion
                if max(version, recorded) > known {
                    return (false, MigrationError.newerSchema(database: max(version, recorded), known: known).description)
                }
                if version != recorded {
                    return (false, "the file header says version \(version) but schema_migrations records \(recorded); restore from a backup")
                }
                if version < known {
                    return (true, "\(version) of \(known); apply the pending migrations with `frenchtech migrate`")
                }
                return (true, "ok (\(version), the latest this frenchtech knows)")
            },
            run("rules") {
                let violations = try ruleViolations().map(\.description)
                if violations.isEmpty { return (true, "ok") }
                let count = violations.count == 1 ? "1 value breaks" : "\(violations.count) values break"
                let shown = violations.prefix(10).joined(separator: "; ") + (violations.count > 10 ? "; …" : "")
                return (false, "\(count) the rules of add, update and import (written by another tool?): \(shown); correct them")
            },
        ]
    }

    /// The first few items and how many there are in all: a damaged file can list thousands.
    private static func summary(_ items: [String], noun: String) -> String {
        let shown = items.prefix(3).joined(separator: "; ")
        let count = items.count == 1 ? "1 \(noun)" : "\(items.count) \(noun)s"
        return items.count > 3 ? "\(count): \(shown); …" : "\(count): \(shown)"
    }
}
