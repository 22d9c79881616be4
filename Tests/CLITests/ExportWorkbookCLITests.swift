import Foundation
import Testing

/// `export startups --format xlsx -o FILE`, read back by openpyxl.
@Suite struct ExportWorkbookCLITests {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Société Zéro", "--sector", "big data", "--siren", "012345609",
                   "--naf", "62.01Z", "--city", "Aix-en-Provence", "--employees", "12", "--founded", "2013",
                   "--accelerator", "Jaguar", "--cohort", "2015"])
        try ws.ok(["startup", "add", "--name", "Café, Ça", "--sector", "e-commerce"])
    }

    @Test func openpyxlReadsTheExportWithItsTypes() throws {
        try ws.ok(["export", "startups", "--format", "xlsx", "-o", "out.xlsx"])
        let path = ws.folder.appending(path: "out.xlsx").path
        let read = try python("""
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb.active
            print(wb.sheetnames, ws.freeze_panes, all(c.font.b for c in ws[1]))
            for row in ws.iter_rows():
                print([c.value for c in row])
            """, [path])
        // Written out by hand: the CSV's columns; the SIREN keeps its leading zero as text; counts are ints.
        #expect(read == """
            ['Startups'] A2 True
            ['name', 'sector', 'siren', 'siret', 'naf_code', 'city', 'employees', 'founded', 'revenue_eur', 'accelerators']
            ['Société Zéro', 'big data', '012345609', None, '62.01Z', 'Aix-en-Provence', 12, 2013, None, 'Jaguar (2015)']
            ['Café, Ça', 'e-commerce', None, None, None, None, None, None, None, None]

            """)
        // Nothing left beside it: the temporary files are gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.folder.path).filter { $0.hasPrefix(".") } == [])
    }

    @Test(arguments: [["--format", "xlsx"], ["--format", "xlsx", "-o", "-"]])
    func xlsxNeedsAFile(_ options: [String]) throws {
        let before = try ws.snapshot()
        let result = try ws.run(["export", "startups"] + options)
        #expect(result.status == 64)
        #expect(result.stderr == "error: --format xlsx writes a file; give it with -o, e.g. -o startups.xlsx; see `frenchtech export startups --help`\n")
        #expect(result.stdout.isEmpty)
        #expect(try ws.snapshot() == before)
    }
}
