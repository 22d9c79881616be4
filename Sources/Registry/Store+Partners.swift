import Persistence

/// Public partners: a small table edited by hand.
extension RegistryStore {
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
            throw RegistryError(.notFound(entity: .partner, reference: String(id), suggestions: []), "no partner with id \(id)")
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
            try unique(duplicate: (.partner, name), remedy: .update(.partner)) {
                try db.execute("INSERT INTO partners (name, kind, role, source) VALUES (?, ?, ?, ?)",
                               [.text(name), .text(kind.rawValue), role.sqlValue, .text(source)])
            }
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
                try unique(duplicate: (.partner, name)) {
                    try db.execute("UPDATE partners SET name = ? WHERE id = ?", [.text(name), .integer(id)])
                }
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
}
