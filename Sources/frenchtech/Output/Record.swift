/// One record holding lists (`stats regional-share --by sector`): a JSON object whose lists are arrays of
/// objects; in a table, the fields one per line, then each list as a table; in CSV, which cannot nest, the
/// first list's rows when there is one, else the record as one row.
struct Record {
    /// One row: the record's own fields.
    var fields: Report
    var lists: [(key: String, report: Report)] = []
}

extension Output {
    static func render(_ record: Record, as format: Format) throws {
        switch format {
        case .table:
            try renderOne(record.fields, as: .table)
            for list in record.lists { try write("\n" + table(list.report)) }
        case .csv:
            try render(record.lists.first?.report ?? record.fields, as: .csv)
        case .json, .ndjson:
            var out = "{"
            for (i, (column, cell)) in zip(record.fields.columns, record.fields.rows[0]).enumerated() {
                if i > 0 { out.append(",") }
                JSON.string(column.key, into: &out)
                out.append(":")
                JSON.value(cell, into: &out)
            }
            for list in record.lists {
                out.append(",")
                JSON.string(list.key, into: &out)
                out.append(":[")
                let keys = list.report.columns.map(\.key)
                for (i, row) in list.report.rows.enumerated() {
                    if i > 0 { out.append(",") }
                    JSON.object(keys, row, into: &out)
                }
                out.append("]")
            }
            try write(out + "}\n")
        }
    }
}
