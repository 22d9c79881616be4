import ArgumentParser
import Registry

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the registry to PATH, safe while other processes write to it.",
        discussion: """
            The copy is written beside PATH under a temporary name and renamed into place when complete: a failed \
            or interrupted backup leaves nothing at PATH. Missing folders are created. An existing PATH is replaced only \
            with --force; the registry's own files, folders, devices, pipes and sockets are refused.

            Example: frenchtech backup backups/aix-marseille-$(date +%F).sqlite
            """
    )

    @OptionGroup var registry: RegistryOptions
    @Argument(help: ArgumentHelp("The backup file to write.", valueName: "path")) var path: String
    @Flag(help: "Replace PATH if it exists.") var force = false

    func run() throws {
        let store = try registry.openAsIs()
        let bytes = try store.backup(to: path, replacing: force)
        Output.note("wrote a consistent copy of \(store.path) to \(path) (\(bytes) bytes)")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the registry: SQLite's integrity and foreign keys, the migrations' checksums, the schema version, the rules.",
        discussion: """
            Prints one row per check and exits 1 when any fails. The rules row lists the stored values (by table, id \
            and field, the first ten) that `add`, `update` and `import` would refuse: rows written by other tools. \
            Changes nothing.

            With --sirene, instead: the registered startups with a SIREN of which the latest SIRENE snapshot has no \
            active establishment (ceased, moved out of the snapshot's regions, or a wrong SIREN); exits 1 when any.

            Example: frenchtech check --db aix-marseille.sqlite
            Example: frenchtech check --sirene
            """
    )

    @OptionGroup var registry: RegistryOptions
    @Flag(help: "List the registered startups the latest SIRENE snapshot has no active establishment of.") var sirene = false
    @OptionGroup var output: FormatOptions

    func run() throws {
        let store = try registry.openAsIs()
        if sirene { return try checkSirene(store) }
        let results = try store.check()
        try Output.render(.checks(results), as: output.format)
        let failed = results.filter { !$0.passed }.map(\.name)
        if !failed.isEmpty {
            throw RegistryError(.failure, "\(store.path) failed \(failed.count) of \(results.count) checks (\(failed.joined(separator: ", "))); the details above say what to do")
        }
    }
}

extension Check {
    func checkSirene(_ store: RegistryStore) throws {
        let (snapshot, missing, withoutSIREN) = try store.startupsMissingFromSirene()
        if withoutSIREN > 0 {
            Output.note("\(withoutSIREN) startup\(withoutSIREN == 1 ? " has" : "s have") no SIREN to look for (`frenchtech startup update REF --siren N`)")
        }
        try Output.render(.startups(missing), as: output.format)
        if !missing.isEmpty {
            let regions = snapshot.regions.map { "region\($0.count == 1 ? "" : "s") \($0.joined(separator: ", "))" } ?? "every region"
            throw RegistryError(.failure, "\(missing.count) registered startup\(missing.count == 1 ? " has" : "s have") no active establishment in the SIRENE snapshot of \(snapshot.stockDate) (\(regions)): ceased, moved away, or a wrong SIREN; correct them with `frenchtech startup update`, or import a later stock")
        }
    }
}

extension RegistryOptions {
    /// Opens an existing registry as it is: no file created, no migration applied, and a newer or edited schema
    /// still readable, so that `check` can report it and `backup` can save it. Nothing is written. Not a read-only
    /// connection all the same: closing one cannot remove the -wal and -shm files it made beside the registry.
    func openAsIs() throws -> RegistryStore {
        try RegistryStore(path: resolvedPath.path, access: .readWrite, applyMigrations: false)
    }
}
