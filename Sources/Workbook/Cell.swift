/// One cell's value as the workbook stores it.
public enum Cell: Equatable, Sendable {
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A number cell whose style is a date format; the time of day, if any, is dropped.
    case date(year: Int, month: Int, day: Int)
    /// An error value such as `#N/A` or `#DIV/0!`.
    case error(String)
}

/// One row of a sheet: its 1-based number in the sheet and its cells from column A, without trailing empty cells.
public struct WorkbookRow: Equatable, Sendable {
    public let number: Int
    public let cells: [Cell]

    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }
}

/// The format's own bounds.
public enum SheetLimits {
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384
}
