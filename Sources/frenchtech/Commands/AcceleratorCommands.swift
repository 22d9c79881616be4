import ArgumentParser
import Registry

struct AcceleratorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accelerator",
        abstract: "The accelerator programmes and the startups they accelerate.",
        subcommands: [Add.self, List.self, Show.self, Update.self, Remove.self, Firms.self]
    )
}

extension AcceleratorCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an accelerator programme.",
            discussion: "Example: frenchtech accelerator add \"Provence Booster\" --pilot \"Provence Booster SAS\" --sector \"big data\""
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Programme name.") var name: String
        @Option(parsing: .unconditional, help: "Organisation that pilots it (default: the name).") var pilot: String?
        @Option(parsing: .unconditional, help: "Sector focus (name or id).") var sector: String?
        @Option(parsing: .unconditional, help: "Where the facts come from.") var source = "manual entry"
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.renderOne(.accelerators([store.addAccelerator(name: name, pilot: pilot, sector: sector, source: source)]), as: output.format)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the accelerator programmes with their pilot, sector focus and number of firms.",
            discussion: "Example: frenchtech accelerator list --format json"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.render(.accelerators(registry.open().accelerators()), as: output.format)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one programme.",
            discussion: "Example: frenchtech accelerator show jaguar"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id or name.") var reference: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.renderOne(.accelerators([registry.open().accelerator(reference)]), as: output.format)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Rename a programme or change its pilot or sector focus (--sector \"\" clears it).",
            discussion: "Example: frenchtech accelerator update Kedge --sector e-commerce"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id or name.") var reference: String
        @Option(parsing: .unconditional, help: "New name.") var name: String?
        @Option(parsing: .unconditional, help: "New pilot.") var pilot: String?
        @Option(parsing: .unconditional, help: "New sector focus.") var sector: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.renderOne(.accelerators([store.updateAccelerator(reference, name: name, pilot: pilot, sector: sector)]), as: output.format)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a programme; refused while startups are enrolled, unless --force.",
            discussion: "Example: frenchtech accelerator remove \"Provence Booster\" --force"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id or name.") var reference: String
        @Flag(help: "Withdraw the enrolled startups, then remove the programme.") var force = false

        func run() throws {
            let removed = try registry.open().removeAccelerator(reference, force: force)
            Output.note("removed accelerator \(removed.name)" + (force && removed.firms > 0 ? " and withdrew its \(removed.firms) startup(s)" : ""))
        }
    }

    struct Firms: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "firms",
            abstract: "The startups of one programme (as `startup list --accelerator NAME`), with their cohort there.",
            discussion: "Example: frenchtech accelerator firms Jaguar --format csv"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id or name.") var reference: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let firms = try registry.open().firms(of: reference)
            try Output.render(.firms(firms), as: output.format)
        }
    }
}
