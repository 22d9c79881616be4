import Persistence

/// Sectors: a small table edited by hand.
extension RegistryStore {
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
            throw RegistryError(.notFound(entity: .sector, reference: String(id), suggestions: []), "no sector with id \(id)")
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

    func insertSector(name: String, description: String?, source: String) throws {
        let description = try description.flatMap { try Validate.text($0, field: "description") }
        let source = try Validate.requiredText(source, field: "source")
        try refuseLookalike(name, in: .sectors)
        try unique(duplicate: (.sector, name)) {
            try db.execute("INSERT INTO sectors (name, description, source) VALUES (?, ?, ?)",
                           [.text(name), description.sqlValue, .text(source)])
        }
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
                throw RegistryError(.conflict(entity: .sector, reference: removed.name),
                                    "sector \(removed.name) is used by \(uses.joined(separator: " and "))", remedy: .moveStartups)
            }
            try db.execute("DELETE FROM sectors WHERE id = ?", [.integer(removed.id)])
            return removed
        }
    }
}
