import Persistence

/// A commune of the 2026 geography, or a municipal arrondissement of Paris, Lyon or Marseille.
public struct Commune: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case commune, arrondissement
    }
    /// INSEE's code (13055), the code SIRENE gives an establishment.
    public var code: String
    public var name: String
    public var kind: Kind
    public var department: String
    public var region: String
    /// The SIREN of its EPCI, if it belongs to one.
    public var epci: String?
    /// Its population in 2025; none for an arrondissement (its commune's counts it).
    public var population: Int64?
}

/// Which communes to list: each filter given narrows the list (they combine).
public struct CommuneFilter: Equatable, Sendable {
    /// The communes of a territory's perimeter (name or id).
    public var territory: String?
    public var epci: String?
    public var region: String?
    public var department: String?
    /// Arrondissements as well as communes.
    public var arrondissements: Bool

    public init(territory: String? = nil, epci: String? = nil, region: String? = nil, department: String? = nil,
                arrondissements: Bool = false) {
        (self.territory, self.epci, self.region, self.department, self.arrondissements) =
            (territory, epci, region, department, arrondissements)
    }
}

/// What a territory's perimeter is drawn from, as typed.
public enum PerimeterChoice: Equatable, Sendable {
    /// The communes of an EPCI, by SIREN.
    case epci(String)
    /// The communes of a region, by code.
    case region(String)
    /// A list of commune codes; an arrondissement may be listed alone, and a commune brings its arrondissements.
    case communes([String])
}

/// A territory's perimeter and its size in the 2026 geography.
public struct Perimeter: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case epci, region, communes
    }
    public var kind: Kind
    /// The EPCI's SIREN or the region's code; nil for a list of communes.
    public var code: String?
    /// The EPCI's or the region's name.
    public var name: String?
    public var notes: String?
    public var source: String
    /// Communes of kind commune.
    public var communes: Int64
    /// The codes SIRENE may give its establishments: communes and arrondissements (`territory_communes`).
    public var sireneCodes: Int64
    /// The sum of the communes' populations of 2025 where known; nil when none is.
    public var population: Int64?
    /// The codes of the regions it spans.
    public var regions: [String]
}

extension RegistryStore {
    // MARK: Communes

    /// The communes (and with `arrondissements` the arrondissements) that every given filter admits, by code.
    public func communes(_ filter: CommuneFilter) throws -> [Commune] {
        var conditions: [String] = [], values: [SQLValue] = []
        if let territory = filter.territory {
            let id = try resolveTerritory(territory)
            guard try perimeter(ofTerritory: id) != nil else {
                let name = try self.territory(id: id).name
                throw RegistryError(.invalidRequest, "territory \(name) has no perimeter, so it has no communes",
                                    remedy: .setPerimeter(territory: name))
            }
            conditions.append("c.code IN (SELECT commune FROM territory_communes WHERE territory_id = ?)")
            values.append(.integer(id))
        }
        if let epci = filter.epci {
            conditions.append("c.epci_siren = ?")
            values.append(.text(try epciSIREN(epci)))
        }
        if let region = filter.region {
            conditions.append("c.region = ?")
            values.append(.text(try regionCode(region)))
        }
        if let department = filter.department {
            conditions.append("c.department = ?")
            values.append(.text(try departmentCode(department)))
        }
        if !filter.arrondissements { conditions.append("c.kind = 'commune'") }
        // The conditions are the fixed fragments above; every value is bound.
        let sql = """
            SELECT c.code, c.name, c.kind, c.department, c.region, c.epci_siren, c.population_2025 FROM communes c
            """ + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY c.code"
        return try db.rows(sql, values).map { row in
            Commune(code: try row.get(0), name: try row.get(1), kind: Commune.Kind(rawValue: try row.get(2)) ?? .commune,
                    department: try row.get(3), region: try row.get(4), epci: try row.get(5), population: try row.get(6))
        }
    }

    /// An EPCI's SIREN as typed ("200 054 807" too), known to the geography.
    func epciSIREN(_ raw: String) throws -> String {
        let siren = String(raw.filter { $0 != " " && $0 != "." })
        guard siren.count == 9, siren.allSatisfy(\.isASCIIDigit) else {
            throw RegistryError(.invalidField(field: "epci", value: raw, rule: "an EPCI is named by its SIREN, nine digits"),
                                "invalid EPCI '\(raw)': an EPCI is named by its SIREN, nine digits (the Métropole d'Aix-Marseille-Provence is 200054807)",
                                remedy: .findEPCI)
        }
        guard try db.scalar("SELECT 1 FROM epcis WHERE siren = ?", [.text(siren)]) != nil else {
            throw RegistryError(.invalidField(field: "epci", value: raw, rule: "no EPCI of the 2026 geography has this SIREN"),
                                "unknown EPCI '\(raw)': no EPCI of the 2026 geography has this SIREN", remedy: .findEPCI)
        }
        return siren
    }

    /// A region's code as typed, known to the geography; the refusal lists the codes there are.
    func regionCode(_ raw: String) throws -> String {
        let code = raw.trimmingSpaces
        if try db.scalar("SELECT 1 FROM regions WHERE code = ?", [.text(code)]) != nil { return code }
        let codes = try db.rows("SELECT code FROM regions ORDER BY code").map { try $0.get(0, as: String.self) }
        let rule = "not a region code of the 2026 geography (\(codes.joined(separator: ", ")))"
        throw RegistryError(.invalidField(field: "region", value: raw, rule: rule), "unknown region '\(raw)': \(rule)",
                            remedy: .listRegions)
    }

    /// A department's code as typed (13, 2A, 971), known to the geography.
    func departmentCode(_ raw: String) throws -> String {
        let code = raw.trimmingSpaces.uppercased()
        if try db.scalar("SELECT 1 FROM departments WHERE code = ?", [.text(code)]) != nil { return code }
        let rule = "not a department code of the 2026 geography (01 to 95, 2A, 2B, 971 to 976)"
        throw RegistryError(.invalidField(field: "department", value: raw, rule: rule), "unknown department '\(raw)': \(rule)",
                            remedy: .listDepartments)
    }

    // MARK: Perimeters

    /// A territory's perimeter and its size, or nil when it has none.
    public func perimeter(ofTerritory id: Int64) throws -> Perimeter? {
        guard let row = try db.rows("""
            SELECT p.kind, p.code, coalesce(e.name, r.name), p.notes, p.source
            FROM territory_perimeters p
            LEFT JOIN epcis e ON p.kind = 'epci' AND e.siren = p.code
            LEFT JOIN regions r ON p.kind = 'region' AND r.code = p.code
            WHERE p.territory_id = ?
            """, [.integer(id)]).first else { return nil }
        // Arrondissements have no population of their own: their commune's holds it.
        let size = try db.rows("""
            SELECT count(*) FILTER (WHERE c.kind = 'commune'), count(*),
                   sum(c.population_2025) FILTER (WHERE c.kind = 'commune')
            FROM territory_communes tc JOIN communes c ON c.code = tc.commune
            WHERE tc.territory_id = ?
            """, [.integer(id)])[0]
        let regions = try db.rows("""
            SELECT DISTINCT c.region FROM territory_communes tc JOIN communes c ON c.code = tc.commune
            WHERE tc.territory_id = ? ORDER BY 1
            """, [.integer(id)]).map { try $0.get(0, as: String.self) }
        let kind: String = try row.get(0)
        return Perimeter(kind: Perimeter.Kind(rawValue: kind) ?? .communes, code: try row.get(1), name: try row.get(2),
                         notes: try row.get(3), source: try row.get(4), communes: try size.get(0), sireneCodes: try size.get(1),
                         population: try size.get(2), regions: regions)
    }

    /// Gives a territory a new perimeter, replacing the one it had, in one transaction: nothing is written
    /// unless the EPCI, the region or every listed commune is in the geography. `source` nil is "manual entry";
    /// the notes describe the new perimeter (nil: none), never the previous one.
    @discardableResult
    public func setPerimeter(_ territory: String, _ choice: PerimeterChoice, notes: String? = nil,
                             source: String? = nil) throws -> (territory: Territory, perimeter: Perimeter) {
        try transaction {
            let id = try resolveTerritory(territory)
            let notes = try notes.flatMap { try Validate.text($0, field: "notes") }
            let source = try Validate.requiredText(source ?? "manual entry", field: "source")
            let kind: Perimeter.Kind, code: String?, listed: [String]
            switch choice {
            case .epci(let raw): (kind, code, listed) = (.epci, try epciSIREN(raw), [])
            case .region(let raw): (kind, code, listed) = (.region, try regionCode(raw), [])
            case .communes(let raw): (kind, code, listed) = (.communes, nil, try communeCodes(raw))
            }
            try db.execute("DELETE FROM territory_perimeters WHERE territory_id = ?", [.integer(id)])
            try db.execute("INSERT INTO territory_perimeters (territory_id, kind, code, notes, source) VALUES (?, ?, ?, ?, ?)",
                           [.integer(id), .text(kind.rawValue), code.sqlValue, notes.sqlValue, .text(source)])
            let insert = try db.prepare("INSERT INTO territory_perimeter_communes (territory_id, commune) VALUES (?, ?)")
            for commune in listed { try insert.execute([.integer(id), .text(commune)]) }
            guard let perimeter = try perimeter(ofTerritory: id) else {
                throw RegistryError.failure("the perimeter of territory \(territory) was written but cannot be read back")
            }
            return (try self.territory(id: id), perimeter)
        }
    }

    /// The listed communes, each once, all in the geography; the refusal names every code that is not, and an
    /// arrondissement listed with its commune (which brings every arrondissement: it would count twice).
    private func communeCodes(_ raw: [String]) throws -> [String] {
        var codes: [String] = [], seen = Set<String>()
        for item in raw {
            let code = item.trimmingSpaces.uppercased()
            if !code.isEmpty && seen.insert(code).inserted { codes.append(code) }
        }
        guard !codes.isEmpty else {
            throw RegistryError(.invalidField(field: "communes", value: raw.joined(separator: ","), rule: "no commune code given"),
                                "no commune code given; give INSEE commune codes separated by commas (13001,13055)",
                                remedy: .listCommunes(department: nil))
        }
        let lookup = try db.prepare("SELECT parent FROM communes WHERE code = ?")
        var unknown: [String] = [], twice: [String] = []
        for code in codes {
            let rows = try lookup.rows([.text(code)])
            guard let row = rows.first else { unknown.append(code); continue }
            if let parent = try row.get(0, as: String?.self), seen.contains(parent) { twice.append("\(code) (of \(parent))") }
        }
        if !unknown.isEmpty {
            let shown = unknown.prefix(20).joined(separator: ", ") + (unknown.count > 20 ? " and \(unknown.count - 20) more" : "")
            let department = try unknown.lazy.compactMap { try self.department(ofCode: $0) }.first
            throw RegistryError(.invalidField(field: "communes", value: unknown.joined(separator: ","), rule: "not in the 2026 geography"),
                                "unknown commune code\(unknown.count == 1 ? "" : "s") \(shown): not in the 2026 geography (INSEE codes, not postcodes: Aix-en-Provence is 13001)",
                                remedy: .listCommunes(department: department))
        }
        if !twice.isEmpty {
            throw RegistryError(.invalidField(field: "communes", value: twice.joined(separator: ","), rule: "arrondissement of a listed commune"),
                                "arrondissement\(twice.count == 1 ? "" : "s") \(twice.joined(separator: ", ")) listed with \(twice.count == 1 ? "its commune, which brings it" : "their commune, which brings them") already; leave \(twice.count == 1 ? "it" : "them") out")
        }
        return codes
    }

    /// The department a commune code would belong to (its first two characters, three overseas), if it exists.
    private func department(ofCode code: String) throws -> String? {
        for prefix in [String(code.prefix(3)), String(code.prefix(2))] where prefix.count >= 2 {
            if try db.scalar("SELECT 1 FROM departments WHERE code = ?", [.text(prefix)]) != nil { return prefix }
        }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
