import Foundation
import Testing

// "Nothing lost, nothing let through", classes 1 and 2: the files the tool writes (`export -o`, `backup`) and the
// output it writes on stdout. Every case runs the real binary; files are read back with Python's sqlite3 or as bytes.

/// The spellings of the registry and of its -wal, -shm and -journal that a command could be asked to write over,
/// relative to the workspace folder (the binary's current folder). Makes the links and the folder they need.
private func registrySpellings(_ ws: Workspace) throws -> [String] {
    try FileManager.default.createDirectory(atPath: ws.path("sub"), withIntermediateDirectories: true)
    #expect(symlink("registry.sqlite", ws.path("link.sqlite")) == 0)
    #expect(link(ws.db, ws.path("hard.sqlite")) == 0)
    return ["registry.sqlite", "./registry.sqlite", "sub/../registry.sqlite", ws.db, "link.sqlite", "hard.sqlite",
            "registry.sqlite-wal", "./registry.sqlite-shm", "sub/../registry.sqlite-journal"]
}

/// Names in the workspace folder that look like a temporary file of this tool or of an earlier one.
private func temporaries(_ ws: Workspace) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: ws.folder.path).filter { $0.contains(".tmp-") || $0.contains(".backup-") }
}

/// Starts `frenchtech ARGS --db DB` with no signal blocked nor ignored, as from a terminal: the test process may
/// block signals in its threads, and a child inherits that mask (Foundation's Process keeps it). Python clears it
/// and execs; SIGINT, SIGTERM and SIGPIPE get their default action.
private func startWithSignalsDelivered(_ ws: Workspace, _ arguments: [String]) throws -> Process {
    try launch(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
        import os, signal, sys
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(s, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        os.execv(sys.argv[1], sys.argv[1:])
        """, Workspace.binary.path] + arguments + ["--db", ws.db], in: ws.folder)
}

@Suite(.serialized) struct HardeningFilesTests {
    let ws: Workspace

    init() throws {
        ws = try Workspace()
        try ws.initialise()
        try ws.ok(["generate", "--firms", "300", "--seed", "5"])
    }

    // MARK: 1. Never over the registry

    @Test(arguments: ["export", "backup"])
    func neverWritesOverTheRegistryUnderAnySpelling(_ command: String) throws {
        let spellings = try registrySpellings(ws)
        let rows = try dump(ws.db)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ws.db))
        for target in spellings {
            for db in [ws.db, "registry.sqlite", "./link.sqlite"] {
                let arguments = command == "export" ? ["export", "startups", "-o", target] : ["backup", target, "--force"]
                let result = try ws.run(arguments + ["--db", db])
                #expect(result.status == 1, "\(command) \(target) --db \(db)")
                #expect(isOneErrorLine(result.stderr) && result.stderr.contains("the registry"), "\(target): \(result.stderr)")
                #expect(try dump(ws.db) == rows, "\(target): the registry's rows, read by Python")
                #expect(try Data(contentsOf: URL(fileURLWithPath: ws.db)) == bytes, "\(target): the registry's bytes")
                #expect(!FileManager.default.fileExists(atPath: ws.path("registry.sqlite-journal")), "\(target)")
                #expect(try temporaries(ws).isEmpty)
            }
        }
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: ws.path("link.sqlite"))
        #expect(link == "registry.sqlite", "the link is still a link to the registry")
        #expect(try ws.run(["check"]).status == 0)
    }

    /// The old temporary names were `FILE.tmp-PID` (export) and `.FILE.backup-PID` (backup): links planted under
    /// them for the next few thousand process ids point at a file that must come out untouched.
    @Test func aLinkPlantedAtTheTemporaryNameDoesNotRedirectTheWrite() throws {
        let victim = ws.path("victim.txt")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        let pid = Int(try ws.shell("echo $$").stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
        for next in pid + 1...pid + 3000 {
            symlink(victim, ws.path("out.csv.tmp-\(next)"))
            symlink(victim, ws.path(".copy.sqlite.backup-\(next)"))
        }
        let expected = try ws.ok(["export", "startups"])
        try ws.ok(["export", "startups", "-o", "out.csv"])
        try ws.ok(["backup", "copy.sqlite"])
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        let out = try FileManager.default.attributesOfItem(atPath: ws.path("out.csv"))
        #expect(out[.type] as? FileAttributeType == .typeRegular)
        #expect(try String(contentsOfFile: ws.path("out.csv"), encoding: .utf8) == expected)
        #expect(try dump(ws.path("copy.sqlite")) == dump(ws.db))
    }

    @Test func replacingAFileKeepsItsPermissions() throws {
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: ws.path("out.csv")))
        chmod(ws.path("out.csv"), 0o600)
        try ws.ok(["export", "startups", "-o", "out.csv"])
        let mode = try FileManager.default.attributesOfItem(atPath: ws.path("out.csv"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try ws.ok(["export", "startups", "-o", "new.csv"])
        let fresh = try FileManager.default.attributesOfItem(atPath: ws.path("new.csv"))[.posixPermissions] as? Int
        #expect(fresh.map { $0 & 0o600 } == 0o600, "readable and writable by its owner, as a new file")
        // A link is followed: the file it names is replaced, the link stays.
        #expect(symlink("out.csv", ws.path("alias.csv")) == 0)
        try ws.ok(["export", "startups", "--format", "ndjson", "-o", "alias.csv"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: ws.path("alias.csv")) == "out.csv")
        #expect(try String(contentsOfFile: ws.path("out.csv"), encoding: .utf8) == ws.ok(["export", "startups", "--format", "ndjson"]))
    }

    // MARK: 1. Only regular files

    /// A folder, a FIFO, a socket, a device, links to them and a dangling link: one error line, nothing written.
    /// `/dev/null` is a device like any other: refused (`-o -` with `> /dev/null` is the way to discard).
    @Test func targetsThatAreNotRegularFilesAreRefused() throws {
        try FileManager.default.createDirectory(atPath: ws.path("folder"), withIntermediateDirectories: true)
        #expect(mkfifo(ws.path("fifo"), 0o644) == 0)
        try python("import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", [ws.path("socket")])
        for (name, destination) in [("to-folder", "folder"), ("to-fifo", "fifo"), ("to-null", "/dev/null"), ("dangling", "nowhere")] {
            #expect(symlink(destination, ws.path(name)) == 0)
        }
        let targets = ["folder", "folder/", "fifo", "socket", "/dev/null", "/dev/zero", "to-folder", "to-fifo", "to-null", "dangling"]
        let before = try FileManager.default.contentsOfDirectory(atPath: ws.folder.path).sorted()
        let rows = try dump(ws.db)
        for target in targets {
            for arguments in [["export", "startups", "-o", target], ["backup", target, "--force"]] {
                let result = try ws.run(arguments)
                #expect(result.status == 1, "\(arguments)")
                #expect(isOneErrorLine(result.stderr), "\(arguments): \(result.stderr)")
                #expect(result.stdout.isEmpty)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.folder.path).sorted() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path("folder")).isEmpty)
        #expect(try dump(ws.db) == rows)
        let devNull = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(devNull[.type] as? FileAttributeType == .typeCharacterSpecial)
        let fifo = try ws.run(["export", "startups", "-o", "fifo"])
        #expect(fifo.stderr == "error: fifo is a named pipe (FIFO), not a regular file; give the path of a regular file to write\n")
        let null = try ws.run(["export", "startups", "-o", "/dev/null"])
        #expect(null.stderr == "error: /dev/null is a character device, not a regular file; give the path of a regular file to write\n")
    }

    @Test func dashIsStandardOutput() throws {
        let expected = try ws.ok(["export", "startups", "--format", "ndjson"])
        #expect(try ws.ok(["export", "startups", "--format", "ndjson", "-o", "-"]) == expected)
        #expect(!expected.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: ws.path("-")))
    }

    /// The README's `frenchtech backup backups/aix-$(date +%F).sqlite`, on a fresh folder.
    @Test func missingFoldersAreCreated() throws {
        let backup = try ws.shell("\"$FT\" backup backups/aix-$(date +%F).sqlite --db \"$DB\"")
        #expect(backup.status == 0, "\(backup.stderr)")
        let made = try FileManager.default.contentsOfDirectory(atPath: ws.path("backups"))
        #expect(made.count == 1 && made[0].hasPrefix("aix-"))
        #expect(try dump(ws.path("backups/" + made[0])) == dump(ws.db))
        try ws.ok(["export", "startups", "--format", "json", "-o", "exports/2026/startups.json"])
        #expect(try ws.ok(["export", "startups", "--format", "json"]) == String(contentsOfFile: ws.path("exports/2026/startups.json"), encoding: .utf8))
        // A file where a folder should be: refused, nothing made.
        try Data().write(to: URL(fileURLWithPath: ws.path("plain")))
        let blocked = try ws.run(["export", "startups", "-o", "plain/x/out.csv"])
        #expect(blocked.status == 1 && isOneErrorLine(blocked.stderr), "\(blocked.stderr)")
    }

    // MARK: 1. No temporary left behind

    /// A file size limit (`ulimit -f`, SIGXFSZ ignored: EFBIG) makes the write fail half-way.
    @Test func aFailedWriteLeavesNoTemporaryAndNoTarget() throws {
        try ws.ok(["generate", "--firms", "20000", "--seed", "6"])
        let rows = try dump(ws.db)
        for command in ["\"$FT\" export startups -o out.csv --db \"$DB\"",
                        "\"$FT\" export startups --format json -o out.csv --db \"$DB\"",
                        "\"$FT\" backup out.csv --db \"$DB\""] {
            let result = try ws.shell("trap '' XFSZ; ulimit -f 256; \(command)")
            #expect(result.status == 1, "\(command)")
            #expect(isOneErrorLine(result.stderr), "\(command): \(result.stderr)")
            #expect(try temporaries(ws).isEmpty, "\(command)")
            #expect(!FileManager.default.fileExists(atPath: ws.path("out.csv")))
        }
        let export = try ws.shell("trap '' XFSZ; ulimit -f 256; \"$FT\" export startups -o out.csv --db \"$DB\"")
        #expect(export.stderr == "error: cannot write output: File too large\n")
        // Redirected stdout on a disk that fills up: the same line, exit 1.
        for format in ["table", "csv", "json", "ndjson"] {
            let sql = try ws.shell("trap '' XFSZ; ulimit -f 256; \"$FT\" sql 'SELECT * FROM startups' --format \(format) --db \"$DB\" > out.txt")
            #expect(sql.status == 1 && sql.stderr == "error: cannot write output: File too large\n", "\(format): \(sql.stderr)")
        }
        #expect(try dump(ws.db) == rows)
    }

    /// SIGINT and SIGTERM sent while an export or a backup of a 200,000-row registry runs: the process ends by that
    /// signal, as without the handler, and leaves neither the target nor a temporary.
    @Test(arguments: ["export", "export-xlsx", "backup"])
    func aSignalMidWriteLeavesNoTemporary(_ command: String) throws {
        let writer = try startSyntheticWriter(ws.db, prefix: "Synthetic ", transactions: 20, rowsPerCommit: 10_000)
        writer.waitUntilExit()
        for signal in [SIGINT, SIGTERM] {
            var landed = false
            for attempt in 0..<8 where !landed {
                let target = "target-\(signal)-\(attempt).out"
                let process = try startWithSignalsDelivered(ws, command == "export" ? ["export", "startups", "-o", target]
                    : command == "export-xlsx" ? ["export", "startups", "--format", "xlsx", "-o", target] : ["backup", target])
                // Wait for the temporary to appear, then signal.
                let deadline = Date().addingTimeInterval(20)
                while process.isRunning, try temporaries(ws).isEmpty, Date() < deadline { usleep(500) }
                kill(process.processIdentifier, signal)
                process.waitUntilExit()
                if process.terminationReason == .uncaughtSignal {
                    landed = true
                    #expect(process.terminationStatus == signal)
                    #expect(!FileManager.default.fileExists(atPath: ws.path(target)), "\(target)")
                } else {
                    #expect(process.terminationStatus == 0, "finished before the signal: a complete file")
                }
                #expect(try temporaries(ws).isEmpty, "\(command) after signal \(signal)")
            }
            #expect(landed, "no \(signal) landed during a \(command): the test proved nothing")
        }
        #expect(try ws.run(["check"]).status == 0)
    }

    // MARK: 2. Every write is checked

    @Test func aFullDiskIsAnErrorInEveryFormatAndCommand() throws {
        let sql = "'SELECT id, name, employees FROM startups'"
        var commands: [String] = []
        for format in ["table", "csv", "json", "ndjson"] {
            commands += ["startup list --format \(format)", "sql \(sql) --format \(format)", "check --format \(format)",
                         "stats jobs-by-sector --format \(format)", "startup show 1 --format \(format)"]
        }
        for format in ["csv", "json", "ndjson"] {
            commands += ["export startups --format \(format)", "export startups --format \(format) -o -"]
        }
        commands += ["stats jobs-by-sector --chart"]
        for command in commands.map({ $0 + " --db \"$DB\"" }) + ["--help", "--version", "startup list --help"] {
            let result = try ws.shell("\"$FT\" \(command) > /dev/full")
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr == "error: cannot write output: No space left on device\n", "\(command): \(result.stderr)")
        }
    }

    @Test func aClosedStandardOutputIsAnError() throws {
        for command in ["startup list", "check", "sql 'SELECT 1'", "export startups", "stats jobs-by-sector --format json"] {
            let result = try ws.shell("\"$FT\" \(command) --db \"$DB\" >&-")
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr == "error: cannot write output: Bad file descriptor\n", "\(command): \(result.stderr)")
        }
        // Nothing meant for stdout lands in a file opened while it is closed.
        let result = try ws.shell("\"$FT\" export startups -o out.csv --db \"$DB\" >&-")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: ws.path("out.csv"), encoding: .utf8) == ws.ok(["export", "startups"]))
    }

    /// A reader that stops early (`| head -1`) ends the command at once and silently: SIGPIPE's default action, status
    /// 141 in the shell, even when the caller ignored SIGPIPE (`trap '' PIPE`, as Python and this test process do).
    @Test func aClosedPipeEndsQuietly() throws {
        try ws.ok(["generate", "--firms", "3000", "--seed", "7"])
        for command in ["startup list", "startup list --format csv", "startup list --format json", "sql 'SELECT * FROM startups'",
                        "export startups", "export startups --format ndjson"] {
            for ignored in [false, true] {
                let result = try ws.shell("\(ignored ? "trap '' PIPE; " : "")\"$FT\" \(command) --db \"$DB\" | head -1; echo \"status ${PIPESTATUS[0]}\"")
                let lines = result.stdout.split(whereSeparator: \.isNewline)
                #expect(lines.count == 2, "\(command): \(result.stdout.prefix(300))")
                #expect(lines.last == "status 141", "\(command), SIGPIPE ignored: \(ignored)")
                #expect(result.stderr.isEmpty, "\(command): \(result.stderr)")
            }
        }
    }
}
