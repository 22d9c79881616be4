import Foundation
import Testing

/// `import startups --encoding`, on files written by LibreOffice and python3 (Tests/Fixtures/encodings/README.md):
/// what lands in the registry is read back with python3's sqlite3 and compared with the UTF-8 source as python3's
/// csv module reads it.
@Suite struct EncodingCLITests {
    let ws: Workspace
    static let fixtures = repoRoot.appending(path: "Tests/Fixtures/encodings")

    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    func fixture(_ name: String) -> String { Self.fixtures.appending(path: name).path }

    /// name, city, employees per row of a UTF-8 source, as python3 reads it ("" for an empty cell).
    func expectedRows(_ source: String) throws -> String {
        try python("""
            import csv, sys
            rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline=""), delimiter=";"))[1:]
            for r in rows: print(repr((r[0], r[3], r[4])))
            """, [fixture(source)])
    }

    /// The same columns as stored by this file's import.
    func storedRows() throws -> String {
        try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for name, city, employees in con.execute("SELECT name, coalesce(city, ''), coalesce(employees, '') FROM startups WHERE source LIKE 'import:%' ORDER BY id"):
                print(repr((name, city, str(employees))))
            """, [ws.db])
    }

    @Test(arguments: [
        ("firms-cp1252.csv", "firms-utf8.csv", "note: read firms-cp1252.csv as Windows-1252 (not valid UTF-8)"),
        ("firms-utf16.csv", "firms-utf8.csv", "note: read firms-utf16.csv as UTF-16 LE (byte order mark)"),
        ("firms-latin1.csv", "firms-latin1-source.csv", "note: read firms-latin1.csv as Windows-1252 (not valid UTF-8)"),
        ("firms-utf8.csv", "firms-utf8.csv", nil),
    ])
    func autoReadsEachEncodingWithAccentsIntact(file: String, source: String, note: String?) throws {
        let result = try ws.run(["import", "startups", fixture(file)])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        if let note {
            #expect(lines.first == note)
        } else {
            #expect(!result.stderr.contains("note: read"))
        }
        #expect(lines.last?.hasPrefix("note: imported \(file): 5 rows, 5 inserted") == true, "\(result.stderr)")
        #expect(try storedRows() == expectedRows(source))
    }

    @Test(arguments: [("firms-cp1252.csv", "windows-1252", "Windows-1252"), ("firms-utf16.csv", "utf-16", "UTF-16 LE"),
                      ("firms-latin1.csv", "latin-1", "Latin-1")])
    func aGivenEncodingIsReadAndNoted(file: String, option: String, name: String) throws {
        let result = try ws.run(["import", "startups", fixture(file), "--encoding", option])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("note: read \(file) as \(name) (--encoding \(option))\n"), "\(result.stderr)")
        #expect(try storedRows() == expectedRows(file == "firms-latin1.csv" ? "firms-latin1-source.csv" : "firms-utf8.csv"))
    }

    /// A line break inside quotes is counted as a line in every encoding: the refused row is named by the same
    /// line, with its accents, as in the UTF-8 file.
    @Test(arguments: ["firms-multiline-cp1252.csv", "firms-multiline-utf16.csv"])
    func lineBreaksInsideQuotesCountInEveryEncoding(file: String) throws {
        let before = try ws.snapshot()
        let utf8 = try ws.run(["import", "startups", fixture("firms-multiline-utf8.csv")])
        let other = try ws.run(["import", "startups", fixture(file)])
        #expect(utf8.status == 65 && other.status == 65)
        // The row starts on line 7 (header on 1, five firms on 2-6); its name is the text between the quotes.
        #expect(utf8.stderr.contains("error: line 7: invalid name 'Ligne\\nà deux': "), "\(utf8.stderr)")
        let errors = { (r: CLIResult) in r.stderr.split(separator: "\n").filter { $0.hasPrefix("error: line") } }
        #expect(errors(other) == errors(utf8))
        #expect(try ws.snapshot() == before)
    }

    @Test func utf8GivenOnAWindows1252FileGivesTheUTF8Error() throws {
        let before = try ws.snapshot()
        let result = try ws.run(["import", "startups", fixture("firms-cp1252.csv"), "--encoding", "utf-8"])
        #expect(result.status == 65)
        // Rows 2, 4, 5, 6 hold é, €/’, ’/Ô, à; row 3 holds è, which is not UTF-8 either: every row is refused.
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: line") }
        #expect(errors.count == 5)
        #expect(errors.first == "error: line 2: invalid UTF-8 in field 1 (save the file as UTF-8)")
        #expect(!result.stderr.contains("note: read"))
        #expect(try ws.snapshot() == before)
    }

    @Test func anUndefinedWindows1252ByteIsRefusedByLineAndByte() throws {
        let path = ws.folder.appending(path: "undefined.csv").path
        // 0x81 has no character in Windows-1252 (python3: b"\x81".decode("cp1252") raises); é is 0xE9.
        let bytes = Array("name;sector\nCaf".utf8) + [0xE9] + Array(";big data\nA".utf8) + [0x81] + Array("b;big data\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let before = try ws.snapshot()
        let result = try ws.run(["import", "startups", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("error: line 3: byte 0x81 in field 1 has no character in Windows-1252"), "\(result.stderr)")
        #expect(try ws.snapshot() == before)
        // As Latin-1 every byte is a character: 0x81 is the C1 control U+0081, which names refuse as a control character.
        let latin = try ws.run(["import", "startups", path, "--encoding", "latin-1"])
        #expect(latin.status == 65)
        #expect(latin.stderr.contains("error: line 3: invalid name"), "\(latin.stderr)")
        #expect(!latin.stderr.contains("line 2"), "\(latin.stderr)")
    }

    @Test func anUnknownEncodingIsAUsageError() throws {
        let before = try ws.snapshot()
        let result = try ws.run(["import", "startups", fixture("firms-utf8.csv"), "--encoding", "ebcdic"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("'ebcdic'") && result.stderr.contains("windows-1252"), "\(result.stderr)")
        #expect(try ws.snapshot() == before)
    }
}
