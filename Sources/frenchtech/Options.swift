import ArgumentParser
import Persistence
import Registry
#if canImport(Glibc)
import Glibc
#endif

/// `--db`: which registry file. Shared by every command.
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The registry file.",
        discussion: "Default: $FRENCHTECH_DB, else frenchtech.sqlite in the current folder (created and seeded on first use).",
        valueName: "path"))
    var db: String?

    static let defaultPath = "frenchtech.sqlite"

    /// The path in force and whether it was named (by --db or $FRENCHTECH_DB) rather than defaulted. Always the
    /// name of a file: never SQLite's in-memory ":memory:" or a "file:" URI (`Database.fileName(_:)`).
    var resolvedPath: (path: String, named: Bool) {
        if let db { return (Database.fileName(db), true) }
        if let env = getenv("FRENCHTECH_DB") { return (Database.fileName(String(cString: env)), true) }
        return (Self.defaultPath, false)
    }

    /// An empty path names no file (SQLite would open a temporary database, gone at exit): exit 64.
    func validate() throws {
        Output.registryPath = resolvedPath.path
        if db?.isEmpty == true {
            throw ValidationError("--db is empty; give the path of the registry file, e.g. --db frenchtech.sqlite")
        }
        if db == nil, let env = getenv("FRENCHTECH_DB"), env.pointee == 0 {
            throw ValidationError("$FRENCHTECH_DB is set but empty; give it the path of the registry file, or unset it for ./frenchtech.sqlite")
        }
    }

    /// Opens the registry. Only the default file is created on first use: a named file that does not exist is
    /// an error, so that a typo never creates an empty registry.
    func open(_ access: RegistryStore.Access = .readWrite, applyMigrations: Bool = true) throws -> RegistryStore {
        let (path, named) = resolvedPath
        let store = try RegistryStore(path: path, access: access, createIfMissing: !named, applyMigrations: applyMigrations)
        report(store.openReport, path: path)
        return store
    }

    func report(_ report: RegistryStore.OpenReport, path: String) {
        if report.created {
            Output.note(report.seeded ? "created the registry \(path) with the facts of the 2014 article and the NAF nomenclature"
                                      : "created the empty registry \(path) with the NAF nomenclature")
        } else if !report.appliedMigrations.isEmpty {
            Output.note("applied \(report.appliedMigrations.joined(separator: ", ")) to \(path)")
        }
    }
}

/// `--format`: one option for every command that prints data.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format.")
    var format: Format = .table
    @Flag(help: "Show a table's columns whole instead of cutting the widest to fit $COLUMNS or the terminal.")
    var wide = false
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
        "Write the data to this file (whole or not at all) instead of standard output; needed by --format xlsx.",
        valueName: "file"))
    var output: String?

    /// The renderers know only the format: what else they need is set here, once, for the whole command.
    func validate() throws {
        if wide { Output.fitsTables = false }
        if format == .xlsx && (output == nil || output == "-") {
            throw ValidationError("--format xlsx writes a workbook file; give it with -o FILE, e.g. -o figures.xlsx")
        }
        if output?.isEmpty == true { throw ValidationError("-o is empty; give a file name, or - for standard output") }
        // `-o -` is standard output, as in most tools.
        Output.outputPath = output == "-" ? nil : output
    }
}
