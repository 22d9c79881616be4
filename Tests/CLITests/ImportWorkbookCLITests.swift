import Foundation
import Testing

/// `import startups FILE.xlsx`: the committed fixtures (openpyxl, XlsxWriter, LibreOffice), typed cells, --sheet,
/// and the files that are not CSV nor .xlsx, refused by what they are.
@Suite struct ImportWorkbookCLITests {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Fixtures/workbooks")

    /// A workbook made here by openpyxl: `rows` is Python (a list of lists), first the header.
    func workbook(_ name: String, sheet: String = "Firms", rows: String) throws -> String {
        let path = ws.folder.appending(path: name).path
        _ = try python("""
            import sys, datetime, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = sys.argv[2]
            for row in \(rows):
                ws.append(row)
            wb.save(sys.argv[1])
            """, [path, sheet])
        return path
    }

    func refused(_ arguments: [String], status: Int32, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try ws.snapshot()
        let result = try ws.run(arguments)
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(try ws.snapshot() == before, sourceLocation: sourceLocation)
    }

    @Test(arguments: ["firms-openpyxl.xlsx", "firms-xlsxwriter.xlsx", "firms-libreoffice.xlsx"])
    func fixtureImportsAsOpenpyxlReadsIt(_ file: String) throws {
        let path = Self.fixtures.appending(path: file).path
        try ws.ok(["import", "startups", path])
        // openpyxl's reading of the first sheet, worded as the registry keeps it (a date in founded: its year).
        let expected = try python("""
            import sys, datetime, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
            rows = list(ws.iter_rows(values_only=True))
            head = rows[0]
            for row in rows[1:]:
                r = dict(zip(head, row))
                f = r['founded']
                f = f.year if isinstance(f, (datetime.date, datetime.datetime)) else f
                print('|'.join('' if v is None else str(v) for v in [r['name'], r['sector'], r['siren'], r['city'], r['employees'], f, r['revenue_eur']]))
            """, [path])
        let stored = try python("""
            import sys, sqlite3
            db = sqlite3.connect(sys.argv[1])
            for row in db.execute("SELECT s.name, x.name, s.siren, s.city, s.employees, s.founded, s.revenue_eur FROM startups s JOIN sectors x ON x.id = s.sector_id WHERE s.source LIKE 'import:%' ORDER BY s.id"):
                print('|'.join('' if v is None else str(v) for v in row))
            """, [ws.db])
        #expect(stored == expected)
        #expect(stored.contains("Société d’Œuvres Générales") && stored.contains("012345609"))
    }

    @Test func sheetChoosesTheSheet() throws {
        let path = Self.fixtures.appending(path: "firms-openpyxl.xlsx").path
        try ws.ok(["import", "startups", path, "--sheet", "Other"])
        #expect(try pythonScalar(ws.db, "SELECT group_concat(name) FROM startups WHERE source LIKE 'import:%'") == "Façade œuvrée")
        try refused(["import", "startups", path, "--sheet", "Nope"], status: 65, mentioning: "no sheet 'Nope'; its sheets are 'Firms', 'Other'")
    }

    @Test func sheetOnACSVAndEncodingOnAWorkbookAreUsageErrors() throws {
        try "name,sector\nA,big data\n".write(to: ws.folder.appending(path: "firms.csv"), atomically: true, encoding: .utf8)
        try refused(["import", "startups", "firms.csv", "--sheet", "Firms"], status: 64, mentioning: "--sheet")
        let path = Self.fixtures.appending(path: "firms-openpyxl.xlsx").path
        try refused(["import", "startups", path, "--encoding", "utf-8"], status: 64, mentioning: "--encoding")
    }

    @Test func sirenNumberCellIsRefusedByRow() throws {
        let path = try workbook("firms.xlsx", rows: """
            [["name", "sector", "siren"], ["Good", "big data", "552100554"], ["Zero lost", "big data", 12345609]]
            """)
        try refused(["import", "startups", path], status: 65,
                    mentioning: "row 3 of sheet Firms: siren is a number cell (12345609)")
        let result = try ws.run(["import", "startups", path])
        #expect(result.stderr.contains("format the column as text so that leading zeros survive"))
        // Nine digits in a number cell lost nothing: taken.
        let nine = try workbook("nine.xlsx", rows: #"[["name", "sector", "siren"], ["Nine", "big data", 552100554]]"#)
        try ws.ok(["import", "startups", nine])
        #expect(try pythonScalar(ws.db, "SELECT siren FROM startups WHERE name = 'Nine'") == "552100554")
    }

    @Test func dateInFoundedIsItsYearAndOtherTypesAreRefused() throws {
        let path = try workbook("firms.xlsx", rows: """
            [["name", "sector", "founded"], ["Dated", "big data", datetime.date(2016, 5, 2)]]
            """)
        try ws.ok(["import", "startups", path])
        #expect(try pythonScalar(ws.db, "SELECT founded FROM startups WHERE name = 'Dated'") == "2016")
        let bad = try workbook("bad.xlsx", rows: """
            [["name", "sector", "employees", "city"], ["Half", "big data", 2.5, None], ["Flag", "big data", None, True], ["Err", "big data", "#N/A", None]]
            """)
        let before = try ws.snapshot()
        let result = try ws.run(["import", "startups", bad])
        #expect(result.status == 65)
        #expect(result.stderr.contains("row 2 of sheet Firms: employees is 2.5, a number with decimals"), "\(result.stderr)")
        #expect(result.stderr.contains("row 3 of sheet Firms: city is a boolean cell (TRUE)"), "\(result.stderr)")
        #expect(result.stderr.contains("row 4 of sheet Firms: employees holds the error value #N/A"), "\(result.stderr)")
        #expect(try ws.snapshot() == before)
    }

    @Test func dryRunWritesNothingAndUpsertUpdates() throws {
        let path = Self.fixtures.appending(path: "firms-xlsxwriter.xlsx").path
        let before = try ws.snapshot()
        try ws.ok(["import", "startups", path, "--dry-run"])
        #expect(try ws.snapshot() == before)
        try ws.ok(["import", "startups", path])
        try ws.ok(["import", "startups", path, "--upsert"])
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM startups WHERE source LIKE 'import:%'") == "3")
    }

    @Test func odsAndXlsSayHowToSaveThem() throws {
        for (fixture, name, what) in [("libreoffice.ods", "firms.ods", "an OpenDocument spreadsheet"),
                                      ("libreoffice.xls", "firms.xls", "an Excel 97-2003 workbook (.xls)")] {
            try FileManager.default.copyItem(at: Self.fixtures.appending(path: fixture), to: ws.folder.appending(path: name))
            try refused(["import", "startups", name], status: 65,
                        mentioning: "\(name) is \(what); save it as .xlsx (LibreOffice: File › Save As › Excel 2007-365) or as CSV, and import that")
        }
    }

    @Test func otherFilesGivenAsCSVAreNamed() throws {
        let folder = ws.folder.path
        _ = try python("""
            import sys, gzip, sqlite3, zipfile
            d = sys.argv[1]
            open(d + '/pdf.csv', 'wb').write(b'%PDF-1.4\\n%\\xe2\\xe3\\n1 0 obj\\n')
            open(d + '/gz.csv', 'wb').write(gzip.compress(b'name,sector\\n'))
            sqlite3.connect(d + '/db.csv').execute('CREATE TABLE t(x)')
            with zipfile.ZipFile(d + '/zip.csv', 'w') as z: z.writestr('a.txt', 'hello')
            """, [folder])
        for (file, what) in [("pdf.csv", "a PDF document"), ("gz.csv", "a gzip-compressed file"),
                             ("db.csv", "an SQLite database"), ("zip.csv", "a zip archive")] {
            try refused(["import", "startups", file], status: 65, mentioning: "\(file) is \(what), not a CSV file or a workbook")
        }
    }
}
