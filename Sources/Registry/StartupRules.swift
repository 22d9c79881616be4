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
    /// Programme ids to enrol in; nil when the draft named none.
    var accelerators: [Int64]?
    var cohort: Int64?
}

/// The rules a startup must follow, in one place for `startup add`, `startup update` and `import`.
/// Keeps the small reference tables in memory so that validating a million rows asks SQLite nothing.
final class StartupRules {
    private let store: RegistryStore
    private var sectors: [String: Int64] = [:]
    private var accelerators: [String: Int64] = [:]
    private var nafCodes: Set<String> = []
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
    }

    private func keyed(_ sql: String) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try store.db.rows(sql) { result[try row.get(1, as: String.self).searchKey] = try row.get(0) }
        return result
    }

    func hasSector(named name: String) -> Bool { sectors[name.searchKey] != nil }

    /// Validates a draft; `base` holds the current values when updating (fields the draft leaves nil are kept).
    func validate(_ draft: StartupDraft, over base: StartupDraft? = nil) throws -> StartupRecord {
        func pick(_ field: KeyPath<StartupDraft, String?>) -> String? {
            let value = draft[keyPath: field] ?? base?[keyPath: field]
            return value
        }
        /// nil for nil or an empty (after trimming) value: empty cells and empty options mean "none".
        func given(_ field: KeyPath<StartupDraft, String?>) -> String? {
            guard let value = pick(field), !value.trimmingSpaces.isEmpty else { return nil }
            return value
        }
        guard let rawName = pick(\.name) else {
            throw FieldError(field: "name", value: "", rule: "a startup needs a name (--name)")
        }
        let name = try Validate.name(rawName)
        guard let rawSector = given(\.sector) else {
            throw FieldError(field: "sector", value: "", rule: "a startup needs a sector (--sector); see `frenchtech sector list`")
        }
        guard let sectorID = sectors[rawSector.searchKey] ?? Int64(rawSector.trimmingSpaces).flatMap({ id in sectors.values.contains(id) ? id : nil }) else {
            let close = store.closest(to: rawSector.searchKey, among: try sectorNames())
            let hint = close.isEmpty ? "see `frenchtech sector list`, or add it with `frenchtech sector add`"
                : "did you mean \(close.map { "'\($0)'" }.joined(separator: ", "))? (or add it with `frenchtech sector add`)"
            throw FieldError(field: "sector", value: rawSector, rule: "no such sector; \(hint)")
        }
        let ids = try Validate.identifiers(siren: given(\.siren), siret: given(\.siret))
        var naf: String?
        if let raw = given(\.nafCode) {
            let code = try Validate.nafCode(raw)
            guard nafCodes.contains(code) else {
                throw FieldError(field: "naf_code", value: raw, rule: "not a code of the NAF rev. 2 nomenclature (e.g. 62.01Z); see `frenchtech sql \"SELECT code, label FROM naf_codes\"`")
            }
            naf = code
        }
        let city = try given(\.city).map { try Validate.name($0, field: "city") }
        let employees = try given(\.employees).map { try Validate.count($0, field: "employees") }
        let revenue = try given(\.revenueEUR).map { try Validate.count($0, field: "revenue_eur") }
        let founded = try given(\.founded).map { try Validate.year($0, field: "founded", currentYear: currentYear) }
        let cohort = try draft.cohort.flatMap { $0.trimmingSpaces.isEmpty ? nil : $0 }
            .map { try Validate.year($0, field: "cohort", currentYear: currentYear + 1) }
        let programmes = try draft.accelerators.map { names in
            try names.map { raw -> Int64 in
                if let id = accelerators[raw.searchKey] { return id }
                // Unknown: let the store's resolver explain, with the closest names.
                return try store.resolve(raw, in: .accelerators, field: "accelerator")
            }
        }
        return StartupRecord(name: name, nameKey: name.searchKey, siren: ids.siren, siret: ids.siret,
                             sectorID: sectorID, nafCode: naf, city: city, employees: employees, founded: founded,
                             revenueEUR: revenue, accelerators: programmes, cohort: cohort)
    }

    private func sectorNames() throws -> [String] {
        try store.db.rows("SELECT name FROM sectors").map { try $0.get(0, as: String.self) }
    }
}
