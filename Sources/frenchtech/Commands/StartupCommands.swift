import ArgumentParser
import Registry

struct StartupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup",
        abstract: "Register, find, correct and remove startups; enrol them in accelerator programmes.",
        subcommands: [Add.self, List.self, Show.self, Update.self, Remove.self, Join.self, Leave.self]
    )
}

/// The fields of a startup, as `add` and `update` take them. Values stay text here: the registry's rules
/// check them (exit 65), the same rules `import` applies.
struct StartupFields: ParsableArguments {
    @Option(parsing: .unconditional, help: "Name, unique regardless of case, accents and look-alike forms (at most 200 code points).") var name: String?
    @Option(parsing: .unconditional, help: "Sector name or id (see `frenchtech sector list`).") var sector: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("SIREN: nine digits with a valid check digit; spaces and dots allowed.", valueName: "nnnnnnnnn")) var siren: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("SIRET of the head office: fourteen digits starting with the firm's SIREN; given alone, sets a missing SIREN.", valueName: "nnnnnnnnnnnnnn")) var siret: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("NAF rev. 2 code, e.g. 62.01Z or 6201Z.", valueName: "code")) var naf: String?
    @Option(parsing: .unconditional, help: "City of the head office.") var city: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Number of employees (whole number, 0 to 1,000,000).", valueName: "n")) var employees: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Year founded (1800 to this year).", valueName: "year")) var founded: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Yearly revenue in euros (whole number, 0 to 100,000,000,000).", valueName: "eur")) var revenue: String?
    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Accelerator programme to enrol in (repeatable); \"Jaguar (2015)\" names the cohort too.", valueName: "name")) var accelerator: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("Cohort year of the enrolment (needs --accelerator).", valueName: "year")) var cohort: String?

    var draft: StartupDraft {
        StartupDraft(name: name, sector: sector, siren: siren, siret: siret, nafCode: naf, city: city,
                     employees: employees, founded: founded, revenueEUR: revenue,
                     accelerators: accelerator.isEmpty ? nil : accelerator, cohort: cohort)
    }

    /// A cohort is the year of an enrolment: alone it would be read and dropped.
    func validate() throws {
        if cohort != nil && accelerator.isEmpty {
            throw ValidationError("--cohort needs --accelerator (the programme of that cohort); to change the cohort of a programme the startup is in, use `frenchtech startup join REF --accelerator NAME --cohort YEAR`")
        }
    }
}

extension StartupCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Register a startup and print it with its id.",
            discussion: """
                Example: frenchtech startup add --name "Calanques Pay" --sector e-commerce --siren "552 100 554" \
                --city Marseille --employees 12 --founded 2013 --accelerator StarDust --cohort 2015
                With --from-sirene SIRET (or a SIREN: its head office), the name, NAF code, city (the commune's name), \
                founded year and SIREN (and the SIRET of a head office) come from the latest SIRENE snapshot; the options \
                given with it override them. The sector is still needed.
                Example: frenchtech startup add --from-sirene 900012345 --sector "big data"
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Option(parsing: .unconditional, help: ArgumentHelp("Take the firm's facts from its establishment in the latest SIRENE snapshot.", valueName: "siret-or-siren"))
        var fromSirene: String?
        @OptionGroup var fields: StartupFields
        @Option(parsing: .unconditional, help: "Where the facts come from; with --from-sirene, the SIRENE snapshot and SIRET (default: manual entry).") var source: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            var draft = fields.draft
            var origin = source ?? "manual entry"
            if let fromSirene {
                let establishment = try store.sireneEstablishment(fromSirene)
                draft = draft.filling(from: establishment)
                origin = source ?? establishment.source
            }
            let startup = try store.addStartup(draft, source: origin)
            try Output.renderOne(.startup(startup), as: output.format)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List startups, by accelerator, sector, city or name.",
            discussion: "Example: frenchtech startup list --accelerator Jaguar --sort employees --format json"
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var filter: StartupFilterOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.render(.startups(store.startups(filter.filter)), as: output.format)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one startup with its enrolments.",
            discussion: """
                REF is an id, a SIREN or a name (case and accents ignored). When the latest SIRENE snapshot holds the \
                firm, its establishment (the startup's SIRET, else the head office), band and the snapshot's date follow.
                Example: frenchtech startup show "calanques pay"
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id, SIREN or name.") var reference: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            let startup = try store.startup(reference)
            try Output.renderOne(.startup(startup, sirene: store.sireneEstablishment(of: startup)), as: output.format)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Correct a startup: the options given replace the current values.",
            discussion: """
                An empty value clears an optional field (--city ""). --accelerator enrols in one more programme.
                Example: frenchtech startup update "Calanques Pay" --employees 15
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id, SIREN or name.") var reference: String
        @OptionGroup var fields: StartupFields
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.renderOne(.startup(store.updateStartup(reference, fields.draft)), as: output.format)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a startup and its enrolments.",
            discussion: "Example: frenchtech startup remove 552100554"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id, SIREN or name.") var reference: String

        func run() throws {
            let store = try registry.open()
            let removed = try store.removeStartup(reference)
            Output.note("removed \(removed.name) (id \(removed.id))")
        }
    }

    struct Join: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "join",
            abstract: "Enrol a startup in an accelerator programme (or change its cohort there).",
            discussion: "Example: frenchtech startup join \"Calanques Pay\" --accelerator Jaguar --cohort 2015"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id, SIREN or name.") var reference: String
        @Option(parsing: .unconditional, help: "Accelerator programme (name or id).") var accelerator: String
        @Option(parsing: .unconditional, help: ArgumentHelp("Cohort year.", valueName: "year")) var cohort: String?
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.renderOne(.startup(store.join(reference, accelerator: accelerator, cohort: cohort)), as: output.format)
        }
    }

    struct Leave: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "leave",
            abstract: "Withdraw a startup from an accelerator programme.",
            discussion: "Example: frenchtech startup leave \"Calanques Pay\" --accelerator Jaguar"
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "Id, SIREN or name.") var reference: String
        @Option(parsing: .unconditional, help: "Accelerator programme (name or id).") var accelerator: String
        @OptionGroup var output: FormatOptions

        func run() throws {
            let store = try registry.open()
            try Output.renderOne(.startup(store.leave(reference, accelerator: accelerator)), as: output.format)
        }
    }
}

/// The filters of `startup list`, `accelerator firms` and `export startups`.
struct StartupFilterOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Only the startups enrolled in this programme.") var accelerator: String?
    @Option(parsing: .unconditional, help: "Only this sector.") var sector: String?
    @Option(parsing: .unconditional, help: "Only this city.") var city: String?
    @Option(parsing: .unconditional, help: "Text in the name (case and accents ignored), or a SIREN.") var search: String?
    @Option(help: "Order: employees largest first, founded oldest first, id as registered; when not given, name for a listing and id for an export.")
    var sort: StartupFilter.Sort?
    @Option(parsing: .unconditional, help: "At most this many rows.") var limit: Int?
    @Flag(help: "Leave out the synthetic startups of `frenchtech generate`.") var excludeSynthetic = false

    var filter: StartupFilter {
        StartupFilter(accelerator: accelerator, sector: sector, city: city, search: search, sort: sort ?? .name, limit: limit,
                      excludeSynthetic: excludeSynthetic)
    }

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }
}

extension StartupFilter.Sort: ExpressibleByArgument {}
