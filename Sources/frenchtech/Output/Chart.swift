#if canImport(Glibc)
import Glibc
#endif

/// A horizontal bar chart for the terminal (`--chart`): one line per item, labels aligned on the left, bars of
/// Unicode blocks (down to an eighth of a cell) scaled so that the largest value fills the room the terminal
/// leaves, and the value text aligned on the right.
struct BarChart {
    struct Bar {
        var label: String
        var value: Int64
        /// The figures printed after the bar, e.g. ["1200", "45.2 %"], each column aligned on the right.
        var figures: [String]
    }

    var bars: [Bar]

    /// Narrowest bar area kept even on a narrow terminal: long labels are cut instead, down to
    /// `minimumLabelWidth`; past that the lines overflow rather than lose their labels.
    static let minimumBarWidth = 10
    static let minimumLabelWidth = 12
    static let partialBlocks: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    func render(width: Int) -> String {
        guard !bars.isEmpty else { return "" }
        let columns = bars.map(\.figures.count).max() ?? 0
        let figureWidths = (0..<columns).map { i in bars.map { i < $0.figures.count ? $0.figures[i].displayWidth : 0 }.max() ?? 0 }
        let noteWidth = figureWidths.reduce(0, +) + 2 * max(0, columns - 1)
        let gaps = 4
        let longest = bars.map(\.label.displayWidth).max() ?? 0
        let labelWidth = max(min(longest, Self.minimumLabelWidth), min(longest, width - noteWidth - gaps - Self.minimumBarWidth))
        let barWidth = max(Self.minimumBarWidth, width - labelWidth - noteWidth - gaps)
        let largest = bars.map(\.value).max() ?? 0
        var out = ""
        for bar in bars {
            let label = Self.cut(bar.label, to: labelWidth).padded(to: labelWidth)
            let blocks = Self.blocks(bar.value, of: largest, width: barWidth).padded(to: barWidth)
            let note = figureWidths.indices.map { i in (i < bar.figures.count ? bar.figures[i] : "").padded(to: figureWidths[i], right: true) }
            out += label + "  " + blocks + "  " + note.joined(separator: "  ") + "\n"
        }
        return out
    }

    /// `value` as a bar of `width` cells at most, in eighths; a value above zero always shows.
    static func blocks(_ value: Int64, of largest: Int64, width: Int) -> String {
        guard value > 0, largest > 0 else { return "" }
        let eighths = max(1, Int((Double(value) / Double(largest) * Double(width * 8)).rounded()))
        var text = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 { text.append(partialBlocks[eighths % 8 - 1]) }
        return text
    }

    /// The label cut to `width` columns, with "…" when shortened.
    static func cut(_ text: String, to width: Int) -> String {
        guard text.displayWidth > width else { return text }
        var out = ""
        for character in text {
            if (out + String(character)).displayWidth > width - 1 { break }
            out.append(character)
        }
        return out + "…"
    }
}

enum Terminal {
    /// The widest line drawn: $COLUMNS past it counts as this many, so that a huge value cannot overflow the
    /// arithmetic or fill the memory with blocks.
    static let maximumColumns = 1_000
    /// The narrowest: swift-argument-parser, which reads $COLUMNS for help and usage text, traps on widths up to
    /// its label column (26); a chart needs about as much for its label, bar and figures anyway.
    static let minimumColumns = 40

    /// Brings an integer $COLUMNS within `minimumColumns...maximumColumns` for the whole process, before
    /// swift-argument-parser reads it. Text that is not an integer is ignored by both readers and left alone.
    static func boundColumnsVariable() {
        guard let env = getenv("COLUMNS"), let value = Int(String(cString: env)) else { return }
        let bounded = min(max(value, minimumColumns), maximumColumns)
        if bounded != value { setenv("COLUMNS", String(bounded), 1) }
    }

    /// The width a table is cut to: $COLUMNS when set, else the terminal's; nil in a pipe or a file, where the
    /// rows go whole to the program reading them.
    static var tableColumns: Int? {
        if let env = getenv("COLUMNS"), let value = Int(String(cString: env)), value > 0 { return min(max(value, minimumColumns), maximumColumns) }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return nil
    }

    /// Columns available: $COLUMNS when set, else the terminal's own width, else 80 (a pipe, a file).
    static var columns: Int {
        tableColumns ?? 80
    }
}
