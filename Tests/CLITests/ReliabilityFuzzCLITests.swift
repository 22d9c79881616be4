import Foundation
import Registry
import Testing

/// Random argument vectors through the real binary (the parser lives in the executable): whatever the words,
/// the process ends by itself with a documented exit code, a failure says so in `error:` lines, and the
/// registry stays sound. Seeded, so that a failure prints the seed and the arguments to replay;
/// FUZZ_CLI_RUNS (Scripts/fuzz.sh) runs more than the default.
@Suite struct ReliabilityFuzzCLI {
    static let words: [String] = [
        // Commands and subcommands
        "startup", "add", "list", "show", "update", "remove", "join", "leave", "accelerator", "firms", "partner",
        "sector", "init", "migrate", "check", "backup", "help", "import", "sql", "startups",
        // Options
        "--name", "--sector", "--siren", "--siret", "--naf", "--city", "--employees", "--founded", "--revenue",
        "--accelerator", "--cohort", "--format", "--limit", "--sort", "--search", "--force", "--empty", "--status",
        "--kind", "--source", "--help", "-h", "--version", "--generate-completion-script", "--db", "--param",
        "--name=", "--employees=-1", "--format=json", "--", "-", "-x", "--no-such-option",
        // Values
        "", " ", "NFC", "big data", "Jaguar", "json", "csv", "ndjson", "table", "xml", "bash", "zsh", "employees",
        "0", "-1", "1", "2015", "99999999999999999999", "9223372036854775807", "1e3", "2.5", "552100554",
        "732 829 320", "62.01Z", "Calanques Pay", "É", "🚀", "' OR 1=1 --", "%", "_", "a\nb", "\t", "\u{FEFF}x",
        "\u{202E}", String(repeating: "x", count: 5_000), "copy.sqlite", "/", ".", "..", "=",
    ]


    /// Runs the binary with a time limit; nil status when it had to be killed.
    func run(_ arguments: [String], in ws: Workspace, limit: TimeInterval = 30) throws -> (status: Int32?, signal: Bool, stderr: String) {
        let process = Process()
        process.executableURL = Workspace.binary
        process.arguments = arguments
        process.currentDirectoryURL = ws.folder
        var env = ProcessInfo.processInfo.environment
        env["FRENCHTECH_DB"] = ws.db
        process.environment = env
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
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
        let runs = ProcessInfo.processInfo.environment["FUZZ_CLI_RUNS"].flatMap(Int.init) ?? 120
        let seed = ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        var generator = SplitMix64(seed: seed)
        for index in 0..<runs {
            let count = Int.random(in: 0...7, using: &generator)
            var arguments = (0..<count).map { _ in Self.words.randomElement(using: &generator)! }
            // Most runs start with a real command path, to get past the first word.
            if Bool.random(using: &generator) && !arguments.isEmpty {
                arguments.insert(contentsOf: [["startup", "add"], ["startup", "list"], ["sector", "add"], ["backup"],
                                              ["check"], ["startup", "update"]].randomElement(using: &generator)!, at: 0)
            }
            let replay = "FUZZ_SEED=\(seed) (run \(index)): frenchtech \(arguments.map(\.debugDescription).joined(separator: " "))"
            let result = try self.run(arguments, in: ws)
            #expect(result.status != nil, "did not finish within 30 s: \(replay)")
            #expect(!result.signal, "killed by signal \(result.status ?? 0): \(replay)\n\(result.stderr)")
            guard let status = result.status, !result.signal else { continue }
            #expect([0, 1, 64, 65, 66].contains(status), "exit \(status): \(replay)")
            if status != 0 {
                let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("error: ") || $0.hasPrefix("note: ") }
                        && lines.last?.hasPrefix("error: ") == true, "stderr of \(replay):\n\(result.stderr)")
            }
        }
        #expect(try ws.run(["check"]).status == 0, "the registry is sound after \(runs) random commands (FUZZ_SEED=\(seed))")
    }
}
