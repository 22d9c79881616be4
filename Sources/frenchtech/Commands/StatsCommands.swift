import ArgumentParser
import Registry

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "The figures reported to partners: jobs per sector, share of the region's digital jobs, per programme and city.",
        discussion: """
            Jobs are the sum of known headcounts; firms of unknown headcount are counted apart, never as 0. In JSON and \
            CSV a share is a fraction from 0 to 1; tables show percentages.
            """,
        subcommands: [JobsBySector.self, RegionalShare.self, ByAccelerator.self, ByCity.self, Summary.self, Ecosystem.self]
    )
}

/// Options every statistic takes.
struct StatsOptions: ParsableArguments {
    @Flag(help: "Leave out synthetic rows (source 'synthetic', made by `frenchtech generate`).")
    var excludeSynthetic = false
}

/// Which SIRENE snapshot and NAF set a SIRENE statistic reads.
struct SireneScopeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("The NAF set (default: ict, INSEE's ICT sector).", valueName: "name")) var nafSet: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("The snapshot of this stock date (YYYY-MM-DD; default: the latest).", valueName: "date")) var stockDate: String?

    /// The first option given, for a statistic that does not read SIRENE.
    var given: String? { nafSet != nil ? "--naf-set" : stockDate != nil ? "--stock-date" : nil }
}

extension EcosystemBreakdown: ExpressibleByArgument {}

/// `--chart`, for the statistics that rank things.
struct ChartOptions: ParsableArguments {
    @Flag(help: "Draw a horizontal bar chart of the jobs instead of the table (scaled to $COLUMNS or the terminal).")
    var chart = false

    func check(_ format: Format) throws {
        if chart && format != .table {
            throw ValidationError("--chart draws in the terminal; use it with --format table (the default)")
        }
    }
}

extension BarChart {
    static func jobs(_ list: [SectorFigures]) -> BarChart {
        BarChart(bars: list.map { Bar(label: $0.sector, value: $0.jobs, figures: ["\($0.jobs)", $0.share.map(FieldValue.percent) ?? "—"]) })
    }
}

extension StatsCommand {
    struct JobsBySector: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jobs-by-sector",
            abstract: "Per sector: firms, jobs, share of all registered jobs, firms of unknown headcount.",
            discussion: """
                Every sector is listed, those without firms too, by jobs descending, then name. The share is of all \
                registered jobs (the whole registry), also when --accelerator or --city narrows the firms counted.
                Example: frenchtech stats jobs-by-sector --accelerator Jaguar --chart
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Option(parsing: .unconditional, help: "Only firms enrolled in this programme (name or id).") var accelerator: String?
        @Option(parsing: .unconditional, help: "Only firms whose head office is in this city.") var city: String?
        @OptionGroup var stats: StatsOptions
        @OptionGroup var chart: ChartOptions
        @OptionGroup var output: FormatOptions

        func validate() throws { try chart.check(output.format) }

        func run() throws {
            let scope = StatsScope(accelerator: accelerator, city: city, excludeSynthetic: stats.excludeSynthetic)
            let figures = try registry.open().jobsBySector(scope)
            if chart.chart { return try Output.write(BarChart.jobs(figures).render(width: Terminal.columns)) }
            try Output.render(.sectorFigures(figures), as: output.format)
        }
    }

    struct RegionalShare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "regional-share",
            abstract: "Registered jobs against the region's digital jobs, beside the territory's reported figure.",
            discussion: """
                The region is the parent of the territory (by default the only territory within a region: \
                Aix-Marseille in PACA on the seed data). Bring the figures up to date with `frenchtech territory set`.
                With --from sirene, the territory's jobs against its region's in a SIRENE snapshot instead (the \
                region of the perimeter's communes; the same default territory): share_mid = territory jobs_mid / \
                region jobs_mid, and the bounds the headcount bands allow, share_low = t_low / (t_low + r_high - \
                t_high) and share_high = t_high / (t_high + r_low - t_low), beside the reported share.
                Example: frenchtech stats regional-share --by sector --format json
                Example: frenchtech stats regional-share --from sirene --naf-set ict
                """
        )
        enum Breakdown: String, ExpressibleByArgument, CaseIterable { case sector }
        enum Source: String, ExpressibleByArgument, CaseIterable { case registry, sirene }

        @OptionGroup var registry: RegistryOptions
        @Option(help: "Where the territory's jobs come from: the registered startups, or the latest (or --stock-date) SIRENE snapshot.")
        var from: Source = .registry
        @Option(help: "Also give the figures per sector.") var by: Breakdown?
        @Option(parsing: .unconditional, help: "The territory whose region and reported figure are used (name or id).") var territory: String?
        @OptionGroup var sirene: SireneScopeOptions
        @OptionGroup var stats: StatsOptions
        @OptionGroup var chart: ChartOptions
        @OptionGroup var output: FormatOptions

        func validate() throws {
            try chart.check(output.format)
            if from == .sirene {
                if by != nil { throw ValidationError("--by sector counts registered startups; leave it out with --from sirene") }
                if chart.chart { throw ValidationError("--chart ranks registered sectors; leave it out with --from sirene") }
                if stats.excludeSynthetic { throw ValidationError("--exclude-synthetic is about registered startups; leave it out with --from sirene") }
                return
            }
            if let option = sirene.given { throw ValidationError("\(option) chooses SIRENE figures; add --from sirene") }
            if chart.chart && by == nil { throw ValidationError("--chart ranks sectors; add --by sector") }
        }

        func run() throws {
            if from == .sirene {
                let query = EcosystemQuery(territory: territory, nafSet: sirene.nafSet, stockDate: sirene.stockDate)
                return try Output.renderOne(.sireneRegionalShare(registry.open().sireneRegionalShare(query)), as: output.format)
            }
            let result = try registry.open().regionalShare(territory: territory, bySector: by == .sector,
                                                            excludeSynthetic: stats.excludeSynthetic)
            if chart.chart, let sectors = result.sectors {
                return try Output.write(BarChart.jobs(sectors).render(width: Terminal.columns))
            }
            try Output.render(.regionalShare(result), as: output.format)
        }
    }

    struct Ecosystem: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ecosystem",
            abstract: "The territory's establishments, firms and jobs in a NAF set, from a SIRENE snapshot.",
            discussion: """
                Counts the establishments of the snapshot (default: the latest) located in the territory's perimeter \
                (default: the territory `stats regional-share` reports, Aix-Marseille on the seed data) whose NAF rev. 2 \
                sub-class is in the set (default: ict, INSEE's ICT sector). Jobs are a range from the headcount bands: \
                jobs_low and jobs_high sum the bands' bounds (band 53, 10,000 or more, counts 10,000 in both: see \
                open_ended), jobs_mid their midpoints; an establishment without a band counts in unknown_headcount, \
                never as 0. employer_establishments: a band other than NN or 00; firms: distinct SIRENs.
                Example: frenchtech stats ecosystem --by division --chart
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Option(parsing: .unconditional, help: "The territory (name or id); it needs a perimeter.") var territory: String?
        @OptionGroup var sirene: SireneScopeOptions
        @Option(help: "Give the figures per NAF division, NAF sub-class, commune (Marseille's arrondissements in Marseille) or headcount band.")
        var by: EcosystemBreakdown?
        @OptionGroup var chart: ChartOptions
        @OptionGroup var output: FormatOptions

        func validate() throws {
            try chart.check(output.format)
            if chart.chart && by == nil { throw ValidationError("--chart ranks the rows of a breakdown; add --by division, naf, commune or band") }
        }

        func run() throws {
            let store = try registry.open()
            let query = EcosystemQuery(territory: territory, nafSet: sirene.nafSet, stockDate: sirene.stockDate)
            guard let by else { return try Output.renderOne(.ecosystem(store.ecosystem(query)), as: output.format) }
            let rows = try store.ecosystem(query, by: by)
            if chart.chart {
                let bars = rows.map {
                    BarChart.Bar(label: [$0.key, $0.label].compactMap { $0 }.joined(separator: " "),
                                 value: $0.jobsMidTwice, figures: ["\($0.jobsMid.plainDecimal) jobs", "\($0.establishments) est."])
                }
                return try Output.write(BarChart(bars: bars).render(width: Terminal.columns))
            }
            try Output.render(.ecosystem(rows, by: by), as: output.format)
        }
    }

    struct ByAccelerator: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "by-accelerator",
            abstract: "Per programme: firms, jobs, revenue; a firm in several programmes counts in each.",
            discussion: "Example: frenchtech stats by-accelerator --chart"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var stats: StatsOptions
        @OptionGroup var chart: ChartOptions
        @OptionGroup var output: FormatOptions

        func validate() throws { try chart.check(output.format) }

        func run() throws {
            let figures = try registry.open().jobsByAccelerator(excludeSynthetic: stats.excludeSynthetic)
            if chart.chart {
                let bars = figures.map { BarChart.Bar(label: $0.accelerator, value: $0.jobs, figures: ["\($0.jobs) jobs", "\($0.firms) firm\($0.firms == 1 ? "" : "s")"]) }
                return try Output.write(BarChart(bars: bars).render(width: Terminal.columns))
            }
            try Output.render(.acceleratorFigures(figures), as: output.format)
        }
    }

    struct ByCity: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "by-city",
            abstract: "Per city of head office (case ignored): firms, jobs, share of all registered jobs.",
            discussion: "Firms of unknown city are one row with an empty city. Example: frenchtech stats by-city --chart"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var stats: StatsOptions
        @OptionGroup var chart: ChartOptions
        @OptionGroup var output: FormatOptions

        func validate() throws { try chart.check(output.format) }

        func run() throws {
            let figures = try registry.open().jobsByCity(excludeSynthetic: stats.excludeSynthetic)
            if chart.chart {
                let bars = figures.map {
                    BarChart.Bar(label: $0.city ?? "(unknown)", value: $0.jobs,
                                 figures: ["\($0.jobs)", $0.share.map(FieldValue.percent) ?? "—"])
                }
                return try Output.write(BarChart(bars: bars).render(width: Terminal.columns))
            }
            try Output.render(.cityFigures(figures), as: output.format)
        }
    }

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "summary",
            abstract: "Counts of startups, programmes, partners and sectors; total jobs and revenue; firms of unknown headcount.",
            discussion: "Example: frenchtech stats summary --format json"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var stats: StatsOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            let s = try registry.open().summary(excludeSynthetic: stats.excludeSynthetic)
            try Output.renderOne(.summary(s), as: output.format)
        }
    }
}
