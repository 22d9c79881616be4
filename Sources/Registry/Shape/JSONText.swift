import FoundationEssentials

/// JSON text of the public shape: strings escaped per RFC 8259, numbers as SQLite gives them, objects keyed in
/// column order. Written by hand rather than by JSONEncoder so that rows stream out without building a tree;
/// the CLI's `--format json`/`ndjson` and the server's API both write through here.
public enum JSONText {
    public static func string(_ text: String, into out: inout String) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    /// A value: null for a missing one and for a number JSON cannot hold (infinity, NaN).
    public static func value(_ value: FieldValue, into out: inout String) {
        switch value {
        case .null: out.append("null")
        case .integer(let v): out.append(String(v))
        case .real(let v), .share(let v): out.append(v.isFinite ? "\(v)" : "null")
        case .bool(let v): out.append(v ? "true" : "false")
        case .text(let v): string(v, into: &out)
        case .list(let names):
            out.append("[")
            for (i, name) in names.enumerated() {
                if i > 0 { out.append(",") }
                string(name, into: &out)
            }
            out.append("]")
        case .blob(let bytes): string(Data(bytes).base64EncodedString(), into: &out)
        }
    }

    /// One row as an object keyed by column.
    public static func object(_ keys: [String], _ values: [FieldValue], into out: inout String) {
        out.append("{")
        for (i, key) in keys.enumerated() {
            if i > 0 { out.append(",") }
            string(key, into: &out)
            out.append(":")
            value(values[i], into: &out)
        }
        out.append("}")
    }

    /// A report's rows as an array of objects, one per line.
    public static func array(_ report: Report, into out: inout String) {
        let keys = report.keys
        out.append(report.rows.isEmpty ? "[]" : "[\n")
        for (i, row) in report.rows.enumerated() {
            out.append(i == 0 ? "  " : ",\n  ")
            object(keys, row, into: &out)
        }
        if !report.rows.isEmpty { out.append("\n]") }
    }

    /// A record: its fields, then each list as an array of objects.
    public static func record(_ record: Record, into out: inout String) {
        var members: [(String, (inout String) -> Void)] = []
        for (column, field) in zip(record.fields.columns, record.fields.rows.first ?? []) {
            members.append((column.key, { value(field, into: &$0) }))
        }
        for list in record.lists {
            members.append((list.key, { out in
                out.append("[")
                for (i, row) in list.report.rows.enumerated() {
                    if i > 0 { out.append(",") }
                    object(list.report.keys, row, into: &out)
                }
                out.append("]")
            }))
        }
        out.append("{")
        for (i, (key, write)) in members.enumerated() {
            if i > 0 { out.append(",") }
            string(key, into: &out)
            out.append(":")
            write(&out)
        }
        out.append("}")
    }
}
