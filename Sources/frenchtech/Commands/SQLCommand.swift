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
            a point or exponent as a real, anything else as text ("012345678" stays text, and so do digits past \
            the 64-bit range). A value may start with a dash: --param -5.
            JSON gives an array of objects keyed by column name, values with their SQLite types (blobs in base64); \
            a repeated column name gets _2, _3, ... as its key.
            Limits: a table shows at most 10,000 rows (a note says when more were left out; CSV, JSON and NDJSON \
            stream every row); SQLite may use at most 256 MiB of memory; a statement is stopped after --timeout \
            seconds of work (exit 1).
            Example: frenchtech sql "SELECT name, employees FROM startups WHERE employees > ? ORDER BY 2 DESC" --param 10
            """
    )
    @OptionGroup var registry: RegistryOptions
    @Argument(help: "One SQL statement that only reads.") var query: String
    // Unconditional: the next word is the value even when it starts with a dash (-5, -x).
    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("A value for the next ? in the query (repeatable).", valueName: "value"))
    var param: [String] = []
    @Option(help: ArgumentHelp("Stop the statement after this many seconds of work.", valueName: "seconds"))
    var timeout: Double = 30
    @OptionGroup var output: FormatOptions

    /// The heap SQLite may use for one query: enough for sorts and groupings over the registry (SQLite spills
    /// large sorts to temporary files), far from what an endless recursive CTE would take.
    static let memoryLimit: Int64 = 256 << 20
    static let maximumTimeout = 86_400.0

    func validate() throws {
        guard timeout > 0, timeout <= Self.maximumTimeout else {
            throw ValidationError("--timeout must be more than 0 and at most \(Int(Self.maximumTimeout)) seconds (a day)")
        }
    }

    func run() throws {
        RegistryStore.limitQueryMemory(toBytes: Self.memoryLimit)
        // A missing file is an error here even for the default path: a read-only query creates nothing.
        let store = try RegistryStore(path: registry.resolvedPath.path, access: .readOnly)
        let stream = RowStream(format: output.format, noun: ("row", "rows"))
        do {
            try store.query(query, parameters: param, timeLimit: timeout, columns: stream.begin) { values in
                try stream.append(values.map(FieldValue.init))
            }
        } catch let limit as RegistryStore.QueryLimit {
            switch limit {
            case .time(let seconds):
                throw RegistryError(.failure, "the query was stopped after \(Self.seconds(seconds)) of work (--timeout); narrow it with WHERE or LIMIT, or give a longer --timeout")
            case .memory(let bytes):
                throw RegistryError(.failure, "the query needed more than \(bytes >> 20) MiB of memory and was stopped; narrow it with WHERE, LIMIT or fewer columns")
            }
        }
        try stream.finish()
        if stream.truncated {
            Output.note("the table shows the first \(grouped(RowStream.tableRowLimit)) rows only; the query has more: use --format csv, json or ndjson for all of them, or LIMIT")
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

