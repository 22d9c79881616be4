import Persistence

/// The rules applied to what is already in the file: rows written by other tools (sqlite-utils, a script)
/// break rules SQLite does not enforce, and keys made by an earlier definition of `searchKey` go stale.
extension RegistryStore {
    // MARK: Search keys

    /// Marks a file whose `startups.name_key` hold the keys of today's `searchKey`, in the header's
    /// application id (no table holds it, so no migration is needed: a file without it is rekeyed once).
    /// Raise it whenever `searchKey` changes definition.
    static let searchKeyVersion = 0x4654_4B02  // "FTK", 2: compatibility forms folded, default-ignorables dropped

    /// Recomputes the stored name keys once after `searchKey` changed definition, in one transaction; a key that
    /// would now repeat another firm's is left as it was, and `check` reports the two names. A read-only file, or
    /// one another process is writing, is left for a later command: reading it must not fail for that.
    func refreshSearchKeys() throws {
        guard try db.scalar("PRAGMA application_id") != .integer(Int64(Self.searchKeyVersion)) else { return }
        do {
            try rekey()
        } catch let error as SQLiteError where error.code == SQLiteError.readOnly || error.code == SQLiteError.busy {
            return
        }
    }

    private func rekey() throws {
        try db.transaction {
            guard try db.scalar("PRAGMA application_id") != .integer(Int64(Self.searchKeyVersion)) else { return }
            var stale: [(id: Int64, key: String)] = []
            try db.prepare("SELECT id, name, name_key FROM startups").forEachRow { row in
                let key = try row.get(1, as: String.self).searchKey
                if key != (try row.get(2, as: String.self)) { stale.append((try row.get(0), key)) }
            }
            let update = try db.prepare("UPDATE startups SET name_key = ? WHERE id = ?")
            for (id, key) in stale {
                do {
                    try update.execute([.text(key), .integer(id)])
                } catch let error as SQLiteError where error.extendedCode == SQLiteError.constraintUnique {
                    continue  // two firms whose names now key alike: `check` names them, a person decides
                }
            }
            try db.setPragma("application_id", Self.searchKeyVersion)
        }
    }

    // MARK: Rules

    /// One stored value that breaks a rule.
    public struct RuleViolation: Equatable, Sendable, CustomStringConvertible {
        public let table: String
        public let id: Int64
        public let field: String
        public let problem: String
        public var description: String { "\(table) \(id) \(field): \(problem)" }
    }

    /// Every stored value that the rules of `add`, `update` and `import` would refuse, checked by those same
    /// rules (`Validate`, `CheckedFields`); references and the schema's own CHECKs are `check`'s other rows.
    public func ruleViolations() throws -> [RuleViolation] {
        var found: [RuleViolation] = []
        func report(_ table: String, _ id: Int64, _ field: String, _ body: () throws -> Void) {
            do { try body() } catch let error as FieldError {
                found.append(RuleViolation(table: table, id: id, field: field, problem: error.description))
            } catch {
                found.append(RuleViolation(table: table, id: id, field: field, problem: "\(error)"))
            }
        }
        func reportFirst<T>(_ table: String, _ id: Int64, _ field: String, _ result: Result<T, FieldError>) {
            if case .failure(let error) = result {
                found.append(RuleViolation(table: table, id: id, field: field, problem: error.description))
            }
        }
        let currentYear = Validate.currentYear
        try db.prepare("""
            SELECT s.id, s.name, s.name_key, s.siren, s.siret, s.naf_code, s.city, s.employees, s.founded, s.revenue_eur,
                   s.source
            FROM startups s ORDER BY s.id
            """).forEachRow { row in
            let id: Int64 = try row.get(0)
            let name: String = try row.get(1)
            let number = { (index: Int) throws -> String? in try row.get(index, as: Int64?.self).map(String.init) }
            let draft = StartupDraft(name: name, siren: try row.get(3), siret: try row.get(4), nafCode: try row.get(5),
                                     city: try row.get(6), employees: try number(7), founded: try number(8),
                                     revenueEUR: try number(9))
            let fields = CheckedFields(draft, currentYear: currentYear)
            reportFirst("startups", id, "name", fields.name)
            reportFirst("startups", id, "siren", fields.identifiers)
            reportFirst("startups", id, "naf_code", fields.nafCode)
            reportFirst("startups", id, "city", fields.city)
            reportFirst("startups", id, "employees", fields.employees)
            reportFirst("startups", id, "founded", fields.founded)
            reportFirst("startups", id, "revenue_eur", fields.revenueEUR)
            report("startups", id, "source") { _ = try Validate.requiredText(try row.get(10), field: "source") }
            let key = name.searchKey
            if key != (try row.get(2, as: String.self)) {
                let problem = try (try db.scalar("SELECT name FROM startups WHERE name_key = ? AND id <> ?", [.text(key), .integer(id)]))
                    .map { "name '\(name)' reads the same as '\(try String.decode($0))'; rename one of the two (`frenchtech startup update`)" }
                    ?? "the search key of '\(name)' is stale; open the registry with a command that writes (`frenchtech migrate`) to recompute it"
                found.append(RuleViolation(table: "startups", id: id, field: "name_key", problem: problem))
            }
        }
        for row in try db.rows("SELECT startup_id, cohort FROM memberships WHERE cohort IS NOT NULL ORDER BY startup_id, accelerator_id") {
            let id: Int64 = try row.get(0)
            report("memberships", id, "cohort") { _ = try Validate.year(try row.get(1, as: Int64.self), field: "cohort", currentYear: currentYear + 1) }
        }
        for row in try db.rows("SELECT id, name, description, source FROM sectors ORDER BY id") {
            let id: Int64 = try row.get(0)
            report("sectors", id, "name") { _ = try Validate.name(try row.get(1), field: "sector") }
            report("sectors", id, "description") { _ = try (try row.get(2, as: String?.self)).map { try Validate.text($0, field: "description") } }
            report("sectors", id, "source") { _ = try Validate.requiredText(try row.get(3), field: "source") }
        }
        for row in try db.rows("SELECT id, name, pilot, source FROM accelerators ORDER BY id") {
            let id: Int64 = try row.get(0)
            report("accelerators", id, "name") { _ = try Validate.programmeName(try row.get(1)) }
            report("accelerators", id, "pilot") { _ = try Validate.name(try row.get(2), field: "pilot") }
            report("accelerators", id, "source") { _ = try Validate.requiredText(try row.get(3), field: "source") }
        }
        for row in try db.rows("SELECT id, name, role, source FROM partners ORDER BY id") {
            let id: Int64 = try row.get(0)
            report("partners", id, "name") { _ = try Validate.name(try row.get(1)) }
            report("partners", id, "role") { _ = try (try row.get(2, as: String?.self)).map { try Validate.text($0, field: "role") } }
            report("partners", id, "source") { _ = try Validate.requiredText(try row.get(3), field: "source") }
        }
        for row in try db.rows("""
            SELECT id, name, digital_jobs, firms, revenue_eur, reference_year, notes, source FROM territories ORDER BY id
            """) {
            let id: Int64 = try row.get(0)
            report("territories", id, "name") { _ = try Validate.name(try row.get(1), field: "territory") }
            let figures: [(Int, String, Int64)] = [(2, "digital_jobs", Validate.Limits.territoryDigitalJobs),
                                                   (3, "firms", Validate.Limits.territoryFirms),
                                                   (4, "revenue_eur", Validate.Limits.territoryRevenueEUR)]
            for (column, field, limit) in figures {
                report("territories", id, field) {
                    _ = try (try row.get(column, as: Int64?.self)).map { try Validate.count($0, field: field, atMost: limit) }
                }
            }
            report("territories", id, "reference_year") {
                _ = try (try row.get(5, as: Int64?.self)).map { try Validate.year($0, field: "year", currentYear: currentYear) }
            }
            report("territories", id, "notes") { _ = try (try row.get(6, as: String?.self)).map { try Validate.text($0, field: "notes") } }
            report("territories", id, "source") { _ = try Validate.requiredText(try row.get(7), field: "source") }
        }
        return found
    }
}
