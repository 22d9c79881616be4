import ArgumentParser
import Registry

struct TerritoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "territory",
        abstract: "The territories (Aix-Marseille, the PACA region): their published figures, which shares are computed against, and their perimeters.",
        subcommands: [List.self, Show.self, SetFigures.self]
    )
}

extension Territory.Level: ExpressibleByArgument {}

extension TerritoryCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the territories and their figures (derived: computed from other published figures).",
            discussion: "Example: frenchtech territory list --format json"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.render(.territories(registry.open().territories()), as: output.format)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a territory's figures and its perimeter: communes, SIRENE codes, population, regions.",
            discussion: """
                communes counts the perimeter's communes; sirene_codes the codes SIRENE may give its establishments \
                (its communes and the arrondissements of Paris, Lyon and Marseille among them); population sums the \
                communes' populations of 2025 (arrondissements have none of their own).
                Example: frenchtech territory show Aix-Marseille
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Territory name or id.") var name: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            let territory = try store.territory(name)
            let perimeter = try store.perimeter(ofTerritory: territory.id)
            if perimeter == nil {
                Output.note("territory \(territory.name) has no perimeter; give it one with `frenchtech territory set '\(territory.name)' --epci SIREN` (or --region CODE, or --communes CODE,CODE)")
            }
            try Output.renderOne(.territory(territory, perimeter: perimeter), as: output.format)
        }
    }

    struct SetFigures: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Bring a territory's figures up to date (shares follow), add a territory with --level, or set its perimeter.",
            discussion: """
                Figures not given are kept; "" clears one. Setting --digital-jobs marks the figure as given (derived: \
                no) and, unless --notes is given too, clears the note on how a derived figure was computed; the \
                row's source becomes --source (default "manual entry"). An unknown NAME is refused unless \
                --level is given, so that a typo never adds a territory.
                A perimeter is one of --epci SIREN (the EPCI's communes), --region CODE or --communes CODE,CODE,… \
                (INSEE codes; a commune brings its arrondissements, an arrondissement may be listed alone); it \
                replaces the territory's previous perimeter, with --notes and --source (default "manual entry") \
                describing it. A perimeter is set on a territory that exists, in a command of its own (no figures).
                Examples: frenchtech territory set PACA --digital-jobs 80000 --year 2016 --source "INSEE 2016"
                          frenchtech territory set Toulon --level metropolis --parent PACA --digital-jobs 9000
                          frenchtech territory set Aix-Marseille --communes 13001,13055 --notes "the two cities"
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Territory name or id.") var name: String
        @Option(parsing: .unconditional, help: ArgumentHelp("Digital jobs of the territory (at most 100,000,000).", valueName: "n")) var digitalJobs: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Number of digital firms (at most 10,000,000).", valueName: "n")) var firms: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Yearly revenue in euros (at most 10,000,000,000,000).", valueName: "eur")) var revenue: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Year the figures refer to.", valueName: "yyyy")) var year: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Share of the parent's digital jobs the territory reports: 0.55 or 55%.", valueName: "share"))
        var reportedShare: String?
        @Option(help: "Kind of territory; needed to add one.") var level: Territory.Level?
        @Option(parsing: .unconditional, help: "The territory it lies within (name or id); \"\" for none.") var parent: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Perimeter: the communes of this EPCI (its SIREN).", valueName: "siren")) var epci: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Perimeter: the communes of this region (its code, e.g. 93).", valueName: "code")) var region: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("Perimeter: these communes (INSEE codes separated by commas).", valueName: "code,code,…")) var communes: String?
        @Option(parsing: .unconditional, help: "A note on the figures, or on the perimeter (\"\" clears it).") var notes: String?
        @Option(parsing: .unconditional, help: "Where the figures, or the perimeter, come from (default: manual entry).") var source: String?
        @OptionGroup var output: FormatOptions

        var perimeter: PerimeterChoice? {
            if let epci { return .epci(epci) }
            if let region { return .region(region) }
            return communes.map { .communes($0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) }
        }

        func validate() throws {
            let given = [("--epci", epci), ("--region", region), ("--communes", communes)].filter { $0.1 != nil }.map(\.0)
            if given.count > 1 {
                throw ValidationError("\(given.joined(separator: " and ")) both draw a perimeter; give one of --epci, --region or --communes")
            }
            let figures = [("--digital-jobs", digitalJobs), ("--firms", firms), ("--revenue", revenue), ("--year", year),
                           ("--reported-share", reportedShare), ("--level", level?.rawValue), ("--parent", parent)]
                .filter { $0.1 != nil }.map(\.0)
            if let perimeter = given.first, let figure = figures.first {
                throw ValidationError("\(perimeter) sets the perimeter and \(figure) the figures; set them in two commands (--notes and --source would describe both)")
            }
        }

        func run() throws {
            if let perimeter {
                let (territory, set) = try registry.open().setPerimeter(name, perimeter, notes: notes, source: source)
                Output.note("set the perimeter of territory \(territory.name): \(set.communes) commune\(set.communes == 1 ? "" : "s"), \(set.sireneCodes) SIRENE code\(set.sireneCodes == 1 ? "" : "s")")
                return try Output.renderOne(.territory(territory, perimeter: set), as: output.format)
            }
            let draft = TerritoryDraft(digitalJobs: digitalJobs, firms: firms, revenueEUR: revenue, year: year,
                                       reportedShare: reportedShare, level: level, parent: parent, notes: notes,
                                       source: source)
            let (territory, created) = try registry.open().setTerritory(name, draft)
            Output.note("\(created ? "added" : "updated") territory \(territory.name)")
            try Output.renderOne(.territories([territory]), as: output.format)
        }
    }
}
