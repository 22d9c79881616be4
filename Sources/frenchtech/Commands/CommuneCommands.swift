import ArgumentParser
import Registry

struct CommuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commune",
        abstract: "The communes of the 2026 geography (INSEE's COG, the DGCL's EPCIs) that perimeters are drawn from.",
        subcommands: [List.self]
    )
}

extension CommuneCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List communes by code: of a territory's perimeter, an EPCI, a region or a department.",
            discussion: """
                The filters combine: a commune is listed when it meets every one given (--region 93 --department 13: \\
                the communes of the Bouches-du-Rhône). Arrondissements (Paris, Lyon, Marseille: SIRENE codes their \\
                establishments by arrondissement) are listed only with --arrondissements, with --territory too.
                Examples: frenchtech commune list --territory Aix-Marseille
                          frenchtech commune list --department 13 --arrondissements --format csv
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Option(parsing: .unconditional, help: "The communes of this territory's perimeter (name or id).") var territory: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("The communes of this EPCI (its SIREN).", valueName: "siren")) var epci: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("The communes of this region (its code, e.g. 93).", valueName: "code")) var region: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("The communes of this department (its code, e.g. 13, 2A).", valueName: "code")) var department: String?
        @Flag(help: "List the municipal arrondissements too.") var arrondissements = false
        @OptionGroup var output: FormatOptions

        func run() throws {
            let filter = CommuneFilter(territory: territory, epci: epci, region: region, department: department,
                                       arrondissements: arrondissements)
            try Output.render(.communes(registry.open().communes(filter)), as: output.format)
        }
    }
}
