import Persistence

/// Accelerator programmes, and what the small hand-edited tables (programmes, partners, sectors) share.
extension RegistryStore {
    // MARK: Accelerators

    static let acceleratorSelect = """
        SELECT a.id, a.name, a.pilot, sec.name, (SELECT count(*) FROM memberships m WHERE m.accelerator_id = a.id), a.source
        FROM accelerators a LEFT JOIN sectors sec ON sec.id = a.sector_id
        """

    static func accelerator(from row: Row) throws -> Accelerator {
        Accelerator(id: try row.get(0), name: try row.get(1), pilot: try row.get(2), sector: try row.get(3),
                    firms: try row.get(4), source: try row.get(5))
    }

    public func accelerators() throws -> [Accelerator] {
        try db.rows(Self.acceleratorSelect + " ORDER BY a.name COLLATE NOCASE").map(Self.accelerator(from:))
    }

    public func accelerator(_ reference: String) throws -> Accelerator {
        let id = try resolve(reference, in: .accelerators)
        guard let row = try db.rows(Self.acceleratorSelect + " WHERE a.id = ?", [.integer(id)]).first else {
            throw RegistryError(.notFound(entity: .accelerator, reference: String(id), suggestions: []), "no accelerator with id \(id)")
        }
        return try Self.accelerator(from: row)
    }

    /// Adds a programme. The pilot defaults to the name (the article names programmes by their pilot).
    @discardableResult
    public func addAccelerator(name: String, pilot: String?, sector: String?, source: String = "manual entry") throws -> Accelerator {
        try transaction {
            let name = try Validate.programmeName(name)
            let pilot = try pilot.map { try Validate.name($0, field: "pilot") } ?? name
            let source = try Validate.requiredText(source, field: "source")
            let sectorID = try sector.flatMap { $0.trimmingSpaces.isEmpty ? nil : try resolve($0, in: .sectors) }
            try refuseLookalike(name, in: .accelerators)
            try unique(duplicate: (.accelerator, name), remedy: .update(.accelerator)) {
                try db.execute("INSERT INTO accelerators (name, pilot, sector_id, source) VALUES (?, ?, ?, ?)",
                               [.text(name), .text(pilot), sectorID.sqlValue, .text(source)])
            }
            return try accelerator(String(db.lastInsertRowID))
        }
    }

    /// Changes a programme's name, pilot or sector focus ("" clears the focus).
    @discardableResult
    public func updateAccelerator(_ reference: String, name: String?, pilot: String?, sector: String?) throws -> Accelerator {
        try transaction {
            let id = try resolve(reference, in: .accelerators)
            if let name {
                let name = try Validate.programmeName(name)
                try refuseLookalike(name, in: .accelerators, except: id)
                try unique(duplicate: (.accelerator, name)) {
                    try db.execute("UPDATE accelerators SET name = ? WHERE id = ?", [.text(name), .integer(id)])
                }
            }
            if let pilot {
                try db.execute("UPDATE accelerators SET pilot = ? WHERE id = ?", [.text(try Validate.name(pilot, field: "pilot")), .integer(id)])
            }
            if let sector {
                let sectorID = try sector.trimmingSpaces.isEmpty ? nil : resolve(sector, in: .sectors)
                try db.execute("UPDATE accelerators SET sector_id = ? WHERE id = ?", [sectorID.sqlValue, .integer(id)])
            }
            return try accelerator(String(id))
        }
    }

    /// Removes a programme. With enrolled startups it is refused, unless `force`, which withdraws them first.
    @discardableResult
    public func removeAccelerator(_ reference: String, force: Bool) throws -> Accelerator {
        try transaction {
            let removed = try accelerator(reference)
            if removed.firms > 0 {
                guard force else {
                    throw RegistryError(.conflict(entity: .accelerator, reference: removed.name),
                                        "accelerator \(removed.name) still has \(removed.firms) enrolled startup\(removed.firms == 1 ? "" : "s")",
                                        remedy: .withdrawOrForce)
                }
                try db.execute("DELETE FROM memberships WHERE accelerator_id = ?", [.integer(removed.id)])
            }
            try db.execute("DELETE FROM accelerators WHERE id = ?", [.integer(removed.id)])
            return removed
        }
    }

    /// A programme named by an import's `accelerators` cell (`--new-accelerators`), piloted by its name as with
    /// `accelerator add`.
    func insertAccelerator(name raw: String, source: String) throws -> String {
        let name = try Validate.programmeName(raw)
        let source = try Validate.requiredText(source, field: "source")
        try refuseLookalike(name, in: .accelerators)
        try unique(duplicate: (.accelerator, name)) {
            try db.execute("INSERT INTO accelerators (name, pilot, sector_id, source) VALUES (?, ?, NULL, ?)",
                           [.text(name), .text(name), .text(source)])
        }
        return name
    }

    // MARK: Shared by the named tables

    /// Names of these tables are looked up by search key: two that key alike (`Ｓanté` and `sante`) could not
    /// be told apart, so the second is refused as the same name. The tables are small: read whole.
    func refuseLookalike(_ name: String, in table: NamedTable, except id: Int64? = nil) throws {
        let key = name.searchKey
        // Identifiers come from the fixed `NamedTable` list, never from input.
        for row in try db.rows("SELECT id, name FROM \(table.rawValue)") {
            let existing: String = try row.get(1)
            if try row.get(0, as: Int64.self) != id && existing.searchKey == key {
                throw RegistryError(.duplicate(entity: table.entity, field: "name", value: name, holder: existing),
                                    "\(table.entity.article) \(table.noun) named \(existing) already exists, and '\(name)' reads the same (case, accents and look-alike characters aside); use that one, or choose another name")
            }
        }
    }

    /// Runs a write and turns a UNIQUE failure on a name into a domain error.
    func unique(duplicate: (entity: RegistryError.Entity, name: String), remedy: RegistryError.Remedy? = nil, _ write: () throws -> Void) throws {
        do {
            try write()
        } catch let error as SQLiteError where error.extendedCode == SQLiteError.constraintUnique {
            let (entity, name) = duplicate
            throw RegistryError(.duplicate(entity: entity, field: "name", value: name, holder: name),
                                "\(entity.article) \(entity.rawValue) named \(name) already exists", remedies: remedy.map { [$0] } ?? [])
        }
    }
}
