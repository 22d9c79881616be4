import Foundation
import Testing

/// Several processes on one registry: writers queue instead of failing, readers never wait and never see half
/// of a transaction.
@Suite struct ReliabilityConcurrency {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    /// Starts `bash -c script` with $FT, $DB and $W (the writer's number) set.
    func startShell(_ script: String, writer: Int) throws -> Process {
        try launch(URL(fileURLWithPath: "/bin/bash"), ["-c", script], in: ws.folder,
                   environment: childEnvironment(["FT": Workspace.binary.path, "DB": ws.db, "W": String(writer)]),
                   stdout: FileHandle.standardOutput, stderr: FileHandle.standardError)
    }

    /// Python holds the write lock with `rows` uncommitted synthetic startups for `seconds`, then commits.
    /// Returns once the rows are inserted (Python says "ready").
    func holdWriteLock(rows: Int, seconds: Double) throws -> Process {
        let out = Pipe()
        let process = try launch(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import sqlite3, sys, time
            con = sqlite3.connect(sys.argv[1], isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            sector = con.execute("SELECT min(id) FROM sectors").fetchone()[0]
            for i in range(int(sys.argv[2])):
                name = "Held %06d" % i
                con.execute("INSERT INTO startups (name, name_key, sector_id, source) VALUES (?, ?, ?, 'synthetic')",
                            (name, name.lower(), sector))
            print("ready", flush=True)
            time.sleep(float(sys.argv[3]))
            con.execute("COMMIT")
            """, ws.db, String(rows), String(seconds)], stdin: FileHandle.standardInput, stdout: out, stderr: FileHandle.standardError)
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("ready") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        return process
    }

    /// The figure: 4 processes each registering 250 startups, one `startup add` process per startup,
    /// all at once. Every one succeeds; no error at all reaches stderr.
    @Test func fourWritersOf250StartupsEach() throws {
        let errors = ws.path("errors.txt")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        let script = """
            for i in $(seq 1 250); do
                "$FT" startup add --name "Writer $W startup $i" --sector NFC --employees "$i" --db "$DB" >/dev/null 2>>"\(errors)" \
                    || echo "writer $W startup $i: exit $?" >>"\(errors)"
            done
            """
        let started = Date()
        let writers = try (1...4).map { try startShell(script, writer: $0) }
        for writer in writers { writer.waitUntilExit() }
        let seconds = Date().timeIntervalSince(started)
        #expect(try String(contentsOfFile: errors, encoding: .utf8) == "", "errors reached the user")
        let expected = (1...4).flatMap { w in (1...250).map { "Writer \(w) startup \($0)" } }.sorted()
        let stored = try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for (name,) in con.execute("SELECT name FROM startups ORDER BY name"):
                print(name)
            """, [ws.db]).split(separator: "\n").map(String.init)
        #expect(stored == expected)
        #expect(try pythonScalar(ws.db, "SELECT sum(employees) FROM startups") == String(4 * 250 * 251 / 2))
        try ws.ok(["check"])
        print("1,000 startup add processes by 4 concurrent writers: \(Int(seconds)) s")
    }

    /// While another process holds the write lock over uncommitted rows, readers run at once and see the state
    /// before; a writer waits its turn and succeeds; after the commit everyone sees all of it.
    @Test func readersDoNotWaitAndSeeNoUncommittedRow() throws {
        try ws.ok(["startup", "add", "--name", "Before", "--sector", "NFC"])
        let listBefore = try ws.ok(["startup", "list", "--format", "csv"])
        let holder = try holdWriteLock(rows: 5_000, seconds: 6)
        #expect(holder.isRunning)

        let listDuring = try ws.run(["startup", "list", "--format", "csv"])
        let checkDuring = try ws.run(["check"])
        let backupDuring = try ws.run(["backup", ws.path("during.sqlite")])
        #expect(holder.isRunning, "the readers had to wait for the writer's commit")
        #expect(listDuring.status == 0 && listDuring.stdout == listBefore)
        #expect(checkDuring.status == 0, "\(checkDuring.stderr)")
        #expect(backupDuring.status == 0, "\(backupDuring.stderr)")
        #expect(try pythonScalar(ws.path("during.sqlite"), "SELECT count(*) FROM startups") == "1")

        let waiting = try ws.run(["startup", "add", "--name", "After", "--sector", "NFC"])
        #expect(waiting.status == 0, "a writer queued behind a 6 s transaction: \(waiting.stderr)")
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM startups") == "5002")
    }

    /// A lock held past one busy timeout (5 s) is waited out by retrying BEGIN IMMEDIATE; one held past all the
    /// retries (15 s) gives one plain error line, not SQLite's "database is locked", and changes nothing.
    @Test(arguments: [(7.0, true), (20.0, false)])
    func longLocksAreWaitedOutOrSaidPlainly(seconds: Double, succeeds: Bool) throws {
        let holder = try holdWriteLock(rows: 1, seconds: seconds)
        let result = try ws.run(["startup", "add", "--name", "Patient", "--sector", "NFC"])
        let stillHeld = holder.isRunning
        holder.waitUntilExit()
        if succeeds {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try pythonScalar(ws.db, "SELECT count(*) FROM startups WHERE name = 'Patient'") == "1")
        } else {
            #expect(stillHeld, "the lock was released before the command gave up: nothing was tested")
            #expect(result.status == 1)
            #expect(isOneErrorLine(result.stderr) && result.stderr.contains("busy") && !result.stderr.contains("locked"),
                    "\(result.stderr)")
            #expect(try pythonScalar(ws.db, "SELECT count(*) FROM startups WHERE name = 'Patient'") == "0")
        }
    }
}
