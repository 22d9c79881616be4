/// What went wrong reading or writing a workbook; `description` says what and what to do.
public enum WorkbookError: Error, Equatable, CustomStringConvertible {
    /// The file is not a zip archive, or not one that holds a spreadsheet.
    case notAWorkbook(path: String, reason: String)
    /// A part the workbook names (or must have) is absent.
    case missingPart(String)
    /// A part is not well-formed XML, or holds a value that makes no sense where it stands.
    case malformedPart(part: String, detail: String)
    /// A zip entry larger than the reader accepts, declared or found while inflating.
    case entryTooLarge(part: String, limit: Int64)
    /// A zip entry that inflates far more than real spreadsheets do: a zip bomb.
    case suspiciousCompression(part: String, ratio: Int64)
    case noSuchSheet(name: String, available: [String])
    /// A row or column beyond the limits of the format (1,048,576 rows, 16,384 columns).
    case tooManyRows(part: String, row: Int)
    case tooManyColumns(part: String, column: Int)
    case invalidSheetName(name: String, reason: String)
    case nonFiniteNumber(sheet: String, row: Int, column: Int)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notAWorkbook(path, reason):
            return "\(path) is not an .xlsx workbook (\(reason)); save it from the spreadsheet as Excel 2007-365 (.xlsx)"
        case let .missingPart(part):
            return "the workbook has no \(part); save it again from the spreadsheet as .xlsx"
        case let .malformedPart(part, detail):
            return "\(part) in the workbook is damaged: \(detail); save it again from the spreadsheet as .xlsx"
        case let .entryTooLarge(part, limit):
            return "\(part) in the workbook inflates to more than \(limit) bytes; split the data into smaller workbooks"
        case let .suspiciousCompression(part, ratio):
            return "\(part) in the workbook inflates \(ratio) times its compressed size, as a zip bomb does; refused"
        case let .noSuchSheet(name, available):
            let list = available.map { "'\($0)'" }.joined(separator: ", ")
            return "the workbook has no sheet '\(name)'; its sheets are \(list)"
        case let .tooManyRows(part, row):
            return "\(part) has a row \(row), beyond the 1048576 rows a sheet can hold; the workbook is damaged"
        case let .tooManyColumns(part, column):
            return "\(part) has a column \(column), beyond the 16384 columns a sheet can hold; the workbook is damaged"
        case let .invalidSheetName(name, reason):
            return "'\(name)' cannot name a sheet: \(reason)"
        case let .nonFiniteNumber(sheet, row, column):
            return "sheet '\(sheet)' row \(row) column \(column) holds a number that is not finite; a workbook cannot store it"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
