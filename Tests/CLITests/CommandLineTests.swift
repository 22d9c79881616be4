import ArgumentParser
import Foundation
import Testing
@testable import frenchtech

/// The command line itself: help that reads right, a mistyped command, `--db` before the subcommand.
@Suite struct CommandLineParsing {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    private func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }
    @Test func helpTexts() throws {
        // Help as one line of words, whatever width swift-argument-parser wrapped it to.
        func help(_ arguments: [String]) throws -> String {
            let result = try ws.run(arguments + ["--help"], useDB: false)
            #expect(result.status == 0)
            return result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let raw = try ws.run(["startup", "add", "--help"], useDB: false).stdout
        #expect(!raw.contains("\\\n") && !raw.contains("\\ "))
        let add = try help(["startup", "add"])
        #expect(add.components(separatedBy: "(default: manual entry)").count == 2)
        // Values listed once, by swift-argument-parser, not also in the text before them.
        #expect(!add.contains("ndjson. (values"))
        #expect(add.contains("Cohort year of the enrolment (needs --accelerator)."))
        let export = try help(["export", "startups"])
        #expect(!export.contains("name (the default)") && export.contains("id for an export"))
        #expect(!(try help(["partner", "add"])).contains("or other. (values"))
        let importHelp = try help(["import", "startups"])
        #expect(!importHelp.contains(",, ;") && importHelp.contains("(values: comma, semicolon)"))
        #expect(!(try help(["territory", "list"])).contains("derived = 1"))
    }
    @Test func aMistypedCommandSuggestsTheNearestName() throws {
        let before = try ws.snapshot()
        let root = try ws.run(["startp", "list"])
        #expect(root.status == 64)
        #expect(lines(root.stderr) == ["error: unknown command 'startp'; did you mean 'startup', 'stats'? (see `frenchtech --help`)"])
        let nested = try ws.run(["startup", "lst"])
        #expect(nested.status == 64)
        #expect(lines(nested.stderr) == ["error: unknown command 'lst'; did you mean 'list'? (see `frenchtech startup --help`)"])
        #expect(try ws.snapshot() == before)
    }
    @Test func dbIsAcceptedBeforeTheSubcommand() throws {
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC"])
        for arguments in [["--db", ws.db, "startup", "list", "--format", "json"], ["--db=" + ws.db, "startup", "list", "--format", "json"]] {
            let result = try ws.run(arguments, useDB: false)
            #expect(result.status == 0, "\(result.stderr)")
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(listed.map { $0["name"] as? String } == [try pythonScalar(ws.db, "SELECT name FROM startups")])
        }
        // The path given first is the one used: a missing file is refused, not replaced by the default.
        let missing = try ws.run(["--db", ws.path("nowhere.sqlite"), "startup", "list"], useDB: false)
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: ws.path("nowhere.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: ws.path("frenchtech.sqlite")))
    }
}

/// Start-up time guard: a command without an explicit name makes swift-argument-parser derive it with
/// String(describing:), which scans every protocol conformance of the binary on each run.
@Test func everyCommandNamesItself() {
    func unnamed(_ command: ParsableCommand.Type) -> [String] {
        let configuration = command.configuration
        let here = configuration.commandName == nil ? ["\(command)"] : []
        return here + configuration.subcommands.flatMap(unnamed)
    }
    #expect(unnamed(Frenchtech.self) == [])
}
