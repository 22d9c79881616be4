import Persistence

/// The public shape of each model and statistic, in one place: the columns (snake_case keys, table titles) and
/// the values of a row. The CLI renders these as tables, CSV and JSON; the server writes the same JSON, so the
/// two can never drift.
extension Report {
    // MARK: Startups

    public static let startupColumns: [Column] = [
        .init("id"), .init("name"), .init("siren", "SIREN"), .init("siret", "SIRET"), .init("sector"),
        .init("naf_code", "NAF"), .init("city"), .init("employees"), .init("founded"), .init("revenue_eur", "revenue (€)"),
        .init("accelerators"),
    ]

    public static func startupRow(_ s: Startup) -> [FieldValue] {
        [.integer(s.id), .text(s.name), FieldValue(s.siren), FieldValue(s.siret), .text(s.sector), FieldValue(s.nafCode),
         FieldValue(s.city), FieldValue(s.employees), FieldValue(s.founded), FieldValue(s.revenueEUR), .list(s.accelerators)]
    }

    /// A listing of startups (`startup list`).
    public static func startups(_ list: [Startup]) -> Report {
        Report(columns: startupColumns, rows: list.map(startupRow), noun: ("startup", "startups"))
    }

    /// One startup with where its facts come from (`startup show`, and what `add`, `update`, `join` print).
    public static func startup(_ s: Startup) -> Report {
        Report(columns: startupColumns + [.init("source")], rows: [startupRow(s) + [.text(s.source)]], noun: ("startup", "startups"))
    }

    /// The startups of one programme, each with its cohort there (`accelerator firms`).
    public static func firms(_ list: [(startup: Startup, cohort: Int64?)]) -> Report {
        Report(columns: startupColumns + [.init("cohort")], rows: list.map { startupRow($0.startup) + [FieldValue($0.cohort)] },
               noun: ("startup", "startups"))
    }

    /// The keys of an exported startup: the columns `import` reads (`StartupColumn`), no id.
    public static let exportKeys = StartupColumn.allCases.map(\.rawValue)

    /// An exported startup with its programme entries ("Kedge (2016)"), in `exportKeys` order.
    public static func exportRow(_ s: Startup, programmes: [String]) -> [FieldValue] {
        [.text(s.name), .text(s.sector), FieldValue(s.siren), FieldValue(s.siret), FieldValue(s.nafCode), FieldValue(s.city),
         FieldValue(s.employees), FieldValue(s.founded), FieldValue(s.revenueEUR), .list(programmes)]
    }

    // MARK: Reference data

    public static func accelerators(_ list: [Accelerator]) -> Report {
        Report(columns: [.init("id"), .init("name"), .init("pilot"), .init("sector"), .init("firms"), .init("source")],
               rows: list.map { [.integer($0.id), .text($0.name), .text($0.pilot), FieldValue($0.sector), .integer($0.firms), .text($0.source)] },
               noun: ("accelerator", "accelerators"))
    }

    public static func partners(_ list: [Partner]) -> Report {
        Report(columns: [.init("id"), .init("name"), .init("kind"), .init("role"), .init("source")],
               rows: list.map { [.integer($0.id), .text($0.name), .text($0.kind.rawValue), FieldValue($0.role), .text($0.source)] },
               noun: ("partner", "partners"))
    }

    public static func sectors(_ list: [Sector]) -> Report {
        Report(columns: [.init("id"), .init("name"), .init("description"), .init("firms"), .init("source")],
               rows: list.map { [.integer($0.id), .text($0.name), FieldValue($0.description), .integer($0.firms), .text($0.source)] },
               noun: ("sector", "sectors"))
    }

    public static func territories(_ list: [Territory]) -> Report {
        Report(columns: [.init("id"), .init("name"), .init("level"), .init("parent"), .init("digital_jobs"),
                         .init("reported_share"), .init("firms"), .init("revenue_eur", "revenue (€)"),
                         .init("reference_year", "year"), .init("label_awarded"), .init("derived"), .init("source"),
                         .init("notes")],
               rows: list.map {
                   [.integer($0.id), .text($0.name), .text($0.level.rawValue), FieldValue($0.parent), FieldValue($0.digitalJobs),
                    FieldValue(share: $0.reportedShare), FieldValue($0.firms), FieldValue($0.revenueEUR), FieldValue($0.referenceYear),
                    FieldValue($0.labelAwarded), .bool($0.derived), .text($0.source), FieldValue($0.notes)]
               },
               noun: ("territory", "territories"))
    }

    /// One territory with its perimeter (`territory show`, and what `territory set` prints for a perimeter): the
    /// figures' columns, then the perimeter's, null when it has none.
    public static func territory(_ t: Territory, perimeter p: Perimeter?) -> Report {
        var report = territories([t])
        report.columns += [.init("perimeter"), .init("perimeter_code"), .init("perimeter_name"), .init("perimeter_notes"),
                           .init("perimeter_source"), .init("communes"), .init("sirene_codes", "SIRENE codes"),
                           .init("population", "population 2025"), .init("regions")]
        report.rows[0] += p.map { p in
            [.text(p.kind.rawValue), FieldValue(p.code), FieldValue(p.name), FieldValue(p.notes), .text(p.source),
             .integer(p.communes), .integer(p.sireneCodes), FieldValue(p.population), .list(p.regions)]
        } ?? Array(repeating: .null, count: 9)
        return report
    }

    // MARK: Geography and NAF sets

    public static func communes(_ list: [Commune]) -> Report {
        Report(columns: [.init("code"), .init("name"), .init("kind"), .init("department"), .init("region"), .init("epci", "EPCI"),
                         .init("population", "population 2025")],
               rows: list.map { [.text($0.code), .text($0.name), .text($0.kind.rawValue), .text($0.department), .text($0.region),
                                 FieldValue($0.epci), FieldValue($0.population)] },
               noun: ("commune", "communes"))
    }

    public static func nafSets(_ list: [NafSet]) -> Report {
        Report(columns: [.init("id"), .init("name"), .init("codes"), .init("subclasses", "sub-classes"), .init("source")],
               rows: list.map { [.integer($0.id), .text($0.name), .integer($0.codes), .integer($0.subclasses), .text($0.source)] },
               noun: ("NAF set", "NAF sets"))
    }

    public static func nafSetCodes(_ list: [NafSetCode]) -> Report {
        Report(columns: [.init("code"), .init("level"), .init("label")],
               rows: list.map { [.text($0.code), .text($0.level.rawValue), .text($0.label)] },
               noun: ("code", "codes"))
    }

    // MARK: Statistics

    public static func sectorFigures(_ list: [SectorFigures]) -> Report {
        Report(columns: [.init("sector"), .init("firms"), .init("jobs"), .init("share"), .init("unknown_headcount")],
               rows: list.map { [.text($0.sector), .integer($0.firms), .integer($0.jobs), FieldValue(share: $0.share),
                                 .integer($0.unknownHeadcount)] },
               noun: ("sector", "sectors"))
    }

    public static func acceleratorFigures(_ list: [AcceleratorFigures]) -> Report {
        Report(columns: [.init("accelerator"), .init("firms"), .init("jobs"), .init("revenue_eur", "revenue (€)"),
                         .init("unknown_headcount")],
               rows: list.map { [.text($0.accelerator), .integer($0.firms), .integer($0.jobs), .integer($0.revenueEUR),
                                 .integer($0.unknownHeadcount)] },
               noun: ("accelerator", "accelerators"))
    }

    public static func cityFigures(_ list: [CityFigures]) -> Report {
        Report(columns: [.init("city"), .init("firms"), .init("jobs"), .init("share"), .init("unknown_headcount")],
               rows: list.map { [FieldValue($0.city), .integer($0.firms), .integer($0.jobs), FieldValue(share: $0.share),
                                 .integer($0.unknownHeadcount)] },
               noun: ("city", "cities"))
    }

    public static func summary(_ s: RegistrySummary) -> Report {
        Report(columns: [.init("startups"), .init("accelerators"), .init("partners"), .init("sectors"), .init("jobs"),
                         .init("revenue_eur", "revenue (€)"), .init("unknown_headcount")],
               rows: [[.integer(s.startups), .integer(s.accelerators), .integer(s.partners), .integer(s.sectors),
                       .integer(s.jobs), .integer(s.revenueEUR), .integer(s.unknownHeadcount)]],
               noun: ("summary", "summaries"))
    }

    // MARK: SIRENE

    /// The keys of every SIRENE figure, as `stats ecosystem` and `stats regional-share --from sirene` name them.
    static let sireneFigureKeys = ["establishments", "employer_establishments", "firms", "jobs_low", "jobs_mid", "jobs_high",
                                   "unknown_headcount", "open_ended"]

    static func sireneFigureValues(_ f: EcosystemFigures) -> [FieldValue] {
        [.integer(f.establishments), .integer(f.employerEstablishments), .integer(f.firms), .integer(f.jobsLow),
         .real(f.jobsMid), .integer(f.jobsHigh), .integer(f.unknownHeadcount), .integer(f.openEnded)]
    }

    /// The ecosystem's figures (`stats ecosystem`): one row.
    public static func ecosystem(_ f: EcosystemFigures) -> Report {
        Report(columns: [.init("territory"), .init("naf_set", "NAF set"), .init("stock_date")] + sireneFigureKeys.map { Column($0) },
               rows: [[.text(f.territory), .text(f.nafSet), .text(f.stockDate)] + sireneFigureValues(f)],
               noun: ("figure", "figures"))
    }

    /// The key and label columns of each breakdown.
    public static func breakdownColumns(_ breakdown: EcosystemBreakdown) -> (key: Column, label: Column) {
        switch breakdown {
        case .division: (Column("division"), Column("division_label", "label"))
        case .naf: (Column("naf_code", "NAF"), Column("naf_label", "label"))
        case .commune: (Column("commune", "code"), Column("commune_name", "commune"))
        case .band: (Column("band"), Column("band_label", "headcount"))
        }
    }

    /// The ecosystem's figures per group (`stats ecosystem --by`).
    public static func ecosystem(_ list: [EcosystemFigures], by breakdown: EcosystemBreakdown) -> Report {
        let (key, label) = breakdownColumns(breakdown)
        return Report(columns: [.init("territory"), .init("naf_set", "NAF set"), .init("stock_date"), key, label]
                          + sireneFigureKeys.map { Column($0) },
                      rows: list.map { [.text($0.territory), .text($0.nafSet), .text($0.stockDate), FieldValue($0.key), FieldValue($0.label)]
                          + sireneFigureValues($0) },
                      noun: ("row", "rows"))
    }

    /// The territory's share of its region's jobs from a SIRENE snapshot (`stats regional-share --from sirene`).
    public static func sireneRegionalShare(_ r: SireneRegionalShare) -> Report {
        let figures = sireneFigureKeys, values = sireneFigureValues
        let t = r.territoryFigures
        return Report(
            columns: [.init("territory"), .init("region"), .init("region_code"), .init("naf_set", "NAF set"), .init("stock_date")]
                + figures.map { Column("territory_" + $0) } + figures.map { Column("region_" + $0) }
                + [.init("share_low"), .init("share_mid"), .init("share_high"), .init("reported_share")],
            rows: [[.text(t.territory), .text(r.region), .text(r.regionCode), .text(t.nafSet), .text(t.stockDate)]
                   + values(t) + values(r.regionFigures)
                   + [FieldValue(share: r.shareLow), FieldValue(share: r.shareMid), FieldValue(share: r.shareHigh),
                      FieldValue(share: r.reportedShare)]],
            noun: ("figure", "figures"))
    }

    /// One startup with its establishment in the latest SIRENE snapshot, when it has one (`startup show`).
    public static func startup(_ s: Startup, sirene: SireneEstablishment?) -> Report {
        var report = startup(s)
        guard let e = sirene else { return report }
        report.columns += [.init("sirene_siret", "SIRENE SIRET"), .init("sirene_band", "SIRENE band"),
                           .init("sirene_band_label", "SIRENE headcount"), .init("sirene_stock_date", "SIRENE stock date")]
        report.rows[0] += [.text(e.siret), FieldValue(e.band), FieldValue(e.bandLabel), .text(e.stockDate)]
        return report
    }

    // MARK: Maintenance

    public static func migrations(_ list: [MigrationStatus]) -> Report {
        Report(columns: [.init("version"), .init("name"), .init("status"), .init("applied_at")],
               rows: list.map {
                   let state = $0.appliedAt == nil ? "pending" : $0.checksumMatches ? "applied" : "changed since applied"
                   return [.integer(Int64($0.version)), .text($0.name), .text(state), FieldValue($0.appliedAt)]
               },
               noun: ("migration", "migrations"))
    }

    public static func checks(_ list: [CheckResult]) -> Report {
        Report(columns: [.init("check"), .init("result"), .init("detail")],
               rows: list.map { [.text($0.name), .text($0.passed ? "ok" : "FAILED"), .text($0.detail)] },
               noun: ("check", "checks"))
    }
}

extension Record {
    /// A NAF set with its codes (`naf-set show`, `add`): its fields without the count of codes, which the list of
    /// codes gives, under the key `codes`.
    public static func nafSet(_ set: NafSet, codes: [NafSetCode]) -> Record {
        let fields = Report(columns: [.init("id"), .init("name"), .init("subclasses", "sub-classes"), .init("source")],
                            rows: [[.integer(set.id), .text(set.name), .integer(set.subclasses), .text(set.source)]],
                            noun: ("NAF set", "NAF sets"))
        return Record(fields: fields, lists: [("codes", Report.nafSetCodes(codes))])
    }

    /// The region's share of digital jobs (`stats regional-share`), with the per-sector figures when asked.
    public static func regionalShare(_ r: RegionalShare) -> Record {
        let fields = Report(
            columns: [.init("region"), .init("regional_jobs"), .init("regional_jobs_derived"), .init("registered_jobs"),
                      .init("share"), .init("territory"), .init("reported_jobs"), .init("reported_share"),
                      .init("reported_jobs_share", "reported jobs / regional jobs")],
            rows: [[.text(r.region), FieldValue(r.regionalJobs), .bool(r.regionalJobsDerived), .integer(r.registeredJobs),
                    FieldValue(share: r.share), .text(r.territory), FieldValue(r.reportedJobs), FieldValue(share: r.reportedShare),
                    FieldValue(share: r.reportedJobsShare)]],
            noun: ("figure", "figures"))
        var record = Record(fields: fields)
        if let sectors = r.sectors {
            var list = Report.sectorFigures(sectors)
            list.columns[3].title = "share of region"
            record.lists = [("sectors", list)]
        }
        return record
    }
}
