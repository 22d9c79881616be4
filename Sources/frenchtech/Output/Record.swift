import Registry

extension Output {
    /// A record holding lists: in a table, the fields one per line, then each list as a table; in CSV, which
    /// cannot nest, the first list's rows when there is one, else the record as one row; in JSON one object whose
    /// lists are arrays of objects.
    static func render(_ record: Record, as format: Format) throws {
        switch format {
        case .table:
            try renderOne(record.fields, as: .table)
            for list in record.lists { try write("\n" + table(list.report)) }
        case .csv:
            try render(record.lists.first?.report ?? record.fields, as: .csv)
        case .xlsx:
            try writeWorkbook([record.fields] + record.lists.map(\.report))
        case .json, .ndjson:
            var out = ""
            JSONText.record(record, into: &out)
            try write(out + "\n")
        }
    }
}
