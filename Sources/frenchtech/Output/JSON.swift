import FoundationEssentials

/// Just enough JSON writing for reports: strings escaped per RFC 8259, numbers as SQLite gives them.
/// Hand-written rather than JSONEncoder so that rows stream out in column order without building a tree.
enum JSON {
    static func string(_ text: String, into out: inout String) {
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

    static func value(_ cell: Cell, into out: inout String) {
        switch cell {
        case .null: out.append("null")
        case .integer(let v): out.append(String(v))
        case .real(let v): out.append(v.isFinite ? "\(v)" : "null")
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
    static func object(_ keys: [String], _ cells: [Cell], into out: inout String) {
        out.append("{")
        for (i, key) in keys.enumerated() {
            if i > 0 { out.append(",") }
            string(key, into: &out)
            out.append(":")
            value(cells[i], into: &out)
        }
        out.append("}")
    }
}
