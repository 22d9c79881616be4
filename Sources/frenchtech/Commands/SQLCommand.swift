import ArgumentParser
import Persistence
import Registry

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL query on the registry (for analysts).",
        discussion: """
            The file is opened read-only and the statement must only read: INSERT, UPDATE, DELETE, CREATE, DROP, \
            ALTER, ATTACH, DETACH, transactions, VACUUM, pragmas that set something, load_extension() and several \
            statements at once are refused (exit 65) and the file is left untouched. Reporting pragmas work \
            (PRAGMA table_info(startups)).
            Each --param binds, in order, one ?: a decimal integer without leading zero as an integer, a number with \
            a point or exponent as a real, anything else as text ("012345678" stays text).
            JSON gives an array of objects keyed by column name, values with their SQLite types (blobs in base64).
            Example: frenchtech sql "SELECT name, employees FROM startups WHERE employees > ? ORDER BY 2 DESC" --param 10
            """
    )
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "One SQL statement that only reads.") var query: String
    @Option(help: ArgumentHelp("A value for the next ? in the query (repeatable).", valueName: "value")) var param: [String] = []
    @OptionGroup var output: FormatOptions

    func run() throws {
        // A missing file is an error here even for the default path: a read-only query creates nothing.
        let store = try RegistryStore(path: registry.resolvedPath.path, access: .readOnly)
        let stream = RowStream(format: output.format, noun: ("row", "rows"))
        try store.query(query, parameters: param, columns: stream.begin) { values in
            try stream.append(values.map(Cell.init))
        }
        try stream.finish()
    }
}

extension Cell {
    init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let v): self = .integer(v)
        case .real(let v): self = .real(v)
        case .text(let v): self = .text(v)
        case .blob(let v): self = .blob(v)
        }
    }
}
