import ArgumentParser
import Registry

struct NafSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "naf-set",
        abstract: "Named sets of NAF rev. 2 codes (INSEE's ICT sector, `ict`) that SIRENE's establishments are cut by.",
        subcommands: [List.self, Show.self, Add.self, Remove.self]
    )
}

extension NafSetCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the NAF sets: their codes and the NAF rev. 2 sub-classes those cover.",
            discussion: "Example: frenchtech naf-set list"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try Output.render(.nafSets(registry.open().nafSets()), as: output.format)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a NAF set: its codes with their level and label, and the sub-classes they cover.",
            discussion: "Example: frenchtech naf-set show ict (CSV gives the codes' rows)"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Set name or id.") var name: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let (set, codes) = try registry.open().nafSet(name)
            try Output.render(.nafSet(set, codes: codes), as: output.format)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a named set of NAF rev. 2 codes.",
            discussion: """
                Each code is a division (62), a group (63.1), a class (58.21) or a sub-class (58.21Z) of NAF rev. 2, \\
                with or without its dot; it is checked against the nomenclature, and every code that is not there is \\
                named. A name is unique, case and accents aside.
                Example: frenchtech naf-set add software --codes 58.2,62.01Z,62.02A --source "our definition, 2026"
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Set name (at most 200 code points).") var name: String
        @Option(parsing: .unconditional, help: ArgumentHelp("NAF codes separated by commas.", valueName: "code,code,…")) var codes: String
        @Option(parsing: .unconditional, help: "Where the definition comes from (default: manual entry).") var source: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let list = codes.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let (set, added) = try registry.open().addNafSet(name: name, codes: list, source: source)
            Output.note("added NAF set \(set.name): \(added.count) code\(added.count == 1 ? "" : "s"), \(set.subclasses) sub-class\(set.subclasses == 1 ? "" : "es")")
            try Output.render(.nafSet(set, codes: added), as: output.format)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a NAF set (not the seeded `ict`, INSEE's definition).",
            discussion: "Example: frenchtech naf-set remove software"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Set name or id.") var name: String

        func run() throws {
            let removed = try registry.open().removeNafSet(name)
            Output.note("removed NAF set \(removed.name)")
        }
    }
}
