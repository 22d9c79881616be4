import ArgumentParser
import Registry

struct TerritoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "territory",
        abstract: "The published figures of the territories (Aix-Marseille, the PACA region) that shares are computed against.",
        subcommands: [List.self, SetFigures.self]
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

    struct SetFigures: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Bring a territory's figures up to date (shares follow), or add a territory with --level.",
            discussion: """
                Figures not given are kept; "" clears one. Setting --digital-jobs marks the figure as given (derived: \
                no) and, unless --notes is given too, clears the note on how a derived figure was computed; the \
                row's source becomes --source (default "manual entry"). An unknown NAME is refused unless \
                --level is given, so that a typo never adds a territory.
                Examples: frenchtech territory set PACA --digital-jobs 80000 --year 2016 --source "INSEE 2016"
                          frenchtech territory set Toulon --level metropolis --parent PACA --digital-jobs 9000
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
        @Option(parsing: .unconditional, help: "A note on the figures (\"\" clears it).") var notes: String?
        @Option(parsing: .unconditional, help: "Where the figures come from (default: manual entry).") var source: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let draft = TerritoryDraft(digitalJobs: digitalJobs, firms: firms, revenueEUR: revenue, year: year,
                                       reportedShare: reportedShare, level: level, parent: parent, notes: notes,
                                       source: source)
            let (territory, created) = try registry.open().setTerritory(name, draft)
            Output.note("\(created ? "added" : "updated") territory \(territory.name)")
            try Output.renderOne(.territories([territory]), as: output.format)
        }
    }
}
