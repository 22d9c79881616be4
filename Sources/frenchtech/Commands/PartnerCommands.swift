import ArgumentParser
import Registry

struct PartnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner",
        abstract: "The public partners: cities, intercommunalities, the State, the region.",
        subcommands: [Add.self, List.self, Show.self, Update.self, Remove.self]
    )
}

extension Partner.Kind: ExpressibleByArgument {}

extension PartnerCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a public partner.",
            discussion: "Example: frenchtech partner add \"Région Provence-Alpes-Côte d'Azur\" --kind region --role \"Co-funds the accelerators\""
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Partner name.") var name: String
        @Option(help: "Kind of partner.") var kind: Partner.Kind
        @Option(parsing: .unconditional, help: "What it does for the ecosystem.") var role: String?
        @Option(parsing: .unconditional, help: "Where the facts come from.") var source = "manual entry"
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.renderOne(.partners([store.addPartner(name: name, kind: kind, role: role, source: source)]), as: output.format)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the public partners.",
            discussion: "Example: frenchtech partner list --format csv"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.render(.partners(registry.open().partners()), as: output.format)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one partner.",
            discussion: "Example: frenchtech partner show \"ville de marseille\""
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id or name.") var reference: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.renderOne(.partners([registry.open().partner(reference)]), as: output.format)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Rename a partner or change its kind or role (--role \"\" clears it).",
            discussion: "Example: frenchtech partner update MPM --name \"Métropole Aix-Marseille-Provence\""
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id or name.") var reference: String
        @Option(parsing: .unconditional, help: "New name.") var name: String?
        @Option(help: "New kind.") var kind: Partner.Kind?
        @Option(parsing: .unconditional, help: "New role.") var role: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.renderOne(.partners([store.updatePartner(reference, name: name, kind: kind, role: role)]), as: output.format)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a partner.",
            discussion: "Example: frenchtech partner remove 6"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id or name.") var reference: String

        func run() throws {
            let removed = try registry.open().removePartner(reference)
            Output.note("removed partner \(removed.name)")
        }
    }
}
