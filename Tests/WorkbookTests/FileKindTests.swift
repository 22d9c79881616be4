import Foundation
import Testing
import Workbook

@Suite struct FileKindTests {
    @Test(arguments: [
        ("openpyxl.xlsx", FileKind.xlsx), ("xlsxwriter.xlsx", .xlsx), ("xlsxwriter-inline.xlsx", .xlsx),
        ("libreoffice.xlsx", .xlsx), ("libreoffice.ods", .ods), ("libreoffice.xls", .ole2), ("README.md", .text),
    ])
    func fixtures(_ name: String, _ kind: FileKind) throws {
        #expect(try FileKind.sniff(fixture(name)) == kind)
    }

    /// PDF, gzip, SQLite and plain zip files made here by Python's own modules and a PDF written by hand.
    @Test func filesMadeByOtherPrograms() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try python("""
            import gzip, sqlite3, sys, zipfile, os
            d = sys.argv[1]
            with gzip.open(os.path.join(d, "a.csv.gz"), "wb") as f: f.write(b"name;siren\\n")
            con = sqlite3.connect(os.path.join(d, "a.sqlite")); con.execute("CREATE TABLE t(x)"); con.commit(); con.close()
            with zipfile.ZipFile(os.path.join(d, "a.zip"), "w") as z: z.writestr("firms.csv", "name;siren\\n")
            with zipfile.ZipFile(os.path.join(d, "late.ods"), "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("content.xml", "<x/>"); z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            open(os.path.join(d, "a.pdf"), "wb").write(b"%PDF-1.4\\n%\\xe2\\xe3\\xcf\\xd3\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n")
            open(os.path.join(d, "empty.csv"), "wb").write(b"")
            open(os.path.join(d, "cut.zip"), "wb").write(open(os.path.join(d, "a.zip"), "rb").read()[:20])
            print("ok")
            """, [folder.path])
        #expect(made == "ok\n")
        let expected: [(String, FileKind)] = [("a.csv.gz", .gzip), ("a.sqlite", .sqlite), ("a.zip", .zip),
                                              ("late.ods", .ods), ("a.pdf", .pdf), ("empty.csv", .text),
                                              ("cut.zip", .zip)]
        for (name, kind) in expected {
            #expect(try FileKind.sniff(folder.appendingPathComponent(name)) == kind, "\(name)")
        }
    }

    @Test func aMissingFileThrows() {
        #expect(throws: (any Error).self) { try FileKind.sniff(URL(fileURLWithPath: "/nonexistent/firms.xlsx")) }
    }
}
