import Foundation
import Testing

/// Sizes that come from outside are bounded: no input traps, no input takes the memory or the time without
/// end. Each case through the real binary, with the figures (rows, bytes, seconds) checked independently.
@Suite struct HardeningLimits {
    static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"

    /// Runs a bash command line (`$FT`, `$DB`) under GNU time; returns its result, peak resident memory in KiB and
    /// wall-clock seconds. Without the limits under test the command would run and grow without end: it is killed
    /// after 60 s, and may not map more than 3 GB.
    func measured(_ ws: Workspace, _ command: String) throws -> (result: CLIResult, kib: Int, seconds: Double) {
        let start = Date()
        let result = try ws.shell("ulimit -v 3000000; /usr/bin/time -f %M -o \"\(ws.path("rss.txt"))\" timeout -s KILL 60 \(command)")
        let seconds = Date().timeIntervalSince(start)
        let report = try String(contentsOfFile: ws.path("rss.txt"), encoding: .utf8)
        let kib = try #require(report.split(separator: "\n").last.flatMap { Int($0) }, "GNU time said: \(report)")
        return (result, kib, seconds)
    }

    /// No Swift trap: no signal, no "Fatal error" and no backtrace, whatever the exit code.
    func expectNoCrash(_ result: CLIResult, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status < 128, "\(label): exit \(result.status)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.localizedCaseInsensitiveContains("backtrac")
                && !result.stderr.contains("Precondition failed"), "\(label): \(result.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: 4. No input crashes the program

    @Test(arguments: [("csv", ""), ("json", "[]\n"), ("ndjson", ""), ("table", "no rows\n")])
    func aStatementWithoutColumnsPrintsNoRows(format: String, expected: String) throws {
        let ws = try Workspace()
        try ws.initialise()
        let result = try ws.run(["sql", "PRAGMA case_sensitive_like", "--format", format])
        expectNoCrash(result, format)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected)
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: ["9223372036854775807", "99999999999999999999", "1000000", "-5", "0", "1", "26", "abc", ""])
    func anyColumnsDrawsABoundedChart(_ columns: String) throws {
        let ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Big", "--sector", "NFC", "--city", "Marseille", "--employees", "900", "--accelerator", "Jaguar"])
        try ws.ok(["startup", "add", "--name", "Small", "--sector", "big data", "--city", "Aix-en-Provence", "--employees", "3"])
        for command in [["stats", "jobs-by-sector"], ["stats", "by-city"], ["stats", "by-accelerator"]] {
            let result = try ws.run(command + ["--chart"], environment: ["COLUMNS": columns])
            expectNoCrash(result, "COLUMNS=\(columns) \(command)")
            #expect(result.status == 0, "\(result.stderr)")
            // 1,000 columns at most; a label, bar and figures each take one column per character here.
            let widest = result.stdout.split(separator: "\n").map(\.count).max() ?? 0
            #expect(widest > 0 && widest <= 1_000, "COLUMNS=\(columns): a line of \(widest) characters")
        }
    }

    /// swift-argument-parser reads $COLUMNS too, for help and usage text, and traps on 26 columns or fewer.
    @Test(arguments: ["-9223372036854775808", "-1", "0", "1", "26", "9223372036854775807"])
    func anyColumnsPrintsHelpAndUsage(_ columns: String) throws {
        let ws = try Workspace()
        for arguments in [["--help"], ["sql", "--help"], ["startup", "add", "--help"], ["help", "import", "startups"]] {
            let result = try ws.run(arguments, environment: ["COLUMNS": columns], useDB: false)
            expectNoCrash(result, "COLUMNS=\(columns) \(arguments)")
            #expect(result.status == 0 && result.stdout.contains("USAGE"), "COLUMNS=\(columns) \(arguments): \(result.stderr)")
        }
        let usage = try ws.run(["startup", "add", "--no-such-option"], environment: ["COLUMNS": columns], useDB: false)
        expectNoCrash(usage, "COLUMNS=\(columns) usage")
        #expect(usage.status == 64 && isOneErrorLine(usage.stderr), "\(usage.stderr)")
    }

    @Test(arguments: ["9223372036854775807", "10000001", "99999999999999999999"])
    func generateRefusesCountsPastTenMillion(_ firms: String) throws {
        let ws = try Workspace()
        try ws.initialise()
        let before = try ws.snapshot()
        let start = Date()
        let result = try ws.shell("timeout -s KILL 30 \"$FT\" generate --firms \(firms) --db \"$DB\"")
        #expect(Date().timeIntervalSince(start) < 10)
        expectNoCrash(result, firms)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(isOneErrorLine(result.stderr), "\(result.stderr)")
        #expect(try ws.snapshot() == before)
    }

    // MARK: 5. Bounded memory and time: import

    @Test func importOfDevZeroStopsAtTheRecordLimitWithFlatMemory() throws {
        let ws = try Workspace()
        try ws.initialise()
        let before = try ws.snapshot()
        let (result, kib, seconds) = try measured(ws, #""$FT" import startups /dev/zero --db "$DB""#)
        expectNoCrash(result, "/dev/zero")
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: line 1: record longer than 4 MiB"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("error: ") })
        #expect(kib < 100_000, "peak memory \(kib) KiB")
        #expect(seconds < 20)
        #expect(try ws.snapshot() == before)
    }

    @Test func importOfAFiftyMegabyteLineStopsAtTheRecordLimit() throws {
        let ws = try Workspace()
        try ws.initialise()
        try python("open(__import__('sys').argv[1], 'w').write('name,sector\\n' + 'x' * 50_000_000)", [ws.path("one-line.csv")])
        let before = try ws.snapshot()
        let (result, kib, _) = try measured(ws, #""$FT" import startups one-line.csv --db "$DB""#)
        expectNoCrash(result, "one line")
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: line 2: record longer than 4 MiB"), "\(result.stderr)")
        #expect(kib < 100_000, "peak memory \(kib) KiB")
        #expect(try ws.snapshot() == before)
    }

    @Test func aFieldPastOneMebibyteIsRefusedByLine() throws {
        let ws = try Workspace()
        try ws.initialise()
        try python("""
            import sys
            open(sys.argv[1], 'w').write('name,sector,city\\nFine,NFC,Aix\\nHuge,NFC,' + 'y' * (1024 * 1024 + 1) + '\\n')
            """, [ws.path("field.csv")])
        let before = try ws.snapshot()
        let result = try ws.run(["import", "startups", "field.csv"])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: line 3: field 3 is longer than 1 MiB"), "\(result.stderr)")
        #expect(try ws.snapshot() == before)
    }

    // MARK: 5. Bounded memory and time: sql

    @Test func anEndlessQueryEndsAtItsTimeout() throws {
        let ws = try Workspace()
        try ws.initialise()
        let start = Date()
        let result = try ws.shell("timeout -s KILL 60 \"$FT\" sql '\(Self.endless)' --format csv --timeout 2 --db \"$DB\"")
        let seconds = Date().timeIntervalSince(start)
        expectNoCrash(result, "timeout")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(isOneErrorLine(result.stderr) && result.stderr.contains("--timeout"), "\(result.stderr)")
        #expect(seconds >= 2 && seconds < 15, "ended after \(seconds) s")
        // The rows read until then went out, in order from 1.
        let rows = result.stdout.replacing("\r\n", with: "\n").split(separator: "\n")
        #expect(rows.first == "x" && rows.count > 2 && rows[1] == "1" && rows.last == Substring(String(rows.count - 1)))
    }

    @Test(arguments: ["0", "-1", "abc", "1e9"])
    func aTimeoutOutsideItsRangeIsAUsageError(_ value: String) throws {
        let ws = try Workspace()
        try ws.initialise()
        let result = try ws.run(["sql", "SELECT 1", "--timeout", value])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(isOneErrorLine(result.stderr), "\(result.stderr)")
    }

    @Test func aTableStopsAtTenThousandRowsWithANote() throws {
        let ws = try Workspace()
        try ws.initialise()
        for sql in ["WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) SELECT x FROM c", Self.endless] {
            let (result, kib, seconds) = try measured(ws, "\"$FT\" sql '\(sql)' --db \"$DB\"")
            expectNoCrash(result, sql)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = lines.compactMap { Int($0) }
            #expect(numbers == Array(1...10_000), "the first 10,000 rows, in order")
            #expect(result.stderr.hasPrefix("note: ") && result.stderr.contains("10,000") && result.stderr.contains("--format csv"),
                    "\(result.stderr)")
            #expect(kib < 200_000, "peak memory \(kib) KiB")
            #expect(seconds < 20)
        }
        // At the cap exactly, nothing is left out and nothing is said.
        let exact = try ws.run(["sql", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10000) SELECT x FROM c"])
        #expect(exact.status == 0 && exact.stderr.isEmpty, "\(exact.stderr)")
        #expect(exact.stdout.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } == Array(1...10_000))
    }

    @Test func aHeapHungryQueryHitsTheMemoryLimit() throws {
        let ws = try Workspace()
        try ws.initialise()
        // 5,000,000 strings of 100 characters: 500 MB in one group_concat, past the 256 MiB limit.
        let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5000000) SELECT length(group_concat(printf(\"%0100d\", x))) FROM c"
        let (result, kib, _) = try measured(ws, "\"$FT\" sql '\(sql.replacing("\"", with: "'\\''"))' --format csv --db \"$DB\"")
        expectNoCrash(result, "group_concat")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(isOneErrorLine(result.stderr) && result.stderr.contains("256 MiB"), "\(result.stderr)")
        #expect(kib < 400_000, "peak memory \(kib) KiB")
    }

    // MARK: 10. sql: parameters, keys, pragmas, errors

    @Test func dashLedParametersAreValues() throws {
        let ws = try Workspace()
        try ws.initialise()
        let result = try ws.run(["sql", "SELECT ? * 2 AS twice, ? AS word, typeof(?) AS kind", "--param", "-5", "--param", "-x",
                                 "--param", "-2.5", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "twice,word,kind\r\n-10,-x,real\r\n")
    }

    @Test(arguments: ["12345678901234567891", "-9223372036854775809", "99999999999999999999999999"])
    func digitsPastInt64StayTextExactly(_ digits: String) throws {
        let ws = try Workspace()
        try ws.initialise()
        let result = try ws.run(["sql", "SELECT ? AS v, typeof(?) AS t", "--param", digits, "--param", digits, "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "v,t\r\n\(digits),text\r\n")
        // Int64's own bounds are still integers.
        let max = try ws.run(["sql", "SELECT typeof(?)", "--param", "9223372036854775807", "--format", "csv"])
        #expect(max.stdout.hasSuffix("\r\ninteger\r\n"))
    }

    @Test(arguments: ["json", "ndjson"])
    func repeatedColumnNamesGetDistinctKeys(_ format: String) throws {
        let ws = try Workspace()
        try ws.initialise()
        let result = try ws.run(["sql", "SELECT 1 AS a, 2 AS a, 3 AS b, 4 AS a, 5 AS A", "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        // Python keeps every pair as written, repeated or not.
        let pairs = try python("""
            import json, sys
            text, form, hook = sys.argv[1], sys.argv[2], lambda pairs: pairs
            objs = json.loads(text, object_pairs_hook=hook) if form == "json" else [json.loads(l, object_pairs_hook=hook) for l in text.splitlines()]
            print(repr(objs))
            """, [result.stdout, format]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pairs == "[[('a', 1), ('a_2', 2), ('b', 3), ('a_3', 4), ('A', 5)]]")
    }

    @Test(arguments: ["PRAGMA journal_mode", "PRAGMA main.journal_mode", "SELECT * FROM pragma_journal_mode",
                      "SELECT journal_mode FROM pragma_journal_mode('main')", "PRAGMA locking_mode",
                      "SELECT * FROM pragma_locking_mode"])
    func pragmasThatChangeStateAreRefused(_ sql: String) throws {
        let ws = try Workspace()
        try ws.initialise()
        let before = try fileState(ws.db)
        let result = try ws.run(["sql", sql])
        #expect(result.status == 65, "\(sql): \(result.stderr)")
        #expect(isOneErrorLine(result.stderr) && result.stderr.contains("refused"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try fileState(ws.db) == before)
    }

    @Test func anErrorQuotesTheSQLOnOneShortLine() throws {
        let ws = try Workspace()
        try ws.initialise()
        let sql = "SELECT zeroblob(2000000000) AS big -- " + String(repeating: "x", count: 300) + "\n, 2 AS second_line"
        let result = try ws.run(["sql", sql])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(isOneErrorLine(result.stderr), "\(result.stderr)")
        #expect(result.stderr.contains("SELECT zeroblob(2000000000) AS big") && result.stderr.contains("…"), "\(result.stderr)")
        #expect(!result.stderr.contains("second_line"))
        #expect(result.stderr.count < 250, "\(result.stderr.count) characters: \(result.stderr)")
    }
}
