import CSVStream
import Persistence

extension RegistryStore {
    /// Writes the startups a filter selects as CSV, header first, in the columns `import` reads
    /// (`StartupColumn`), so that importing the file into an empty registry gives the same startups and
    /// enrolments. Rows go from SQLite's buffers to the writer without becoming `Startup` values.
    /// Returns the number of startups written.
    @discardableResult
    public func exportStartupsCSV(_ filter: StartupFilter, to writer: inout CSVWriter) throws -> Int {
        try writer.writeRecord(StartupColumn.allCases.map(\.rawValue))
        // The columns in `StartupColumn` order, then the id; programmes are read apart (`ProgrammeLists`).
        let query = try startupQuery(filter, select: """
            SELECT s.name, sec.name, s.siren, s.siret, s.naf_code, s.city, s.employees, s.founded, s.revenue_eur, s.id
            FROM startups s JOIN sectors sec ON sec.id = s.sector_id
            """)
        let statement = try db.prepare(query.sql)
        try statement.bind(query.values)
        var programmes = try ProgrammeLists(db, merged: filter.sort == .id)
        var count = 0
        while try statement.step() {
            for field in 0..<9 {
                statement.withColumnBytes(at: field) { writer.append(bytes: $0) }  // NULL gives no bytes: an empty cell
            }
            guard case .integer(let id) = statement.value(at: 9) else { continue }
            var cell = try programmes.cell(of: id)
            cell.withUTF8 { writer.append(bytes: UnsafeRawBufferPointer($0)) }
            try writer.endRecord()
            count += 1
        }
        try statement.reset()
        try writer.finish()
        return count
    }
}

extension RegistryStore {
    /// Calls `body` with each startup a filter selects and its programmes as `export` writes them, the cohort in
    /// brackets when known ("Kedge (2016)"), for the JSON formats: the same entries as the CSV cell.
    /// The startup's own `accelerators` are left empty: the entries come apart, read once.
    public func forEachStartupToExport(_ filter: StartupFilter, _ body: (Startup, [String]) throws -> Void) throws {
        var programmes = try ProgrammeLists(db, merged: filter.sort == .id)
        try forEachStartup(filter, select: Self.startupSelectWithoutProgrammes) { startup in
            try body(startup, try programmes.entries(of: startup.id))
        }
    }
}

/// Each startup's programmes as one CSV cell ("gemalto|Kedge (2015)", in name order regardless of case, as
/// `startup show` lists them, the cohort year in brackets when known, as `import` reads it). For startups read
/// in id order, memberships are read alongside in the same order (their
/// primary key starts with the startup): one pass over each table instead of a query per startup, which took
/// as long as the rest of an export.
struct ProgrammeLists {
    private let names: [Int64: String]
    /// Each programme's place in name order.
    private let rank: [Int64: Int]
    private let statement: Statement
    private let merged: Bool
    /// In a merge: the membership read ahead, not yet used.
    private var next: (startup: Int64, programme: Int64, cohort: Int64?)?

    init(_ db: Database, merged: Bool) throws {
        let programmes = try db.rows("SELECT id, name FROM accelerators ORDER BY name COLLATE NOCASE")
            .map { (id: try $0.get(0, as: Int64.self), name: try $0.get(1, as: String.self)) }
        names = Dictionary(uniqueKeysWithValues: programmes.map { ($0.id, $0.name) })
        rank = Dictionary(uniqueKeysWithValues: programmes.enumerated().map { ($0.element.id, $0.offset) })
        self.merged = merged
        statement = try db.prepare(merged
            ? "SELECT startup_id, accelerator_id, cohort FROM memberships ORDER BY startup_id"
            : "SELECT startup_id, accelerator_id, cohort FROM memberships WHERE startup_id = ?")
        if merged {
            try statement.bind([])
            try advance()
        }
    }

    private mutating func advance() throws {
        next = try statement.step()
            ? (try Int64.decode(statement.value(at: 0)), try Int64.decode(statement.value(at: 1)), try Int64?.decode(statement.value(at: 2)))
            : nil
    }

    mutating func cell(of startup: Int64) throws -> String {
        try entries(of: startup).joined(separator: String(StartupColumn.listSeparator))
    }

    /// The startup's programmes, each with its cohort in brackets when known.
    mutating func entries(of startup: Int64) throws -> [String] {
        var enrolments: [(programme: Int64, cohort: Int64?)] = []
        if merged {
            while let (owner, programme, cohort) = next, owner <= startup {
                if owner == startup { enrolments.append((programme, cohort)) }
                try advance()
            }
        } else {
            try statement.bind([.integer(startup)])
            while try statement.step() {
                enrolments.append((try Int64.decode(statement.value(at: 1)), try Int64?.decode(statement.value(at: 2))))
            }
        }
        if enrolments.isEmpty { return [] }
        return enrolments.sorted { rank[$0.programme, default: 0] < rank[$1.programme, default: 0] }
            .compactMap { enrolment in
                names[enrolment.programme].map { name in enrolment.cohort.map { "\(name) (\($0))" } ?? name }
            }
    }
}
