import Foundation
import Testing

/// `init`, the default database, `--db`, migrations and the seeded lists, through the real binary.
@Suite struct InitAndSeeds {
    let ws: Workspace
    init() throws { ws = try Workspace() }

    @Test func initSeedsTheArticleFacts() throws {
        try ws.initialise()
        let accelerators = try #require(try ws.json(["accelerator", "list"]) as? [[String: Any]])
        let pilots = Set(accelerators.compactMap { $0["pilot"] as? String })
        #expect(pilots == ["voyageprive", "StarDust", "Telfrance Serie", "Jaguar", "gemalto", "P/factory", "NetAngels", "Kedge"])
        let jaguar = try #require(accelerators.first { $0["name"] as? String == "Jaguar" })
        #expect(jaguar["sector"] as? String == "big data")
        #expect(jaguar["id"] is Int)
        let partners = try #require(try ws.json(["partner", "list"]) as? [[String: Any]])
        let kinds = partners.reduce(into: [String: Int]()) { $0[$1["kind"] as? String ?? "", default: 0] += 1 }
        #expect(kinds == ["city": 2, "intercommunality": 2, "state": 1])
    }

    @Test func seededRowsCarryTheirSourceAndTheNomenclatureIsComplete() throws {
        try ws.initialise()
        let dumped = try dump(ws.db)
        // 732 sub-classes in INSEE's NAF rev. 2: counted from the shipped CSV independently of the loader.
        let naf = try String(contentsOf: repoRoot.appending(path: "Seeds/0002_naf_rev2.csv"), encoding: .utf8)
        let codes = naf.split(whereSeparator: \.isNewline).dropFirst().filter { $0.first?.isNumber == true }.count
        #expect(codes == 732)
        let nafSection = dumped.components(separatedBy: "== naf_codes\n")[1].components(separatedBy: "==")[0]
        #expect(nafSection.split(separator: "\n").count == codes)
        #expect(nafSection.contains("('62.01Z', 'Programmation informatique'"))
        let territories = dumped.components(separatedBy: "== territories\n")[1].components(separatedBy: "==")[0]
        #expect(territories.contains("'Aix-Marseille', 'metropolis', 1, 40000, 0.55, 7000, 8000000000, 2014, '2014-11-12', 0"))
        #expect(territories.contains("72727"))  // 40,000 / 0.55, derived
    }

    @Test func reRunningInitChangesNoRow() throws {
        try ws.initialise()
        let before = try ws.snapshot()
        let second = try ws.run(["init"])
        #expect(second.status == 0)
        #expect(second.stderr.contains("up to date"))
        #expect(try ws.snapshot() == before)
    }

    @Test func emptyInitHasSchemaButNoFacts() throws {
        try ws.ok(["init", "--empty"])
        #expect(try ws.json(["accelerator", "list"]) as? [Any] != nil)
        #expect((try ws.json(["accelerator", "list"]) as? [Any])?.isEmpty == true)
        #expect(try ws.ok(["accelerator", "list"]) == "no accelerators\n")
    }

    @Test func namedMissingDatabaseIsAnError() throws {
        let missing = ws.folder.appending(path: "typo.sqlite").path
        let result = try ws.run(["accelerator", "list", "--db", missing])
        #expect(result.status == 66)
        #expect(result.stderr == "error: no registry at \(missing); create one with `frenchtech init --db \(missing)`\n")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func environmentVariableNamesTheDatabase() throws {
        let path = ws.folder.appending(path: "env.sqlite").path
        let missing = try ws.run(["accelerator", "list"], environment: ["FRENCHTECH_DB": path], useDB: false)
        #expect(missing.status == 66)
        try ws.ok(["init", "--db", path])
        let found = try ws.run(["accelerator", "list", "--format", "csv"], environment: ["FRENCHTECH_DB": path], useDB: false)
        #expect(found.status == 0)
        #expect(found.stdout.split(whereSeparator: \.isNewline).count == 9)  // header + 8 programmes
    }

    @Test func defaultDatabaseIsCreatedOnFirstUseWithOneNote() throws {
        let first = try ws.run(["partner", "list", "--format", "csv"], useDB: false)
        #expect(first.status == 0)
        #expect(first.stderr.split(separator: "\n").count == 1)
        #expect(first.stderr.hasPrefix("note: created the registry frenchtech.sqlite"))
        #expect(FileManager.default.fileExists(atPath: ws.folder.appending(path: "frenchtech.sqlite").path))
        let second = try ws.run(["partner", "list", "--format", "csv"], useDB: false)
        #expect(second.stderr.isEmpty)
        #expect(second.stdout == first.stdout)
    }

    @Test func migrateStatusListsAppliedMigrations() throws {
        try ws.initialise()
        let status = try #require(try ws.json(["migrate", "--status"]) as? [[String: Any]])
        let files = try FileManager.default.contentsOfDirectory(atPath: repoRoot.appending(path: "Migrations").path)
            .filter { $0.hasSuffix(".sql") }
        #expect(status.count == files.count)
        #expect(status.allSatisfy { $0["status"] as? String == "applied" && $0["applied_at"] is String })
    }

    @Test func integrityCheckIsOk() throws {
        try ws.initialise()
        let result = try python("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('PRAGMA integrity_check').fetchone()[0], c.execute('PRAGMA foreign_key_check').fetchall())", [ws.db])
        #expect(result == "ok []\n")
    }

    @Test func notADatabaseIsRefusedWithoutTouchingIt() throws {
        let path = ws.folder.appending(path: "notes.sqlite")
        let text = Data("name,sector\n".utf8 + Array(repeating: UInt8(ascii: "x"), count: 5000))
        try text.write(to: path)
        let result = try ws.run(["startup", "list", "--db", path.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: \(path.path) is not a frenchtech registry"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try Data(contentsOf: path) == text)
    }

    @Test func folderAsDatabaseIsRefused() throws {
        let result = try ws.run(["startup", "list", "--db", ws.folder.path])
        #expect(result.status == 66)
        #expect(result.stderr.hasPrefix("error: \(ws.folder.path) is a folder"))
    }

    @Test func usageErrorsExit64WithOneErrorLine() throws {
        let result = try ws.run(["startup", "list", "--format", "xml"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let unknown = try ws.run(["startup", "frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("frenchtech startup --help"))
    }

    @Test func helpHasAnExample() throws {
        let help = try ws.run(["startup", "add", "--help"], useDB: false)
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example: frenchtech startup add"))
    }
}

/// The repository's root, found from this file's path: tests read the repository's own files, never ../shared.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The binary carries its migrations and seeds: a copy alone in an empty folder creates a seeded registry.
@Test func binaryCopiedAloneCreatesASeededRegistry() throws {
    let ws = try Workspace()
    let copy = ws.folder.appending(path: "frenchtech")
    try FileManager.default.copyItem(at: Workspace.binary, to: copy)
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "FRENCHTECH_DB")
    let result = try runToEnd(copy, ["stats", "summary", "--format", "json"], in: ws.folder, environment: env)
    #expect(result.status == 0)
    let created = ws.folder.appending(path: "frenchtech.sqlite").path
    let dumped = try dump(created)
    #expect(dumped.components(separatedBy: "== accelerators\n")[1].components(separatedBy: "==")[0].split(separator: "\n").count == 8)
    #expect(dumped.components(separatedBy: "== naf_codes\n")[1].components(separatedBy: "==")[0].split(separator: "\n").count == 732)
    #expect(!result.stdout.isEmpty)
}
