import Persistence

// The territory's digital economy from INSEE's SIRENE stock (issue #14): establishments of a snapshot whose
// commune (as SIRENE codes it: Marseille's arrondissements) lies in the territory's perimeter and whose NAF rev. 2
// sub-class is in a named NAF set. Jobs are a range: each establishment's headcount band gives bounds
// (`headcount_bands`); an establishment without a band is unknown, counted apart, never as 0.
//
// Which snapshot, set and territory, by default: the latest snapshot, the set 'ict' (INSEE's ICT sector), and the
// territory `stats regional-share` reports by default (the only one within a region: Aix-Marseille on the seeds),
// which must have a perimeter.

/// How `stats ecosystem` breaks its figures down.
public enum EcosystemBreakdown: String, CaseIterable, Sendable {
    /// NAF division (two digits), with its label.
    case division
    /// NAF rev. 2 sub-class, with its label.
    case naf
    /// Commune (Marseille's arrondissements counted in Marseille), with its name.
    case commune
    /// Headcount band, establishments without one as their own row.
    case band
}

/// What the figures are cut by; nil takes the default.
public struct EcosystemQuery: Equatable, Sendable {
    public var territory: String?
    public var nafSet: String?
    /// YYYY-MM-DD: the snapshot of that stock date.
    public var stockDate: String?

    public init(territory: String? = nil, nafSet: String? = nil, stockDate: String? = nil) {
        (self.territory, self.nafSet, self.stockDate) = (territory, nafSet, stockDate)
    }
}

/// The figures of one set of establishments (a territory's, a region's, or one group of a breakdown).
public struct EcosystemFigures: Equatable, Sendable {
    public var territory: String
    public var nafSet: String
    public var stockDate: String
    /// The group (division, NAF code, commune code, band code) with `--by`; nil for the whole, or the unknown band.
    public var key: String?
    /// The group's label (the division's or sub-class's, the commune's name, the band's).
    public var label: String?
    public var establishments: Int64
    /// Establishments whose band is neither NN nor 00 (nor unknown).
    public var employerEstablishments: Int64
    /// Distinct SIRENs.
    public var firms: Int64
    public var jobsLow: Int64
    public var jobsHigh: Int64
    /// Twice the sum of the bands' midpoints: kept whole, so that the half a band such as 01 (1–2) adds is exact.
    public var jobsMidTwice: Int64
    /// Establishments without a band.
    public var unknownHeadcount: Int64
    /// Establishments of band 53 (10,000 or more), which count 10,000 at both bounds.
    public var openEnded: Int64

    /// The sum of the bands' midpoints (a whole number or a half).
    public var jobsMid: Double { Double(jobsMidTwice) / 2 }
}

/// The territory's share of its region's jobs in the same snapshot and NAF set, beside the reported share.
public struct SireneRegionalShare: Equatable, Sendable {
    public var regionCode: String
    public var region: String
    public var territoryFigures: EcosystemFigures
    public var regionFigures: EcosystemFigures
    /// t_low / (t_low + r_high − t_high): the territory at its lowest, the rest of the region at its highest.
    public var shareLow: Double?
    /// t_mid / r_mid.
    public var shareMid: Double?
    /// t_high / (t_high + r_low − t_low).
    public var shareHigh: Double?
    /// The share the territory reported (0.55 for Aix-Marseille in 2014), from `territories.reported_share`.
    public var reportedShare: Double?
}

/// One snapshot of the SIRENE stock.
public struct SireneSnapshot: Equatable, Sendable {
    public var id: Int64
    public var stockDate: String
    /// The region codes kept; nil when every region was ('all').
    public var regions: [String]?
}

extension RegistryStore {
    // MARK: Snapshot, NAF set, territory

    /// The snapshot of `stockDate`, or the latest. No snapshot at all is missing input (exit 66 in the CLI).
    public func sireneSnapshot(_ stockDate: String? = nil) throws -> SireneSnapshot {
        let snapshots = try sireneSnapshots()
        guard !snapshots.isEmpty else {
            throw RegistryError(.missingInput(path: path), "the registry \(path) holds no SIRENE snapshot", remedy: .importSirene)
        }
        guard let stockDate else { return snapshots[0] }
        guard let snapshot = snapshots.first(where: { $0.stockDate == stockDate.trimmingSpaces }) else {
            let dates = snapshots.map(\.stockDate).sorted().joined(separator: ", ")
            throw RegistryError.invalidRequest("there is no SIRENE snapshot of \(stockDate); the snapshots are of \(dates)",
                                               remedy: .chooseStockDate)
        }
        return snapshot
    }

    /// Every snapshot, the latest first; none in a registry older than the snapshots' migration (`check` opens
    /// one as it is).
    func sireneSnapshots() throws -> [SireneSnapshot] {
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sirene_snapshots'") == .integer(1) else {
            return []
        }
        return try db.rows("SELECT id, stock_date, regions FROM sirene_snapshots ORDER BY stock_date DESC").map { row in
            let regions: String = try row.get(2)
            return SireneSnapshot(id: try row.get(0), stockDate: try row.get(1),
                                  regions: regions == "all" ? nil : regions.split(separator: ",").map(String.init))
        }
    }

    /// The id and name of a NAF set (case ignored), by default 'ict'.
    func nafSet(_ name: String?) throws -> (id: Int64, name: String) {
        let wanted = name?.trimmingSpaces ?? "ict"
        if let row = try db.rows("SELECT id, name FROM naf_sets WHERE name = ?", [.text(wanted)]).first {
            return (try row.get(0), try row.get(1))
        }
        let names = try db.rows("SELECT name FROM naf_sets ORDER BY name").map { try $0.get(0, as: String.self) }
        let known = names.isEmpty ? "the registry has none" : "the sets are " + names.joined(separator: ", ")
        throw RegistryError.invalidRequest("there is no NAF set '\(wanted)'; \(known)", remedy: .chooseNafSet)
    }

    /// The territory of a SIRENE statistic (by default the one `stats regional-share` reports) and the regions its
    /// perimeter lies in; refused without a perimeter, or when the snapshot left some of those regions out.
    func sireneTerritory(_ reference: String?, in snapshot: SireneSnapshot) throws -> (id: Int64, name: String, regions: [String]) {
        let id = try reference.map(resolveTerritory) ?? defaultReportingTerritory()
        let name = try territory(id: id).name
        guard try db.scalar("SELECT count(*) FROM territory_perimeters WHERE territory_id = ?", [.integer(id)]) == .integer(1) else {
            throw RegistryError.invalidRequest("territory '\(name)' has no perimeter (the communes its figures are cut by)",
                                               remedy: .setPerimeter(territory: name))
        }
        let regions: [String] = try db.rows("""
            SELECT DISTINCT c.region FROM territory_communes t JOIN communes c ON c.code = t.commune
            WHERE t.territory_id = ? ORDER BY 1
            """, [.integer(id)]).map { try $0.get(0) }
        if let kept = snapshot.regions {
            let missing = regions.filter { !kept.contains($0) }
            if !missing.isEmpty {
                throw RegistryError.invalidRequest(
                    "the SIRENE snapshot of \(snapshot.stockDate) holds region\(kept.count == 1 ? "" : "s") \(kept.joined(separator: ", ")) only, and territory '\(name)' lies in region\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) too",
                    remedy: .importRegions(Array(Set(kept + regions)).sorted()))
            }
        }
        return (id, name, regions)
    }

    // MARK: Figures

    /// The aggregates of every SIRENE figure over `sirene_establishments e LEFT JOIN headcount_bands b`, in the
    /// order `figures(from:at:)` reads them.
    private static let ecosystemAggregates = """
        count(*) AS establishments, count(*) FILTER (WHERE e.band NOT IN ('NN', '00')) AS employer_establishments,
        count(DISTINCT e.siren) AS firms, coalesce(sum(b.low), 0) AS jobs_low, coalesce(sum(b.high), 0) AS jobs_high,
        coalesce(sum(b.low + b.high), 0) AS jobs_mid_twice, count(*) - count(e.band) AS unknown_headcount,
        count(*) FILTER (WHERE e.band = '53') AS open_ended
        """

    /// The establishments of a snapshot (bound first) in a NAF set (bound second) located in the communes the
    /// fragment `communes` selects (its values bound third).
    private static func ecosystemSource(communes: String) -> String {
        """
        FROM sirene_establishments e LEFT JOIN headcount_bands b ON b.code = e.band
        WHERE e.snapshot_id = ? AND e.naf_code IN (SELECT naf_code FROM naf_set_subclasses WHERE naf_set_id = ?)
          AND e.commune_code IN (\(communes))
        """
    }

    private static let territoryCommunes = "SELECT commune FROM territory_communes WHERE territory_id = ?"
    private static let regionCommunes = "SELECT code FROM communes WHERE region = ?"

    private static func figures(from row: Row, at start: Int, territory: String, nafSet: String, stockDate: String,
                                key: String? = nil, label: String? = nil) throws -> EcosystemFigures {
        EcosystemFigures(territory: territory, nafSet: nafSet, stockDate: stockDate, key: key, label: label,
                         establishments: try row.get(start), employerEstablishments: try row.get(start + 1),
                         firms: try row.get(start + 2), jobsLow: try row.get(start + 3), jobsHigh: try row.get(start + 4),
                         jobsMidTwice: try row.get(start + 5), unknownHeadcount: try row.get(start + 6),
                         openEnded: try row.get(start + 7))
    }

    /// The ecosystem's figures in a snapshot: the territory's establishments in the NAF set.
    public func ecosystem(_ query: EcosystemQuery = EcosystemQuery()) throws -> EcosystemFigures {
        let (snapshot, set, place) = try ecosystemScope(query)
        let row = try db.rows("SELECT \(Self.ecosystemAggregates) \(Self.ecosystemSource(communes: Self.territoryCommunes))",
                              [.integer(snapshot.id), .integer(set.id), .integer(place.id)])[0]
        return try Self.figures(from: row, at: 0, territory: place.name, nafSet: set.name, stockDate: snapshot.stockDate)
    }

    /// The figures per division, sub-class, commune or band: by jobs (midpoints) descending, then key; bands in
    /// their order, the unknown last.
    public func ecosystem(_ query: EcosystemQuery = EcosystemQuery(), by breakdown: EcosystemBreakdown) throws -> [EcosystemFigures] {
        let (snapshot, set, place) = try ecosystemScope(query)
        // Each text below is fixed; only the breakdown chooses among them.
        let (key, label, order): (String, String, String) = switch breakdown {
        case .division:
            ("substr(e.naf_code, 1, 2)", "(SELECT division_label FROM naf_codes WHERE division_code = g.key LIMIT 1)",
             "g.jobs_mid_twice DESC, g.key")
        case .naf: ("e.naf_code", "(SELECT label FROM naf_codes WHERE code = g.key)", "g.jobs_mid_twice DESC, g.key")
        case .commune: ("e.commune", "(SELECT name FROM communes WHERE code = g.key)", "g.jobs_mid_twice DESC, g.key")
        case .band:
            ("e.band", "CASE WHEN g.key IS NULL THEN 'unknown' ELSE (SELECT label FROM headcount_bands WHERE code = g.key) END",
             "g.key IS NULL, (SELECT low FROM headcount_bands WHERE code = g.key), g.key")
        }
        let sql = """
            SELECT g.key, \(label), g.*
            FROM (SELECT \(key) AS key, \(Self.ecosystemAggregates)
                  \(Self.ecosystemSource(communes: Self.territoryCommunes))
                  GROUP BY 1) g
            ORDER BY \(order)
            """
        return try db.rows(sql, [.integer(snapshot.id), .integer(set.id), .integer(place.id)]).map {
            try Self.figures(from: $0, at: 3, territory: place.name, nafSet: set.name, stockDate: snapshot.stockDate,
                             key: try $0.get(0), label: try $0.get(1))
        }
    }

    private func ecosystemScope(_ query: EcosystemQuery) throws
        -> (snapshot: SireneSnapshot, set: (id: Int64, name: String), place: (id: Int64, name: String, regions: [String])) {
        let snapshot = try sireneSnapshot(query.stockDate)
        let set = try nafSet(query.nafSet)
        let place = try sireneTerritory(query.territory, in: snapshot)
        return (snapshot, set, place)
    }

    /// The territory's jobs against its region's, in one snapshot and NAF set, with the bounds the bands allow.
    public func sireneRegionalShare(_ query: EcosystemQuery = EcosystemQuery()) throws -> SireneRegionalShare {
        let (snapshot, set, place) = try ecosystemScope(query)
        guard place.regions.count == 1, let regionCode = place.regions.first else {
            throw RegistryError.invalidRequest(
                "territory '\(place.name)' spans regions \(place.regions.joined(separator: ", ")); its share is of one region's jobs",
                remedy: .chooseTerritory)
        }
        let sql = """
            SELECT (SELECT name FROM regions WHERE code = ?), (SELECT reported_share FROM territories WHERE id = ?), t.*, r.*
            FROM (SELECT \(Self.ecosystemAggregates) \(Self.ecosystemSource(communes: Self.territoryCommunes))) t,
                 (SELECT \(Self.ecosystemAggregates) \(Self.ecosystemSource(communes: Self.regionCommunes))) r
            """
        let row = try db.rows(sql, [.text(regionCode), .integer(place.id),
                                    .integer(snapshot.id), .integer(set.id), .integer(place.id),
                                    .integer(snapshot.id), .integer(set.id), .text(regionCode)])[0]
        let region: String = try row.get(0)
        let t = try Self.figures(from: row, at: 2, territory: place.name, nafSet: set.name, stockDate: snapshot.stockDate)
        let r = try Self.figures(from: row, at: 10, territory: region, nafSet: set.name, stockDate: snapshot.stockDate)
        func ratio(_ numerator: Int64, _ denominator: Int64) -> Double? {
            denominator == 0 ? nil : Double(numerator) / Double(denominator)
        }
        return SireneRegionalShare(
            regionCode: regionCode, region: region, territoryFigures: t, regionFigures: r,
            shareLow: ratio(t.jobsLow, t.jobsLow + r.jobsHigh - t.jobsHigh),
            shareMid: ratio(t.jobsMidTwice, r.jobsMidTwice),
            shareHigh: ratio(t.jobsHigh, t.jobsHigh + r.jobsLow - t.jobsLow),
            reportedShare: try row.get(1))
    }
}
