/// Turns the events of a worksheet part into rows: `<row r="3"><c r="B3" t="s" s="1"><v>0</v></c>…</row>`.
/// A row or cell without `r` follows the previous one; gaps between cells are empty cells.
struct SheetParser {
    let part: String
    let strings: [String]
    let dateStyles: [Bool]
    let date1904: Bool
    let emit: (WorkbookRow) throws -> Void

    private var rowNumber = 0
    private var cells: [Cell] = []
    private var inRow = false
    private var column = 0
    private var cellType = "n"
    private var cellStyle = 0
    private var value = ""
    private var inlineText = ""
    private var hasValue = false
    private var hasInline = false
    private var inValue = false
    private var inInline = false
    private var inInlineText = false
    private var phonetic = 0

    init(part: String, strings: [String], dateStyles: [Bool], date1904: Bool, emit: @escaping (WorkbookRow) throws -> Void) {
        self.part = part
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.emit = emit
    }

    private func malformed(_ detail: String) -> WorkbookError {
        .malformedPart(part: part, detail: detail)
    }

    mutating func handle(_ event: XMLScanner.Event) throws {
        switch event {
        case let .start(name, attributes):
            switch name {
            case "row":
                var number = rowNumber + 1
                if let r = attributes["r"] {
                    guard let n = Int(r), n >= 1 else { throw malformed("row number '\(r)'") }
                    guard n > rowNumber else { throw malformed("row \(n) comes after row \(rowNumber)") }
                    number = n
                }
                guard number <= SheetLimits.maxRows else { throw WorkbookError.tooManyRows(part: part, row: number) }
                rowNumber = number
                cells = []
                column = 0
                inRow = true
            case "c" where inRow:
                var col = column + 1
                if let r = attributes["r"] {
                    guard let parsed = Self.column(ofReference: r) else { throw malformed("cell reference '\(r)'") }
                    guard parsed <= SheetLimits.maxColumns else { throw WorkbookError.tooManyColumns(part: part, column: parsed) }
                    guard parsed > column else { throw malformed("cell \(r) comes after column \(column)") }
                    col = parsed
                }
                guard col <= SheetLimits.maxColumns else { throw WorkbookError.tooManyColumns(part: part, column: col) }
                column = col
                cellType = attributes["t"] ?? "n"
                cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
                value = ""; inlineText = ""
                hasValue = false; hasInline = false
            case "v":
                inValue = true
                hasValue = true
            case "is":
                inInline = true
                hasInline = true
            case "rPh":
                phonetic += 1
            case "t" where inInline && phonetic == 0:
                inInlineText = true
            default:
                break
            }
        case let .end(name):
            switch name {
            case "v": inValue = false
            case "is": inInline = false
            case "rPh": phonetic -= 1
            case "t": inInlineText = false
            case "c" where inRow:
                let cell = try makeCell()
                while cells.count < column - 1 { cells.append(.empty) }
                cells.append(cell)
            case "row":
                inRow = false
                while let last = cells.last, last == .empty { cells.removeLast() }
                if !cells.isEmpty { try emit(WorkbookRow(number: rowNumber, cells: cells)) }
            default:
                break
            }
        case let .text(text):
            if inValue { value += text } else if inInlineText { inlineText += text }
        }
    }

    private func makeCell() throws -> Cell {
        let reference = "\(Self.letters(of: column))\(rowNumber)"
        switch cellType {
        case "s":
            guard hasValue else { return .empty }
            guard let index = Int(value.trimmingSpaces()), strings.indices.contains(index) else {
                throw malformed("cell \(reference) names shared string '\(value)', which does not exist")
            }
            return .text(strings[index])
        case "inlineStr":
            if hasInline { return .text(OOXMLEscape.unescape(inlineText)) }
            return hasValue ? .text(value) : .empty
        case "str":
            return hasValue && !value.isEmpty ? .text(value) : .empty
        case "b":
            guard hasValue else { return .empty }
            switch value.trimmingSpaces() {
            case "1", "true": return .bool(true)
            case "0", "false": return .bool(false)
            default: throw malformed("cell \(reference) holds boolean '\(value)'")
            }
        case "e":
            return hasValue ? .error(value) : .empty
        case "d":
            guard hasValue else { return .empty }
            let digits = value.trimmingSpaces().prefix(10).split(separator: "-").compactMap { Int($0) }
            guard digits.count == 3 else { throw malformed("cell \(reference) holds date '\(value)'") }
            return .date(year: digits[0], month: digits[1], day: digits[2])
        case "n":
            let text = value.trimmingSpaces()
            guard hasValue, !text.isEmpty else { return .empty }
            guard let number = Double(text), number.isFinite else {
                throw malformed("cell \(reference) holds number '\(value)'")
            }
            if dateStyles.indices.contains(cellStyle), dateStyles[cellStyle],
               let date = ExcelDate.civil(serial: number, date1904: date1904) {
                return .date(year: date.year, month: date.month, day: date.day)
            }
            return .number(number)
        default:
            throw malformed("cell \(reference) has unknown type '\(cellType)'")
        }
    }

    /// "BC12" → 55; nil when the reference does not start with letters followed by digits.
    static func column(ofReference reference: String) -> Int? {
        var col = 0
        var letters = 0
        var sawDigit = false
        for scalar in reference.unicodeScalars {
            switch scalar {
            case "A"..."Z", "a"..."z":
                guard !sawDigit, letters < 4 else { return nil }
                col = col * 26 + Int((scalar.properties.uppercaseMapping.unicodeScalars.first!.value)) - 64
                letters += 1
            case "0"..."9":
                sawDigit = true
            case "$":
                continue
            default:
                return nil
            }
        }
        return letters > 0 ? col : nil
    }

    /// 1 → "A", 27 → "AA".
    static func letters(of column: Int) -> String {
        var n = column
        var out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(out.reversed())
    }
}

/// OOXML's escapes for characters XML cannot hold: `_x000D_` is a carriage return, `_x005F_` a literal `_`.
enum OOXMLEscape {
    static func unescape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var out = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let first = scalars.first {
            if first == "_", scalars.count >= 7, scalars[scalars.startIndex + 1] == "x",
               scalars[scalars.startIndex + 6] == "_",
               let code = UInt32(String(String.UnicodeScalarView(scalars[(scalars.startIndex + 2)..<(scalars.startIndex + 6)])), radix: 16),
               let scalar = Unicode.Scalar(code) {
                out.unicodeScalars.append(scalar)
                scalars = scalars.dropFirst(7)
            } else {
                out.unicodeScalars.append(first)
                scalars = scalars.dropFirst()
            }
        }
        return out
    }

    /// The writer's side: characters XML 1.0 cannot carry (controls but tab and line feed), and a text that
    /// would read as an escape, are escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let s = scalars.first {
            if s.value < 0x20 && s != "\t" && s != "\n" || s.value == 0xFFFE || s.value == 0xFFFF {
                out += "_x" + String(repeating: "0", count: 4 - String(s.value, radix: 16).count)
                    + String(s.value, radix: 16).uppercased() + "_"
            } else if s == "_", scalars.count >= 7, scalars[scalars.startIndex + 1] == "x",
                      scalars[scalars.startIndex + 6] == "_",
                      UInt32(String(String.UnicodeScalarView(scalars[(scalars.startIndex + 2)..<(scalars.startIndex + 6)])), radix: 16) != nil {
                out += "_x005F_"
            } else {
                out.unicodeScalars.append(s)
            }
            scalars = scalars.dropFirst()
        }
        return out
    }
}

/// Which number formats show dates.
enum DateFormat {
    static func isDate(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) { return true }
        guard let code, id >= 164 || !code.isEmpty else { return false }
        // Drop quoted text, escaped characters and [brackets] (colours, locales, elapsed times).
        var kept = ""
        var inQuote = false, inBracket = false, escaped = false
        for ch in code {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket { if ch == "]" { inBracket = false }; continue }
            switch ch {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escaped = true
            default: kept.append(ch)
            }
        }
        // Only the first section (positive numbers) counts.
        let section = kept.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let lower = section.lowercased()
        if lower == "general" { return false }
        let hasD = lower.contains("d"), hasY = lower.contains("y"), hasM = lower.contains("m")
        let hasH = lower.contains("h"), hasS = lower.contains("s")
        return hasD || hasY || (hasM && !hasH && !hasS)
    }
}

/// Excel's serial day numbers to calendar dates.
enum ExcelDate {
    static func civil(serial: Double, date1904: Bool) -> (year: Int, month: Int, day: Int)? {
        guard serial >= 0, serial < 3_000_000 else { return nil }
        var days = Int(serial.rounded(.down))
        // Days since 1970-01-01 of the epoch: 1899-12-30 in the 1900 system (serial 60, the 29 February 1900
        // that Lotus invented, reads as the 28th, and serials below 60 are one day later), 1904-01-01 else.
        if date1904 {
            days += -24107
        } else {
            if days < 60 { days += 1 }
            days += -25569
        }
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
