#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on stderr for long commands: rows, rows per second and the share of the input read.
/// Drawn only when stderr is a terminal (a log or a pipe gets nothing), at most ten times a second.
struct ProgressBar {
    /// Input size in bytes, when known (a regular file; not a pipe).
    let totalBytes: Int?
    private let shown = isatty(2) != 0
    private let start = ProgressBar.now()
    private var lastDrawn = -1.0
    private var drawn = false

    init(totalBytes: Int?) {
        self.totalBytes = totalBytes
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    var elapsed: Double { ProgressBar.now() - start }

    mutating func update(rows: Int, bytesRead: Int) {
        guard shown else { return }
        let now = ProgressBar.now()
        guard now - lastDrawn >= 0.1 else { return }
        lastDrawn = now
        let rate = Int(Double(rows) / max(now - start, 0.001))
        var line = "\r"
        if let totalBytes, totalBytes > 0 {
            let fraction = min(1, Double(bytesRead) / Double(totalBytes))
            let width = 30, filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += "\(Int(fraction * 100)) %  "
        }
        line += "\(grouped(rows)) rows  \(grouped(rate)) rows/s\u{1B}[K"
        Output.write(line, to: 2)
        drawn = true
    }

    /// Clears the bar so that the summary line starts clean.
    mutating func finish() {
        if drawn { Output.write("\r\u{1B}[K", to: 2) }
        drawn = false
    }
}

/// 1234567 as "1,234,567".
func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return (number < 0 ? "-" : "") + out
}
