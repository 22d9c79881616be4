import CSVStream
import FoundationEssentials

/// Rows written as they arrive (`frenchtech sql` over a large table), so that memory does not grow with the
/// result: JSON, NDJSON and CSV go out in chunks; a table needs every row for its column widths, so it is
/// collected and rendered at the end like any report.
final class RowStream {
    let format: Format
    private var keys: [String] = []
    private var report: Report
    private var text = ""
    private var csv = CSVWriter(fileDescriptor: 1)
    private var count = 0
    static let chunk = 1 << 16

    init(format: Format, noun: (String, String)) {
        self.format = format
        report = Report(columns: [], rows: [], noun: noun)
    }

    /// The column names, shown as they are (not re-titled): they are the analyst's.
    func begin(_ columns: [String]) throws {
        keys = columns
        report.columns = columns.map { Report.Column($0, $0) }
        if format == .csv { try csv.writeRecord(columns) }
    }

    func append(_ row: [Cell]) throws {
        switch format {
        case .table:
            report.rows.append(row)
        case .csv:
            for cell in row { csv.append(cell.csvField) }
            try csv.endRecord()
        case .json:
            text.append(count == 0 ? "[\n  " : ",\n  ")
            JSON.object(keys, row, into: &text)
        case .ndjson:
            JSON.object(keys, row, into: &text)
            text.append("\n")
        }
        count += 1
        if text.utf8.count >= Self.chunk {
            try Output.write(text)
            text = ""
        }
    }

    func finish() throws {
        switch format {
        case .table: try Output.render(report, as: .table)
        case .csv: try csv.finish()
        case .json: try Output.write(text + (count == 0 ? "[]\n" : "\n]\n"))
        case .ndjson: try Output.write(text)
        }
    }
}

extension Cell {
    /// The cell as a CSV field: nil (an empty field) for null, lists joined with `|` as `import` reads them,
    /// blobs in base64.
    var csvField: String? {
        switch self {
        case .null: nil
        case .integer(let v): String(v)
        case .real(let v): String(v)
        case .text(let v): v
        case .list(let names): names.joined(separator: "|")
        case .blob(let bytes): Data(bytes).base64EncodedString()
        }
    }
}
