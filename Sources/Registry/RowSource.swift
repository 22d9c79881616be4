import CSVStream

// The seam between where an import's rows come from and how they are checked and written (`importStartups`).
//
// A source hands over a header and then rows, each with its place in the input (a `RowLocation` that words
// itself in every message about the row) and its cells as `SourceValue`s. `StartupLoad` neither knows nor
// cares whether they came from a CSV file in some encoding (`CSVRowSource`), a workbook's sheet (typed cells:
// numbers, dates, booleans) or a SIRENE extract: every rule, message and count is the same for all.
//
// To plug in a new source:
// - read the header in the initializer, throwing `RegistryError.invalid` when there is none;
// - `next()` returns rows in input order, nil at the end; a row that cannot be read is a `RowSourceError`
//   with its location, after which `next()` may be called again, unless the error says reading is over
//   (`fatal`, or `endsReading`);
// - locations grow with the rows (`StartupLoad` keeps them compactly as runs of consecutive numbers);
// - `progress` counts what a progress bar counts against the input's size (bytes for a file);
// - the source is used by one thread at a time, though not always the one that made it.

/// Where a row is in its input, as messages name it: "line 12" of a CSV file, "row 12 of sheet Firms" of a workbook.
public enum RowLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    case line(Int)
    case row(Int, sheet: String)

    /// The line or row number.
    public var number: Int {
        switch self {
        case .line(let n), .row(let n, _): n
        }
    }

    /// The place `count` rows further on, in the same sheet.
    public func advanced(by count: Int) -> RowLocation {
        switch self {
        case .line(let n): .line(n + count)
        case .row(let n, let sheet): .row(n + count, sheet: sheet)
        }
    }

    public var description: String {
        switch self {
        case .line(let n): "line \(n)"
        case .row(let n, let sheet): "row \(n) of sheet \(sheet)"
        }
    }

    /// As a later row names an earlier one: "line 2 of the file", "row 2 of sheet Firms".
    public var named: String {
        switch self {
        case .line: "\(self) of the file"
        case .row: "\(self)"
        }
    }

    /// Lines by number; rows by sheet name, then number (messages are listed in this order).
    public static func < (a: RowLocation, b: RowLocation) -> Bool {
        switch (a, b) {
        case (.line(let x), .line(let y)): x < y
        case (.line, .row): true
        case (.row, .line): false
        case (.row(let x, let s), .row(let y, let t)): s == t ? x < y : s < t
        }
    }
}

/// One cell as a source gives it. A CSV file has only text; a workbook also has typed cells, which the import
/// reads through `text`, the form a person would type in a CSV file.
public enum SourceValue: Equatable, Sendable {
    case text(String)
    case number(Double)
    case date(year: Int, month: Int, day: Int)
    case bool(Bool)
    case empty

    /// The cell as CSV text: a whole number without decimals ("12", not "12.0"), a date as ISO 8601, a boolean
    /// as true or false, an empty cell as "".
    @inline(__always) public var text: String {
        if case .text(let text) = self { return text }  // a CSV file's every cell: kept out of the switch below
        return typedText
    }

    /// `text`, leaving the cell empty.
    @inline(__always) mutating func take() -> String {
        guard case .text(let text) = self else { return typedText }
        self = .empty
        return text
    }

    @inline(never) private var typedText: String {
        switch self {
        case .text(let text): return text
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .date(let year, let month, let day):
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return "\(year)-\(two(month))-\(two(day))"
        case .bool(let value): return value ? "true" : "false"
        case .empty: return ""
        }
    }
}

/// One row of a source: where it is, and its cells in header order.
public struct SourceRow: Sendable {
    public var location: RowLocation
    public var fields: [SourceValue]

    public init(location: RowLocation, fields: [SourceValue]) {
        self.location = location
        self.fields = fields
    }
}

/// A row that could not be read. The import reports it with the rows that break the rules.
public struct RowSourceError: Error, Sendable {
    public var location: RowLocation
    /// What is wrong and what to do, without the location.
    public var message: String
    /// No row can be read after this one (an unterminated quote in a CSV file): the import lists what it has.
    public var endsReading: Bool
    /// An error that ends the import at once, thrown as is (a read failure).
    public var fatal: (any Error & Sendable)?

    public init(location: RowLocation, message: String, endsReading: Bool = false, fatal: (any Error & Sendable)? = nil) {
        self.location = location
        self.message = message
        self.endsReading = endsReading || fatal != nil
        self.fatal = fatal
    }
}

/// Where the rows of an import come from (see the top of this file).
public protocol RowSource {
    /// The column names, as the first row of the input gives them.
    var header: [String] { get }
    /// The next row, nil at the end.
    mutating func next() throws(RowSourceError) -> SourceRow?
    /// How far the source is in its input, in the unit of the input's size (bytes for a file).
    var progress: Int { get }
}

/// The rows of a CSV file (any encoding `CSVReader` reads: it hands over UTF-8), located by line.
public struct CSVRowSource: RowSource {
    public let reader: CSVReader
    public let header: [String]

    /// Reads the header; every later record must have as many fields.
    public init(_ reader: CSVReader) throws {
        guard let header = try reader.next() else {
            throw RegistryError.invalidRequest("the file is empty; it needs a header row naming its columns, at least name and sector")
        }
        self.reader = reader
        self.header = header.strings
        reader.expectedFieldCount = header.count
    }

    public var progress: Int { reader.bytesRead }

    public mutating func next() throws(RowSourceError) -> SourceRow? {
        do throws(CSVError) {
            guard let record = try reader.next() else { return nil }
            var fields: [SourceValue] = []
            fields.reserveCapacity(record.count)
            for index in 0..<record.count { fields.append(.text(record.string(at: index))) }
            return SourceRow(location: .line(record.line), fields: fields)
        } catch {
            let endsReading: Bool
            switch error.reason {
            case .unterminatedQuote: endsReading = true
            default: endsReading = false
            }
            if case .readFailed = error.reason {
                throw RowSourceError(location: .line(error.line), message: Self.withoutLine(error), fatal: error)
            }
            throw RowSourceError(location: .line(error.line), message: Self.withoutLine(error), endsReading: endsReading)
        }
    }

    /// The CSV error's message without its "line N: " (CSVError keeps its message private for now).
    private static func withoutLine(_ error: CSVError) -> String {
        let text = error.description
        guard let colon = text.firstRange(of: ": ") else { return text }
        return String(text[colon.upperBound...])
    }
}
