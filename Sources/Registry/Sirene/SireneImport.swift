import CSVStream
import Dispatch
import Persistence
import Synchronization

/// Which regions an import of the SIRENE stock keeps.
public enum SireneRegions: Sendable, Equatable {
    /// The regions the perimeters of the registry's territories lie in.
    case territories
    /// These region codes (COG: 93 for Provence-Alpes-Côte d'Azur).
    case codes([String])
    /// Every region of France.
    case all
}

public struct SireneImportOptions: Sendable {
    /// The file's name, as the snapshot records it ("-" for standard input).
    public var file: String
    /// The stock date; nil: the latest `dateDernierTraitementEtablissement` of the file.
    public var stockDate: String?
    public var regions: SireneRegions
    /// Import the well-formed lines and leave the malformed ones out, instead of importing nothing.
    public var skipBadLines: Bool
    /// SQLite's page cache during an import, in KiB.
    static let cacheSizeKiB = 8_192

    public init(file: String, stockDate: String? = nil, regions: SireneRegions = .territories, skipBadLines: Bool = false) {
        (self.file, self.stockDate, self.regions, self.skipBadLines) = (file, stockDate, regions, skipBadLines)
    }
}

public struct SireneImportSummary: Sendable, Equatable {
    /// Data lines read (the header left out).
    public var lines = 0
    /// Active establishments of the regions kept: the snapshot's rows.
    public var kept = 0
    /// Closed establishments (etatAdministratifEtablissement F).
    public var closed = 0
    /// Active establishments with no commune: located abroad.
    public var abroad = 0
    /// Active establishments of other regions.
    public var elsewhere = 0
    /// Malformed lines left out (`skipBadLines`).
    public var badLines = 0
    public var stockDate = ""
    /// The region codes kept, or ["all"].
    public var regions: [String] = []
    /// An earlier snapshot of the same stock date was replaced.
    public var replaced = false
}

/// Why an import of the SIRENE stock cannot start; the front end words the remedy.
public enum SireneImportProblem: Error, Equatable, Sendable {
    /// The header lacks these required columns.
    case missingColumns([String])
    /// No territory has a perimeter, and no region was given.
    case noPerimeter
    /// A region code that is not in the geography; the known codes.
    case unknownRegion(String, known: [String])
    /// The stock date given is not a date (YYYY-MM-DD) from SIRENE's start (`SireneImportProblem.firstDate`) to today.
    case invalidStockDate(String)
    /// The latest `dateDernierTraitementEtablissement` of the file is before SIRENE's start or after today.
    case fileStockDate(String)
    /// No line has a `dateDernierTraitementEtablissement` to take the stock date from.
    case noStockDate

    /// SIRENE, the register, began in 1973: no stock is older (and the import's placeholder date is older still).
    public static let firstDate = "1973-01-01"
}

/// The columns of StockEtablissement the import reads, by their header names (INSEE adds columns between
/// versions of the format, so positions are never assumed).
enum SireneColumn: String, CaseIterable {
    case siret, siren
    case state = "etatAdministratifEtablissement"
    case commune = "codeCommuneEtablissement"
    case activity = "activitePrincipaleEtablissement"
    case nomenclature = "nomenclatureActivitePrincipaleEtablissement"
    case band = "trancheEffectifsEtablissement"
    case bandYear = "anneeEffectifsEtablissement"
    case headOffice = "etablissementSiege"
    case created = "dateCreationEtablissement"
    case employer = "caractereEmployeurEtablissement"
    case usualName = "denominationUsuelleEtablissement"
    case sign = "enseigne1Etablissement"
    case treated = "dateDernierTraitementEtablissement"

    static let required: [SireneColumn] = [.siret, .siren, .state, .commune, .activity, .nomenclature, .band]
}

extension RegistryStore {
    /// Imports INSEE's stock of establishments as one snapshot, all or nothing: the active establishments located
    /// in the regions chosen, every activity. Importing a stock date again replaces that snapshot; malformed
    /// lines make the import write nothing (`ImportError`, the first 20 by line) unless `skipBadLines`.
    /// `progress` gets the lines and bytes read every 65,536 lines.
    /// `verifyInput` runs once the last line is read, inside the transaction: what it throws (a zip whose CRC-32
    /// does not match) rolls the import back.
    public func importSirene(from reader: CSVReader, options: SireneImportOptions,
                             progress: (ImportProgress) -> Void = { _ in },
                             verifyInput: () throws -> Void = {}) throws -> SireneImportSummary {
        guard let header = try reader.next() else { throw SireneImportProblem.missingColumns(SireneColumn.required.map(\.rawValue)) }
        var index: [SireneColumn: Int] = [:]
        for position in 0..<header.count {
            if let column = SireneColumn(rawValue: header.string(at: position)) { index[column] = index[column] ?? position }
        }
        let missing = SireneColumn.required.filter { index[$0] == nil }
        guard missing.isEmpty else { throw SireneImportProblem.missingColumns(missing.map(\.rawValue)) }
        reader.expectedFieldCount = header.count
        // The fields stored are checked one by one (`SireneParse.add`): most lines are dropped unread.
        reader.validatesUTF8 = false
        if let date = options.stockDate, try !isStockDate(date) { throw SireneImportProblem.invalidStockDate(date) }
        // The establishments' table and its two indexes grow by hundreds of thousands of rows in one transaction:
        // a page cache of 8 MiB (SQLite's default: 2 MiB) spills fewer of their pages, and memory stays flat (32 MiB: no
        // faster, and 25 MB more at 10 million lines; Benchmarks/sirene.sh).
        let savedCacheSize = try db.scalar("PRAGMA cache_size")
        try db.setPragma("cache_size", -SireneImportOptions.cacheSizeKiB)
        defer { if case .integer(let pages)? = savedCacheSize { try? db.setPragma("cache_size", Int(pages)) } }
        return try db.transaction {
            var load = try SireneLoad(store: self, columns: index, options: options)
            try load.run(reader, progress: progress, verifyInput: verifyInput)
            return load.summary
        }
    }
}

extension RegistryStore {
    /// A day (YYYY-MM-DD) a stock may be dated by: from SIRENE's start to today.
    func isStockDate(_ date: String) throws -> Bool {
        var text = date
        guard text.withUTF8({ SireneLine.isDate($0) }), date >= SireneImportProblem.firstDate else { return false }
        guard case .text(let today)? = try db.scalar("SELECT date('now')") else { return false }
        return date <= today
    }
}

/// One import in progress: the geography as lookup tables, the statements, the counts.
private struct SireneLoad {
    let store: RegistryStore
    let columns: [SireneColumn: Int]
    let options: SireneImportOptions
    var summary = SireneImportSummary()
    let geography: SireneGeography
    let subclasses: Set<String>
    let bands: Set<String>
    let snapshotID: Int64
    let insert: Statement
    var errors: [RowError] = []
    var errorCount = 0
    var latestTreated: [UInt8] = []

    init(store: RegistryStore, columns: [SireneColumn: Int], options: SireneImportOptions) throws {
        (self.store, self.columns, self.options) = (store, columns, options)
        let db = store.db
        let regions: [String]
        switch options.regions {
        case .all:
            regions = try db.rows("SELECT code FROM regions ORDER BY code").map { try $0.get(0) }
            summary.regions = ["all"]
        case .codes(let codes):
            let known: [String] = try db.rows("SELECT code FROM regions ORDER BY code").map { try $0.get(0) }
            if let unknown = codes.first(where: { !known.contains($0) }) { throw SireneImportProblem.unknownRegion(unknown, known: known) }
            regions = Array(Set(codes)).sorted()
            summary.regions = regions
        case .territories:
            regions = try db.rows("""
                SELECT DISTINCT c.region FROM territory_communes t JOIN communes c ON c.code = t.commune ORDER BY 1
                """).map { try $0.get(0) }
            guard !regions.isEmpty else { throw SireneImportProblem.noPerimeter }
            summary.regions = regions
        }
        geography = try SireneGeography(db, keeping: Set(regions))
        subclasses = Set(try db.rows("SELECT code FROM naf_codes").map { try $0.get(0, as: String.self) })
        bands = Set(try db.rows("SELECT code FROM headcount_bands").map { try $0.get(0, as: String.self) })
        // The stock date is known at the end when the file gives it: a placeholder until then, in this transaction.
        try db.execute("INSERT INTO sirene_snapshots (stock_date, regions, file, lines, establishments) VALUES ('0001-01-01', ?, ?, 0, 0)",
                       [.text(summary.regions.joined(separator: ",")), .text(options.file)])
        guard case .integer(let id)? = try db.scalar("SELECT last_insert_rowid()") else { throw RegistryError(.failure, "the snapshot was not recorded") }
        snapshotID = id
        insert = try db.prepare("""
            INSERT INTO sirene_establishments (snapshot_id, siret, siren, name, commune_code, commune, activity, nomenclature,
                                               naf_code, band, band_year, employer, head_office, created)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Reads and checks the lines on a second thread (`SireneParse`) while this one writes the establishments kept:
    /// on two cores the import takes about the longer of the two instead of their sum.
    mutating func run(_ reader: CSVReader, progress: (ImportProgress) -> Void, verifyInput: () throws -> Void) throws {
        let channel = BatchChannel<SireneBatch>(capacity: 4)
        let outcome = Mutex<SireneParse?>(nil)
        let handed = HandedReader(reader: reader, parse: SireneParse(columns: SireneLine.Columns(columns), geography: geography,
                                                                     subclasses: subclasses, bands: bands))
        DispatchQueue.global().async {
            var work = handed.parse
            work.run(handed.reader, into: channel)
            outcome.withLock { $0 = work }
            channel.finish()
        }
        // The reader is the caller's: whatever ends the load, the reading thread has let go of it on return.
        defer { channel.cancel() }
        var duplicates: [RowError] = [], duplicateCount = 0
        while let batch = channel.receive() {
            defer { channel.giveBack(batch) }
            progress(ImportProgress(rows: batch.lines, bytesRead: batch.bytesRead))
            for row in 0..<batch.count where try !insert(batch, row) {
                duplicateCount += 1
                if duplicates.count < ImportError.listed {
                    let siret = SireneLine.shown(Array(batch.text(row, SireneBatch.siret)?.utf8 ?? "".utf8))
                    duplicates.append(RowError(line: batch.line(row), message: "SIRET \(siret) appears on an earlier line"))
                }
            }
        }
        guard let parsed = outcome.withLock({ $0 }) else { throw RegistryError(.failure, "the SIRENE stock was not read to its end") }
        (summary.lines, summary.closed, summary.abroad, summary.elsewhere) = (parsed.lines, parsed.closed, parsed.abroad, parsed.elsewhere)
        latestTreated = parsed.latestTreated
        // Each list holds the first of its lines: the first 20 of both together are among them.
        errors = Array((parsed.errors + duplicates).sorted { $0.line < $1.line }.prefix(ImportError.listed))
        errorCount = parsed.errorCount + duplicateCount
        if parsed.stoppedEarly { throw failure() }
        progress(ImportProgress(rows: summary.lines, bytesRead: reader.bytesRead))
        try verifyInput()
        summary.badLines = errorCount
        if errorCount > 0 && !options.skipBadLines { throw failure() }
        try finish()
    }

    func failure() -> ImportError { ImportError(rows: errors, total: errorCount) }

    /// The batch's fields and the statement's parameters they bind (6, the commune, is bound from the place).
    static let textParameters: [(Int, Int32)] = [(SireneBatch.siret, 2), (SireneBatch.siren, 3), (SireneBatch.name, 4),
                                                 (SireneBatch.communeCode, 5), (SireneBatch.activity, 7), (SireneBatch.nomenclature, 8),
                                                 (SireneBatch.naf, 9), (SireneBatch.band, 10), (SireneBatch.created, 14)]
    static let numberParameters: [(Int, Int32)] = [(SireneBatch.year, 11), (SireneBatch.employer, 12), (SireneBatch.headOffice, 13)]

    /// Inserts one kept establishment; false when its SIRET is already in the snapshot.
    mutating func insert(_ batch: SireneBatch, _ row: Int) throws -> Bool {
        let s = insert
        try s.bind(.integer(snapshotID), at: 1)
        for (field, parameter) in Self.textParameters {
            try batch.withField(row, field) { bytes in
                if let bytes { try s.bind(utf8: bytes, at: parameter) } else { try s.bind(.null, at: parameter) }
            }
        }
        try s.bind(.text(geography.communes[batch.number(row, SireneBatch.place) ?? 0]), at: 6)
        for (field, parameter) in Self.numberParameters {
            try s.bind(batch.number(row, field).map { .integer(Int64($0)) } ?? .null, at: parameter)
        }
        defer { try? s.reset() }
        do {
            try s.step()
        } catch {
            guard error.extendedCode == 1555 /* SQLITE_CONSTRAINT_PRIMARYKEY */ else { throw error }
            return false
        }
        summary.kept += 1
        return true
    }

    /// Dates the snapshot and replaces any earlier one of the same stock date.
    mutating func finish() throws {
        let db = store.db
        if let date = options.stockDate {
            summary.stockDate = date
        } else {
            guard !latestTreated.isEmpty else { throw SireneImportProblem.noStockDate }
            summary.stockDate = String(decoding: latestTreated, as: UTF8.self)
            guard try store.isStockDate(summary.stockDate) else { throw SireneImportProblem.fileStockDate(summary.stockDate) }
        }
        if case .integer(let count)? = try db.scalar("SELECT count(*) FROM sirene_snapshots WHERE stock_date = ? AND id <> ?",
                                                    [.text(summary.stockDate), .integer(snapshotID)]) {
            summary.replaced = count > 0
        }
        try db.execute("DELETE FROM sirene_snapshots WHERE stock_date = ? AND id <> ?", [.text(summary.stockDate), .integer(snapshotID)])
        try db.execute("UPDATE sirene_snapshots SET stock_date = ?, lines = ?, establishments = ?, skipped_lines = ? WHERE id = ?",
                       [.text(summary.stockDate), .integer(Int64(summary.lines)), .integer(Int64(summary.kept)),
                        .integer(Int64(summary.badLines)), .integer(snapshotID)])
    }
}

/// The reading half of an import, on its own thread: every line parsed and checked, the kept establishments sent
/// in batches; the counts and the malformed lines (the first 20, and the count) for the writing half at the end.
private struct SireneParse: Sendable {
    let columns: SireneLine.Columns
    let geography: SireneGeography
    let subclasses: Set<String>
    let bands: Set<String>
    var lines = 0, closed = 0, abroad = 0, elsewhere = 0
    var errors: [RowError] = []
    var errorCount = 0
    var latestTreated: [UInt8] = []
    /// An unterminated quote, a record past the limit or a failed read: nothing more could be read.
    var stoppedEarly = false

    init(columns: SireneLine.Columns, geography: SireneGeography, subclasses: Set<String>, bands: Set<String>) {
        (self.columns, self.geography, self.subclasses, self.bands) = (columns, geography, subclasses, bands)
    }

    mutating func fail(_ line: Int, _ message: String) {
        errorCount += 1
        if errors.count < ImportError.listed { errors.append(RowError(line: line, message: message)) }
    }

    mutating func run(_ reader: CSVReader, into channel: BatchChannel<SireneBatch>) {
        let c = columns
        var batch = SireneBatch()
        while !channel.isCancelled {
            let read = Result { () throws(CSVError) -> CSVRecord? in try reader.next() }
            if case .failure(let error) = read {
                lines += 1
                fail(error.recordLine, "\(error)")
                // Past an unterminated quote or a failed read there is nothing more to read.
                switch error.reason {
                case .unterminatedQuote, .recordTooLong, .readFailed:
                    stoppedEarly = true
                    return
                default: continue
                }
            }
            guard case .success(let next) = read, let record = next else { break }
            lines += 1
            let line = SireneLine(record, c)
            if let problem = line.problem { fail(record.line, problem); continue }
            if !line.treated.isEmpty {
                // Only a date that would become the latest is checked: the others date nothing.
                let day = UnsafeBufferPointer(rebasing: line.treated.prefix(10))
                if latestTreated.isEmpty || latestTreated.lexicographicallyPrecedes(day) {
                    guard SireneLine.isDate(day), line.treated.count == 10 || line.treated[10] == UInt8(ascii: "T") else {
                        fail(record.line, "dateDernierTraitementEtablissement \(SireneLine.shown(line.treated)) is not a date and time (YYYY-MM-DDTHH:MM:SS)")
                        continue
                    }
                    latestTreated = Array(day)
                }
            }
            guard line.state.count == 1, line.state[0] == UInt8(ascii: "A") else { closed += 1; continue }
            if line.commune.isEmpty { abroad += 1; continue }
            guard let place = geography.place(line.commune) else {
                // A code of a department kept, or of none, is malformed; one of another department (a commune
                // since merged) or of an overseas collectivity outside the regions (975, 977, 978, 98x) is elsewhere.
                if geography.isElsewhere(unknown: line.commune) { elsewhere += 1; continue }
                fail(record.line, "codeCommuneEtablissement \(SireneLine.shown(line.commune)) is not a commune of the 2026 geography")
                continue
            }
            guard geography.kept[place] else { elsewhere += 1; continue }
            // After a malformed line the rest is still checked and written, so that the count is the same with and
            // without --skip-bad-lines (duplicates included); the transaction is rolled back at the end.
            if let problem = Self.textProblem(record, c) ?? add(line, place: place, number: record.line, to: &batch) {
                fail(record.line, problem)
            }
            if batch.count == SireneBatch.capacity {
                (batch.lines, batch.bytesRead) = (lines, reader.bytesRead)
                channel.releaseSpent()
                channel.send(batch)
                batch = SireneBatch()
            }
        }
        (batch.lines, batch.bytesRead) = (lines, reader.bytesRead)
        if batch.count > 0 { channel.send(batch) }
    }

    /// The first text field stored that is not well-formed (not UTF-8, or bytes the file's encoding has no
    /// character for); the others are digits and codes checked against the nomenclatures.
    static func textProblem(_ record: CSVRecord, _ c: SireneLine.Columns) -> String? {
        for (column, index) in [(SireneColumn.usualName, c.usualName), (.sign, c.sign), (.activity, c.activity), (.nomenclature, c.nomenclature),
                                (.band, c.band), (.bandYear, c.bandYear), (.employer, c.employer), (.headOffice, c.headOffice),
                                (.created, c.created)] {
            if let index, !record.isValidText(at: index) {
                return "\(column.rawValue) is not valid text in the file's encoding; give the file's encoding (--encoding)"
            }
        }
        return nil
    }

    /// Adds one kept establishment to the batch, or says what is wrong with it.
    func add(_ line: SireneLine, place: Int, number: Int, to batch: inout SireneBatch) -> String? {
        let band = SireneLine.text(line.band)
        if !band.isEmpty && !bands.contains(band) { return "trancheEffectifsEtablissement \(FieldError.shown(band)) is not one of INSEE's headcount bands (NN, 00, 01 … 53)" }
        let activity = SireneLine.text(line.activity), nomenclature = SireneLine.text(line.nomenclature)
        let isNAF2 = nomenclature == "NAFRev2"
        if isNAF2 && !activity.isEmpty && !subclasses.contains(activity) { return "activitePrincipaleEtablissement \(FieldError.shown(activity)) is not a sub-class of NAF rev. 2" }
        var year: Int?
        if !line.bandYear.isEmpty {
            guard line.bandYear.count == 4, line.bandYear.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(SireneLine.text(line.bandYear)),
                  (1900...2999).contains(value) else { return "anneeEffectifsEtablissement \(SireneLine.shown(line.bandYear)) is not a year" }
            year = value
        }
        var employer: Int?
        switch SireneLine.text(line.employer) {
        case "": employer = nil
        case "O": employer = 1
        case "N": employer = 0
        case let other: return "caractereEmployeurEtablissement \(FieldError.shown(other)) is not O, N or empty"
        }
        var headOffice: Int?
        if let given = line.headOffice {
            switch SireneLine.text(given) {
            case "true": headOffice = 1
            case "false": headOffice = 0
            case let other: return "etablissementSiege \(FieldError.shown(other)) is not true or false"
            }
        }
        if !line.created.isEmpty && !SireneLine.isDate(line.created) { return "dateCreationEtablissement \(SireneLine.shown(line.created)) is not a date (YYYY-MM-DD)" }
        let name = line.usualName.isEmpty ? line.sign : line.usualName
        func orNull(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? { bytes.isEmpty ? nil : bytes }
        batch.append(texts: [line.siret, line.siren, orNull(name), line.commune, orNull(line.activity), orNull(line.nomenclature),
                             isNAF2 ? orNull(line.activity) : nil, orNull(line.band), orNull(line.created)],
                     numbers: [place, year, employer, headOffice, number])
        return nil
    }
}

/// Kept establishments on their way from the reading thread to the writing one: their fields in one byte arena
/// (no allocation per row; the arena is freed by the thread that made it: `BatchChannel.giveBack`).
struct SireneBatch: Sendable {
    static let capacity = 4_096
    // A row's texts, in this order, then its numbers.
    static let siret = 0, siren = 1, name = 2, communeCode = 3, activity = 4, nomenclature = 5, naf = 6, band = 7, created = 8
    static let place = 9, year = 10, employer = 11, headOffice = 12, lineNumber = 13
    private static let texts = 9, slots = 14
    private var bytes: [UInt8] = []
    /// Per row, `slots` values: each text's end in `bytes` (-1: NULL), then the numbers (-1: NULL; none is negative).
    private var values: [Int] = []
    /// Per row, each text's start in `bytes`.
    private var starts: [Int] = []
    private(set) var count = 0
    /// The lines read and the bytes of the file read when the batch was sent, for the progress bar.
    var lines = 0, bytesRead = 0

    init() {
        bytes.reserveCapacity(Self.capacity * 128)
        values.reserveCapacity(Self.capacity * Self.slots)
        starts.reserveCapacity(Self.capacity * Self.texts)
    }

    mutating func append(texts: [UnsafeBufferPointer<UInt8>?], numbers: [Int?]) {
        for text in texts {
            starts.append(bytes.count)
            if let text {
                bytes.append(contentsOf: text)
                values.append(bytes.count)
            } else {
                values.append(-1)
            }
        }
        for number in numbers { values.append(number ?? -1) }
        count += 1
    }

    func withField<R>(_ row: Int, _ field: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        let end = values[row * Self.slots + field], start = starts[row * Self.texts + field]
        guard end >= 0 else { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    func text(_ row: Int, _ field: Int) -> String? { withField(row, field) { $0.map { String(decoding: $0, as: UTF8.self) } } }
    func number(_ row: Int, _ field: Int) -> Int? { let value = values[row * Self.slots + field]; return value < 0 ? nil : value }
    func line(_ row: Int) -> Int { number(row, Self.lineNumber) ?? 0 }
}

/// The reader and the parsing state, lent to the reading thread for the length of one `SireneLoad.run`, which
/// does not touch the reader meanwhile and returns only once that thread has finished (`BatchChannel.cancel`).
private struct HandedReader: @unchecked Sendable {
    let reader: CSVReader
    let parse: SireneParse
}

/// The communes SIRENE may name, by code, as dense lookup tables: a code's slot, whether its region is kept, and
/// the commune it belongs to (an arrondissement's city: 13201 → 13055).
private struct SireneGeography {
    /// Slot of a code + 1 (0: not a commune), indexed by `key`.
    private var slots: [Int32]
    var kept: [Bool] = []
    var communes: [String] = []
    /// Whether each department's region is kept.
    private var departments: [String: Bool] = [:]

    init(_ db: Database, keeping regions: Set<String>) throws {
        slots = Array(repeating: 0, count: 10 * 12 * 1000)
        for row in try db.rows("SELECT code, region, coalesce(parent, code) FROM communes") {
            let code: String = try row.get(0), region: String = try row.get(1), commune: String = try row.get(2)
            guard let key = Self.key(Array(code.utf8)[...]) else { continue }
            communes.append(commune)
            kept.append(regions.contains(region))
            slots[key] = Int32(communes.count)
        }
        for row in try db.rows("SELECT code, region FROM departments") {
            departments[try row.get(0, as: String.self)] = regions.contains(try row.get(1, as: String.self))
        }
    }

    /// For a code that is no commune of the geography: whether it lies outside the regions kept (a department
    /// of another region, or an overseas collectivity that is in no region: 975, 977, 978, 98x).
    func isElsewhere(unknown code: UnsafeBufferPointer<UInt8>) -> Bool {
        guard code.count == 5, code.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "A") || $0 == UInt8(ascii: "B") }) else { return false }
        let text = String(decoding: code, as: UTF8.self)
        let overseas = text.hasPrefix("97") || text.hasPrefix("98")
        if let kept = departments[String(text.prefix(overseas ? 3 : 2))] { return !kept }
        return overseas
    }

    /// 5 bytes: a digit, a digit or A/B (Corsica: 2A, 2B), three digits.
    static func key<C: Collection>(_ code: C) -> Int? where C.Element == UInt8, C.Index == Int {
        guard code.count == 5 else { return nil }
        let s = code.startIndex
        func digit(_ byte: UInt8) -> Int? { byte >= 48 && byte <= 57 ? Int(byte - 48) : nil }
        guard let d0 = digit(code[s]), let d2 = digit(code[s + 2]), let d3 = digit(code[s + 3]), let d4 = digit(code[s + 4]) else { return nil }
        let second = code[s + 1]
        let d1: Int
        if let d = digit(second) { d1 = d } else if second == UInt8(ascii: "A") { d1 = 10 } else if second == UInt8(ascii: "B") { d1 = 11 } else { return nil }
        return (d0 * 12 + d1) * 1000 + d2 * 100 + d3 * 10 + d4
    }

    func place(_ code: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let key = Self.key(code) else { return nil }
        let slot = slots[key]
        return slot == 0 ? nil : Int(slot - 1)
    }
}

/// The fields of one line the import reads, as bytes of the reader's record (valid until the next record).
private struct SireneLine {
    struct Columns {
        let siret, siren, state, commune, activity, nomenclature, band: Int
        let bandYear, headOffice, created, employer, usualName, sign, treated: Int?

        init(_ index: [SireneColumn: Int]) {
            (siret, siren, state, commune) = (index[.siret]!, index[.siren]!, index[.state]!, index[.commune]!)
            (activity, nomenclature, band) = (index[.activity]!, index[.nomenclature]!, index[.band]!)
            (bandYear, headOffice, created, employer) = (index[.bandYear], index[.headOffice], index[.created], index[.employer])
            (usualName, sign, treated) = (index[.usualName], index[.sign], index[.treated])
        }
    }

    let siret, siren, state, commune, activity, nomenclature, band: UnsafeBufferPointer<UInt8>
    let bandYear, created, employer, usualName, sign, treated: UnsafeBufferPointer<UInt8>
    let headOffice: UnsafeBufferPointer<UInt8>?
    /// What makes the line malformed whatever its state and place: a SIRET that is not 14 digits, a SIREN that is
    /// not its first 9.
    var problem: String? {
        guard siret.count == 14, siret.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return "siret \(Self.shown(siret)) is not 14 digits" }
        guard siren.elementsEqual(siret.prefix(9)) else { return "siren \(Self.shown(siren)) is not the first 9 digits of siret \(Self.shown(siret))" }
        return nil
    }

    init(_ record: CSVRecord, _ c: Columns) {
        func field(_ index: Int?) -> UnsafeBufferPointer<UInt8> {
            guard let index else { return UnsafeBufferPointer(start: nil, count: 0) }
            return record.unsafeBytes(at: index)
        }
        (siret, siren, state, commune) = (field(c.siret), field(c.siren), field(c.state), field(c.commune))
        (activity, nomenclature, band) = (field(c.activity), field(c.nomenclature), field(c.band))
        (bandYear, created, employer) = (field(c.bandYear), field(c.created), field(c.employer))
        (usualName, sign, treated) = (field(c.usualName), field(c.sign), field(c.treated))
        headOffice = c.headOffice.map { record.unsafeBytes(at: $0) }
    }

    static func text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 { String(decoding: bytes, as: UTF8.self) }
    /// A field quoted in a message: cut to 60 characters, control characters escaped (as the rules' errors).
    static func shown<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 { FieldError.shown(text(bytes)) }

    /// YYYY-MM-DD, a day that exists.
    static func isDate(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range { guard b[i] >= 48 && b[i] <= 57 else { return nil }; value = value * 10 + Int(b[i] - 48) }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}
