import Persistence

/// Accelerator programmes, public partners and sectors: small tables edited by hand.
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
            throw RegistryError.invalid("no accelerator with id \(id)")
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
            try unique {
                try db.execute("INSERT INTO accelerators (name, pilot, sector_id, source) VALUES (?, ?, ?, ?)",
                               [.text(name), .text(pilot), sectorID.sqlValue, .text(source)])
            } orSay: { "an accelerator named \(name) already exists; use `frenchtech accelerator update`" }
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
                try unique {
                    try db.execute("UPDATE accelerators SET name = ? WHERE id = ?", [.text(name), .integer(id)])
                } orSay: { "an accelerator named \(name) already exists" }
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
                    throw RegistryError.invalid("accelerator \(removed.name) still has \(removed.firms) enrolled startup\(removed.firms == 1 ? "" : "s"); withdraw them (`frenchtech startup leave`) or use --force to detach them")
                }
                try db.execute("DELETE FROM memberships WHERE accelerator_id = ?", [.integer(removed.id)])
            }
            try db.execute("DELETE FROM accelerators WHERE id = ?", [.integer(removed.id)])
            return removed
        }
    }

    // MARK: Partners

    static func partner(from row: Row) throws -> Partner {
        let kind: String = try row.get(2)
        return Partner(id: try row.get(0), name: try row.get(1), kind: Partner.Kind(rawValue: kind) ?? .other,
                       role: try row.get(3), source: try row.get(4))
    }

    public func partners() throws -> [Partner] {
        try db.rows("SELECT id, name, kind, role, source FROM partners ORDER BY name COLLATE NOCASE").map(Self.partner(from:))
    }

    public func partner(_ reference: String) throws -> Partner {
        let id = try resolve(reference, in: .partners)
        guard let row = try db.rows("SELECT id, name, kind, role, source FROM partners WHERE id = ?", [.integer(id)]).first else {
            throw RegistryError.invalid("no partner with id \(id)")
        }
        return try Self.partner(from: row)
    }

    @discardableResult
    public func addPartner(name: String, kind: Partner.Kind, role: String?, source: String = "manual entry") throws -> Partner {
        try transaction {
            let name = try Validate.name(name)
            let role = try role.flatMap { try Validate.text($0, field: "role") }
            let source = try Validate.requiredText(source, field: "source")
            try refuseLookalike(name, in: .partners)
            try unique {
                try db.execute("INSERT INTO partners (name, kind, role, source) VALUES (?, ?, ?, ?)",
                               [.text(name), .text(kind.rawValue), role.sqlValue, .text(source)])
            } orSay: { "a partner named \(name) already exists; use `frenchtech partner update`" }
            return try partner(String(db.lastInsertRowID))
        }
    }

    @discardableResult
    public func updatePartner(_ reference: String, name: String?, kind: Partner.Kind?, role: String?) throws -> Partner {
        try transaction {
            let id = try resolve(reference, in: .partners)
            if let name {
                let name = try Validate.name(name)
                try refuseLookalike(name, in: .partners, except: id)
                try unique {
                    try db.execute("UPDATE partners SET name = ? WHERE id = ?", [.text(name), .integer(id)])
                } orSay: { "a partner named \(name) already exists" }
            }
            if let kind { try db.execute("UPDATE partners SET kind = ? WHERE id = ?", [.text(kind.rawValue), .integer(id)]) }
            if let role { try db.execute("UPDATE partners SET role = ? WHERE id = ?", [try Validate.text(role, field: "role").sqlValue, .integer(id)]) }
            return try partner(String(id))
        }
    }

    @discardableResult
    public func removePartner(_ reference: String) throws -> Partner {
        try transaction {
            let removed = try partner(reference)
            try db.execute("DELETE FROM partners WHERE id = ?", [.integer(removed.id)])
            return removed
        }
    }

    // MARK: Sectors

    /// A sector's firms are counted from the statistics' totals (`sector_totals`), kept by triggers: startups are
    /// not indexed by sector (migration 0004).
    static let sectorSelect = """
        SELECT sec.id, sec.name, sec.description,
               (SELECT coalesce(sum(t.firms), 0) FROM sector_totals t WHERE t.sector_id = sec.id), sec.source
        FROM sectors sec
        """

    static func sector(from row: Row) throws -> Sector {
        Sector(id: try row.get(0), name: try row.get(1), description: try row.get(2), firms: try row.get(3), source: try row.get(4))
    }

    public func sectors() throws -> [Sector] {
        try db.rows(Self.sectorSelect + " ORDER BY sec.name COLLATE NOCASE").map(Self.sector(from:))
    }

    public func sector(_ reference: String) throws -> Sector {
        let id = try resolve(reference, in: .sectors)
        guard let row = try db.rows(Self.sectorSelect + " WHERE sec.id = ?", [.integer(id)]).first else {
            throw RegistryError.invalid("no sector with id \(id)")
        }
        return try Self.sector(from: row)
    }

    @discardableResult
    public func addSector(name: String, description: String?, source: String = "manual entry") throws -> Sector {
        try transaction {
            let name = try Validate.name(name, field: "sector")
            try insertSector(name: name, description: description, source: source)
            return try sector(String(db.lastInsertRowID))
        }
    }

    /// A programme named by an import's `accelerators` cell (`--new-accelerators`), piloted by its name as with
    /// `accelerator add`.
    func insertAccelerator(name raw: String, source: String) throws -> String {
        let name = try Validate.programmeName(raw)
        let source = try Validate.requiredText(source, field: "source")
        try refuseLookalike(name, in: .accelerators)
        try unique {
            try db.execute("INSERT INTO accelerators (name, pilot, sector_id, source) VALUES (?, ?, NULL, ?)",
                           [.text(name), .text(name), .text(source)])
        } orSay: { "an accelerator named \(name) already exists" }
        return name
    }

    func insertSector(name: String, description: String?, source: String) throws {
        let description = try description.flatMap { try Validate.text($0, field: "description") }
        let source = try Validate.requiredText(source, field: "source")
        try refuseLookalike(name, in: .sectors)
        try unique {
            try db.execute("INSERT INTO sectors (name, description, source) VALUES (?, ?, ?)",
                           [.text(name), description.sqlValue, .text(source)])
        } orSay: { "a sector named \(name) already exists" }
    }

    /// Removes a sector that nothing uses. A sector in use is never removed: its startups would lose their sector.
    @discardableResult
    public func removeSector(_ reference: String) throws -> Sector {
        try transaction {
            let removed = try sector(reference)
            let programmes = try Int64.decode(db.scalar("SELECT count(*) FROM accelerators WHERE sector_id = ?", [.integer(removed.id)]) ?? .integer(0))
            if removed.firms > 0 || programmes > 0 {
                var uses: [String] = []
                if removed.firms > 0 { uses.append("\(removed.firms) startup\(removed.firms == 1 ? "" : "s")") }
                if programmes > 0 { uses.append("\(programmes) accelerator\(programmes == 1 ? "" : "s")") }
                throw RegistryError.invalid("sector \(removed.name) is used by \(uses.joined(separator: " and ")); move them to another sector first (`frenchtech startup update REF --sector NAME`)")
            }
            try db.execute("DELETE FROM sectors WHERE id = ?", [.integer(removed.id)])
            return removed
        }
    }

    /// Names of these tables are looked up by search key: two that key alike (`Ｓanté` and `sante`) could not
    /// be told apart, so the second is refused as the same name. The tables are small: read whole.
    func refuseLookalike(_ name: String, in table: NamedTable, except id: Int64? = nil) throws {
        let key = name.searchKey
        // Identifiers come from the fixed `NamedTable` list, never from input.
        for row in try db.rows("SELECT id, name FROM \(table.rawValue)") {
            let existing: String = try row.get(1)
            if try row.get(0, as: Int64.self) != id && existing.searchKey == key {
                throw RegistryError.invalid("a\(table == .accelerators ? "n" : "") \(table.noun) named \(existing) already exists, and '\(name)' reads the same (case, accents and look-alike characters aside); use that one, or choose another name")
            }
        }
    }

    /// Runs a write and turns a UNIQUE failure into a domain error.
    func unique(_ write: () throws -> Void, orSay message: () -> String) throws {
        do {
            try write()
        } catch let error as SQLiteError where error.extendedCode == SQLiteError.constraintUnique {
            throw RegistryError.invalid(message())
        }
    }
}
