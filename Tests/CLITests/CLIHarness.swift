import Foundation
import Testing

/// The built `frenchtech` binary, run as a user would, on a temporary folder of its own.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

final class Workspace {
    let folder: URL
    /// The registry file used by `run` unless the arguments name another.
    var db: String { folder.appending(path: "registry.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "frenchtech-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static let binary: URL = {
        // The test bundle sits in the build folder beside the executable it depends on.
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = here.deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appending(path: "frenchtech").path), folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appending(path: "frenchtech")
    }()

    /// Runs `frenchtech ARGS` in the workspace folder with `--db` pointing at `db` unless `useDB` is false.
    @discardableResult
    func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:], useDB: Bool = true) throws -> CLIResult {
        var args = arguments
        if useDB && !arguments.contains("--db") && !arguments.contains("--help") { args += ["--db", db] }
        return try runToEnd(Self.binary, args, in: folder, environment: childEnvironment(environment), input: input ?? Data())
    }

    /// Runs and expects success; returns stdout.
    @discardableResult
    func ok(_ arguments: [String], input: Data? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments, input: input)
        #expect(result.status == 0, "frenchtech \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Creates the seeded registry.
    func initialise() throws {
        try ok(["init"])
    }

    /// Every row of every table, as the sqlite3 library reads it: to prove a refused command changed nothing.
    func snapshot() throws -> String {
        try dump(db)
    }

    func json(_ arguments: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try ok(arguments + ["--format", "json"]).utf8))
    }
}

// MARK: Starting processes: the one place the tests make a `Process`

/// The environment of a process a test starts: the test's own without FRENCHTECH_DB (the caller's registry) and
/// COLUMNS (tables are cut to it: the caller's terminal must not change what a test reads), then `changes`.
func childEnvironment(_ changes: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "FRENCHTECH_DB")
    environment.removeValue(forKey: "COLUMNS")
    environment.merge(changes) { $1 }
    return environment
}

/// Starts `executable ARGS` without waiting. Each standard stream is /dev/null unless given (a Pipe or a
/// FileHandle); `environment` nil inherits the test's own.
func launch(_ executable: URL, _ arguments: [String], in folder: URL? = nil, environment: [String: String]? = nil,
            stdin: Any = FileHandle.nullDevice, stdout: Any = FileHandle.nullDevice, stderr: Any = FileHandle.nullDevice) throws -> Process {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    if let environment { process.environment = environment }
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    return process
}

/// Runs `executable ARGS` to its end with `input` on stdin (nil: /dev/null), reading stdout and stderr while it
/// runs so that neither pipe fills up.
func runToEnd(_ executable: URL, _ arguments: [String], in folder: URL? = nil, environment: [String: String]? = nil,
              input: Data? = nil) throws -> CLIResult {
    let out = Pipe(), err = Pipe(), inPipe = input.map { _ in Pipe() }
    let process = try launch(executable, arguments, in: folder, environment: environment,
                             stdin: inPipe ?? FileHandle.nullDevice, stdout: out, stderr: err)
    nonisolated(unsafe) var errData = Data()
    let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    errReader.start()
    if let inPipe {
        if let input, !input.isEmpty { try? inPipe.fileHandleForWriting.write(contentsOf: input) }
        try? inPipe.fileHandleForWriting.close()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errReader.isFinished { usleep(1000) }
    return CLIResult(status: process.terminationStatus,
                     stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

/// A textual dump of every table's rows, read with SQLite's own shell-independent SQL (through the CLI's read-only
/// `sql` command is not used here: the dump must not depend on the code under test).
func dump(_ path: String) throws -> String {
    try python("""
        import sqlite3, sys
        con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
        for (name,) in con.execute("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name"):
            print("==", name)
            for row in con.execute('SELECT * FROM "%s" ORDER BY 1' % name.replace('"', '""')):
                print(repr(row))
        """, [path])
}
