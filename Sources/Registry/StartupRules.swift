import Persistence

/// A startup that passed every rule, ready to be written.
struct StartupRecord: Equatable {
    var name: String
    var nameKey: String
    var siren: String?
    var siret: String?
    var sectorID: Int64
    var nafCode: String?
    var city: String?
    var employees: Int64?
    var founded: Int64?
    var revenueEUR: Int64?
    /// Programmes to enrol in, each with its cohort; nil when the draft named none.
    var accelerators: [Enrolment]?
}

/// A programme to enrol in, and the cohort year if one is known.
struct Enrolment: Equatable {
    var programme: Int64
    var cohort: Int64?
}

/// The rules a startup must follow, in one place for `startup add`, `startup update` and `import`.
/// Keeps the small reference tables in memory so that validating a million rows asks SQLite nothing.
final class StartupRules {
    private let store: RegistryStore
    private var sectors: [String: Int64] = [:]
    private var accelerators: [String: Int64] = [:]
    private var nafCodes: Set<String> = []
    /// Sector and programme ids by the text as typed: an import names the same few thousands of times, and a
    /// dictionary lookup costs less than a search key.
    private var sectorsAsTyped: [String: Int64] = [:]
    private var acceleratorsAsTyped: [String: Int64] = [:]
    let currentYear = Validate.currentYear

    init(store: RegistryStore) throws {
        self.store = store
        try reload()
    }

    /// Reads the reference tables again (after `--new-sectors` adds one, for example).
    func reload() throws {
        sectors = try keyed("SELECT id, name FROM sectors")
        accelerators = try keyed("SELECT id, name FROM accelerators")
        nafCodes = Set(try store.db.rows("SELECT code FROM naf_codes").map { try $0.get(0, as: String.self) })
        sectorsAsTyped = [:]
        acceleratorsAsTyped = [:]
    }

    private func keyed(_ sql: String) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try store.db.rows(sql) { result[try row.get(1, as: String.self).searchKey] = try row.get(0) }
        return result
    }

    func hasSector(named name: String) -> Bool { sectorsAsTyped[name] != nil || sectors[name.searchKey] != nil }

    /// The programmes of an `accelerators` cell the registry lacks, by name without the cohort ("Kedge (2016)": Kedge).
    func missingProgrammes(_ names: [String]) -> [String] {
        names.compactMap { raw in
            if programme(raw) != nil { return nil }
            if let (name, _) = Self.withCohort(raw) { return programme(name) == nil ? name : nil }
            return raw
        }
    }

    /// Validates a draft; `base` holds the current values when updating (fields the draft leaves nil are kept).
    func validate(_ draft: StartupDraft, over base: StartupDraft? = nil) throws -> StartupRecord {
        try validate(CheckedFields(draft, over: base, currentYear: currentYear))
    }

    /// Completes fields checked apart with the rules that read the reference tables, and reports the first broken
    /// rule in the order of the fields, whichever thread checked them.
    func validate(_ fields: CheckedFields) throws -> StartupRecord {
        let name = try fields.name.get()
        guard let rawSector = fields.sector else {
            throw FieldError(field: "sector", value: "", rule: "a startup needs a sector", remedies: [.giveOption(field: "sector"), .list(.sector)])
        }
        guard let sectorID = sectorsAsTyped[rawSector] ?? sectors[rawSector.searchKey]
                ?? Int64(rawSector.trimmingSpaces).flatMap({ id in sectors.values.contains(id) ? id : nil }) else {
            throw FieldError(field: "sector", value: rawSector, rule: "no such sector",
                             suggestions: RegistryError.closest(to: rawSector.searchKey, among: try sectorNames()), remedies: [.listOrAddSector])
        }
        sectorsAsTyped[rawSector] = sectorID
        let ids = try fields.identifiers.get()
        var naf: String?
        if let (raw, code) = try fields.nafCode.get() {
            guard nafCodes.contains(code) else {
                throw FieldError(field: "naf_code", value: raw, rule: "not a code of the NAF rev. 2 nomenclature (e.g. 62.01Z)", remedies: [.nafCodes])
            }
            naf = code
        }
        let city = try fields.city.get()
        let employees = try fields.employees.get()
        let revenue = try fields.revenueEUR.get()
        let founded = try fields.founded.get()
        let cohort = try fields.cohort.get()
        let programmes = try fields.accelerators.map { names in
            try names.map { raw -> Enrolment in
                if let id = programme(raw) { return Enrolment(programme: id, cohort: cohort) }
                // "Jaguar (2015)": enrolled in the 2015 cohort, as `export` writes it. Tried after the whole text,
                // so a programme whose name ends in brackets is still found by its name.
                if let (name, year) = Self.withCohort(raw), let id = programme(name) {
                    return Enrolment(programme: id, cohort: try Validate.year(year, field: "cohort", currentYear: currentYear + 1))
                }
                // Unknown: let the store's resolver explain, with the closest names.
                return Enrolment(programme: try store.resolve(raw, in: .accelerators), cohort: cohort)
            }
        }
        if let programmes, programmes.count > 1, let names = fields.accelerators {
            try Self.refuseRepeatedProgramme(programmes, names: names)
        }
        // The search key is made here rather than with the other checks: on an import, this thread (which writes)
        // has time to spare while the reading one is the busier (perf, 1,000,000 rows).
        return StartupRecord(name: name, nameKey: name.searchKey, siren: ids.siren, siret: ids.siret,
                             sectorID: sectorID, nafCode: naf, city: city, employees: employees, founded: founded,
                             revenueEUR: revenue, accelerators: programmes)
    }

    /// A firm is enrolled once in a programme, in one cohort: `Jaguar (2015)|Jaguar (2016)` would keep one.
    private static func refuseRepeatedProgramme(_ enrolments: [Enrolment], names: [String]) throws(FieldError) {
        var seen: [Int64: String] = [:]
        for (enrolment, name) in zip(enrolments, names) {
            if let first = seen[enrolment.programme] {
                throw FieldError(field: "accelerators", value: names.joined(separator: String(StartupColumn.listSeparator)),
                                 rule: "names one programme twice ('\(first)' and '\(name)'); a firm is enrolled once in a programme, in one cohort: keep one")
            }
            seen[enrolment.programme] = name
        }
    }

    /// The programme named exactly so (as typed, or by search key), if any.
    private func programme(_ raw: String) -> Int64? {
        if let id = acceleratorsAsTyped[raw] { return id }
        guard let id = accelerators[raw.searchKey] else { return nil }
        acceleratorsAsTyped[raw] = id
        return id
    }

    /// "Name (year)" split into the name and the year's text; nil for text of another shape.
    static func withCohort(_ raw: String) -> (name: String, year: String)? {
        let text = raw.trimmingSpaces
        guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return nil }
        let name = String(text[..<open]).trimmingSpaces
        let year = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard !name.isEmpty, !year.isEmpty else { return nil }
        return (name, year)
    }

    private func sectorNames() throws -> [String] {
        try store.db.rows("SELECT name FROM sectors").map { try $0.get(0, as: String.self) }
    }
}

/// A draft's fields checked by the rules that need no reference table, each as its stored form or the rule it
/// breaks. Plain values: an import checks them on a second thread while the first writes earlier rows, and
/// `StartupRules.validate` finishes them (sector, NAF code's existence, programmes).
struct CheckedFields: Sendable {
    var name: Result<String, FieldError>
    /// The sector as given, nil when missing or empty.
    var sector: String?
    var identifiers: Result<(siren: String?, siret: String?), FieldError>
    /// The NAF code as given and in its stored form.
    var nafCode: Result<(raw: String, code: String)?, FieldError>
    var city: Result<String?, FieldError>
    var employees: Result<Int64?, FieldError>
    var revenueEUR: Result<Int64?, FieldError>
    var founded: Result<Int64?, FieldError>
    var cohort: Result<Int64?, FieldError>
    var accelerators: [String]?

    /// `base` holds the current values when updating (fields the draft leaves nil are kept).
    init(_ draft: StartupDraft, over base: StartupDraft? = nil, currentYear: Int) {
        // Values, not key paths: a key path into the draft copies it, which shows on a million-row import.
        func pick(_ value: String?, _ current: String?) -> String? { value ?? current }
        /// nil for nil or an empty (after trimming) value: empty cells and empty options mean "none".
        func given(_ value: String?, _ current: String?) -> String? {
            guard let value = pick(value, current), !value.isBlank else { return nil }
            return value
        }
        let rawName = pick(draft.name, base?.name)
        name = Result { () throws(FieldError) in
            guard let rawName else { throw FieldError(field: "name", value: "", rule: "a startup needs a name", remedies: [.giveOption(field: "name")]) }
            return try Validate.name(rawName)
        }
        sector = given(draft.sector, base?.sector)
        let siren = given(draft.siren, base?.siren), siret = given(draft.siret, base?.siret)
        identifiers = Result { () throws(FieldError) in try Validate.identifiers(siren: siren, siret: siret) }
        let naf = given(draft.nafCode, base?.nafCode)
        nafCode = Result { () throws(FieldError) in try naf.map { raw throws(FieldError) in (raw, try Validate.nafCode(raw)) } }
        let city = given(draft.city, base?.city)
        self.city = Result { () throws(FieldError) in try city.map { raw throws(FieldError) in try Validate.name(raw, field: "city") } }
        let employees = given(draft.employees, base?.employees)
        self.employees = Result { () throws(FieldError) in
            try employees.map { raw throws(FieldError) in try Validate.count(raw, field: "employees", atMost: Validate.Limits.employees) }
        }
        let revenue = given(draft.revenueEUR, base?.revenueEUR)
        revenueEUR = Result { () throws(FieldError) in
            try revenue.map { raw throws(FieldError) in try Validate.count(raw, field: "revenue_eur", atMost: Validate.Limits.revenueEUR) }
        }
        let founded = given(draft.founded, base?.founded)
        self.founded = Result { () throws(FieldError) in
            try founded.map { raw throws(FieldError) in try Validate.year(raw, field: "founded", currentYear: currentYear) }
        }
        let cohort = draft.cohort.flatMap { $0.isBlank ? nil : $0 }
        self.cohort = Result { () throws(FieldError) in
            try cohort.map { raw throws(FieldError) in try Validate.year(raw, field: "cohort", currentYear: currentYear + 1) }
        }
        accelerators = draft.accelerators
    }
}
