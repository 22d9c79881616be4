/// One value of a report cell, as it will be shown in a table, a CSV or JSON.
enum Cell: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// Several names: a JSON array, `|`-separated in CSV (as `import` reads them), comma-separated in a table.
    case list([String])
    /// Bytes (from `frenchtech sql`): base64 in JSON, hex in a table.
    case blob([UInt8])

    init(_ value: Int64?) { self = value.map(Cell.integer) ?? .null }
    init(_ value: String?) { self = value.map(Cell.text) ?? .null }
    init(_ value: Double?) { self = value.map(Cell.real) ?? .null }
}

/// Rows with named columns: what every listing, `show` and statistic hands to a renderer.
struct Report {
    struct Column {
        /// snake_case key, used as the CSV header and the JSON key.
        var key: String
        /// Heading in a table.
        var title: String
        init(_ key: String, _ title: String? = nil) {
            self.key = key
            self.title = title ?? key.replacingUnderscores
        }
    }

    var columns: [Column]
    var rows: [[Cell]]
    /// What one row is, for the table's count line: ("startup", "startups").
    var noun: (one: String, many: String)

    init(columns: [Column], rows: [[Cell]], noun: (String, String)) {
        self.columns = columns
        self.rows = rows
        self.noun = noun
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
