import Persistence

/// A territory's published figures (or figures derived from published ones, marked derived).
public struct Territory: Equatable, Sendable {
    public enum Level: String, CaseIterable, Sendable {
        case metropolis, region, country
    }
    public var id: Int64
    public var name: String
    public var level: Level
    /// The territory it lies within (a metropolis within its region).
    public var parent: String?
    public var digitalJobs: Int64?
    /// Its reported share of the parent's digital jobs, 0 to 1.
    public var reportedShare: Double?
    public var firms: Int64?
    public var revenueEUR: Int64?
    public var referenceYear: Int64?
    public var labelAwarded: String?
    public var derived: Bool
    public var notes: String?
    public var source: String
}

/// New figures for a territory, as typed: nil means "keep", "" clears an optional figure.
public struct TerritoryDraft: Equatable, Sendable {
    public var digitalJobs: String?
    public var firms: String?
    public var revenueEUR: String?
    public var year: String?
    /// A fraction (0.55) or a percentage (55 %).
    public var reportedShare: String?
    /// Needed to create a territory; changes it otherwise.
    public var level: Territory.Level?
    /// Name or id of the territory it lies within; "" detaches it.
    public var parent: String?
    public var notes: String?
    public var source: String?

    public init(digitalJobs: String? = nil, firms: String? = nil, revenueEUR: String? = nil, year: String? = nil,
                reportedShare: String? = nil, level: Territory.Level? = nil, parent: String? = nil,
                notes: String? = nil, source: String? = nil) {
        self.digitalJobs = digitalJobs
        self.firms = firms
        self.revenueEUR = revenueEUR
        self.year = year
        self.reportedShare = reportedShare
        self.level = level
        self.parent = parent
        self.notes = notes
        self.source = source
    }

    var isEmpty: Bool {
        [digitalJobs, firms, revenueEUR, year, reportedShare, parent, notes].allSatisfy { $0 == nil } && level == nil
    }
}

extension RegistryStore {
    static let territorySelect = """
        SELECT t.id, t.name, t.level, p.name, t.digital_jobs, t.reported_share, t.firms, t.revenue_eur,
               t.reference_year, t.label_awarded, t.derived, t.notes, t.source
        FROM territories t LEFT JOIN territories p ON p.id = t.parent_id
        """

    static func territory(from row: Row) throws -> Territory {
        let level: String = try row.get(2)
        return Territory(
            id: try row.get(0), name: try row.get(1), level: Territory.Level(rawValue: level) ?? .region,
            parent: try row.get(3), digitalJobs: try row.get(4), reportedShare: try row.get(5), firms: try row.get(6),
            revenueEUR: try row.get(7), referenceYear: try row.get(8), labelAwarded: try row.get(9),
            derived: try row.get(10), notes: try row.get(11), source: try row.get(12))
    }

    /// Every territory, regions before the territories within them.
    public func territories() throws -> [Territory] {
        try db.rows(Self.territorySelect + " ORDER BY coalesce(p.name, t.name) COLLATE NOCASE, t.parent_id IS NOT NULL, t.name COLLATE NOCASE")
            .map(Self.territory(from:))
    }

    public func territory(id: Int64) throws -> Territory {
        guard let row = try db.rows(Self.territorySelect + " WHERE t.id = ?", [.integer(id)]).first else {
            throw RegistryError(.notFound(entity: .territory, reference: String(id), suggestions: []), "no territory with id \(id)",
                                remedy: .list(.territory))
        }
        return try Self.territory(from: row)
    }

    public func territory(_ reference: String) throws -> Territory {
        try territory(id: resolveTerritory(reference))
    }

    /// The id of the territory `reference` names: an id, or a name with case and accents ignored.
    func resolveTerritory(_ reference: String) throws -> Int64 {
        if let id = try findTerritory(reference) { return id }
        throw try unknownTerritory(reference)
    }

    private func findTerritory(_ reference: String) throws -> Int64? {
        let named = try db.rows("SELECT id, name FROM territories").map {
            (id: try $0.get(0, as: Int64.self), name: try $0.get(1, as: String.self))
        }
        if let id = Int64(reference.trimmingSpaces), named.contains(where: { $0.id == id }) { return id }
        let key = reference.searchKey
        if let exact = named.first(where: { $0.name.searchKey == key }) { return exact.id }
        // "Provence-Alpes-Côte d'Azur (PACA)" also answers to PACA, the abbreviation it carries.
        return named.first { Self.abbreviation(of: $0.name)?.searchKey == key }?.id
    }

    /// The text in parentheses at the end of a name, if any.
    static func abbreviation(of name: String) -> String? {
        guard name.hasSuffix(")"), let open = name.lastIndex(of: "(") else { return nil }
        let inner = name[name.index(after: open)..<name.index(before: name.endIndex)]
        return inner.isEmpty ? nil : String(inner)
    }

    private func unknownTerritory(_ reference: String, remedy: RegistryError.Remedy? = nil) throws -> RegistryError {
        let names = try db.rows("SELECT name FROM territories").map { try $0.get(0, as: String.self) }
        return RegistryError.unknown(.territory, reference, among: names, remedy: remedy)
    }

    /// Brings a territory's figures up to date, or creates it when `--level` is given. Setting digital jobs
    /// marks them as given (no longer derived) and, unless notes are given too, clears the note that told how the
    /// derived figure was computed. Returns the territory and whether it was created.
    @discardableResult
    public func setTerritory(_ name: String, _ draft: TerritoryDraft) throws -> (territory: Territory, created: Bool) {
        try transaction {
            let existing = try findTerritory(name)
            if existing == nil && draft.level == nil {
                throw try unknownTerritory(name, remedy: .addTerritory)
            }
            if existing != nil && draft.isEmpty {
                throw RegistryError.invalidRequest("nothing to change for territory '\(name)'", remedy: .giveTerritoryFigures)
            }
            let id: Int64
            if let existing {
                id = existing
            } else {
                let validName = try Validate.name(name, field: "territory")
                try db.execute("INSERT INTO territories (name, level, source) VALUES (?, ?, ?)",
                               [.text(validName), .text(draft.level!.rawValue),
                                .text(try draft.source.map { try Validate.requiredText($0, field: "source") } ?? "manual entry")])
                id = db.lastInsertRowID
            }
            var assignments: [(column: String, value: SQLValue)] = []
            func count(_ raw: String?, _ column: String, field: String, atMost limit: Int64) throws {
                guard let raw else { return }
                let value: SQLValue = raw.trimmingSpaces.isEmpty ? .null : .integer(try Validate.count(raw, field: field, atMost: limit))
                assignments.append((column, value))
            }
            try count(draft.digitalJobs, "digital_jobs", field: "digital jobs", atMost: Validate.Limits.territoryDigitalJobs)
            try count(draft.firms, "firms", field: "firms", atMost: Validate.Limits.territoryFirms)
            try count(draft.revenueEUR, "revenue_eur", field: "revenue", atMost: Validate.Limits.territoryRevenueEUR)
            if draft.digitalJobs != nil { assignments.append(("derived", .integer(0))) }
            if let year = draft.year {
                let value: SQLValue = year.trimmingSpaces.isEmpty ? .null
                    : .integer(try Validate.year(year, field: "year", currentYear: Validate.currentYear))
                assignments.append(("reference_year", value))
            }
            if let share = draft.reportedShare {
                assignments.append(("reported_share", share.trimmingSpaces.isEmpty ? .null : .real(try Self.share(share))))
            }
            if let level = draft.level { assignments.append(("level", .text(level.rawValue))) }
            if let parent = draft.parent {
                assignments.append(("parent_id", parent.trimmingSpaces.isEmpty ? .null : .integer(try parentID(parent, of: id))))
            }
            if let notes = draft.notes {
                assignments.append(("notes", try Validate.text(notes, field: "notes").sqlValue))
            } else if draft.digitalJobs != nil, try territory(id: id).derived {
                // A derived figure's note tells how it was derived (the seed's "Digital jobs derived from the
                // article: …"); once the figure is given, that note would describe a figure no longer there.
                assignments.append(("notes", .null))
            }
            if let source = draft.source { assignments.append(("source", .text(try Validate.requiredText(source, field: "source")))) }
            else if existing != nil { assignments.append(("source", .text("manual entry"))) }
            // Column names come from the fixed literals above; every value is bound.
            let sql = "UPDATE territories SET " + assignments.map { "\($0.column) = ?" }.joined(separator: ", ") + " WHERE id = ?"
            try db.execute(sql, assignments.map(\.value) + [.integer(id)])
            return (try territory(id: id), existing == nil)
        }
    }

    /// The parent's id, refusing a territory within itself (directly or through others).
    private func parentID(_ reference: String, of id: Int64) throws -> Int64 {
        let parent = try resolveTerritory(reference)
        let loops = try db.scalar("""
            WITH RECURSIVE up(id) AS (SELECT ? UNION SELECT t.parent_id FROM territories t JOIN up ON t.id = up.id
                                      WHERE t.parent_id IS NOT NULL)
            SELECT count(*) FROM up WHERE id = ?
            """, [.integer(parent), .integer(id)])
        if loops != .integer(0) {
            throw RegistryError.invalidRequest("territory '\(reference)' lies within this one; a territory cannot lie within itself")
        }
        return parent
    }

    /// A share typed as a fraction (0.55) or a percentage (55 %, 55%).
    static func share(_ raw: String) throws -> Double {
        var text = raw.trimmingSpaces
        let percent = text.hasSuffix("%")
        if percent { text = String(text.dropLast()).trimmingSpaces }
        let rule = "must be a fraction from 0 to 1 (0.55) or a percentage (55 %)"
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let number = Double(text) else {
            throw FieldError(field: "reported share", value: raw, rule: rule)
        }
        let value = percent ? number / 100 : number
        guard (0...1).contains(value) else { throw FieldError(field: "reported share", value: raw, rule: rule) }
        return value
    }
}
