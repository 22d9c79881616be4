import ArgumentParser
import Registry

struct SectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sector",
        abstract: "The sectors startups are registered in.",
        subcommands: [Add.self, List.self, Remove.self]
    )
}

extension SectorCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a sector.",
            discussion: "Example: frenchtech sector add fintech --description \"Financial technology\""
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Sector name.") var name: String
        @Option(parsing: .unconditional, help: "What it covers.") var description: String?
        @Option(parsing: .unconditional, help: "Where the facts come from.") var source = "manual entry"
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.renderOne(.sectors([store.addSector(name: name, description: description, source: source)]), as: output.format)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the sectors with their number of firms.",
            discussion: "Example: frenchtech sector list"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.render(.sectors(registry.open().sectors()), as: output.format)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a sector that no startup or programme uses (a sector in use is never removed).",
            discussion: "Example: frenchtech sector remove fintech"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id or name.") var reference: String

        func run() throws {
            let removed = try registry.open().removeSector(reference)
            Output.note("removed sector \(removed.name)")
        }
    }
}
