/// Rows with named columns: what every listing, `show` and statistic is, for every front end. The keys are the
/// registry's public, snake_case names: the CSV header, the JSON keys of `--format json` and of the API.
public struct Report: Sendable {
    public struct Column: Sendable {
        /// snake_case key, used as the CSV header and the JSON key.
        public var key: String
        /// Heading in a table.
        public var title: String
        public init(_ key: String, _ title: String? = nil) {
            self.key = key
            self.title = title ?? String(key.map { $0 == "_" ? " " : $0 })
        }
    }

    public var columns: [Column]
    public var rows: [[FieldValue]]
    /// What one row is, for a table's count line and an empty listing: ("startup", "startups").
    public var noun: (one: String, many: String)

    public init(columns: [Column], rows: [[FieldValue]], noun: (String, String)) {
        self.columns = columns
        self.rows = rows
        self.noun = noun
    }

    public var keys: [String] { columns.map(\.key) }
}

/// One record holding lists (`stats regional-share --by sector`): its own fields (a one-row report), and lists
/// of rows under keys.
public struct Record: Sendable {
    public var fields: Report
    public var lists: [(key: String, report: Report)]

    public init(fields: Report, lists: [(key: String, report: Report)] = []) {
        self.fields = fields
        self.lists = lists
    }
}
