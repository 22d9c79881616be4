import Foundation
import Registry
import Workbook

/// A workbook's sheet as the import's rows (`RowSource`): the first non-empty row is the header, as in a CSV file;
/// each later row is located by its sheet row number ("row 12 of sheet Firms") and its typed cells are checked
/// against their column by the registry's `TypedCells`. It lives here because the registry does not import the
/// workbook reader, nor the reader the registry.
///
/// The sheet is read whole before the import starts: a sheet holds at most 1,048,576 rows, and the import's
/// own reading thread then only converts them.
struct WorkbookRowSource: RowSource {
    let header: [String]
    let sheet: String
    private let rows: [WorkbookRow]
    private var index = 0

    /// Reads `sheet` (the first sheet when nil) of the workbook at `url`.
    init(url: URL, sheet: String?) throws {
        let reader = try WorkbookReader(contentsOf: url)
        let name = sheet ?? reader.sheetNames.first ?? ""
        var rows = try reader.rows(inSheet: sheet)
        guard !rows.isEmpty else {
            throw RegistryError(.invalidRequest, "sheet \(name) is empty; it needs a header row naming its columns, at least name and sector")
        }
        let first = rows.removeFirst()
        var header = first.cells.map { cell -> String in
            switch cell {
            case .text(let text): text
            case .number(let n): SourceValue.number(n).text
            default: ""
            }
        }
        while header.last?.isEmpty == true { header.removeLast() }
        self.header = header
        self.sheet = name
        self.rows = rows
    }

    /// Rows handed over so far (a workbook has no byte count the progress bar could follow).
    var progress: Int { index }

    mutating func next() throws(RowSourceError) -> SourceRow? {
        guard index < rows.count else { return nil }
        let row = rows[index]
        index += 1
        let location = RowLocation.row(row.number, sheet: sheet)
        if row.cells.count > header.count, let extra = row.cells[header.count...].firstIndex(where: { $0 != .empty }) {
            throw RowSourceError(location: location, message: "column \(Self.letters(extra + 1)) holds a value but the header names only \(header.count) columns; name the column in the header or clear the cell")
        }
        var fields: [SourceValue] = []
        fields.reserveCapacity(header.count)
        for (column, name) in header.enumerated() {
            let cell = column < row.cells.count ? row.cells[column] : .empty
            let value: SourceValue
            switch cell {
            case .empty: value = .empty
            case .text(let text): value = .text(text)
            case .number(let number): value = .number(number)
            case .bool(let flag): value = .bool(flag)
            case .date(let year, let month, let day): value = .date(year: year, month: month, day: day)
            case .error(let code):
                throw RowSourceError(location: location, message: TypedCells.errorValue(code, column: name).message)
            }
            do throws(TypedCellRefusal) {
                fields.append(try TypedCells.checked(value, column: name))
            } catch {
                throw RowSourceError(location: location, message: error.message)
            }
        }
        return SourceRow(location: location, fields: fields)
    }

    /// 1 → A, 27 → AA: columns as the spreadsheet names them.
    static func letters(_ column: Int) -> String {
        var n = column, text = ""
        while n > 0 {
            let digit = (n - 1) % 26
            text = String(UnicodeScalar(UInt8(65 + digit))) + text
            n = (n - 1) / 26
        }
        return text
    }
}
