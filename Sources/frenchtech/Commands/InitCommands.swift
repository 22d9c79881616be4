import ArgumentParser
import Registry

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a registry: apply the migrations and load the seed data.",
        discussion: """
            Re-running it on an existing registry applies pending migrations only.

            Example: frenchtech init --db aix-marseille.sqlite
            """
    )

    @OptionGroup var registry: RegistryOptions

    @Flag(name: .long, help: "Create the schema and the NAF nomenclature only, without the article's facts.")
    var empty = false

    func run() throws {
        let path = registry.resolvedPath.path
        let store = try RegistryStore(path: path, createIfMissing: true, seed: !empty)
        registry.report(store.openReport, path: path)
        if !store.openReport.created && store.openReport.appliedMigrations.isEmpty {
            Output.note("\(path) is up to date; nothing to do")
        }
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations, or list applied and pending ones.",
        discussion: "Example: frenchtech migrate --status --db aix-marseille.sqlite"
    )

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var output: FormatOptions

    @Flag(name: .long, help: "List the migrations and whether each is applied; change nothing.")
    var status = false

    func run() throws {
        let store = try registry.open(applyMigrations: !status)
        guard status else {
            if store.openReport.appliedMigrations.isEmpty { Output.note("no pending migration") }
            return
        }
        try Output.render(.migrations(store.migrationStatus()), as: output.format)
    }
}
