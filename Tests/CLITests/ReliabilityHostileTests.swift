import Foundation
import Testing

/// Files that are not a healthy registry, given as --db: each command fails with one `error:` line and the
/// documented exit code, writes nothing, and never crashes.
@Suite struct ReliabilityHostileDatabases {
    enum Kind: String, CaseIterable, Sendable {
        case textFile, randomBytes, truncatedHalf, truncatedToHeader, zeroBytes, emptySQLite, foreignSQLite, folder,
             newerSchema, readOnlyFile
    }

    /// Makes the hostile file at `path` from a healthy registry there; Python writes every damage.
    static func make(_ kind: Kind, at path: String) throws {
        let script: String = switch kind {
        case .textFile: "open(p, 'w').write('name,sector\\nCalanques Pay,e-commerce\\n')"
        case .randomBytes: "import random; random.seed(6); open(p, 'wb').write(bytes(random.getrandbits(8) for _ in range(65536)))"
        case .truncatedHalf: "import os; os.truncate(p, os.path.getsize(p) // 2)"
        case .truncatedToHeader: "import os; os.truncate(p, 100)"
        case .zeroBytes: "import os; os.truncate(p, 0)"
        case .emptySQLite: "import os, sqlite3; os.remove(p); c = sqlite3.connect(p); c.execute('CREATE TABLE t (x)'); c.execute('DROP TABLE t'); c.close()"
        case .foreignSQLite: "import os, sqlite3; os.remove(p); c = sqlite3.connect(p); c.execute('CREATE TABLE moz_places (url TEXT)'); c.execute(\"INSERT INTO moz_places VALUES ('https://example.org')\"); c.commit()"
        case .folder: "import os; os.remove(p); os.mkdir(p)"
        case .newerSchema: "import sqlite3; c = sqlite3.connect(p); c.execute('PRAGMA user_version = 99'); c.commit()"
        case .readOnlyFile: "import os; os.chmod(p, 0o444)"
        }
        try python("import sys\np = sys.argv[1]\n" + script, [path])
    }

    /// The commands tried on each file, with the exit code each must give. Reading a read-only registry, and
    /// backing up one from a newer frenchtech, are no failures.
    static func cases() -> [(Kind, [String], Int32)] {
        let commands: [(String, [String])] = [
            ("list", ["startup", "list"]),
            ("add", ["startup", "add", "--name", "Hostile", "--sector", "NFC"]),
            ("sector", ["sector", "add", "hostile"]),
            ("migrate", ["migrate"]),
            ("init", ["init"]),
            ("check", ["check"]),
            ("backup", ["backup", "out/copy.sqlite"]),
        ]
        var result: [(Kind, [String], Int32)] = []
        for kind in Kind.allCases {
            for (name, arguments) in commands {
                let status: Int32
                switch (kind, name) {
                case (.zeroBytes, "init"), (.emptySQLite, "init"): continue  // init makes them registries: tested below
                case (.folder, _): status = 66
                case (.newerSchema, "backup"): status = 0
                case (.readOnlyFile, "list"), (.readOnlyFile, "check"), (.readOnlyFile, "backup"), (.readOnlyFile, "init"),
                     (.readOnlyFile, "migrate"): status = 0  // nothing to migrate: nothing to write
                default: status = 1
                }
                result.append((kind, arguments, status))
            }
        }
        return result
    }

    static let nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups"

    @Test(arguments: cases())
    func failsInOneLineAndWritesNothing(kind: Kind, arguments: [String], status: Int32) throws {
        let ws = try Workspace()
        try FileManager.default.copyItem(atPath: ReliabilityHostileInput.template, toPath: ws.db)
        try FileManager.default.createDirectory(atPath: ws.path("out"), withIntermediateDirectories: false)
        try Self.make(kind, at: ws.db)
        let before = try fileState(ws.db)
        let result: CLIResult
        if kind == .readOnlyFile && geteuid() == 0 {
            // root writes to any file: run as nobody, in a folder nobody may write (for SQLite's -shm).
            try python("import os, sys; [os.chmod(p, 0o777) for p in sys.argv[1:]]", [ws.folder.path, ws.path("out")])
            let quoted = (arguments + ["--db", ws.db]).map { "'" + $0.replacing("'", with: "'\\''") + "'" }.joined(separator: " ")
            result = try ws.shell("\(Self.nobody) \"$FT\" \(quoted)")
        } else {
            result = try ws.run(arguments)
        }
        #expect(result.status == status, "\(kind) \(arguments): \(result.stderr)")
        if status != 0 {
            #expect(isOneErrorLine(result.stderr), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: ws.path("out/copy.sqlite")))
        }
        if arguments.first != "backup" || status != 0 {
            #expect(try fileState(ws.db) == before, "\(kind) \(arguments) changed the file or left one beside it")
        }
    }

    @Test(arguments: [Kind.zeroBytes, .emptySQLite])
    func initMakesAnEmptyFileARegistry(kind: Kind) throws {
        let ws = try Workspace()
        try ws.initialise()
        try Self.make(kind, at: ws.db)
        try ws.ok(["init"])
        try ws.ok(["check"])
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM accelerators") == "8", "seeded with the article's eight programmes")
    }
}

/// Bad input to the commands that write, each refused with its exit code and the registry's rows unchanged.
/// NUL bytes and 1 MB fields cannot be command-line arguments (C strings; 128 KiB per argument): they are
/// tried through `import` (ReliabilityAfterMergeTests) and the CSV reader's property tests.
@Suite struct ReliabilityHostileInput {
    struct BadInput: Sendable, CustomTestStringConvertible {
        let label: String
        /// Arguments, or a bash command line using "$FT" and "$DB" for arguments a Swift String cannot hold.
        let arguments: [String]
        let shell: String?
        let status: Int32
        var testDescription: String { label }

        init(_ label: String, _ arguments: [String], _ status: Int32 = 65) {
            self.label = label
            self.arguments = arguments
            shell = nil
            self.status = status
        }

        init(_ label: String, shell: String, _ status: Int32 = 65) {
            self.label = label
            arguments = []
            self.shell = shell
            self.status = status
        }
    }

    static func add(_ extra: [String], name: String = "Newco", sector: String = "NFC") -> [String] {
        ["startup", "add", "--name", name, "--sector", sector] + extra
    }

    static let table: [BadInput] = [
        // Names
        BadInput("empty name", add([], name: "")),
        BadInput("blank name", add([], name: "   ")),
        BadInput("10,000-character name", add([], name: String(repeating: "é", count: 10_000))),
        BadInput("100,000-character city", add(["--city", String(repeating: "x", count: 100_000)])),
        BadInput("line break in name", add([], name: "Calanques\nPay")),
        BadInput("tab in name", add([], name: "Calanques\tPay")),
        BadInput("escape sequence in name", add([], name: "\u{1B}[31mRed")),
        BadInput("BOM in the middle of a name", add([], name: "Calanques\u{FEFF}Pay")),
        BadInput("right-to-left override in name", add([], name: "Pay\u{202E}lacs")),
        BadInput("zero-width space in name", add([], name: "Existing\u{200B}")),
        BadInput("invalid UTF-8 in name", shell: #""$FT" startup add --name "$(printf 'Bad\377\376Name')" --sector NFC --db "$DB""#),
        BadInput("invalid UTF-8 in city", shell: #""$FT" startup add --name Newco --sector NFC --city "$(printf 'Marseille\300')" --db "$DB""#),
        BadInput("truncated UTF-8 sequence", shell: #""$FT" startup add --name "$(printf 'Soci\303')" --sector NFC --db "$DB""#),
        BadInput("name taken, other case and accents", add([], name: "ÉXISTING")),
        // Identifiers
        BadInput("SIREN taken", add(["--siren", "732 829 320"])),
        BadInput("SIREN with a letter", add(["--siren", "73282932O"])),
        BadInput("SIREN with a wrong check digit", add(["--siren", "732829321"])),
        BadInput("SIREN of ten digits", add(["--siren", "7328293201"])),
        BadInput("SIREN in full-width digits", add(["--siren", "７３２８２９３２０"])),
        BadInput("SIRET of another SIREN", add(["--siren", "552100554", "--siret", "44306184100047"])),
        BadInput("NAF code not in the nomenclature", add(["--naf", "99.99Z"])),
        BadInput("NAF code malformed", add(["--naf", "62-01"])),
        // Numbers
        BadInput("employees past Int64", add(["--employees", "99999999999999999999"])),
        BadInput("employees at Int64.max + 1", add(["--employees", "9223372036854775808"])),
        BadInput("negative employees", add(["--employees=-5"])),
        BadInput("negative employees as a separate word", add(["--employees", "-5"])),  // the rules' refusal, 65
        BadInput("fractional employees", add(["--employees", "2.5"])),
        BadInput("employees in scientific notation", add(["--employees", "1e3"])),
        BadInput("employees with a decimal comma", add(["--employees", "12,5"])),
        BadInput("employees in Arabic-Indic digits", add(["--employees", "١٢"])),
        BadInput("negative revenue", add(["--revenue=-1"])),
        BadInput("revenue past Int64", add(["--revenue", "18446744073709551616"])),
        BadInput("founded before 1800", add(["--founded", "1799"])),
        BadInput("founded in the far future", add(["--founded", "9999"])),
        BadInput("founded as words", add(["--founded", "two thousand"])),
        BadInput("fractional cohort", add(["--accelerator", "Jaguar", "--cohort", "2015.5"])),
        // Injection through references
        BadInput("sector always true", add([], sector: "x' OR '1'='1")),
        BadInput("sector with a second statement", add([], sector: "NFC'; DROP TABLE startups; --")),
        BadInput("accelerator always true", add(["--accelerator", "' OR 1=1 --"])),
        BadInput("empty sector", add([], sector: "")),
        BadInput("remove with an always-true reference", ["startup", "remove", "' OR 1=1 --"]),
        BadInput("remove with a LIKE wildcard", ["startup", "remove", "%"]),
        BadInput("remove with a one-character wildcard", ["startup", "remove", "_xisting"]),
        BadInput("update with a LIKE wildcard", ["startup", "update", "%", "--employees", "3"]),
        BadInput("update to an invalid SIREN", ["startup", "update", "Existing", "--siren", "552100555"]),
        BadInput("update employees past Int64", ["startup", "update", "Existing", "--employees", "99999999999999999999"]),
        BadInput("join a programme by injection", ["startup", "join", "Existing", "--accelerator", "x' OR 'a'='a"]),
        BadInput("sector add of a 10,000-character name", ["sector", "add", String(repeating: "s", count: 10_000)]),
        // Usage
        BadInput("unknown option", ["startup", "add", "--nmae", "Newco", "--sector", "NFC"], 64),
        BadInput("option without its value", ["startup", "add", "--sector", "NFC", "--name"], 64),
        BadInput("unknown format", add(["--format", "xml"]), 64),
    ]

    /// A seeded registry with one startup, made once and copied for each case.
    static let template: String = {
        let folder = FileManager.default.temporaryDirectory.appending(path: "frenchtech-hostile-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ws = try! Workspace()
        try! ws.initialise()
        try! ws.ok(["startup", "add", "--name", "Existing", "--sector", "NFC", "--siren", "732829320"])
        let path = folder.appending(path: "template.sqlite").path
        try! FileManager.default.copyItem(atPath: ws.db, toPath: path)
        return path
    }()

    @Test(arguments: table)
    func isRefusedAndChangesNoRow(_ input: BadInput) throws {
        let ws = try Workspace()
        try FileManager.default.copyItem(atPath: Self.template, toPath: ws.db)
        let before = try ws.snapshot()
        let result = try input.shell.map(ws.shell) ?? ws.run(input.arguments)
        #expect(result.status == input.status, "\(input.label): \(result.stderr)")
        #expect(isOneErrorLine(result.stderr), "\(input.label): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try ws.snapshot() == before, "\(input.label) changed a row")
    }

    @Test func tableHasFortyCasesAtLeast() {
        #expect(Self.table.count >= 40)
        #expect(Set(Self.table.map(\.label)).count == Self.table.count)
    }

    /// Text that looks like SQL is data: stored exactly as given, and nothing else changes.
    @Test(arguments: ["Robert'); DROP TABLE startups;--", "x' OR '1'='1", "\"; DELETE FROM sectors; --", "%_\\"])
    func sqlLookingNamesAreStoredVerbatim(_ name: String) throws {
        let ws = try Workspace()
        try FileManager.default.copyItem(atPath: Self.template, toPath: ws.db)
        let before = try pythonScalar(ws.db, "SELECT count(*) FROM startups")
        // Every table but startups, sector_totals, which its triggers keep in step with it, and sqlite_sequence,
        // where AUTOINCREMENT records the id given (migration 0005).
        func otherTables() throws -> [String] {
            try dump(ws.db).components(separatedBy: "== ").filter {
                !$0.hasPrefix("startups\n") && !$0.hasPrefix("sector_totals\n") && !$0.hasPrefix("sqlite_sequence\n")
            }
        }
        let others = try otherTables()
        try ws.ok(["startup", "add", "--name", name, "--sector", "NFC"])
        #expect(try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            print(con.execute("SELECT name FROM startups ORDER BY id DESC LIMIT 1").fetchone()[0], end="")
            """, [ws.db]) == name)
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM startups") == String(Int(before)! + 1))
        #expect(try otherTables() == others)
        // And found again by exactly that text, not as a pattern.
        #expect(try ws.run(["startup", "show", name]).status == 0)
    }
}
