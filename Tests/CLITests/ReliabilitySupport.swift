import Foundation
import Testing

// Helpers of the reliability tests: Python's sqlite3 as the independent reader, the binary started without
// waiting (to run several at once or kill it), and the state of a file and its neighbours.

/// Runs `python3 -c script args...`; returns stdout, and fails the test on a non-zero exit.
@discardableResult
func python(_ script: String, _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let result = try runToEnd(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments)
    #expect(result.status == 0, "python failed: \(result.stderr)", sourceLocation: sourceLocation)
    return result.stdout
}

/// One value read with Python's sqlite3, as Python prints it.
func pythonScalar(_ path: String, _ sql: String) throws -> String {
    try python("""
        import sqlite3, sys
        con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
        print(con.execute(sys.argv[2]).fetchone()[0])
        """, [path, sql]).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// What a refused command must leave as it found: the bytes of the file (by SHA-256) and the names of the files
/// beside it (no journal, temporary file or WAL with content left behind). Index files (-shm) and empty WALs hold
/// no data and are left by any read-only reader, Python's included: they do not count.
func fileState(_ path: String) throws -> FileState {
    let folder = (path as NSString).deletingLastPathComponent
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().filter { name in
        if name.hasSuffix("-shm") { return false }
        let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int) ?? nil
        return !(name.hasSuffix("-wal") && size == 0)
    }
    return FileState(bytes: exists && !isFolder.boolValue ? try Data(contentsOf: URL(fileURLWithPath: path)) : nil,
                     isFolder: isFolder.boolValue, neighbours: names)
}

struct FileState: Equatable {
    var bytes: Data?
    var isFolder: Bool
    var neighbours: [String]
}

extension Workspace {
    /// Starts `frenchtech ARGS --db db` without waiting; output is discarded unless `errors` is given.
    func start(_ arguments: [String], errors: Pipe? = nil) throws -> Process {
        try launch(Self.binary, arguments + ["--db", db], in: folder, stderr: errors ?? FileHandle.nullDevice)
    }

    /// Runs a bash command line with `$FT` the binary and `$DB` the registry: for arguments a Swift String cannot
    /// hold (bytes that are not UTF-8, made with printf) and for loops of many processes.
    func shell(_ script: String) throws -> CLIResult {
        try runToEnd(URL(fileURLWithPath: "/bin/bash"), ["-c", script], in: folder,
                     environment: childEnvironment(["FT": Self.binary.path, "DB": db]))
    }

    func path(_ name: String) -> String { folder.appending(path: name).path }
}

/// A failure as the README promises it: exactly one line on stderr, starting `error: `.
func isOneErrorLine(_ stderr: String) -> Bool {
    stderr.hasPrefix("error: ") && stderr.hasSuffix("\n") && stderr.dropLast().firstIndex(of: "\n") == nil
}

/// Inserts `transactions` commits of `rowsPerCommit` synthetic startups each, straight through Python's sqlite3
/// (no frenchtech code), named `prefix` + a running number. Returns the Python process, already started.
func startSyntheticWriter(_ db: String, prefix: String, transactions: Int, rowsPerCommit: Int) throws -> Process {
    try launch(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
        import sqlite3, sys
        db, prefix, transactions, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        con = sqlite3.connect(db, timeout=30, isolation_level=None)
        con.execute("PRAGMA synchronous = NORMAL")
        sector = con.execute("SELECT id FROM sectors ORDER BY id LIMIT 1").fetchone()[0]
        n = 0
        for t in range(transactions):
            con.execute("BEGIN IMMEDIATE")
            for r in range(per):
                n += 1
                name = "%s%07d" % (prefix, n)
                con.execute("INSERT INTO startups (name, name_key, sector_id, source) VALUES (?, ?, ?, 'synthetic')",
                            (name, name.lower(), sector))
            con.execute("COMMIT")
        """, db, prefix, String(transactions), String(rowsPerCommit)], stdin: FileHandle.standardInput, stderr: FileHandle.standardError)
}

extension Workspace {
    /// Runs a command that must be refused: `status`, one `error:` line mentioning `words`, nothing on stdout, and
    /// the registry exactly as it was.
    func refused(_ arguments: [String], status: Int32, mentioning words: [String],
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try snapshot()
        let result = try run(arguments)
        #expect(result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(isOneErrorLine(result.stderr), "\(result.stderr)", sourceLocation: sourceLocation)
        for word in words { #expect(result.stderr.contains(word), "\(result.stderr)", sourceLocation: sourceLocation) }
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(try snapshot() == before, sourceLocation: sourceLocation)
    }
}
