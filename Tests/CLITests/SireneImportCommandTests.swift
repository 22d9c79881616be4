import Foundation
import Testing

/// `import sirene`: what lands in the registry is read back with python3's sqlite3 and compared, column by column,
/// with Tests/Fixtures/sirene/reference.py, which reads the same file with python3's csv module and the seed files
/// from the rules. Every firm in these files is SYNTHETIC (Tests/Fixtures/sirene/README.md).
@Suite struct SireneImportCommandTests {
    let ws: Workspace
    static let fixtures = repoRoot.appending(path: "Tests/Fixtures/sirene")

    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    func fixture(_ name: String) -> String { Self.fixtures.appending(path: name).path }

    /// The reference's rows and, last, its counts (lines, kept, closed, elsewhere, abroad, latest treated date).
    func expected(_ file: String, encoding: String = "utf-8", regions: String = "93") throws -> (rows: String, counts: String) {
        let out = try python("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                             [fixture("reference.py"), file, encoding, regions])
        var lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let counts = lines.removeLast()
        return (lines.map { $0 + "\n" }.joined(), counts)
    }

    /// The establishments of the snapshot of `date`, as the reference prints them.
    func stored(_ date: String) throws -> String {
        try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for row in con.execute('''SELECT siret, siren, name, commune_code, commune, activity, nomenclature, naf_code, band,
                                             band_year, employer, head_office, created
                                      FROM sirene_establishments e JOIN sirene_snapshots s ON s.id = e.snapshot_id
                                      WHERE s.stock_date = ? ORDER BY siret''', (sys.argv[2],)):
                print(repr(row))
            """, [ws.db, date])
    }

    /// stock_date, regions, file, lines, establishments, skipped_lines of every snapshot, by date.
    func snapshots() throws -> String {
        try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for row in con.execute("SELECT stock_date, regions, file, lines, establishments, skipped_lines FROM sirene_snapshots ORDER BY stock_date"):
                print(repr(row))
            """, [ws.db])
    }

    func counts(_ counts: String) -> [String] {
        counts.trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(separator: ", ").map { String($0) }
    }

    @Test(arguments: [("stock-3.11.csv", "utf-8"), ("stock-3.11-windows-1252.csv", "cp1252"), ("stock-3.11-utf-16.csv", "utf-16"),
                      ("stock-3.11.zip", "utf-8"), ("stock-older-columns.csv", "utf-8")])
    func eachFixtureImportsAsTheReferenceReadsIt(file: String, encoding: String) throws {
        let result = try ws.run(["import", "sirene", fixture(file)])
        #expect(result.status == 0, "\(result.stderr)")
        let reference = try expected(fixture(file), encoding: encoding)
        let c = counts(reference.counts)  // lines, kept, closed, elsewhere, abroad, 'date'
        let date = c[5].trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        #expect(try stored(date) == reference.rows)
        #expect(try snapshots() == "('\(date)', '93', '\(file)', \(c[0]), \(c[1]), 0)\n")
        #expect(result.stderr.contains("note: imported \(file) as the snapshot of \(date) for region 93: \(c[0]) lines, \(c[1]) active establishments kept, \(c[2]) closed, \(c[3]) in other regions, \(c[4]) abroad"),
                "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func standardInputWithAllRegions() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture("stock-3.11.csv")))
        let result = try ws.run(["import", "sirene", "-", "--all"], input: data)
        #expect(result.status == 0, "\(result.stderr)")
        let reference = try expected(fixture("stock-3.11.csv"), regions: "all")
        #expect(try stored("2025-10-31") == reference.rows)
        #expect(try snapshots().hasPrefix("('2025-10-31', 'all', '-', 14, 12, 0)"))
    }

    /// A generated file (SYNTHETIC, Benchmarks/sirene_generate.py) of 20,000 lines: every establishment of region
    /// 93 and of regions 11 and 84, as the reference keeps them.
    @Test func aGeneratedFileImportsAsTheReferenceReadsIt() throws {
        let file = ws.folder.appending(path: "stock.csv").path
        try python("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                   [repoRoot.appending(path: "Benchmarks/sirene_generate.py").path, "--rows", "20000", "--out", file, "--stock-date", "2026-11-01"])
        try ws.ok(["import", "sirene", file])
        let region = try expected(file)
        #expect(try stored("2026-11-01") == region.rows)
        #expect(counts(region.counts)[1] != "0")
        try ws.ok(["import", "sirene", file, "--region", "11,84"])
        #expect(try stored("2026-11-01") == expected(file, regions: "11,84").rows)
        #expect(try snapshots().hasPrefix("('2026-11-01', '11,84', 'stock.csv', 20000,"))
    }

    @Test func theSameDateReplacesItsSnapshotAndAnotherDateAddsOne() throws {
        try ws.ok(["import", "sirene", fixture("stock-3.11.csv")])
        try ws.ok(["import", "sirene", fixture("stock-3.11.csv"), "--stock-date", "2025-06-01", "--region", "11"])
        let again = try ws.run(["import", "sirene", fixture("stock-older-columns.csv")])
        #expect(again.stderr.contains("as the snapshot of 2025-10-31 (replacing the earlier one)"), "\(again.stderr)")
        #expect(try snapshots() == """
            ('2025-06-01', '11', 'stock-3.11.csv', 14, 1, 0)
            ('2025-10-31', '93', 'stock-older-columns.csv', 14, 9, 0)

            """)
        #expect(try stored("2025-06-01") == expected(fixture("stock-3.11.csv"), regions: "11").rows)
        // The replaced snapshot's rows went with it: only the two snapshots' own rows remain.
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM sirene_establishments") == "10")
    }

    // MARK: Refused, and the registry left as it was

    /// The first line of the older column set, and the file's header.
    func olderColumns() throws -> (header: String, line: String) {
        let lines = try String(contentsOfFile: fixture("stock-older-columns.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        return (lines[0], lines[1])
    }

    func write(_ text: String, _ name: String = "stock.csv") throws -> String {
        let path = ws.folder.appending(path: name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aMissingColumnIsNamed() throws {
        let (header, line) = try olderColumns()
        let columns = header.split(separator: ",")
        let at = columns.firstIndex(of: "trancheEffectifsEtablissement")!
        let without = { (text: String) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != at }.map(\.element).joined(separator: ",") }
        let file = try write(without(header) + "\n" + without(line) + "\n")
        try ws.refused(["import", "sirene", file], status: 65, mentioning: ["stock.csv has no column trancheEffectifsEtablissement"])
        try ws.refused(["import", "sirene", try write("", "empty.csv")], status: 65, mentioning: ["no column siret"])
    }

    @Test func malformedLinesAreListedAndNothingIsImported() throws {
        let (header, line) = try olderColumns()
        var lines = [header]
        // 25 lines whose SIRET has 13 digits, then one of a wrong field count, one in an unknown commune, then a good one.
        for n in 0..<25 { lines.append(line.replacing("90001234500105", with: String(format: "9%012d", n))) }
        lines.append(line + ",extra")
        lines.append(line.replacing(",13201,", with: ",13999,"))
        lines.append(line)
        let file = try write(lines.joined(separator: "\n") + "\n")
        let before = try ws.snapshot()
        let result = try ws.run(["import", "sirene", file])
        #expect(result.status == 65)
        let errors = result.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 21 && errors.allSatisfy { $0.hasPrefix("error: ") }, "\(result.stderr)")
        #expect(errors.first?.hasPrefix("error: line 2: ") == true && errors[19].hasPrefix("error: line 21: "), "\(result.stderr)")
        #expect(errors.last == "error: stock.csv: 27 malformed lines (the first 20 are listed); nothing was imported: correct the file, or import the rest with --skip-bad-lines")
        #expect(try ws.snapshot() == before)

        let skipped = try ws.run(["import", "sirene", file, "--skip-bad-lines"])
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(skipped.stderr.contains("28 lines, 1 active establishments kept, 0 closed, 0 in other regions, 27 malformed lines left out"), "\(skipped.stderr)")
        #expect(try snapshots() == "('2025-06-30', '93', 'stock.csv', 28, 1, 27)\n")
        #expect(try pythonScalar(ws.db, "SELECT siret || ' ' || commune FROM sirene_establishments") == "90001234500105 13055")
    }

    @Test func eachBadLineSaysWhatIsWrong() throws {
        let (header, line) = try olderColumns()
        let cases = [
            (line.replacing("90001234500105", with: "9000123450010A"), "siret 9000123450010A is not 14 digits"),
            (line.replacing(",13201,", with: ",13999,"), "codeCommuneEtablissement 13999"),
            (line.replacing(",62.01Z,", with: ",62.99Z,"), "62.99Z"),
            (line.replacing(",2023,", with: ",20x3,"), "anneeEffectifsEtablissement"),
            (line.replacing(",true,", with: ",oui,"), "etablissementSiege oui"),
            (line.replacing(",11,", with: ",14,"), "trancheEffectifsEtablissement 14"),
            (line.replacing("2012-05-14", with: "2012-13-14"), "dateCreationEtablissement"),
            (line + "\n" + line, "appears on an earlier line"),
        ]
        for (bad, words) in cases {
            let file = try write(header + "\n" + bad + "\n")
            let before = try ws.snapshot()
            let result = try ws.run(["import", "sirene", file])
            #expect(result.status == 65, "\(bad): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(bad): \(result.stderr)")
            #expect(try ws.snapshot() == before)
        }
    }

    /// Every malformed line is counted, those after the first too: the same count with and without
    /// --skip-bad-lines (a bad SIRET on line 2, then a bad band and a SIRET twice further on).
    @Test func theCountOfMalformedLinesIsTheSameWithAndWithoutSkipping() throws {
        let (header, line) = try olderColumns()
        let second = line.replacing("90001234500105", with: "90001234500113")
        let file = try write([header, line.replacing("90001234500105", with: "9000123450010"), line, line.replacing(",11,", with: ",14,"),
                              second, second].joined(separator: "\n") + "\n")
        let refused = try ws.run(["import", "sirene", file])
        #expect(refused.status == 65)
        #expect(refused.stderr.split(separator: "\n").map(String.init) == [
            "error: line 2: siret 9000123450010 is not 14 digits",
            "error: line 4: trancheEffectifsEtablissement 14 is not one of INSEE's headcount bands (NN, 00, 01 … 53)",
            "error: line 6: SIRET 90001234500113 appears on an earlier line",
            "error: stock.csv: 3 malformed lines; nothing was imported: correct the file, or import the rest with --skip-bad-lines",
        ], "\(refused.stderr)")
        let skipped = try ws.run(["import", "sirene", file, "--skip-bad-lines"])
        #expect(skipped.stderr.contains("5 lines, 2 active establishments kept, 0 closed, 0 in other regions, 3 malformed lines left out"), "\(skipped.stderr)")
        #expect(try snapshots() == "('2025-06-30', '93', 'stock.csv', 5, 2, 3)\n")
    }

    /// A quoted value is cut to 60 characters and its control characters escaped: one line per malformed line.
    @Test func aQuotedValueIsShortAndOnOneLine() throws {
        let (header, line) = try olderColumns()
        let long = "\"" + String(repeating: "9", count: 5000) + "\n\u{1B}[31m\""
        let file = try write(header + "\n" + line.replacing("90001234500105", with: long) + "\n")
        let result = try ws.run(["import", "sirene", file])
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].count < 200 && !result.stderr.contains("\u{1B}"), "\(result.stderr)")
    }

    /// Codes the 2026 geography lacks: in a department of the regions kept, malformed; elsewhere (another region's
    /// department, an overseas collectivity in no region: Saint-Barthélemy 97701), counted with the other regions.
    @Test func unknownCodesOutsideTheRegionsKeptAreCountedElsewhere() throws {
        let (header, line) = try olderColumns()
        let lines = [header, line, line.replacing("90001234500105", with: "90001234500113").replacing(",13201,", with: ",97701,"),
                     line.replacing("90001234500105", with: "90001234500121").replacing(",13201,", with: ",75999,")]
        let file = try write(lines.joined(separator: "\n") + "\n")
        let result = try ws.run(["import", "sirene", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("3 lines, 1 active establishments kept, 0 closed, 2 in other regions"), "\(result.stderr)")
        let kept = try write([header, line.replacing(",13201,", with: ",13999,")].joined(separator: "\n") + "\n", "kept.csv")
        let before = try ws.snapshot()
        let refused = try ws.run(["import", "sirene", kept, "--region", "93, 11,"])
        #expect(refused.status == 65 && refused.stderr.contains("line 2: codeCommuneEtablissement 13999 is not a commune"), "\(refused.stderr)")
        #expect(try ws.snapshot() == before)
        let all = try ws.run(["import", "sirene", file, "--all", "--stock-date", "2025-01-01"])
        #expect(all.status == 65 && all.stderr.contains("line 4: codeCommuneEtablissement 75999"), "\(all.stderr)")
    }

    @Test func stockDatesFromSIRENEsStartToToday() throws {
        try ws.refused(["import", "sirene", fixture("stock-3.11.csv"), "--stock-date", "1972-12-31"], status: 65, mentioning: ["1973-01-01"])
        try ws.refused(["import", "sirene", fixture("stock-3.11.csv"), "--stock-date", "0001-01-01"], status: 65, mentioning: ["1973-01-01"])
        try ws.refused(["import", "sirene", fixture("stock-3.11.csv"), "--region", " , "], status: 64, mentioning: ["--region needs region codes"])
        let (header, line) = try olderColumns()
        let future = try write(header + "\n" + line.replacing("2025-06-30T10:12:00", with: "2999-06-30T10:12:00") + "\n")
        try ws.refused(["import", "sirene", future], status: 65, mentioning: ["2999-06-30", "--stock-date"])
        let garbage = try write(header + "\n" + line.replacing("2025-06-30T10:12:00", with: "2025-06-30garbage") + "\n", "garbage.csv")
        let result = try ws.run(["import", "sirene", garbage])
        #expect(result.status == 65 && result.stderr.contains("dateDernierTraitementEtablissement 2025-06-30garbage is not a date"), "\(result.stderr)")
    }

    /// A stored (not deflated) zip whose CSV stays well-formed once a byte is changed: only the CRC-32 tells, and
    /// the import is refused with nothing written.
    @Test func aZipThatFailsItsChecksumWritesNothing() throws {
        let file = ws.folder.appending(path: "stored.zip").path
        try python("""
            import sys, zipfile
            data = open(sys.argv[1], "rb").read()
            with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as z:
                z.writestr("StockEtablissement_utf8.csv", data)
            raw = bytearray(open(sys.argv[2], "rb").read())
            at = raw.index(b"SYNTHETIQUE CALANQUES")
            raw[at] = ord("Z")
            open(sys.argv[2], "wb").write(raw)
            """, [fixture("stock-3.11.csv"), file])
        try ws.refused(["import", "sirene", file], status: 65, mentioning: ["does not match its checksum (CRC-32)"])
    }

    @Test func regionsAndPerimetersAreChecked() throws {
        try ws.refused(["import", "sirene", fixture("stock-3.11.csv"), "--region", "99"], status: 65, mentioning: ["there is no region 99"])
        try ws.refused(["import", "sirene", fixture("stock-3.11.csv"), "--region", "93", "--all"], status: 64, mentioning: ["--region and --all"])
        try ws.refused(["import", "sirene", fixture("stock-3.11.csv"), "--stock-date", "2025-02-30"], status: 65, mentioning: ["--stock-date 2025-02-30"])
        try ws.refused(["import", "sirene", ws.folder.appending(path: "absent.csv").path], status: 66, mentioning: ["absent.csv"])
        let empty = try Workspace()
        try empty.ok(["init", "--empty"])
        try empty.refused(["import", "sirene", fixture("stock-3.11.csv")], status: 65, mentioning: ["no territory of the registry has a perimeter", "--region CODE or --all"])
        try empty.ok(["import", "sirene", fixture("stock-3.11.csv"), "--region", "84"])
        #expect(try pythonScalar(empty.db, "SELECT group_concat(commune_code) FROM (SELECT commune_code FROM sirene_establishments ORDER BY 1)") == "69381")
    }

    @Test func aDamagedZipIsRefused() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("stock-3.11.zip"))))
        // A byte of the compressed data, past the 30-byte local header and its name: inflate fails or the CRC differs.
        bytes[30 + 27 + 600] ^= 0x55
        let file = ws.folder.appending(path: "damaged.zip")
        try Data(bytes).write(to: file)
        let before = try ws.snapshot()
        let result = try ws.run(["import", "sirene", file.path])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").last?.hasPrefix("error: ") == true, "\(result.stderr)")
        #expect(try ws.snapshot() == before)
        try ws.refused(["import", "sirene", fixture("README.md")], status: 65, mentioning: ["no column siret"])
    }
}
