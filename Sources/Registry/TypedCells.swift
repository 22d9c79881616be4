// What a workbook's typed cells mean in each column of `import startups`. A CSV file has only text; a sheet
// also has numbers, dates, booleans and error values, and a number cell has lost what its text would have kept
// (a SIREN's leading zeros). The workbook's adapter (in the CLI, which sees both the registry and the workbook
// reader) asks here for each cell, so that the rules stay with the import's other rules.

/// A typed cell a column cannot take: what is wrong and what to do, without the row's location.
public struct TypedCellRefusal: Error, Sendable, Equatable {
    public let message: String
}

public enum TypedCells {
    /// The cell as the column named `header` takes it (a date in `founded` becomes its year), or why not.
    /// Text and empty cells, and columns the import does not know, are left as they are.
    public static func checked(_ value: SourceValue, column header: String) throws(TypedCellRefusal) -> SourceValue {
        if case .text = value { return value }
        if case .empty = value { return value }
        let name = header.trimmingSpaces.lowercased()
        guard let column = StartupColumn(rawValue: name) else { return value }
        switch (value, column) {
        case (.bool(let flag), _):
            throw TypedCellRefusal(message: "\(name) is a boolean cell (\(flag ? "TRUE" : "FALSE")), which no column takes; type the value as text or as a number")
        case (.number(let number), .siren), (.number(let number), .siret):
            let digits = column == .siren ? 9 : 14
            let (low, high) = column == .siren ? (1e8, 1e9) : (1e13, 1e14)
            if number.rounded() == number, number >= low, number < high { return .text(value.text) }
            throw TypedCellRefusal(message: "\(name) is a number cell (\(value.text)), not the \(digits) digits of a \(name.uppercased()) (a number cell loses leading zeros); format the column as text so that leading zeros survive, and type the \(digits) digits again")
        case (.number(let number), .employees), (.number(let number), .revenue_eur), (.number(let number), .founded):
            if number.rounded() == number { return value }
            throw TypedCellRefusal(message: "\(name) is \(value.text), a number with decimals; give a whole number")
        case (.date(let year, _, _), .founded):
            return .text(String(year))
        case (.date, .siren), (.date, .siret), (.date, .employees), (.date, .revenue_eur), (.date, .naf_code):
            throw TypedCellRefusal(message: "\(name) is a date cell (\(value.text)); give a \(column == .employees || column == .revenue_eur ? "whole number" : "code as text")")
        default:
            return value
        }
    }

    /// Why an error value (`#N/A`, `#DIV/0!`) in the column named `header` is refused.
    public static func errorValue(_ code: String, column header: String) -> TypedCellRefusal {
        TypedCellRefusal(message: "\(header.trimmingSpaces.lowercased()) holds the error value \(code); correct the formula or clear the cell")
    }
}
