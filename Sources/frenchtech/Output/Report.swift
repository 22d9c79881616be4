/// One value of a report cell, as it will be shown in a table, a CSV or JSON.
enum Cell: Equatable {
    case null
    case integer(Int64)
    case real(Double)
    /// Yes or no: `yes`/`no` in a table, `true`/`false` in CSV and JSON.
    case bool(Bool)
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

extension Double {
    /// The shortest text that reads back as this number, with the digits written out: `String(0.00001)` is
    /// `1e-05`, which a spreadsheet or a reader of a table may not take for a number; this gives `0.00001`.
    var plainDecimal: String {
        let text = String(self)
        guard isFinite, let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) else {
            return text
        }
        let negative = text.hasPrefix("-")
        let mantissa = text[text.index(text.startIndex, offsetBy: negative ? 1 : 0)..<e]
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        // Position of the decimal point within `digits`, after the shift.
        var point = whole.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: 1 - point) + digits
            point = 1
        } else if point > digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        }
        var integer = String(digits.prefix(point))
        var decimals = String(digits.dropFirst(point))
        while decimals.hasSuffix("0") { decimals.removeLast() }
        while integer.count > 1 && integer.hasPrefix("0") { integer.removeFirst() }
        return (negative ? "-" : "") + integer + "." + (decimals.isEmpty ? "0" : decimals)
    }
}
