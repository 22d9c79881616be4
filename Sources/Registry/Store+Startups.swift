import Persistence

extension RegistryStore {
    /// The columns of a startup as shown, with its programmes joined by U+001F (names cannot hold control characters),
    /// each with its cohort in brackets when known ("Kedge (2016)"), as `export` writes them (`ProgrammeLists`).
    static let startupSelect = startupSelect(programmes: programmesColumn)

    private static let programmesColumn = """
        (SELECT group_concat(entry, char(31)) FROM
            (SELECT a.name || coalesce(' (' || m.cohort || ')', '') AS entry
             FROM memberships m JOIN accelerators a ON a.id = m.accelerator_id
             WHERE m.startup_id = s.id ORDER BY a.name COLLATE NOCASE))
        """

    /// `startupSelect` with no programmes (NULL in their place), for readers that read them apart.
    static let startupSelectWithoutProgrammes = startupSelect(programmes: "NULL")

    /// `startupSelect` and then the cohort of each startup in the programme bound first (`firms(of:)`).
    private static let startupSelectWithCohort = startupSelect(programmes: programmesColumn, then: """
        , (SELECT m.cohort FROM memberships m WHERE m.startup_id = s.id AND m.accelerator_id = ?)
        """)

    private static func startupSelect(programmes: String, then extra: String = "") -> String {
        """
        SELECT s.id, s.name, s.siren, s.siret, sec.name, s.naf_code, s.city, s.employees, s.founded, s.revenue_eur, s.source,
               \(programmes) AS accelerators\(extra)
        FROM startups s JOIN sectors sec ON sec.id = s.sector_id
        """
    }

    /// The startups of one programme, in name order, each with its cohort there (nil when unknown).
    public func firms(of programme: String) throws -> [(startup: Startup, cohort: Int64?)] {
        let id = try resolve(programme, in: .accelerators)
        let query = try startupQuery(StartupFilter(accelerator: String(id)), select: Self.startupSelectWithCohort)
        return try db.prepare(query.sql).rows([.integer(id)] + query.values).map { (try Self.startup(from: $0), try $0.get(12)) }
    }

    static func startup(from row: Row) throws -> Startup {
        let programmes: String? = try row.get(11)
        return Startup(
            id: try row.get(0), name: try row.get(1), siren: try row.get(2), siret: try row.get(3),
            sector: try row.get(4), nafCode: try row.get(5), city: try row.get(6), employees: try row.get(7),
            founded: try row.get(8), revenueEUR: try row.get(9), source: try row.get(10),
            accelerators: programmes.map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
        )
    }

    /// One startup by id.
    public func startup(id: Int64) throws -> Startup {
        guard let row = try db.rows(Self.startupSelect + " WHERE s.id = ?", [.integer(id)]).first else {
            throw RegistryError(.notFound(entity: .startup, reference: String(id), suggestions: []), "no startup with id \(id)")
        }
        return try Self.startup(from: row)
    }

    /// One startup by id, SIREN or name.
    public func startup(_ reference: String) throws -> Startup {
        try startup(id: resolveStartup(reference))
    }

    /// A startup's enrolments with their cohorts.
    public func memberships(ofStartup id: Int64) throws -> [Membership] {
        try db.rows("""
            SELECT a.name, m.cohort FROM memberships m JOIN accelerators a ON a.id = m.accelerator_id
            WHERE m.startup_id = ? ORDER BY a.name COLLATE NOCASE
            """, [.integer(id)]).map { Membership(accelerator: try $0.get(0), cohort: try $0.get(1)) }
    }

    /// The SQL and values for a filter; every value is bound, only fixed fragments are joined.
    /// `select` is `startupSelect` or another column list over the same `startups s JOIN sectors sec`.
    func startupQuery(_ filter: StartupFilter, select: String = startupSelect) throws -> (sql: String, values: [SQLValue]) {
        var (conditions, values) = try startupConditions(filter)
        var sql = select
        if !conditions.isEmpty { sql += " WHERE " + conditions }
        let order = switch filter.sort {
        case .name: " ORDER BY s.name_key, s.id"
        case .employees: " ORDER BY s.employees DESC NULLS LAST, s.name_key, s.id"
        case .founded: " ORDER BY s.founded NULLS LAST, s.name_key, s.id"
        case .id: " ORDER BY s.id"
        }
        sql += order
        if let limit = filter.limit {
            guard limit >= 0 else {
                throw RegistryError(.invalidField(field: "limit", value: String(limit), rule: "give a number of rows, 0 or more", suggestions: []),
                                    "invalid limit '\(limit)': give a number of rows, 0 or more")
            }
            sql += " LIMIT ?"
            values.append(.integer(Int64(limit)))
        }
        if filter.offset != 0 {
            guard filter.offset > 0 else {
                throw RegistryError(.invalidField(field: "offset", value: String(filter.offset), rule: "give a number of rows to skip, 0 or more"),
                                    "invalid offset '\(filter.offset)': give a number of rows to skip, 0 or more")
            }
            if filter.limit == nil { sql += " LIMIT -1" }
            sql += " OFFSET ?"
            values.append(.integer(Int64(filter.offset)))
        }
        return (sql, values)
    }

    /// The WHERE conditions of a filter on `startups s` ("" for none), shared by listings, exports and statistics.
    func startupConditions(_ filter: StartupFilter) throws -> (sql: String, values: [SQLValue]) {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let accelerator = filter.accelerator {
            conditions.append("EXISTS (SELECT 1 FROM memberships m WHERE m.startup_id = s.id AND m.accelerator_id = ?)")
            values.append(.integer(try resolve(accelerator, in: .accelerators)))
        }
        if let sector = filter.sector {
            conditions.append("s.sector_id = ?")
            values.append(.integer(try resolve(sector, in: .sectors)))
        }
        if let city = filter.city {
            // A city no startup has is a typo far more often than an empty answer: say so, as for a sector.
            let city = city.trimmingSpaces
            if try db.scalar("SELECT 1 FROM startups WHERE city = ? LIMIT 1", [.text(city)]) == nil {
                let known = try db.rows("SELECT DISTINCT city FROM startups WHERE city IS NOT NULL").map { try $0.get(0, as: String.self) }
                throw RegistryError.unknown(.city, city, among: known)
            }
            conditions.append("s.city = ?")
            values.append(.text(city))
        }
        if let search = filter.search {
            conditions.append("(s.name_key LIKE ? ESCAPE '\\' OR s.siren = ?)")
            values.append(.text("%" + search.searchKey.escapedForLike + "%"))
            values.append(.text(search.filter { $0.isASCII && $0.isNumber }))
        }
        if filter.excludeSynthetic {
            conditions.append("s.source <> ?")
            values.append(.text(syntheticSource))
        }
        return (conditions.joined(separator: " AND "), values)
    }

    /// The startups a filter selects.
    public func startups(_ filter: StartupFilter = StartupFilter()) throws -> [Startup] {
        let query = try startupQuery(filter)
        return try db.prepare(query.sql).rows(query.values).map(Self.startup(from:))
    }

    /// How many startups a filter selects, its limit and offset aside (the total of a page).
    public func countStartups(_ filter: StartupFilter) throws -> Int {
        let (conditions, values) = try startupConditions(filter)
        let sql = "SELECT count(*) FROM startups s" + (conditions.isEmpty ? "" : " WHERE " + conditions)
        guard case .integer(let count)? = try db.scalar(sql, values) else { return 0 }
        return Int(count)
    }

    /// Streams the startups a filter selects, without holding them all (exports).
    public func forEachStartup(_ filter: StartupFilter, _ body: (Startup) throws -> Void) throws {
        try forEachStartup(filter, select: Self.startupSelect, body)
    }

    /// The same with another select list of the same columns (`startupSelectWithoutProgrammes`).
    func forEachStartup(_ filter: StartupFilter, select: String, _ body: (Startup) throws -> Void) throws {
        let query = try startupQuery(filter, select: select)
        try db.prepare(query.sql).forEachRow(query.values) { try body(try Self.startup(from: $0)) }
    }

    // MARK: Writing

    /// Registers a startup (and its enrolments) in one transaction.
    @discardableResult
    public func addStartup(_ draft: StartupDraft, source: String = "manual entry") throws -> Startup {
        try transaction {
            let record = try StartupRules(store: self).validate(draft)
            let id = try insert(record, source: try Validate.requiredText(source, field: "source"))
            return try startup(id: id)
        }
    }

    /// The columns a new startup is written with, in the order of `bindFields` (ten), then source and dates.
    private static let insertColumns = """
        INSERT INTO startups (name, name_key, siren, siret, sector_id, naf_code, city, employees, founded, revenue_eur, source,
                              created_at, updated_at)
        """

    static let insertStartupSQL = insertColumns + """

        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                coalesce(?12, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), coalesce(?12, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))
        """

    /// Registers one startup (and its enrolments), dated now.
    func insert(_ record: StartupRecord, source: String) throws -> Int64 {
        let statement = try db.cachedStatement(Self.insertStartupSQL)
        return try insert(record) { () throws(SQLiteError) in
            try statement.execute(binding: { statement throws(SQLiteError) in
                try Self.bindFields(of: record, to: statement)
                try statement.bind(.text(source), at: 11)
            })
        }
    }

    /// Registers one startup with `statement`, prepared from `insertStartupSQL` for a whole import, whose source
    /// (?11) and date (?12) the import bound once.
    func insert(_ record: StartupRecord, with statement: Statement, enrolling enrolment: Statement) throws -> Int64 {
        try insert(record, enrolling: enrolment) { () throws(SQLiteError) in
            try statement.execute(rebinding: { statement throws(SQLiteError) in try Self.bindFields(of: record, to: statement) })
        }
    }

    private func insert(_ record: StartupRecord, enrolling enrolment: Statement? = nil,
                        running write: () throws(SQLiteError) -> Void) throws -> Int64 {
        do {
            try write()
        } catch {
            throw try explain(error, record: record, updating: nil)
        }
        let id = db.lastInsertRowID
        try enrol(startup: id, in: record.accelerators ?? [], with: enrolment)
        return id
    }

    /// The INSERT of `rows` startups at once, all with the source ?1 and the date ?2; each row's ten fields follow
    /// (`bindFields`). Built from numbers only: every value is bound.
    static func insertStartupsSQL(rows: Int) -> String {
        let values = (0..<rows).map { row in
            "(" + (1...10).map { "?\(2 + row * 10 + $0)" }.joined(separator: ", ") + ", ?1, ?2, ?2)"
        }
        return insertColumns + " VALUES " + values.joined(separator: ", ")
    }

    /// Registers startups with `statement`, prepared from `insertStartupsSQL(rows: records.count)`, all with
    /// `source` and dated `date`. Their ids follow one another: nothing else writes during the transaction.
    func insert(_ records: [StartupRecord], with statement: Statement, source: String, date: String,
                enrolling enrolment: Statement) throws {
        var bytes = 0
        for record in records {
            bytes += record.name.utf8.count + record.nameKey.utf8.count + (record.siren?.utf8.count ?? 0)
                + (record.siret?.utf8.count ?? 0) + (record.nafCode?.utf8.count ?? 0) + (record.city?.utf8.count ?? 0)
        }
        try statement.execute(inPlaceBytes: bytes, binding: { statement throws(SQLiteError) in
            try statement.bind(.text(source), at: 1)
            try statement.bind(.text(date), at: 2)
            for (row, record) in records.enumerated() {
                try Self.bindFields(of: record, to: statement, from: Int32(2 + row * 10), inPlace: true)
            }
        })
        let firstID = db.lastInsertRowID - Int64(records.count) + 1
        for (row, record) in records.enumerated() {
            try enrol(startup: firstID + Int64(row), in: record.accelerators ?? [], with: enrolment)
        }
    }

    /// Binds the record's ten fields to ?(start + 1) ... ?(start + 10), one by one: an import runs this a
    /// million times. `inPlace`: text bound without SQLite's copy (`Statement.bind(inPlace:at:)`).
    private static func bindFields(of record: StartupRecord, to statement: Statement, from start: Int32 = 0,
                                   inPlace: Bool = false) throws(SQLiteError) {
        func text(_ value: String?, at index: Int32) throws(SQLiteError) {
            if inPlace, let value { try statement.bind(inPlace: value, at: index) } else { try statement.bind(value.sqlValue, at: index) }
        }
        try text(record.name, at: start + 1)
        try text(record.nameKey, at: start + 2)
        try text(record.siren, at: start + 3)
        try text(record.siret, at: start + 4)
        try statement.bind(.integer(record.sectorID), at: start + 5)
        try text(record.nafCode, at: start + 6)
        try text(record.city, at: start + 7)
        try statement.bind(record.employees.sqlValue, at: start + 8)
        try statement.bind(record.founded.sqlValue, at: start + 9)
        try statement.bind(record.revenueEUR.sqlValue, at: start + 10)
    }

    /// Corrects a startup: fields the draft gives replace the current ones ("" clears an optional field);
    /// accelerators the draft names are joined.
    @discardableResult
    public func updateStartup(_ reference: String, _ draft: StartupDraft) throws -> Startup {
        try transaction {
            let id = try resolveStartup(reference)
            try update(id: id, correction(of: id, by: draft, rules: StartupRules(store: self)))
            return try startup(id: id)
        }
    }

    /// The startup `id` with the draft's fields over its current ones, checked: the one way a correction is
    /// made, by `startup update` and `import --upsert` alike.
    func correction(of id: Int64, by draft: StartupDraft, rules: StartupRules) throws -> StartupRecord {
        var draft = draft
        let current = try startup(id: id)
        if let rawSIRET = draft.siret, !rawSIRET.trimmingSpaces.isEmpty, draft.siren == nil {
            // A SIRET given alone sets the SIREN of a firm that has none, as it does when registering; it never
            // silently replaces the one stored: that is another firm, said with --siren.
            let siren = String(try Validate.siret(rawSIRET).prefix(9))
            if let stored = current.siren, stored != siren {
                throw FieldError(field: "siret", value: rawSIRET,
                                 rule: "belongs to the firm with SIREN \(siren), not \(current.name)'s \(stored)", remedies: [.alsoGiveSIREN(siren)])
            }
            draft.siren = ""
        }
        return try rules.validate(draft, over: StartupDraft(current))
    }

    func update(id: Int64, _ record: StartupRecord) throws {
        do {
            try db.execute("""
                UPDATE startups SET name = ?, name_key = ?, siren = ?, siret = ?, sector_id = ?, naf_code = ?, city = ?,
                       employees = ?, founded = ?, revenue_eur = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                WHERE id = ?
                """, [.text(record.name), .text(record.nameKey), record.siren.sqlValue, record.siret.sqlValue,
                      .integer(record.sectorID), record.nafCode.sqlValue, record.city.sqlValue,
                      record.employees.sqlValue, record.founded.sqlValue, record.revenueEUR.sqlValue, .integer(id)])
        } catch {
            throw try explain(error, record: record, updating: id)
        }
        try enrol(startup: id, in: record.accelerators ?? [])
    }

    /// Removes a startup and its enrolments; returns what was removed.
    @discardableResult
    public func removeStartup(_ reference: String) throws -> Startup {
        try transaction {
            let removed = try startup(id: resolveStartup(reference))
            try db.execute("DELETE FROM startups WHERE id = ?", [.integer(removed.id)])
            return removed
        }
    }

    /// Enrols a startup in a programme (or changes its cohort there).
    @discardableResult
    public func join(_ reference: String, accelerator: String, cohort: String?) throws -> Startup {
        try transaction {
            let id = try resolveStartup(reference)
            let programme = try resolve(accelerator, in: .accelerators)
            let year = try cohort.map { try Validate.year($0, field: "cohort", currentYear: Validate.currentYear + 1) }
            try enrol(startup: id, in: [Enrolment(programme: programme, cohort: year)])
            return try startup(id: id)
        }
    }

    /// Withdraws a startup from a programme.
    @discardableResult
    public func leave(_ reference: String, accelerator: String) throws -> Startup {
        try transaction {
            let id = try resolveStartup(reference)
            let programme = try resolve(accelerator, in: .accelerators)
            try db.execute("DELETE FROM memberships WHERE startup_id = ? AND accelerator_id = ?", [.integer(id), .integer(programme)])
            guard db.changes == 1 else {
                let name = try startup(id: id).name
                throw RegistryError.invalidRequest("\(name) is not enrolled in \(accelerator)", remedy: .showStartup(id))
            }
            return try startup(id: id)
        }
    }

    static let enrolSQL = """
        INSERT INTO memberships (startup_id, accelerator_id, cohort) VALUES (?, ?, ?)
        ON CONFLICT (startup_id, accelerator_id) DO UPDATE SET cohort = coalesce(excluded.cohort, cohort)
        """

    /// Enrols a startup in programmes; an import passes `statement`, prepared from `enrolSQL` once (looking the
    /// statement up by its text hashes that text, for every row).
    func enrol(startup id: Int64, in enrolments: [Enrolment], with statement: Statement? = nil) throws {
        guard !enrolments.isEmpty else { return }
        let statement = try statement ?? db.cachedStatement(Self.enrolSQL)
        for enrolment in enrolments {
            try statement.execute(binding: { statement throws(SQLiteError) in
                try statement.bind(.integer(id), at: 1)
                try statement.bind(.integer(enrolment.programme), at: 2)
                try statement.bind(enrolment.cohort.sqlValue, at: 3)
            })
        }
    }

    /// Turns a UNIQUE failure into a sentence naming the startup that already holds the value.
    func explain(_ error: SQLiteError, record: StartupRecord, updating: Int64?) throws -> Error {
        guard error.extendedCode == SQLiteError.constraintUnique else { return error }
        let (column, value, label): (String, String?, String) =
            if error.message.hasSuffix("startups.siren") { ("siren", record.siren, "SIREN") }
            else { ("name_key", record.nameKey, "name") }
        // `column` is one of the two fixed names above. A repeated SIRET repeats its SIREN (migration 0003).
        let holder = try value.flatMap { try db.rows("SELECT id, name FROM startups WHERE \(column) = ?", [.text($0)]).first }
        let holderName = try holder.map { try $0.get(1, as: String.self) }
        let who = try holder.map { " (\(try $0.get(1, as: String.self)), id \(try $0.get(0, as: Int64.self)))" } ?? ""
        let shown = column == "name_key" ? record.name : (value ?? "")
        return RegistryError(.duplicate(entity: .startup, field: column == "name_key" ? "name" : "siren", value: shown, holder: holderName),
                             "a startup with \(label) \(shown) already exists\(who)", remedy: .update(.startup))
    }
}
