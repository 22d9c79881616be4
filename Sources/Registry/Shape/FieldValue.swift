import FoundationEssentials
import Persistence

/// One value of the registry's public shape: what a table cell, a CSV field and a JSON value are made from,
/// the same for every front end (the CLI's `--format`, the server's JSON API).
public enum FieldValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    /// A fraction from 0 to 1: a number in CSV and JSON, a percentage in a table ("45.2 %").
    case share(Double)
    /// Yes or no: `yes`/`no` in a table, `true`/`false` in CSV and JSON.
    case bool(Bool)
    case text(String)
    /// Several names: a JSON array, `|`-separated in CSV (as `import` reads them), comma-separated in a table.
    case list([String])
    /// Bytes (from `frenchtech sql`): base64 in JSON and CSV, hex in a table.
    case blob([UInt8])

    public init(_ value: Int64?) { self = value.map(FieldValue.integer) ?? .null }
    public init(_ value: String?) { self = value.map(FieldValue.text) ?? .null }
    public init(_ value: Double?) { self = value.map(FieldValue.real) ?? .null }
    public init(share value: Double?) { self = value.map(FieldValue.share) ?? .null }

    /// A value as SQLite stored it (`frenchtech sql`).
    public init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let v): self = .integer(v)
        case .real(let v): self = .real(v)
        case .text(let v): self = .text(v)
        case .blob(let v): self = .blob(v)
        }
    }

    /// Numbers line up on the right in a table and are never cut. A share is shown as text ("45.2 %").
    public var isNumber: Bool {
        switch self {
        case .integer, .real: true
        default: false
        }
    }

    /// The value as a CSV field: nil (an empty field) for null, lists joined with `|` as `import` reads them,
    /// blobs in base64, numbers never in scientific notation.
    public var csvField: String? {
        switch self {
        case .null: nil
        case .integer(let v): String(v)
        case .real(let v), .share(let v): v.plainDecimal
        case .bool(let v): v ? "true" : "false"
        case .text(let v): v
        case .list(let names): names.joined(separator: String(StartupColumn.listSeparator))
        case .blob(let bytes): Data(bytes).base64EncodedString()
        }
    }

    /// "45.2 %": one decimal, rounded half away from zero.
    public static func percent(_ value: Double) -> String {
        let tenths = Int64((value * 1000).rounded())
        return "\(tenths / 10).\(abs(tenths % 10)) %"
    }
}

extension Double {
    /// The shortest text that reads back as this number, with the digits written out: `String(0.00001)` is
    /// `1e-05`, which a spreadsheet or a reader of a table may not take for a number; this gives `0.00001`.
    public var plainDecimal: String {
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
