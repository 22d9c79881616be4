import Foundation
import Registry
import Testing

/// Random argument vectors through the real binary (the parser lives in the executable): whatever the words,
/// the process ends by itself with a documented exit code, never by a signal or a Swift trap ("Fatal error", a
/// backtrace), a failure says so in `error:` lines, and the registry stays sound. Seeded, so that a failure
/// prints the seed and the arguments to replay; FUZZ_CLI_RUNS (Scripts/fuzz.sh) runs more than the default 400,
/// four processes at a time.
@Suite struct ReliabilityFuzzCLI {
    static let words: [String] = [
        // Commands and subcommands
        "startup", "add", "list", "show", "update", "remove", "join", "leave", "accelerator", "firms", "partner",
        "sector", "init", "migrate", "check", "backup", "help", "import", "sql", "startups", "stats", "jobs-by-sector",
        "by-city", "by-accelerator", "summary", "regional-share", "generate", "export", "territory",
        // Options
        "--name", "--sector", "--siren", "--siret", "--naf", "--city", "--employees", "--founded", "--revenue",
        "--accelerator", "--cohort", "--format", "--limit", "--sort", "--search", "--force", "--empty", "--status",
        "--kind", "--source", "--help", "-h", "--version", "--generate-completion-script", "--db", "--param",
        "--name=", "--employees=-1", "--format=json", "--", "-", "-x", "--no-such-option", "--chart", "--timeout",
        "--firms", "--seed", "--by", "--territory", "--exclude-synthetic", "--upsert", "--dry-run", "--delimiter",
        "--timeout=0.5", "--firms=-1", "--limit=-1", "--seed=-1",
        // Values
        "", " ", "NFC", "big data", "Jaguar", "json", "csv", "ndjson", "table", "xml", "bash", "zsh", "employees",
        "0", "-1", "1", "2015", "99999999999999999999", "9223372036854775807", "1e3", "2.5", "552100554",
        "732 829 320", "62.01Z", "Calanques Pay", "É", "🚀", "' OR 1=1 --", "%", "_", "a\nb", "\t", "\u{FEFF}x",
        "\u{202E}", String(repeating: "x", count: 5_000), "copy.sqlite", "/", ".", "..", "=",
        "-5", "-0", "18446744073709551615", "18446744073709551616", "-9223372036854775808", "nan", "inf", "1e308",
        "0.000001", "3", "PACA", "sector", ";", ",",
        // SQL: statements without columns, bounded recursive ones, refused ones, errors
        "SELECT 1", "SELECT ?", "SELECT ?, ?", "PRAGMA case_sensitive_like", "PRAGMA journal_mode", "PRAGMA user_version",
        "SELECT 1 AS a, 2 AS a", "SELECT zeroblob(2000000000)", "SELECT * FROM startups", "DELETE FROM startups",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 20000) SELECT x FROM c",
        "SELECT * FROM pragma_journal_mode", "SELECT\n1\n+", "VACUUM",
    ]

    /// Command paths a vector often starts with, to get past the first word.
    static let paths: [[String]] = [
        ["startup", "add"], ["startup", "list"], ["sector", "add"], ["backup"], ["check"], ["startup", "update"],
        ["sql"], ["sql", "SELECT ?"], ["stats", "jobs-by-sector", "--chart"], ["stats", "by-city", "--chart"],
        ["stats", "by-accelerator"], ["generate", "--firms"], ["export", "startups"], ["import", "startups", "/dev/zero"],
        ["territory", "set", "PACA"],
    ]

    /// $COLUMNS for a run: unset, or a value from this list.
    static let columns = ["", "0", "-1", "1", "80", "9223372036854775807", "99999999999999999999", "abc"]


    /// Runs the binary with a time limit; nil status when it had to be killed.
    func run(_ arguments: [String], columns: String?, in ws: Workspace, limit: TimeInterval = 40) throws -> (status: Int32?, signal: Bool, stderr: String) {
        var env = childEnvironment(["FRENCHTECH_DB": ws.db])
        if let columns { env["COLUMNS"] = columns }
        let err = Pipe()
        let process = try launch(Workspace.binary, arguments, in: ws.folder, environment: env, stderr: err)
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (nil, false, "")
        }
        process.waitUntilExit()
        while !reader.isFinished { usleep(1_000) }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, String(decoding: errData, as: UTF8.self))
    }

    @Test func randomArgumentsNeverCrash() throws {
        let ws = try Workspace()
        try ws.initialise()
        let runs = ProcessInfo.processInfo.environment["FUZZ_CLI_RUNS"].flatMap(Int.init) ?? 400
        let seed = ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        var generator = SplitMix64(seed: seed)
        // Every vector drawn first, in order, so that the seed replays the same ones however the runs interleave.
        let vectors: [(arguments: [String], columns: String?)] = (0..<runs).map { _ in
            let count = Int.random(in: 0...7, using: &generator)
            var arguments = (0..<count).map { _ in Self.words.randomElement(using: &generator)! }
            if Bool.random(using: &generator) && !arguments.isEmpty {
                arguments.insert(contentsOf: Self.paths.randomElement(using: &generator)!, at: 0)
            }
            let columns = Int.random(in: 0..<4, using: &generator) == 0 ? Self.columns.randomElement(using: &generator) : nil
            return (arguments, columns)
        }
        let workers = 4
        // Workspace only holds its folder's name; the runs only read it.
        nonisolated(unsafe) let shared = ws
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: runs, by: workers) {
                let (arguments, columns) = vectors[index]
                let replay = "FUZZ_SEED=\(seed) (run \(index)): \(columns.map { "COLUMNS=\($0.debugDescription) " } ?? "")frenchtech \(arguments.map(\.debugDescription).joined(separator: " "))"
                guard let result = try? self.run(arguments, columns: columns, in: shared) else {
                    Issue.record("could not start: \(replay)")
                    continue
                }
                #expect(result.status != nil, "did not finish within 40 s: \(replay)")
                #expect(!result.signal, "killed by signal \(result.status ?? 0): \(replay)\n\(result.stderr)")
                #expect(!result.stderr.contains("Fatal error") && !result.stderr.localizedCaseInsensitiveContains("backtrac"),
                        "trapped: \(replay)\n\(result.stderr)")
                guard let status = result.status, !result.signal else { continue }
                #expect(status < 128 && [0, 1, 64, 65, 66].contains(status), "exit \(status): \(replay)")
                if status != 0 {
                    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("error: ") || $0.hasPrefix("note: ") }
                            && lines.last?.hasPrefix("error: ") == true, "stderr of \(replay):\n\(result.stderr)")
                }
            }
        }
        #expect(try ws.run(["check"]).status == 0, "the registry is sound after \(runs) random commands (FUZZ_SEED=\(seed))")
    }
}
