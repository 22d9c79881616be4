import ArgumentParser
import CSVStream
import FoundationEssentials
import Registry
#if canImport(Glibc)
import Glibc
#endif

/// How a command writes its data on stdout.
enum Format: String, CaseIterable, ExpressibleByArgument {
    /// Aligned columns for people, with a count line.
    case table
    /// RFC 4180 with a header row.
    case csv
    /// An array of objects with snake_case keys (one object for `show`).
    case json
    /// One JSON object per line.
    case ndjson
    /// An Excel workbook (needs -o FILE): numbers as numbers, texts and codes as text, a bold frozen header.
    case xlsx
}

/// Writes data to stdout and notes to stderr; the only place that prints.
enum Output {
    /// Writes data on stdout. A failed write throws (`cannot write output: No space left on device`), so that a
    /// command never ends with 0 after truncated output; a closed pipe ends the process by SIGPIPE.
    static func write(_ text: String) throws { try writeAll(text, to: dataDescriptor()) }

    /// A note for the person at the terminal, on stderr (never mixed with the data).
    static func note(_ text: String) { write("note: \(visible(text))\n", to: 2) }

    /// The one line of a failure, on stderr.
    static func error(_ text: String) {
        let oneLine = text.split(whereSeparator: \.isNewline).map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: " ")
        // A reference typed with an escape, or a name another tool stored, must not reach the terminal raw.
        write("error: \(visible(oneLine))\n", to: 2)
    }

    /// Writes on stderr: a note or an error that cannot be written cannot be reported either.
    static func write(_ text: String, to descriptor: Int32) {
        try? writeAll(text, to: descriptor)
    }

    static func render(_ report: Report, as format: Format) throws {
        guard format != .table else { return try write(table(report)) }
        guard format != .xlsx else { return try writeWorkbook([report]) }
        let stream = RowStream(format: format, noun: report.noun)
        try stream.begin(report.columns.map(\.key))
        for row in report.rows { try stream.append(row) }
        try stream.finish()
    }

    /// One record: a two-column "field value" table, a one-row CSV, or a single JSON object.
    static func renderOne(_ report: Report, as format: Format) throws {
        guard report.rows.count == 1, format == .table || format == .json else { return try render(report, as: format) }
        let row = report.rows[0]
        if format == .json {
            var out = ""
            JSONText.object(report.keys, row, into: &out)
            try write(out + "\n")
            return
        }
        let width = report.columns.map(\.title.displayWidth).max() ?? 0
        var out = ""
        for (column, cell) in zip(report.columns, row) {
            out += column.title.padded(to: width) + "  " + tableText(cell, padded: false) + "\n"
        }
        try write(out)
    }

    /// A value as a table shows it; a share is a percentage, padded so that a column of them lines up (unless
    /// `padded` is false: one field per line).
    static func tableText(_ cell: FieldValue, padded: Bool = true) -> String {
        switch cell {
        case .share(let v): padded ? FieldValue.percent(v).padded(to: 7, right: true) : FieldValue.percent(v)
        case .null: "—"
        case .integer(let v): String(v)
        case .real(let v): v.plainDecimal
        case .bool(let v): v ? "yes" : "no"
        case .text(let v): visible(v)
        case .list(let names): names.map(visible).joined(separator: ", ")
        case .blob(let bytes): "x'" + bytes.map { String($0, radix: 16).padded(to: 2, right: true).replacingSpaces("0") }.joined() + "'"
        }
    }

    /// Text a terminal cannot be tricked by: control characters (ESC, BEL, line breaks), line separators and
    /// format characters (bidi overrides such as U+202E) that a file written by another tool may hold are shown
    /// escaped, `\u{1B}`; the joiners and tags inside emoji are kept.
    static func visible(_ text: String) -> String {
        // Most cells are printable ASCII: nothing to escape.
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            let category = scalar.properties.generalCategory
            let emojiPart = (0x200C...0x200D).contains(scalar.value) || (0xE0020...0xE007F).contains(scalar.value)
            if [.control, .format, .lineSeparator, .paragraphSeparator].contains(category) && !emojiPart {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// False with `--wide`: tables keep every column whole.
    nonisolated(unsafe) static var fitsTables = true
    /// The narrowest a text column is cut to: enough to recognise a value by its start.
    static let minimumCutWidth = 8

    /// Column widths that fit `room` (with two spaces between columns): the widest text column is narrowed
    /// first, then the next, never below `minimumCutWidth`; numbers are never cut. Past that the lines overflow.
    static func fitted(_ widths: [Int], numeric: [Bool], into room: Int) -> [Int] {
        var widths = widths
        var excess = widths.reduce(0, +) + 2 * max(0, widths.count - 1) - room
        while excess > 0 {
            let candidates = widths.indices.filter { !numeric[$0] && widths[$0] > minimumCutWidth }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            let next = candidates.filter { $0 != widest }.map { widths[$0] }.max() ?? minimumCutWidth
            // Down to one below the next widest (which is then cut in turn), or as much as is in excess.
            let cut = min(excess, widths[widest] - max(next, minimumCutWidth) + 1, widths[widest] - minimumCutWidth)
            widths[widest] -= cut
            excess -= cut
        }
        return widths
    }

    static func table(_ report: Report) -> String {
        if report.rows.isEmpty { return "no \(report.noun.many)\n" }
        let texts = report.rows.map { $0.map { tableText($0) } }
        let numeric = report.columns.indices.map { i in
            let cells = report.rows.map { $0[i] }
            return cells.allSatisfy { $0 == .null || $0.isNumber } && cells.contains { $0.isNumber }
        }
        var widths = report.columns.indices.map { i in
            max(report.columns[i].title.displayWidth, texts.map { $0[i].displayWidth }.max() ?? 0)
        }
        if fitsTables, let room = Terminal.tableColumns { widths = fitted(widths, numeric: numeric, into: room) }
        func line(_ cells: [String]) -> String {
            var text = cells.indices.map { BarChart.cut(cells[$0], to: widths[$0]).padded(to: widths[$0], right: numeric[$0]) }
                .joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }
        var out = line(report.columns.map(\.title))
        out += line(widths.map { String(repeating: "-", count: $0) })
        for row in texts { out += line(row) }
        let count = report.rows.count
        out += "\(count) \(count == 1 ? report.noun.one : report.noun.many)\n"
        return out
    }
}

extension String {
    func replacingSpaces(_ with: Character) -> String { String(map { $0 == " " ? with : $0 }) }
}

