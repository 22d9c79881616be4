import CSVStream
import FoundationEssentials
import Registry
import Workbook
#if canImport(Glibc)
import Glibc
#endif

/// Rows written as they arrive (`frenchtech sql` over a large table), so that memory does not grow with the
/// result: JSON, NDJSON and CSV go out in chunks; a table needs every row for its column widths, so it is
/// collected and rendered at the end like any report, up to `tableRowLimit` rows.
final class RowStream {
    /// The most rows a table holds: past it the table shows these and a note says what was left out.
    static let tableRowLimit = 10_000
    /// Set when rows past `tableRowLimit` were left out of a table.
    private(set) var truncated = false
    let format: Format
    private var keys: [String] = []
    private var report: Report
    private var text = ""
    private var csv = CSVWriter(fileDescriptor: 1)
    private var workbook: WorkbookWriter?
    private var count = 0
    static let chunk = 1 << 16

    init(format: Format, noun: (String, String)) {
        self.format = format
        report = Report(columns: [], rows: [], noun: noun)
    }

    /// The column names, shown as they are (not re-titled): they are the analyst's.
    /// A statement may have no columns at all (`PRAGMA case_sensitive_like`): CSV then has no header and no row.
    func begin(_ columns: [String]) throws {
        keys = Self.uniqueKeys(columns)
        report.columns = columns.map { Report.Column($0, $0) }
        if format == .csv {
            csv = CSVWriter(fileDescriptor: try Output.dataDescriptor())
            if !columns.isEmpty { try csv.writeRecord(columns) }
        }
        if format == .xlsx { workbook = try Output.beginWorkbookSheet(named: report.noun.many, header: keys) }
    }

    /// JSON keys for the columns: a name already taken gets `_2`, `_3`, … (`SELECT 1 AS a, 2 AS a` gives `a`
    /// and `a_2`), so that no object repeats a key and every value can be read back.
    static func uniqueKeys(_ columns: [String]) -> [String] {
        var taken = Set<String>(), keys: [String] = []
        for name in columns {
            var key = name, n = 1
            while taken.contains(key) {
                n += 1
                key = "\(name)_\(n)"
            }
            taken.insert(key)
            keys.append(key)
        }
        return keys
    }

    /// Adds a row. False when a table has all the rows it holds: the row was left out, read no more.
    @discardableResult
    func append(_ row: [FieldValue]) throws -> Bool {
        switch format {
        case .table:
            guard report.rows.count < Self.tableRowLimit else {
                truncated = true
                return false
            }
            report.rows.append(row)
        case .csv:
            guard !row.isEmpty else { break }
            for cell in row { csv.append(cell.csvField) }
            try csv.endRecord()
        case .json:
            text.append(count == 0 ? "[\n  " : ",\n  ")
            JSONText.object(keys, row, into: &text)
        case .ndjson:
            JSONText.object(keys, row, into: &text)
            text.append("\n")
        case .xlsx:
            try Output.workbookWrite { try workbook?.appendRow(row.map(Workbook.Cell.init)) }
        }
        count += 1
        if text.utf8.count >= Self.chunk {
            try Output.write(text)
            text = ""
        }
        return true
    }

    func finish() throws {
        switch format {
        case .table: try Output.render(report, as: .table)
        case .csv: try csv.finish()
        case .json: try Output.write(text + (count == 0 ? "[]\n" : "\n]\n"))
        case .ndjson: try Output.write(text)
        case .xlsx: try Output.workbookWrite { try workbook?.endSheet(); try workbook?.finish() }
        }
    }
}
