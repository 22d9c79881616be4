import CSVStream
import Persistence
#if canImport(Glibc)
import Glibc
#endif

/// The registry on one SQLite file: every domain SQL statement goes through here. Never prints.
public final class RegistryStore {
    let db: Database
    public let path: String

    /// What opening did to the file, for the command to tell the user.
    public struct OpenReport: Equatable, Sendable {
        public var created = false
        public var seeded = false
        public var appliedMigrations: [String] = []
    }
    public private(set) var openReport: OpenReport
    /// Why nothing can be written, when the registry's folder is read-only and the file was opened immutable.
    private let unwritable: String?

    /// The page size of a new registry. SQLite's default, 4 KiB, suits small tables; a registry of a million
    /// firms loads about 20 % faster with 16 KiB pages (fewer, fuller B-tree pages to write, sort into and
    /// checkpoint; measured with `bash Benchmarks/run.sh`), and larger pages were slower again. One-row commands
    /// do not notice. An existing registry keeps the size it was made with.
    static let pageSize = 16_384

    public enum Access: Sendable {
        /// Writes allowed; pending migrations are applied on open.
        case readWrite
        /// Read-only connection (`frenchtech sql`): nothing can be written, not even a migration.
        case readOnly
    }

    /// Opens the registry at `path`.
    /// - createIfMissing: make a new file, migrate and (unless `seed` is false) seed it. When false, a missing
    ///   file is an error that suggests `frenchtech init`, so a typo never creates an empty registry.
    /// - applyMigrations: false to look at a registry as it is (`migrate --status`).
    public init(path: String, access: Access = .readWrite, createIfMissing: Bool = false, seed: Bool = true,
                applyMigrations: Bool = true) throws {
        self.path = path
        let opened = try Self.open(path, access: access, createIfMissing: createIfMissing, seed: seed,
                                   applyMigrations: applyMigrations)
        (db, unwritable, openReport) = (opened.0, opened.unwritable, opened.2)
        // Name keys made by an earlier `searchKey` are recomputed once (RuleCheck.swift), on a file this opens to write.
        if opened.rekey { try refreshSearchKeys() }
    }

    /// A read-only store on a registry that another store of this process has opened (checked and migrated):
    /// neither checks nor migrates again (`SharedRegistry`'s readers).
    init(readerOf path: String) throws {
        self.path = path
        (db, unwritable) = try Self.connect(path, access: .readOnly, exists: true)
        openReport = OpenReport()
    }

    /// What `init` does, in a static function: Swift 6.3.1's optimizer crashed on it as an initializer (a
    /// "consuming post-dominance failure" in CopyPropagation, release builds only). Four steps, each its own
    /// function: the path, the connection, what the file is, the migrations it still needs.
    private static func open(_ path: String, access: Access, createIfMissing: Bool, seed: Bool, applyMigrations: Bool)
        throws -> (Database, unwritable: String?, OpenReport, rekey: Bool) {
        let exists = try checkPath(path, createIfMissing: createIfMissing)
        let (db, readOnlyFolder) = try connect(path, access: access, exists: exists)
        let migrator = try Schema.migrator()
        let version = try classify(db, migrator, path: path, access: access, createIfMissing: createIfMissing)
        do { try db.useWALJournal() } catch { throw describeOpenFailure(error, path: path) }
        let (report, rekey) = try migrateIfNeeded(db, migrator, version: version, path: path, access: access,
                                                  readOnlyFolder: readOnlyFolder, seed: seed, applyMigrations: applyMigrations)
        return (db, readOnlyFolder, report, rekey)
    }

    /// Whether a file is at `path`; refuses a folder, a missing file (unless creating one) and an empty file (a
    /// registry truncated to nothing must not be silently replaced by a new one: SQLite takes it for an empty database).
    static func checkPath(_ path: String, createIfMissing: Bool) throws -> Bool {
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) == S_IFDIR {
            throw RegistryError(.missingInput(path: path), "\(path) is a folder, not a registry file", remedy: .fileInFolder(path: path))
        }
        if !exists && !createIfMissing {
            throw RegistryError(.missingInput(path: path), "no registry at \(path)", remedy: .create(path: path))
        }
        if exists && info.st_size == 0 && !createIfMissing {
            throw RegistryError(.foreign(path: path), "\(path) is empty, not a registry", remedy: .createOrRestore(path: path))
        }
        return exists
    }

    /// The schema version of the file, once it is known to be a registry, or an empty database that this open may
    /// make one (version 0, its page size chosen).
    static func classify(_ db: Database, _ migrator: Migrator, path: String, access: Access, createIfMissing: Bool) throws -> Int {
        let version: Int
        do { version = try migrator.databaseVersion(db) } catch { throw describeOpenFailure(error, path: path) }
        guard version == 0 else { return version }
        // No frenchtech migrated this file: it is someone else's database (never to be written into), or an
        // empty one, which only `init` and the default path make a registry. schema_migrations alone is
        // what an init killed before its first migration leaves.
        if try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name <> 'schema_migrations'") != .integer(0) {
            throw RegistryError(.foreign(path: path), "\(path) is an SQLite database but not a frenchtech registry", remedy: .otherRegistry)
        }
        if !createIfMissing {
            throw RegistryError(.foreign(path: path), "\(path) is an empty SQLite database, not a registry", remedy: .createThere(path: path))
        }
        // A page size is chosen once, before the file has its first page (and before WAL, which fixes it).
        if access == .readWrite, try db.scalar("PRAGMA page_count") == .integer(0) {
            try db.setPragma("page_size", pageSize)
        }
        return version
    }

    /// Applies the migrations a file at `version` still needs, when it may; and whether its name keys are to be
    /// recomputed (a file this opens to write, at the latest version).
    private static func migrateIfNeeded(_ db: Database, _ migrator: Migrator, version: Int, path: String, access: Access,
                                        readOnlyFolder: String?, seed: Bool, applyMigrations: Bool) throws -> (OpenReport, rekey: Bool) {
        var report = OpenReport()
        let writable = access == .readWrite && readOnlyFolder == nil
        if version == migrator.latestVersion || (!applyMigrations && version > 0) {
            return (report, rekey: version == migrator.latestVersion && writable && applyMigrations)
        }
        if version > migrator.latestVersion {
            // Reading stays possible; writing a schema we do not know is refused.
            if access == .readOnly { return (report, rekey: false) }
            throw RegistryError.failure("\(path): " + MigrationError.newerSchema(database: version, known: migrator.latestVersion).description)
        }
        if let readOnlyFolder { throw RegistryError.failure(readOnlyFolder) }
        guard access == .readWrite else {
            throw RegistryError.failure("\(path) has pending migrations", remedy: .migrate(path: path))
        }
        let isNew = version == 0  // checked in classify: no table but perhaps schema_migrations
        report.appliedMigrations = try migrate(db, migrator, path: path, isNew: isNew, seed: seed)
        report.created = isNew
        report.seeded = isNew && seed
        return (report, rekey: writable)
    }

    /// The connection to `path`, and why nothing can be written when the file could only be opened immutable.
    private static func connect(_ path: String, access: Access, exists: Bool) throws -> (database: Database, unwritable: String?) {
        do {
            return (try Database(path: path, mode: access == .readOnly ? .readOnly : .readWriteCreate, walJournal: false), nil)
        } catch {
            // In a read-only folder SQLite cannot create the -shm beside a WAL file, without which it reads none.
            guard exists, let folder = readOnlyFolder(of: path) else { throw describeOpenFailure(error, path: path) }
            guard folder.nobodyWrites, let immutable = try? Database(path: path, mode: .immutable) else {
                throw RegistryError.failure("cannot open \(path): " + folder.problem)
            }
            return (immutable, "cannot write \(path): " + folder.problem)
        }
    }

    /// Applies the pending migrations. A new registry's seed data commits with its schema: an init killed at any
    /// moment leaves a file that is not yet a registry (which init completes) or a whole one, never one without
    /// its seeds.
    private static func migrate(_ db: Database, _ migrator: Migrator, path: String, isNew: Bool, seed: Bool) throws -> [String] {
        do {
            // A new registry gets every seed; an older one the seeds of the tables its pending migrations add (the
            // geography, the ICT set, the seeded perimeters), in the same transaction as those migrations.
            let version = try migrator.databaseVersion(db)
            return try migrator.migrate(db, then: { try loadSeedFiles(into: db, facts: seed, after: version) }).map(\.fileName)
        } catch let error as MigrationError {
            throw RegistryError.failure("\(path): \(error)")
        }
    }

    static func describeOpenFailure(_ error: Error, path: String) -> Error {
        guard let error = error as? SQLiteError else { return error }
        switch error.code {
        case SQLiteError.notADatabase:
            return RegistryError(.foreign(path: path), "\(path) is not a frenchtech registry (not an SQLite database)", remedy: .otherRegistry)
        case SQLiteError.corrupt:
            return RegistryError(.damaged(path: path), "\(path) is damaged (SQLite reports corruption)", remedy: .restoreBackup)
        case SQLiteError.cantOpen:
            return RegistryError.failure("cannot open \(path): \(error.message); check that its folder exists and is writable")
        case SQLiteError.readOnly:
            return RegistryError.failure("\(path) is read-only; make it writable (chmod u+w) or work on a copy")
        case SQLiteError.busy:
            return RegistryStore.busy(path)
        default:
            return RegistryError.failure("cannot open \(path): \(error.message)")
        }
    }

    /// The folder of `path` when this process cannot write it, with what that means for a registry, and whether
    /// reading the file without locks is safe: only when nothing can be writing it, that is no -wal or -journal
    /// beside it (a connection in WAL mode keeps its -wal while open; a crash leaves one to replay) and a folder
    /// that no one may write (no w bit) or on a read-only mount, so that no writer can start either.
    static func readOnlyFolder(of path: String) -> (problem: String, nobodyWrites: Bool)? {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard access(folder, W_OK) != 0 else { return nil }
        let fileWritable = access(path, W_OK) == 0
        let problem = "its folder \(folder) is read-only\(fileWritable ? "" : ", and so is the file"); SQLite reads and writes a registry through \(path)-shm and \(path)-wal, which it must create beside it; make \(fileWritable ? "the folder writable (chmod u+w \(folder))" : "the folder and the file writable (chmod u+w \(folder) \(path))") or work on a copy in another folder"
        var info = stat(), volume = statvfs()
        let nobody = (stat(folder, &info) == 0 && info.st_mode & 0o222 == 0)
            || (statvfs(folder, &volume) == 0 && volume.f_flag & UInt(ST_RDONLY) != 0)
        let idle = access(path + "-wal", F_OK) != 0 && access(path + "-journal", F_OK) != 0
        return (problem, nobody && idle)
    }

    /// Runs `body` in one IMMEDIATE transaction: a command either writes everything or nothing.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        do {
            return try db.transaction(body)
        } catch let error as SQLiteError where error.code == SQLiteError.readOnly {
            if let unwritable { throw RegistryError.failure(unwritable) }
            throw RegistryError.failure("\(path) is read-only; make it writable (chmod u+w) or work on a copy")
        } catch let error as SQLiteError where error.code == SQLiteError.busy {
            throw RegistryStore.busy(path)
        } catch let error as SQLiteError where error.code == SQLiteError.constraint {
            // The rules check every value first and the store words the failures they expect (a UNIQUE name, a
            // sector in use); one still left is the schema's last word, said without the SQL.
            throw RegistryError.invalidRequest("the registry refused the change (\(error.message)); nothing was written", remedy: .checkRegistry(path: path))
        }
    }

    /// SQLITE_BUSY once the busy timeout and the retries of BEGIN IMMEDIATE have run out.
    static func busy(_ path: String) -> RegistryError {
        let seconds = Int(Database.busyTimeoutMilliseconds) * (Database.busyRetries + 1) / 1000
        return RegistryError(.busy(path: path), "\(path) is busy: another process has been writing to it for over \(seconds) s (an import?); try again when it has finished")
    }

    // MARK: Migrations and seeds

    /// Applied and pending migrations.
    public func migrationStatus() throws -> [MigrationStatus] {
        try Schema.migrator().status(db)
    }

    /// Loads the seed files (the article's facts, the NAF nomenclature, the geography, the ICT set and the
    /// seeded perimeters) in one transaction. Loading twice changes nothing.
    public func loadSeeds() throws {
        try transaction { try Self.loadSeedFiles(into: db, facts: true, after: 0) }
    }

    /// Loads the seeds a registry at schema `version` does not have yet: those of the tables that later
    /// migrations add (`Schema.seedVersion`). The article's facts are never loaded into an existing registry (its
    /// users may have removed some of them), nor when `facts` is false; reference data (the NAF nomenclature, the
    /// geography, the ICT set) always is, so that an empty registry can still check and import codes.
    private static func loadSeedFiles(into db: Database, facts: Bool, after version: Int) throws {
        for seed in Schema.seeds where Schema.seedVersion(seed.name) > version {
            if seed.name.hasSuffix(".sql") {
                guard facts || !Schema.isArticleFacts(seed.name) else { continue }
                try db.executeScript(seed.text)
            } else if let table = Schema.referenceTable(seed.name) {
                try loadReference(csv: seed.text, into: table, db)
            }
        }
    }

    /// One reference CSV into its table: the header names the columns; an empty field is NULL.
    private static func loadReference(csv: String, into table: Schema.ReferenceTable, _ db: Database) throws {
        let records = try CSVReader.parse(csv)
        guard let header = records.first, header == table.columns else {
            throw RegistryError.failure("the embedded seed of \(table.name) does not have the columns \(table.columns.joined(separator: ","))")
        }
        let insert = try db.prepare("""
            INSERT INTO \(table.name) (\(header.joined(separator: ", "))) VALUES (\(header.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT DO NOTHING
            """)
        for record in records.dropFirst() {
            try insert.execute(record.map { $0.isEmpty ? .null : .text($0) })
        }
    }
}
