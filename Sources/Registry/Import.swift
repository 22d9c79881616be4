import CSVStream
import Dispatch
import Persistence
import Synchronization

/// The columns of a startups spreadsheet, as `import` reads them and `export` writes them.
public enum StartupColumn: String, CaseIterable, Sendable {
    case name, sector, siren, siret, naf_code, city, employees, founded, revenue_eur, accelerators

    /// Several programmes in one cell are separated by this.
    public static let listSeparator: Character = "|"
}

/// How `import startups` treats a file.
public struct ImportOptions: Sendable {
    /// Update the startup with the same SIREN (else the same name) instead of refusing the row.
    public var upsert = false
    /// Create the sectors the file names that the registry lacks.
    public var newSectors = false
    /// Create the accelerator programmes the file names that the registry lacks.
    public var newAccelerators = false
    /// Check everything, write nothing.
    public var dryRun = false
    /// The `source` of the startups and sectors the import creates.
    public var source: String

    public init(source: String, upsert: Bool = false, newSectors: Bool = false, newAccelerators: Bool = false, dryRun: Bool = false) {
        self.source = source
        self.upsert = upsert
        self.newSectors = newSectors
        self.newAccelerators = newAccelerators
        self.dryRun = dryRun
    }
}

/// What an import did (or, in a dry run, would do).
public struct ImportSummary: Equatable, Sendable {
    public var rows = 0
    public var inserted = 0
    public var updated = 0
    public var newSectors: [String] = []
    public var newAccelerators: [String] = []
    /// Whether the indexes were dropped for the load and built once at the end.
    public var rebuiltIndexes = false
}

/// Where an import stands, for a progress bar.
public struct ImportProgress: Sendable {
    public var rows: Int
    public var bytesRead: Int
}

/// One bad row of a file: its place (`RowLocation`) and the rule it breaks.
public struct RowError: Equatable, Sendable, CustomStringConvertible {
    public let location: RowLocation
    public let message: String
    /// The registry's error, when the row broke one (a front end words its remedies); nil for a row that could
    /// not be read, whose `message` is the whole sentence.
    public let error: RegistryError?
    public var description: String { "\(location): \(message)" }
    /// The line (or a workbook's row) number.
    public var line: Int { location.number }

    public init(location: RowLocation, message: String) {
        (self.location, self.message, self.error) = (location, message, nil)
    }

    public init(line: Int, message: String) {
        self.init(location: .line(line), message: message)
    }

    init(location: RowLocation, error: RegistryError) {
        (self.location, self.message, self.error) = (location, error.description, error)
    }
}

/// The rows of a file that break the rules. Nothing was written.
public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first rows in error, by line: at most `ImportError.listed`.
    public let rows: [RowError]
    /// How many rows are in error in all.
    public let total: Int

    public static let listed = 20

    public var description: String {
        let shown = total > rows.count ? " (the first \(rows.count) are listed)" : ""
        return "\(total) row\(total == 1 ? "" : "s") break\(total == 1 ? "s" : "") the rules\(shown); nothing was imported: correct \(total == 1 ? "it" : "them") and import again"
    }
}

extension RegistryStore {
    /// Imports the startups of a CSV file, all or nothing: the header names the columns (`StartupColumn`, any
    /// order, `name` and `sector` required), every row passes the rules of `startup add`, and if any row fails
    /// nothing is written and `ImportError` lists the bad rows. `progress` is called every few thousand rows.
    public func importStartups(from reader: CSVReader, options: ImportOptions,
                               progress: (ImportProgress) -> Void = { _ in }) throws -> ImportSummary {
        try importStartups(from: CSVRowSource(reader), options: options, progress: progress)
    }

    /// Imports the startups of any row source (`RowSource`): a CSV file, a workbook's sheet. The same rules and
    /// messages as above, each row named by its location.
    public func importStartups<Source: RowSource>(from source: Source, options: ImportOptions,
                                                  progress: (ImportProgress) -> Void = { _ in }) throws -> ImportSummary {
        let columns = try ImportColumns(header: source.header)
        var options = options
        options.source = try Validate.requiredText(options.source, field: "source")
        do {
            // Every value the import writes has passed StartupRules, which check what the schema's CHECKs and
            // foreign keys check (references against the tables as read inside this transaction): SQLite need
            // not check them a second time per row. Tests hold the import to integrity_check and foreign_key_check.
            return try db.withConstraintChecksOff {
                try transaction {
                    let load = try StartupLoad(store: self, columns: columns, options: options)
                    defer { load.restoreSettings() }
                    try load.run(source, progress: progress)
                    if options.dryRun { throw DryRunFinished(summary: load.summary) }
                    return load.summary
                }
            }
        } catch let finished as DryRunFinished {
            return finished.summary
        }
    }
}

/// Thrown to roll back a dry run once everything is checked.
private struct DryRunFinished: Error {
    let summary: ImportSummary
}

/// Which field of a record holds which column.
struct ImportColumns {
    private var fields: [Int?] = Array(repeating: nil, count: StartupColumn.allCases.count)

    init(header: [String]) throws {
        let known = StartupColumn.allCases
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingSpaces.lowercased()
            guard let position = known.firstIndex(where: { $0.rawValue == name }) else {
                throw RegistryError.invalidRequest("unknown column '\(raw)' in the header (column \(index + 1)); the columns are \(known.map(\.rawValue).joined(separator: ", "))")
            }
            if let first = fields[position] {
                throw RegistryError.invalidRequest("column '\(name)' appears twice in the header (columns \(first + 1) and \(index + 1)); keep one")
            }
            fields[position] = index
        }
        let missing = [StartupColumn.name, .sector].filter { self[$0] == nil }.map(\.rawValue)
        if !missing.isEmpty {
            throw RegistryError.invalidRequest("the header has no \(missing.joined(separator: " or ")) column; name and sector are required (header: \(header.joined(separator: ",")))")
        }
    }

    subscript(column: StartupColumn) -> Int? {
        fields[StartupColumn.allCases.firstIndex(of: column)!]
    }

    /// The record as a draft: a column the file lacks is nil (an update keeps the current value), an empty
    /// cell is "" (none).
    func draft(_ row: inout SourceRow) -> StartupDraft {
        // A source that gives a row fewer cells than its header (a workbook's short row) leaves the rest empty.
        // Cells are taken out of the row rather than copied: the row is dropped next (one retain and release
        // less per cell).
        func text(_ column: StartupColumn) -> String? {
            self[column].map { $0 < row.fields.count ? row.fields[$0].take() : "" }
        }
        return StartupDraft(
            name: text(.name), sector: text(.sector), siren: text(.siren), siret: text(.siret),
            nafCode: text(.naf_code), city: text(.city), employees: text(.employees), founded: text(.founded),
            revenueEUR: text(.revenue_eur),
            accelerators: text(.accelerators).map(Self.programmes))
    }

    /// The programmes a cell lists, trimmed, empty entries left out. Most cells hold none or one: those are
    /// answered without splitting.
    static func programmes(_ cell: String) -> [String] {
        // Split on the byte: the separator is ASCII, and never part of another character's UTF-8.
        let separator = StartupColumn.listSeparator.asciiValue!
        if !cell.utf8.contains(separator) {
            let entry = cell.trimmingSpaces
            return entry.isEmpty ? [] : [entry]
        }
        return cell.utf8.split(separator: separator).map { String(Substring($0)).trimmingSpaces }.filter { !$0.isEmpty }
    }
}

/// Record number (0-based, counting inserted rows) to file line (or sheet row), kept as the few places where lines stop
/// following records one for one (a quoted line break, a blank line, a refused or updated row): memory grows
/// with those, not with the file.
struct LineMap {
    private var breaks: [(record: Int, line: RowLocation)] = []
    private(set) var count = 0

    mutating func append(line: RowLocation) {
        if let last = breaks.last, last.line.advanced(by: count - last.record) == line {
            count += 1
            return
        }
        breaks.append((count, line))
        count += 1
    }

    func line(of record: Int) -> RowLocation {
        var low = 0, high = breaks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if breaks[middle].record <= record { low = middle } else { high = middle - 1 }
        }
        return breaks[low].line.advanced(by: record - breaks[low].record)
    }
}

/// One import in progress, inside its transaction.
///
/// New startups get consecutive ids from `firstNewID` (nothing else writes during the transaction), so a
/// startup written by this file is recognised by its id, and its line is found through `lines`.
///
/// A large load into a small registry drops the indexes and triggers of `startups` and `memberships` once
/// `bulkThreshold` rows are in, and builds them again at the end, in the same transaction: building an index
/// from sorted keys is about twice as fast as maintaining it row by row, and the statistics' totals are
/// recomputed once instead of updated a million times. Duplicates are then found when the unique indexes are
/// built, and reported by line.
final class StartupLoad {
    private let store: RegistryStore
    private let columns: ImportColumns
    private let options: ImportOptions
    private let rules: StartupRules
    private(set) var summary = ImportSummary()

    private let firstNewID: Int64
    private var lines = LineMap()
    /// Existing startups updated by this file (--upsert), with their line.
    private var updatedLines: [Int64: RowLocation] = [:]
    private let bulkThreshold: Int
    /// The indexes and triggers dropped for a bulk load, to create again.
    private var dropped: [(type: String, name: String, sql: String)]?
    /// The statistics' per-sector totals of the rows loaded while their triggers were dropped, to add at the end.
    private var totals: [Int64: SectorTotals] = [:]
    private var errors: [RowError] = []
    private var errorCount = 0
    private let savedCacheSize: SQLValue?
    private let insertStatement: Statement
    /// Rows waiting to be written together, and the statement that writes them (`insertInGroups`).
    private var group: [StartupRecord] = []
    private var groupStatement: Statement?
    private let enrolStatement: Statement
    static let groupSize = 32
    /// When the rows are written: one time for the whole file.
    private let timestamp: String

    /// Page cache during the load, which also bounds the memory SQLite sorts an index in. Appending rows needs
    /// few pages, and sorting a million keys in 8 MiB runs takes one merge pass; larger, memory grows with the
    /// file (measured: 8 MiB gives 35 MB peak for 100,000 rows and 39 MB for 1,000,000, as fast as 16 MiB).
    /// `rebuildIndexes` halves it for its sorter thread.
    static let cacheSizeKiB = 8_192
    /// Below this many rows, maintaining indexes row by row costs about what building them again does. Above,
    /// a row costs a quarter as much without its indexes (callgrind: 45,000 instructions against 12,000), and
    /// the build comes to less than the difference (measured into an empty registry: 3,000 rows in 0.05 s
    /// instead of 0.08 s, 20,000 rows in 0.15 s instead of 0.40 s, with the threshold at 10,000 before).
    static let minimumBulkRows = 1_000

    init(store: RegistryStore, columns: ImportColumns, options: ImportOptions) throws {
        self.store = store
        self.columns = columns
        self.options = options
        rules = try StartupRules(store: store)
        let db = store.db
        // AUTOINCREMENT (migration 0005): the next id follows the largest ever given, which a removed startup may
        // have held, as well as the largest there is.
        firstNewID = try Int64.decode(db.scalar("""
            SELECT max(coalesce((SELECT max(id) FROM startups), 0),
                       coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'startups'), 0)) + 1
            """) ?? .null)
        let existing = try Int.decode(db.scalar("SELECT count(*) FROM startups") ?? .null)
        // --upsert looks each row up by SIREN and name: it needs the indexes all along.
        bulkThreshold = options.upsert ? .max : max(Self.minimumBulkRows, existing)
        timestamp = try String.decode(db.scalar("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')") ?? .null)
        insertStatement = try db.prepare(RegistryStore.insertStartupSQL)
        enrolStatement = try db.prepare(RegistryStore.enrolSQL)
        // The same for every row: bound once (`RegistryStore.insert(_:with:enrolling:)`).
        try insertStatement.bind(.text(options.source), at: 11)
        try insertStatement.bind(.text(timestamp), at: 12)
        savedCacheSize = try db.scalar("PRAGMA cache_size")
        try db.setPragma("cache_size", -Self.cacheSizeKiB)
    }

    func restoreSettings() {
        if case .integer(let pages)? = savedCacheSize { try? store.db.setPragma("cache_size", Int(pages)) }
        if dropped != nil { try? store.db.setPragma("threads", 0) }
    }

    func run<Source: RowSource>(_ source: Source, progress: (ImportProgress) -> Void) throws {
        let channel = BatchChannel<ReadBatch>(capacity: Self.batchesAhead)
        startReading(source, into: channel)
        // The source is the caller's: whatever ends the load, the reading thread has let go of it on return.
        defer { channel.cancel() }
        var bytesRead = 0
        while let batch = channel.receive() {
            defer { channel.giveBack(batch) }
            bytesRead = batch.bytesRead
            for row in batch.rows {
                summary.rows += 1
                switch row {
                case .record(let record):
                    try importRow(record)
                case .unreadable(let error):
                    // The source consumed the bad row and read on, except past an unterminated quote or a failed read.
                    fail(RowError(location: error.location, message: error.message))
                    if let fatal = error.fatal { throw fatal }
                }
                if summary.rows & 4095 == 0 { progress(ImportProgress(rows: summary.rows, bytesRead: bytesRead)) }
                if dropped == nil && lines.count >= bulkThreshold {
                    try dropIndexes()
                    channel.isBulk = true
                }
            }
        }
        progress(ImportProgress(rows: summary.rows, bytesRead: bytesRead))
        for startup in group { _ = try store.insert(startup, with: insertStatement, enrolling: enrolStatement) }
        group = []
        if dropped != nil { try rebuildIndexes() }
        if errorCount > 0 {
            throw ImportError(rows: Array(errors.sorted { $0.location < $1.location }.prefix(ImportError.listed)), total: errorCount)
        }
    }

    // MARK: The reading thread

    /// Rows handed over at a time, and batches the reading thread may have ready: enough to keep both threads
    /// busy, few enough that memory does not grow with the file.
    static let batchSize = 4_096
    static let batchesAhead = 4

    /// Reads, parses and checks the rows on a second thread (CheckedFields: every rule that needs no reference
    /// table) while this one writes: on two cores the import takes about the longer of the two instead of the sum.
    private func startReading<Source: RowSource>(_ source: Source, into channel: BatchChannel<ReadBatch>) {
        let source = HandedOver(source), columns = columns, currentYear = rules.currentYear
        DispatchQueue.global().async {
            var source = source.value
            var end = false
            while !end && !channel.isCancelled {
                channel.releaseSpent()
                let keepDrafts = !channel.isBulk
                var rows: [ReadRow] = []
                rows.reserveCapacity(Self.batchSize)
                while rows.count < Self.batchSize {
                    do throws(RowSourceError) {
                        guard var row = try source.next() else {
                            end = true
                            break
                        }
                        let draft = columns.draft(&row)
                        rows.append(.record(ReadRecord(line: row.location, draft: keepDrafts ? draft : nil,
                                                       fields: CheckedFields(draft, currentYear: currentYear))))
                    } catch {
                        rows.append(.unreadable(error))
                        if error.endsReading {
                            end = true
                            break
                        }
                    }
                }
                channel.send(ReadBatch(rows: rows, bytesRead: source.progress))
            }
            channel.finish()
        }
    }

    private func fail(_ error: RowError) {
        errorCount += 1
        // Rows are checked in order, and duplicates found at the end come in order too: keeping a few more than
        // are listed is enough to list the first ones by line.
        if errors.count < 2 * ImportError.listed { errors.append(error) }
    }

    // MARK: One row

    private func importRow(_ record: ReadRecord) throws {
        let line = record.line
        let draft = record.draft
        do {
            // During a bulk load the unique indexes find duplicates at the end instead.
            if dropped == nil, let draft, let existing = try existingStartup(for: draft) {
                let id = existing.id
                let earlier = lineWritten(id)
                if earlier != nil || !options.upsert {
                    throw Self.duplicate(existing.what, earlier: earlier, name: existing.name, id: id)
                }
                // (The draft is there: it is left out only once the indexes are dropped, and --upsert keeps them.)
                if options.newSectors, let sector = record.fields.sector, !rules.hasSector(named: sector) {
                    try addSector(sector)
                }
                try addMissingProgrammes(record.fields)
                try store.update(id: id, store.correction(of: id, by: draft, rules: rules))
                updatedLines[id] = line
                summary.updated += 1
            } else {
                let startup = try validate(record.fields)
                if dropped != nil {
                    try totals[startup.sectorID, default: SectorTotals()].add(startup)
                    try insertInGroups(startup)
                } else {
                    _ = try store.insert(startup, with: insertStatement, enrolling: enrolStatement)
                }
                lines.append(line: line)
                summary.inserted += 1
            }
        } catch let error as FieldError {
            let hint = error.field == "sector" && !options.newSectors
            fail(RowError(location: line, error: hint ? error.registryError.adding(.newSectors) : error.registryError))
        } catch let error as RegistryError where error.isInvalidData {
            if case .notFound(.accelerator, _, _) = error.kind, !options.newAccelerators {
                fail(RowError(location: line, error: error.adding(.newAccelerators)))
            } else {
                fail(RowError(location: line, error: error))
            }
        }
    }

    /// The row's fields validated; with --new-sectors, a sector the registry lacks is created first.
    private func validate(_ fields: CheckedFields) throws -> StartupRecord {
        try addMissingProgrammes(fields)
        do {
            return try rules.validate(fields)
        } catch let error as FieldError where options.newSectors && error.field == "sector" {
            guard let sector = fields.sector, !rules.hasSector(named: sector) else { throw error }
            try addSector(sector)
            return try rules.validate(fields)
        }
    }

    /// During a bulk load, rows are written `groupSize` at a time by one INSERT: SQLite then runs one statement
    /// instead of `groupSize` (measured in C on a million rows: about 10 % of the insert's time). Nothing can
    /// refuse a row then (no unique index, rules already checked): a failure ends the import.
    private func insertInGroups(_ startup: consuming StartupRecord) throws {
        group.append(startup)
        guard group.count == Self.groupSize else { return }
        let groupStatement = try self.groupStatement ?? {
            let statement = try store.db.prepare(RegistryStore.insertStartupsSQL(rows: Self.groupSize))
            self.groupStatement = statement
            return statement
        }()
        try store.insert(group, with: groupStatement, source: options.source, date: timestamp, enrolling: enrolStatement)
        group.removeAll(keepingCapacity: true)
    }

    /// What a row that repeats `what` (a SIREN, a name) is told: it repeats an earlier row of the file, or a
    /// startup already registered. The same whether found row by row or when a unique index is built.
    private static func duplicate(_ what: String, earlier: RowLocation?, name: String, id: Int64) -> RegistryError {
        if let earlier { return .invalidRequest("\(what) is also on \(earlier.named); keep one of the two rows") }
        return RegistryError(.duplicate(entity: .startup, field: "startup", value: what, holder: name),
                             "\(what) is already registered (\(name), id \(id))", remedy: .upsert)
    }

    /// The line of this file that wrote startup `id`, if one did.
    private func lineWritten(_ id: Int64) -> RowLocation? {
        id >= firstNewID ? lines.line(of: Int(id - firstNewID)) : updatedLines[id]
    }

    /// The startup with the draft's SIREN, else its name: what the row would collide with.
    private func existingStartup(for draft: StartupDraft) throws -> (id: Int64, name: String, what: String)? {
        let db = store.db
        func given(_ value: String?) -> String? { value.flatMap { $0.isBlank ? nil : $0 } }
        if let siren = (try? Validate.identifiers(siren: given(draft.siren), siret: given(draft.siret)))?.siren,
           let row = try db.rows("SELECT id, name FROM startups WHERE siren = ?", [.text(siren)]).first {
            return (try row.get(0), try row.get(1), "SIREN \(siren)")
        }
        if let name = draft.name, let row = try db.rows("SELECT id, name FROM startups WHERE name_key = ?", [.text(name.searchKey)]).first {
            return (try row.get(0), try row.get(1), "the name '\(name.trimmingSpaces)'")
        }
        return nil
    }

    /// With --new-accelerators, the programmes the row names that the registry lacks are created first.
    private func addMissingProgrammes(_ fields: CheckedFields) throws {
        guard options.newAccelerators, let names = fields.accelerators else { return }
        let missing = rules.missingProgrammes(names)
        if missing.isEmpty { return }
        for name in missing { summary.newAccelerators.append(try store.insertAccelerator(name: name, source: options.source)) }
        try rules.reload()
    }

    private func addSector(_ raw: String) throws {
        let name = try Validate.name(raw, field: "sector")
        try store.insertSector(name: name, description: nil, source: options.source)
        try rules.reload()
        summary.newSectors.append(name)
    }

    // MARK: Bulk load

    private static let bulkTables = "('startups', 'memberships')"

    private func dropIndexes() throws {
        let db = store.db
        let objects = try db.rows("""
            SELECT type, name, sql FROM sqlite_schema
            WHERE tbl_name IN \(Self.bulkTables) AND type IN ('index', 'trigger') AND sql IS NOT NULL
            ORDER BY type = 'trigger', name
            """).map { (type: try $0.get(0, as: String.self), name: try $0.get(1, as: String.self), sql: try $0.get(2, as: String.self)) }
        for object in objects {
            // The names come from the schema, not from input; quoted all the same.
            try db.executeScript("DROP \(object.type == "index" ? "INDEX" : "TRIGGER") \(quoted(object.name))")
        }
        dropped = objects
        summary.rebuiltIndexes = true
    }

    /// Builds the dropped indexes, unique ones first: a unique index that cannot be built means duplicates,
    /// which are then looked up and reported by line. Triggers come back last.
    private func rebuildIndexes() throws {
        guard let dropped else { return }
        let db = store.db
        // One helper thread sorts while this one reads the table (the reading thread is done by now): measured on
        // 1,000,000 rows with 4 KiB pages when the two tables had six indexes (four since: name key, SIREN, city,
        // programme), they built in 2.7-3.0 s instead of 3.2 s. Two helpers built
        // them faster alone (2.0 s against 2.4 s) but made the whole import slower (median 6.95 s against 6.46 s,
        // six runs each, on two cores). Each thread sorts in memory as large as the page cache: halved, the two
        // take what one did, and peak memory stays what it is for a small file.
        try db.setPragma("threads", 1)
        try db.setPragma("cache_size", -Self.cacheSizeKiB / 2)
        let unique = dropped.filter { $0.type == "index" && $0.sql.uppercased().hasPrefix("CREATE UNIQUE") }
        for index in unique {
            do {
                try db.executeScript(index.sql)
            } catch {
                guard error.code == SQLiteError.constraint else { throw error }
                try reportDuplicates(error)
            }
        }
        if errorCount > 0 { return }  // the transaction is rolled back: the dropped objects come back with it
        // The statistics' per-sector totals missed the rows loaded without their triggers: they are added as the
        // triggers would have, from the sums kept while loading (recomputing them cost a pass over the table,
        // 0.8 s on 1,000,000 rows). Tests compare the result with the view that defines them.
        let synthetic = options.source == syntheticSource
        for (sectorID, sums) in totals.sorted(by: { $0.key < $1.key }) {
            try db.execute(Self.addTotalsSQL, [.integer(sectorID), .integer(synthetic ? 1 : 0), .integer(sums.firms),
                                               .integer(sums.jobs), .integer(sums.unknownHeadcount), .integer(sums.revenueEUR)])
        }
        for object in dropped where !unique.contains(where: { $0.name == object.name }) {
            try db.executeScript(object.sql)
        }
    }

    /// Reports each row that repeats the name key or SIREN of an earlier one, after a unique index on that
    /// column failed to build (a repeated SIRET repeats its SIREN: migration 0003).
    private func reportDuplicates(_ error: SQLiteError) throws {
        let columns: [(column: String, label: String)] = [("name_key", "name"), ("siren", "SIREN")]
        guard let (column, label) = columns.first(where: { error.message.hasSuffix("startups.\($0.column)") }) else { throw error }
        // `column` comes from the fixed list above. Each duplicate is reported against the first row holding the value.
        let rows = try store.db.rows("""
            SELECT s.id, s.name, s.\(column), d.first, (SELECT name FROM startups WHERE id = d.first)
            FROM startups s
            JOIN (SELECT \(column) AS value, min(id) AS first FROM startups WHERE \(column) IS NOT NULL
                  GROUP BY \(column) HAVING count(*) > 1) d ON s.\(column) = d.value
            WHERE s.id <> d.first ORDER BY s.id
            """)
        for row in rows {
            let id: Int64 = try row.get(0), name: String = try row.get(1), value: String = try row.get(2)
            let first: Int64 = try row.get(3), firstName: String = try row.get(4)
            let what = column == "name_key" ? "the name '\(name)'" : "\(label) \(value)"
            let location = lineWritten(id) ?? .line(0)
            fail(RowError(location: location, error: Self.duplicate(what, earlier: lineWritten(first), name: firstName, id: first)))
        }
    }

    /// Adds one sector's sums to its totals, as the insert trigger of 0002_statistics_aggregates.sql does a row's.
    private static let addTotalsSQL = """
        INSERT INTO sector_totals (sector_id, synthetic, firms, jobs, unknown_headcount, revenue_eur) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (sector_id, synthetic) DO UPDATE SET
            firms = firms + excluded.firms,
            jobs = jobs + excluded.jobs,
            unknown_headcount = unknown_headcount + excluded.unknown_headcount,
            revenue_eur = revenue_eur + excluded.revenue_eur
        """

    private func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacing("\"", with: "\"\"") + "\""
    }
}

/// What the statistics' totals hold for one sector, summed over loaded rows: the arithmetic of the insert trigger
/// of migration 0002 (`sector_totals_after_insert`) and of the view `sector_totals_fresh`, kept in Swift because
/// recounting after a bulk load costs half the load again (Statistics.swift); ImportTests and StatisticsTests
/// compare the result with the view.
struct SectorTotals {
    var firms: Int64 = 0
    var jobs: Int64 = 0
    var unknownHeadcount: Int64 = 0
    var revenueEUR: Int64 = 0

    mutating func add(_ startup: StartupRecord) throws {
        firms += 1
        if let employees = startup.employees { jobs = try Self.sum(jobs, employees, "jobs") } else { unknownHeadcount += 1 }
        if let revenue = startup.revenueEUR { revenueEUR = try Self.sum(revenueEUR, revenue, "revenue") }
    }

    /// SQLite refuses such a total too (integer overflow): the import stops rather than store a wrong figure.
    private static func sum(_ total: Int64, _ value: Int64, _ what: String) throws -> Int64 {
        let (result, overflow) = total.addingReportingOverflow(value)
        if overflow { throw RegistryError.failure("the \(what) of one sector would exceed what the registry can count (\(Int64.max)); check the file's employees and revenue_eur columns for figures out of scale") }
        return result
    }
}

/// One record as the reading thread hands it over.
enum ReadRow: Sendable {
    case record(ReadRecord)
    case unreadable(RowSourceError)
}

/// A class, so that handing a row over retains one object rather than each of its two dozen strings.
final class ReadRecord: Sendable {
    let line: RowLocation
    /// The row as given, to look up the startup it may repeat or update; left out once the load has dropped its
    /// indexes (`ReadingState.bulk`), when nothing reads it.
    let draft: StartupDraft?
    /// The draft's fields, checked as for a new startup.
    let fields: CheckedFields

    init(line: RowLocation, draft: consuming StartupDraft?, fields: consuming CheckedFields) {
        self.line = line
        self.draft = draft
        self.fields = fields
    }
}

struct ReadBatch: Sendable {
    var rows: [ReadRow]
    /// How far the reader was in the file once the batch was read, for the progress bar.
    var bytesRead: Int
}

/// The row source, lent to the reading thread for the length of one `StartupLoad.run`: `run` does not touch it
/// meanwhile and returns only once that thread has finished (`BatchChannel.cancel`), so it is never used by two
/// threads at once. A source need not be Sendable; this box says so to the compiler for that one hand-over.
private struct HandedOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Batches from the reading thread (one sender) to the writing one (one receiver), in order, at most `capacity`
/// waiting: the sender waits for room, the receiver for a batch.
final class BatchChannel<Batch: Sendable>: Sendable {
    private struct State {
        var batches: [Batch] = []
        var spent: [Batch] = []
        var bulk = false
        var finished = false
        var cancelled = false
    }
    private let state = Mutex(State())
    private let room: DispatchSemaphore
    private let ready = DispatchSemaphore(value: 0)

    init(capacity: Int) { room = DispatchSemaphore(value: capacity) }

    /// Whether the receiver has dropped the indexes: rows need no draft any more (`ReadRecord.draft`).
    var isBulk: Bool {
        get { state.withLock { $0.bulk } }
        set { state.withLock { $0.bulk = newValue } }
    }

    /// Whether the receiver has stopped: the sender should finish.
    var isCancelled: Bool { state.withLock { $0.cancelled } }

    func send(_ batch: Batch) {
        room.wait()
        state.withLock { $0.batches.append(batch) }
        ready.signal()
    }

    /// The receiver is done with a batch: the sender frees it (`releaseSpent`). Memory freed by the thread that
    /// allocated it goes back to that thread's cache; freed by the other thread, each row's strings contend for
    /// the allocator's lock (measured: reading a million rows took 6.0 s instead of 4.x s).
    func giveBack(_ batch: Batch) {
        state.withLock { $0.spent.append(batch) }
    }

    /// Frees, on the sender's thread, the batches the receiver gave back.
    func releaseSpent() {
        let spent = state.withLock { state in
            defer { state.spent = [] }
            return state.spent
        }
        _ = consume spent
    }

    /// The sender has sent its last batch.
    func finish() {
        state.withLock { $0.finished = true }
        ready.signal()
    }

    /// The next batch, or nil once the sender has finished and every batch was received.
    func receive() -> Batch? {
        if state.withLock({ $0.finished && $0.batches.isEmpty }) { return nil }
        ready.wait()
        guard let batch = state.withLock({ $0.batches.isEmpty ? nil : $0.batches.removeFirst() }) else { return nil }
        room.signal()
        return batch
    }

    /// Stops the sender and waits until it has finished, dropping what it still sends.
    func cancel() {
        state.withLock { $0.cancelled = true }
        while receive() != nil {}
    }
}

