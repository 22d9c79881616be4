import Persistence

/// A named set of NAF rev. 2 codes (INSEE's ICT sector, a team's own digital sector).
public struct NafSet: Equatable, Sendable {
    public var id: Int64
    public var name: String
    /// The codes it lists (divisions, groups, classes, sub-classes).
    public var codes: Int64
    /// The NAF rev. 2 sub-classes those codes cover, each once.
    public var subclasses: Int64
    public var source: String
}

/// One code of a set, with its level in the nomenclature and its label there.
public struct NafSetCode: Equatable, Sendable {
    public enum Level: String, Sendable {
        case division, group, `class`, subclass = "sub-class"
    }
    public var code: String
    public var level: Level
    public var label: String
}

extension RegistryStore {
    /// The set INSEE defines and the registry is seeded with: the SIRENE statistics' default, never removed.
    public static let seededNafSet = "ict"

    static let nafSetSelect = """
        SELECT s.id, s.name, (SELECT count(*) FROM naf_set_codes c WHERE c.naf_set_id = s.id),
               (SELECT count(*) FROM naf_set_subclasses n WHERE n.naf_set_id = s.id), s.source
        FROM naf_sets s
        """

    static func nafSet(from row: Row) throws -> NafSet {
        NafSet(id: try row.get(0), name: try row.get(1), codes: try row.get(2), subclasses: try row.get(3), source: try row.get(4))
    }

    public func nafSets() throws -> [NafSet] {
        try db.rows(Self.nafSetSelect + " ORDER BY s.name").map(Self.nafSet(from:))
    }

    /// A set (by name, case and accents ignored, or id) and its codes in code order.
    public func nafSet(_ reference: String) throws -> (set: NafSet, codes: [NafSetCode]) {
        try nafSet(id: resolveNafSet(reference))
    }

    func nafSet(id: Int64) throws -> (set: NafSet, codes: [NafSetCode]) {
        guard let row = try db.rows(Self.nafSetSelect + " WHERE s.id = ?", [.integer(id)]).first else {
            throw RegistryError(.notFound(entity: .nafSet, reference: String(id), suggestions: []), "no NAF set with id \(id)",
                                remedy: .list(.nafSet))
        }
        // Each level's label, from any sub-class of it (the nomenclature repeats them on every row).
        let codes = try db.rows("""
            SELECT s.code, CASE length(s.code) WHEN 2 THEN 'division' WHEN 4 THEN 'group' WHEN 5 THEN 'class' ELSE 'sub-class' END,
                   (SELECT CASE length(s.code) WHEN 2 THEN n.division_label WHEN 4 THEN n.group_label
                                               WHEN 5 THEN n.class_label ELSE n.label END
                    FROM naf_codes n
                    WHERE s.code IN (n.division_code, n.group_code, n.class_code, n.code) LIMIT 1)
            FROM naf_set_codes s WHERE s.naf_set_id = ? ORDER BY s.code
            """, [.integer(id)]).map { row in
            NafSetCode(code: try row.get(0), level: NafSetCode.Level(rawValue: try row.get(1)) ?? .subclass,
                       label: try row.get(2, as: String?.self) ?? "")
        }
        return (try Self.nafSet(from: row), codes)
    }

    /// The id of the set `reference` names: an id, or a name with case and accents ignored.
    func resolveNafSet(_ reference: String) throws -> Int64 {
        let named = try db.rows("SELECT id, name FROM naf_sets").map {
            (id: try $0.get(0, as: Int64.self), name: try $0.get(1, as: String.self))
        }
        if let id = Int64(reference.trimmingSpaces), named.contains(where: { $0.id == id }) { return id }
        let key = reference.searchKey
        if let match = named.first(where: { $0.name.searchKey == key }) { return match.id }
        throw RegistryError(.notFound(entity: .nafSet, reference: reference,
                                      suggestions: RegistryError.closest(to: key, among: named.map(\.name))),
                            "unknown NAF set '\(reference)'", remedy: .list(.nafSet))
    }

    /// Adds a named set of NAF codes. Each code is a division (62), a group (63.1), a class (58.21) or a
    /// sub-class (58.21Z) of NAF rev. 2, dotted or not ("5821Z"); the refusal names every code that is not.
    @discardableResult
    public func addNafSet(name: String, codes: [String], source: String? = nil) throws -> (set: NafSet, codes: [NafSetCode]) {
        try transaction {
            let name = try Validate.name(name, field: "NAF set name")
            let source = try Validate.requiredText(source ?? "manual entry", field: "source")
            let key = name.searchKey
            for row in try db.rows("SELECT name FROM naf_sets") {
                let existing: String = try row.get(0)
                guard existing.searchKey == key else { continue }
                let removable = existing.lowercased() != Self.seededNafSet
                throw RegistryError(.duplicate(entity: .nafSet, field: "name", value: name, holder: existing),
                                    "a NAF set named \(existing) already exists" + (existing == name ? "" : " ('\(name)' reads the same)"),
                                    remedy: .otherNameOrRemove(removable ? existing : nil))
            }
            let valid = try nafSetCodes(codes)
            try unique(duplicate: (.nafSet, name)) {
                try db.execute("INSERT INTO naf_sets (name, source) VALUES (?, ?)", [.text(name), .text(source)])
            }
            let id = db.lastInsertRowID
            let insert = try db.prepare("INSERT INTO naf_set_codes (naf_set_id, code) VALUES (?, ?)")
            for code in valid { try insert.execute([.integer(id), .text(code)]) }
            return try nafSet(id: id)
        }
    }

    /// Removes a set. The seeded `ict` stays: it is INSEE's definition, which the SIRENE statistics use by default,
    /// and seeds are never loaded again into an existing registry.
    @discardableResult
    public func removeNafSet(_ reference: String) throws -> NafSet {
        try transaction {
            let removed = try nafSet(id: resolveNafSet(reference)).set
            if removed.name.lowercased() == Self.seededNafSet {
                throw RegistryError(.conflict(entity: .nafSet, reference: removed.name),
                                    "NAF set \(removed.name) is INSEE's definition of the ICT sector, seeded with the registry and used by default by its SIRENE statistics; it cannot be removed",
                                    remedy: .addNafSet)
            }
            try db.execute("DELETE FROM naf_sets WHERE id = ?", [.integer(removed.id)])
            return removed
        }
    }

    /// The codes in their stored, dotted form, each once, in the order given; every one that is malformed or
    /// not in the nomenclature is named.
    private func nafSetCodes(_ raw: [String]) throws -> [String] {
        var codes: [String] = [], seen = Set<String>(), malformed: [String] = [], unknown: [String] = []
        let exists = try db.prepare("""
            SELECT 1 FROM naf_codes WHERE ?1 IN (division_code, group_code, class_code, code) LIMIT 1
            """)
        for item in raw {
            let text = item.trimmingSpaces
            if text.isEmpty { continue }
            guard let code = Self.nafSetCode(text) else { malformed.append(text); continue }
            guard seen.insert(code).inserted else { continue }
            if try exists.rows([.text(code)]).isEmpty { unknown.append(text) } else { codes.append(code) }
        }
        if malformed.isEmpty && unknown.isEmpty && codes.isEmpty {
            throw RegistryError(.invalidField(field: "codes", value: raw.joined(separator: ","), rule: "no NAF code given"),
                                "no NAF code given; give codes separated by commas (62,63.1,58.21Z)", remedy: .nafCodes)
        }
        var problems: [String] = []
        func quoted(_ list: [String]) -> String { list.map { "'\($0)'" }.joined(separator: ", ") }
        if !malformed.isEmpty {
            problems.append("\(quoted(malformed)) \(malformed.count == 1 ? "is not a NAF code" : "are not NAF codes") (a division 62, a group 63.1, a class 58.21 or a sub-class 58.21Z)")
        }
        if !unknown.isEmpty {
            problems.append("\(quoted(unknown)) \(unknown.count == 1 ? "is" : "are") not in the NAF rev. 2 nomenclature")
        }
        if !problems.isEmpty {
            let bad = malformed + unknown
            throw RegistryError(.invalidField(field: "codes", value: bad.joined(separator: ","), rule: problems.joined(separator: "; ")),
                                "invalid NAF code\(bad.count == 1 ? "" : "s"): " + problems.joined(separator: "; "), remedy: .nafCodes)
        }
        return codes
    }

    /// "62", "63.1" or "631", "58.21" or "5821", "58.21Z", "5821z": the dotted form, or nil for another shape.
    static func nafSetCode(_ text: String) -> String? {
        var chars = Array(text.uppercased())
        if chars.count >= 4 && chars[2] == "." { chars.remove(at: 2) }
        guard chars.count >= 2, chars.count <= 5, chars.allSatisfy({ $0.isASCII }) else { return nil }
        let letter = chars.count == 5 ? chars.removeLast() : nil
        if let letter, !letter.isLetter { return nil }
        guard chars.allSatisfy(\.isASCIIDigit) else { return nil }
        let digits = String(chars)
        let dotted = digits.count == 2 ? digits : String(digits.prefix(2)) + "." + digits.dropFirst(2)
        return dotted + (letter.map(String.init) ?? "")
    }
}
