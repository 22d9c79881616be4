import Foundation
import Testing

/// `-o FILE` and `--format xlsx` on every command that prints data: the workbook holds what `--format json`
/// prints (read back with openpyxl), other formats write to the file what they would print, and a command
/// that fails leaves no file.
@Suite struct OutputFile {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "NFC", "--siren", "012345674", "--employees", "12",
                   "--city", "Marseille", "--accelerator", "Jaguar", "--cohort", "2016"])
        try ws.ok(["startup", "add", "--name", "Étoile Santé", "--sector", "big data", "--city", "Aix-en-Provence"])
    }

    /// The sheets of a workbook as openpyxl reads them: name, then rows of cells (None for an empty one).
    func sheets(_ path: String) throws -> [[Any]] {
        let text = try python("""
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print(json.dumps([[ws.title, ws.freeze_panes, [[c.value for c in r] for r in ws.iter_rows()]] for ws in wb]))
            """, [path])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[Any]])
    }

    /// JSON objects as rows in the order of their keys (the JSON text's order, which the sheet's header follows).
    func rows(_ objects: [[String: Any]], _ header: [String]) -> [[NSObject]] {
        objects.map { object in header.map { (object[$0] as? NSObject) ?? NSNull() } }
    }

    @Test(arguments: [["stats", "jobs-by-sector"], ["stats", "by-accelerator"], ["stats", "by-city"], ["startup", "list"],
                      ["accelerator", "firms", "Jaguar"], ["sql", "SELECT name, siren, employees FROM startups ORDER BY id"]])
    func aWorkbookHoldsWhatJSONPrints(command: [String]) throws {
        let file = ws.path("out.xlsx")
        try ws.ok(command + ["--format", "xlsx", "-o", file])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try ws.ok(command + ["--format", "json"]).utf8)) as? [[String: Any]])
        let book = try sheets(file)
        #expect(book.count == 1)
        #expect(book[0][1] as? String == "A2", "the header is frozen")
        let table = try #require(book[0][2] as? [[Any]])
        let header = try #require(table.first as? [String])
        #expect(header == ShapeCLITests.keys(ofFirstObjectIn: try ws.ok(command + ["--format", "json"])))
        let cells = table.dropFirst().map { $0.map { $0 as? NSObject ?? NSNull() } }
        // Lists are one text cell, as `import` reads them; everything else is the JSON value itself.
        let expected = rows(json, header).map { $0.map { value in
            (value as? [String]).map { $0.isEmpty ? NSNull() : $0.joined(separator: "|") as NSObject } ?? value } }
        #expect(cells == expected, "\(command)")
    }

    /// A record with a list: its fields on one sheet, the list on another; a SIREN stays text, its zero kept.
    @Test func aRecordAndItsListsAreSheets() throws {
        let file = ws.path("share.xlsx")
        try ws.ok(["stats", "regional-share", "--by", "sector", "--format", "xlsx", "-o", file])
        let json = try #require(try ws.json(["stats", "regional-share", "--by", "sector"]) as? [String: Any])
        let book = try sheets(file)
        #expect(book.map { $0[0] as? String } == ["figures", "sectors"])
        let fields = try #require(book[0][2] as? [[Any]])
        let header = try #require(fields.first as? [String])
        for (key, value) in zip(header, fields[1]) {
            #expect((value as? NSObject ?? NSNull()) == (json[key] as? NSObject ?? NSNull()), "\(key)")
        }
        #expect((book[1][2] as? [[Any]])?.count == 1 + ((json["sectors"] as? [Any])?.count ?? -1))
        let list = ws.path("list.xlsx")
        try ws.ok(["startup", "list", "--format", "xlsx", "-o", list])
        let startups = try #require(try sheets(list)[0][2] as? [[Any]])
        #expect(startups.contains { ($0[2] as? String) == "012345674" })
    }

    @Test func otherFormatsWriteWhatTheyPrint() throws {
        for format in ["table", "csv", "json", "ndjson"] {
            let file = ws.path("out.\(format)")
            let printed = try ws.ok(["stats", "by-city", "--format", format])
            #expect(try ws.ok(["stats", "by-city", "--format", format, "-o", file]).isEmpty)
            #expect(try String(contentsOfFile: file, encoding: .utf8) == printed, "\(format)")
        }
    }

    @Test func refusalsLeaveNoFile() throws {
        let before = try ws.snapshot()
        for (arguments, status) in [(["stats", "summary", "--format", "xlsx"], Int32(64)),
                                    (["stats", "summary", "--format", "xlsx", "-o", "-"], 64),
                                    (["startup", "list", "--city", "Nowhere", "-o", ws.path("gone.csv"), "--format", "csv"], 65),
                                    (["stats", "summary", "--format", "json", "-o", ws.db], 1)] {
            let result = try ws.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(isOneErrorLine(result.stderr), "\(result.stderr)")
        }
        #expect(try ws.snapshot() == before)
        let files = try FileManager.default.contentsOfDirectory(atPath: ws.folder.path)
        #expect(files.allSatisfy { $0.hasPrefix("registry.sqlite") }, "\(files)")
    }
}
