import Persistence

// The figures a French Tech team reports to its partners, each one SQL query (GROUP BY in SQLite), returned as
// plain rows; the command decides how to show them.
//
// Per-sector totals are not recounted on every call: migration 0002 keeps them in `sector_totals` (keyed by
// sector and a synthetic flag), maintained by three cheap triggers on `startups`, and `stats jobs-by-sector`
// (unfiltered), `stats summary` and `stats regional-share` read those few rows. Filtered statistics
// (--accelerator, --city), `by-accelerator` and `by-city` are computed on the fly.
//
// Hooks for the rest of the registry:
// - `rebuildAggregates()`: recomputes `sector_totals` from scratch with one INSERT … SELECT … GROUP BY (the view
//   `sector_totals_fresh`). Joins the caller's transaction when there is one.
// - Bulk loads (`import startups` past `StartupLoad.minimumBulkRows`) drop the triggers with the indexes, sum
//   the loaded rows' totals as they go (`SectorTotals`, the insert trigger's arithmetic) and add them before
//   recreating the triggers from their stored text, all in the import's transaction. Recounting with
//   `rebuildAggregates()` instead took 0.65-0.75 s on 200,000 rows, half as much again as the import of them
//   (1.3-1.5 s): the sums are kept, and tests hold them equal to the view. (Migration 0002's header, shipped
//   and so never edited, still says that a bulk load refills the totals with `rebuildAggregates()`: it no longer
//   does: only the tests call it, to repair totals they tampered with.)
// - `aggregatesAreConsistent()`: whether the totals equal a fresh GROUP BY (for `frenchtech check`);
//   `aggregateTriggersInstalled()`: whether they will stay so.

/// Which startups a statistic covers.
public struct StatsScope: Equatable, Sendable {
    /// Only firms enrolled in this programme (name or id).
    public var accelerator: String?
    /// Only firms whose head office is in this city (case ignored, as `startup list --city`).
    public var city: String?
    /// Leave out rows made by `frenchtech generate` (source = 'synthetic').
    public var excludeSynthetic: Bool

    public init(accelerator: String? = nil, city: String? = nil, excludeSynthetic: Bool = false) {
        self.accelerator = accelerator
        self.city = city
        self.excludeSynthetic = excludeSynthetic
    }
}

/// One sector's figures. `jobs` is the sum of known headcounts; firms of unknown headcount add nothing to it
/// and are counted in `unknownHeadcount`.
public struct SectorFigures: Equatable, Sendable {
    public var sector: String
    public var firms: Int64
    public var jobs: Int64
    /// `jobs` over every registered job (the whole registry, synthetic rows left out when asked); nil when the
    /// registry has no known job at all.
    public var share: Double?
    public var unknownHeadcount: Int64
}

/// One programme's figures; a firm enrolled in several programmes counts in each.
public struct AcceleratorFigures: Equatable, Sendable {
    public var accelerator: String
    public var firms: Int64
    public var jobs: Int64
    /// Sum of known revenues.
    public var revenueEUR: Int64
    public var unknownHeadcount: Int64
}

public struct CityFigures: Equatable, Sendable {
    /// nil for firms whose city is unknown.
    public var city: String?
    public var firms: Int64
    public var jobs: Int64
    public var share: Double?
    public var unknownHeadcount: Int64
}

public struct RegistrySummary: Equatable, Sendable {
    public var startups: Int64
    public var accelerators: Int64
    public var partners: Int64
    public var sectors: Int64
    public var jobs: Int64
    public var revenueEUR: Int64
    public var unknownHeadcount: Int64
}

/// Registered jobs against the region's digital jobs, beside what the territory itself reported.
public struct RegionalShare: Equatable, Sendable {
    public var region: String
    public var regionalJobs: Int64?
    /// Whether the region's figure was derived from others (PACA's, from the article's 40,000 = 55 %).
    public var regionalJobsDerived: Bool
    public var registeredJobs: Int64
    /// registeredJobs / regionalJobs; nil when the region's figure is unknown or zero.
    public var share: Double?
    public var territory: String
    public var reportedJobs: Int64?
    /// The share the territory reported (0.55 for Aix-Marseille in 2014).
    public var reportedShare: Double?
    /// reportedJobs / regionalJobs, to set beside `reportedShare`.
    public var reportedJobsShare: Double?
    /// Per sector, the registered jobs and their share of the region's digital jobs (with `--by sector`).
    public var sectors: [SectorFigures]?
}

extension RegistryStore {
    /// The value bound to `synthetic <= ?` on `sector_totals`: 0 leaves synthetic rows out, 1 keeps all.
    private static func syntheticCeiling(_ excludeSynthetic: Bool) -> SQLValue { .integer(excludeSynthetic ? 0 : 1) }

    // MARK: Per sector

    /// Per sector (every sector, those without firms too): firms, jobs, share of all registered jobs, firms of
    /// unknown headcount; by jobs descending, then sector name. Unfiltered, it reads the maintained totals.
    public func jobsBySector(_ scope: StatsScope = StatsScope()) throws -> [SectorFigures] {
        var values: [SQLValue] = []
        let picked: String
        if scope.accelerator == nil && scope.city == nil {
            picked = """
                SELECT sector_id, sum(firms) AS firms, sum(jobs) AS jobs, sum(unknown_headcount) AS unknown
                FROM sector_totals WHERE synthetic <= ? GROUP BY sector_id
                """
            values.append(Self.syntheticCeiling(scope.excludeSynthetic))
        } else {
            let filter = try startupConditions(scope)
            picked = """
                SELECT s.sector_id, count(*) AS firms, coalesce(sum(s.employees), 0) AS jobs,
                       count(*) - count(s.employees) AS unknown
                FROM startups s WHERE \(filter.sql) GROUP BY s.sector_id
                """
            values += filter.values
        }
        values.append(Self.syntheticCeiling(scope.excludeSynthetic))
        // `picked` is one of the two fixed texts above, its conditions fixed fragments with bound values.
        let sql = """
            WITH picked AS (\(picked)),
                 total AS (SELECT sum(jobs) AS jobs FROM sector_totals WHERE synthetic <= ?)
            SELECT sec.name, coalesce(p.firms, 0), coalesce(p.jobs, 0),
                   coalesce(p.jobs, 0) * 1.0 / nullif(total.jobs, 0), coalesce(p.unknown, 0)
            FROM sectors sec LEFT JOIN picked p ON p.sector_id = sec.id CROSS JOIN total
            ORDER BY 3 DESC, sec.name
            """
        return try db.prepare(sql).rows(values).map {
            SectorFigures(sector: try $0.get(0), firms: try $0.get(1), jobs: try $0.get(2), share: try $0.get(3),
                          unknownHeadcount: try $0.get(4))
        }
    }

    /// The WHERE conditions on `startups s` for a scope: those of `startup list` with the same filters.
    private func startupConditions(_ scope: StatsScope) throws -> (sql: String, values: [SQLValue]) {
        let (sql, values) = try startupConditions(
            StartupFilter(accelerator: scope.accelerator, city: scope.city, excludeSynthetic: scope.excludeSynthetic))
        return (sql.isEmpty ? "true" : sql, values)
    }

    // MARK: Per programme, per city

    /// Per programme (those without firms too): firms, jobs, revenue; by jobs descending, then name.
    public func jobsByAccelerator(excludeSynthetic: Bool = false) throws -> [AcceleratorFigures] {
        let synthetic = excludeSynthetic ? " AND s.source <> ?" : ""
        let sql = """
            SELECT a.name, count(s.id), coalesce(sum(s.employees), 0), coalesce(sum(s.revenue_eur), 0),
                   count(s.id) - count(s.employees)
            FROM accelerators a
            LEFT JOIN memberships m ON m.accelerator_id = a.id
            LEFT JOIN startups s ON s.id = m.startup_id\(synthetic)
            GROUP BY a.id
            ORDER BY 3 DESC, a.name
            """
        return try db.prepare(sql).rows(excludeSynthetic ? [.text(syntheticSource)] : []).map {
            AcceleratorFigures(accelerator: try $0.get(0), firms: try $0.get(1), jobs: try $0.get(2),
                               revenueEUR: try $0.get(3), unknownHeadcount: try $0.get(4))
        }
    }

    /// Per city (case ignored; unknown city last among equals): firms, jobs, share of all registered jobs.
    public func jobsByCity(excludeSynthetic: Bool = false) throws -> [CityFigures] {
        let synthetic = excludeSynthetic ? "WHERE s.source <> ?" : ""
        var values = [Self.syntheticCeiling(excludeSynthetic)]
        if excludeSynthetic { values.append(.text(syntheticSource)) }
        let sql = """
            WITH total AS (SELECT sum(jobs) AS jobs FROM sector_totals WHERE synthetic <= ?)
            SELECT c.city, c.firms, c.jobs, c.jobs * 1.0 / nullif(total.jobs, 0), c.unknown
            FROM (SELECT s.city AS city, count(*) AS firms, coalesce(sum(s.employees), 0) AS jobs,
                         count(*) - count(s.employees) AS unknown
                  FROM startups s \(synthetic) GROUP BY s.city) c
            CROSS JOIN total
            ORDER BY c.jobs DESC, c.city IS NULL, c.city
            """
        return try db.prepare(sql).rows(values).map {
            CityFigures(city: try $0.get(0), firms: try $0.get(1), jobs: try $0.get(2), share: try $0.get(3),
                        unknownHeadcount: try $0.get(4))
        }
    }

    // MARK: Summary

    public func summary(excludeSynthetic: Bool = false) throws -> RegistrySummary {
        let row = try db.rows("""
            SELECT coalesce(sum(firms), 0), (SELECT count(*) FROM accelerators), (SELECT count(*) FROM partners),
                   (SELECT count(*) FROM sectors), coalesce(sum(jobs), 0), coalesce(sum(revenue_eur), 0),
                   coalesce(sum(unknown_headcount), 0)
            FROM sector_totals WHERE synthetic <= ?
            """, [Self.syntheticCeiling(excludeSynthetic)])[0]
        return RegistrySummary(startups: try row.get(0), accelerators: try row.get(1), partners: try row.get(2),
                               sectors: try row.get(3), jobs: try row.get(4), revenueEUR: try row.get(5),
                               unknownHeadcount: try row.get(6))
    }

    // MARK: Regional share

    /// Registered jobs over the digital jobs of the region that contains `territory` (by default the one
    /// territory that has a parent), beside the territory's reported figures.
    public func regionalShare(territory reference: String? = nil, bySector: Bool = false,
                              excludeSynthetic: Bool = false) throws -> RegionalShare {
        let id = try reference.map(resolveTerritory) ?? defaultReportingTerritory()
        guard let row = try db.rows("""
            SELECT r.name, r.digital_jobs, r.derived, registered.jobs,
                   registered.jobs * 1.0 / nullif(r.digital_jobs, 0),
                   t.name, t.digital_jobs, t.reported_share, t.digital_jobs * 1.0 / nullif(r.digital_jobs, 0)
            FROM territories t JOIN territories r ON r.id = t.parent_id,
                 (SELECT coalesce(sum(jobs), 0) AS jobs FROM sector_totals WHERE synthetic <= ?) AS registered
            WHERE t.id = ?
            """, [Self.syntheticCeiling(excludeSynthetic), .integer(id)]).first else {
            let name = try territory(id: id).name
            throw RegistryError.invalidRequest("territory \(name) is within no region", remedy: .setParent(territory: name))
        }
        var result = RegionalShare(
            region: try row.get(0), regionalJobs: try row.get(1), regionalJobsDerived: try row.get(2),
            registeredJobs: try row.get(3), share: try row.get(4), territory: try row.get(5),
            reportedJobs: try row.get(6), reportedShare: try row.get(7), reportedJobsShare: try row.get(8))
        if bySector {
            result.sectors = try db.rows("""
                SELECT sec.name, coalesce(sum(t.firms), 0) AS firms, coalesce(sum(t.jobs), 0) AS jobs,
                       coalesce(sum(t.jobs), 0) * 1.0 / nullif((SELECT digital_jobs FROM territories WHERE id = ?), 0),
                       coalesce(sum(t.unknown_headcount), 0)
                FROM sectors sec LEFT JOIN sector_totals t ON t.sector_id = sec.id AND t.synthetic <= ?
                GROUP BY sec.id
                ORDER BY jobs DESC, sec.name
                """, [.integer(try regionID(of: id)), Self.syntheticCeiling(excludeSynthetic)]).map {
                SectorFigures(sector: try $0.get(0), firms: try $0.get(1), jobs: try $0.get(2), share: try $0.get(3),
                              unknownHeadcount: try $0.get(4))
            }
        }
        return result
    }

    /// The territory whose figures are reported against a region: the only one with a parent.
    func defaultReportingTerritory() throws -> Int64 {
        let rows = try db.rows("SELECT id, name FROM territories WHERE parent_id IS NOT NULL ORDER BY name")
        if rows.count == 1 { return try rows[0].get(0) }
        if rows.isEmpty {
            throw RegistryError.invalidRequest("no territory lies within a region", remedy: .addMetropolis)
        }
        let names = try rows.map { try $0.get(1, as: String.self) }.joined(separator: ", ")
        throw RegistryError.invalidRequest("several territories lie within a region (\(names))", remedy: .chooseTerritory)
    }

    private func regionID(of territory: Int64) throws -> Int64 {
        guard case .integer(let id)? = try db.scalar("SELECT parent_id FROM territories WHERE id = ?", [.integer(territory)]) else {
            throw RegistryError.invalidRequest("territory \(territory) is within no region")
        }
        return id
    }

    // MARK: Maintenance of the aggregates

    /// The triggers of migration 0002 that keep `sector_totals` up to date.
    static let aggregateTriggers = ["sector_totals_after_insert", "sector_totals_after_delete", "sector_totals_after_update"]

    /// Recomputes `sector_totals` from the startups with one GROUP BY. Inside the caller's transaction when
    /// there is one (a savepoint), else in its own.
    public func rebuildAggregates() throws {
        try transaction {
            try db.execute("DELETE FROM sector_totals")
            try db.execute("INSERT INTO sector_totals SELECT * FROM sector_totals_fresh")
        }
    }

    /// Whether `sector_totals` holds exactly what a fresh GROUP BY gives (rows emptied by deletions aside).
    public func aggregatesAreConsistent() throws -> Bool {
        try db.scalar("""
            SELECT NOT EXISTS (SELECT * FROM sector_totals
                               WHERE firms <> 0 OR jobs <> 0 OR unknown_headcount <> 0 OR revenue_eur <> 0
                               EXCEPT SELECT * FROM sector_totals_fresh)
               AND NOT EXISTS (SELECT * FROM sector_totals_fresh EXCEPT SELECT * FROM sector_totals)
            """) == .integer(1)
    }

    /// Whether all three triggers that maintain the totals are in place.
    public func aggregateTriggersInstalled() throws -> Bool {
        let names = Self.aggregateTriggers.map { SQLValue.text($0) }
        return try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN (?, ?, ?)", names)
            == .integer(Int64(names.count))
    }
}
