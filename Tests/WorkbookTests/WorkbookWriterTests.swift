import Foundation
import Testing
@testable import Workbook

@Suite final class WorkbookWriterTests {
    let folder: URL
    init() throws { folder = try temporaryFolder() }
    deinit { try? FileManager.default.removeItem(at: folder) }

    static let header = ["name", "siren", "employees", "revenue", "active", "founded", "notes"]
    static let rows: [[Cell]] = [
        [.text("Société d’Œuvres"), .text("012345678"), .number(12), .number(1_500_000.5), .bool(true),
         .date(year: 2015, month: 3, day: 14), .text("prix : 5 € ; a, b <&> \"q\"")],
        [.text("Café Ça"), .text("552100554"), .empty, .number(-0.25), .bool(false), .empty, .text("ligne 1\nligne 2")],
        [.text("  espaces  "), .empty, .number(0)],
    ]

    @Test func openpyxlReadsTheSameValuesAndTypes() throws {
        let url = folder.appendingPathComponent("out.xlsx")
        let writer = try WorkbookWriter(url: url)
        try writer.addSheet(name: "Startups", header: Self.header, rows: Self.rows)
        try writer.addSheet(name: "Programmes", header: ["programme", "cohort"], rows: [[.text("Jaguar"), .number(2014)]])
        try writer.finish()

        let sheets = try openpyxlSheets(url)
        #expect(sheets.map(\.name) == ["Startups", "Programmes"])
        // What openpyxl must find, written out by hand: header row 1, data from row 2, empties dropped at the end.
        #expect(sheets[0].rows == [
            WorkbookRow(number: 1, cells: Self.header.map(Cell.text)),
            WorkbookRow(number: 2, cells: Self.rows[0]),
            WorkbookRow(number: 3, cells: [.text("Café Ça"), .text("552100554"), .empty, .number(-0.25), .bool(false),
                                           .empty, .text("ligne 1\nligne 2")]),
            WorkbookRow(number: 4, cells: [.text("  espaces  "), .empty, .number(0)]),
        ])
        #expect(sheets[1].rows == [WorkbookRow(number: 1, cells: [.text("programme"), .text("cohort")]),
                                   WorkbookRow(number: 2, cells: [.text("Jaguar"), .number(2014)])])
        // Python's own types: a SIREN stays a str with its zero, a count an int, a flag a bool.
        let types = try python("""
            import sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1])["Startups"]
            print(repr(ws["B2"].value), type(ws["C2"].value).__name__, type(ws["E2"].value).__name__, ws["F2"].value.date())
            """, [url.path])
        #expect(types == "'012345678' int bool 2015-03-14\n")
    }

    @Test func headerIsBoldAndFrozenAndColumnsFitTheirValues() throws {
        let url = folder.appendingPathComponent("look.xlsx")
        let writer = try WorkbookWriter(url: url)
        let long = String(repeating: "x", count: 200)
        try writer.addSheet(name: "S", header: ["id", "a fairly long header"], rows: [[.number(1), .text("short")], [.number(2), .text(long)], [.text("abcdefghijklmnop")]])
        try writer.finish()
        let out = try python("""
            import sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            print(ws.freeze_panes, ws["A1"].font.b, ws["B1"].font.b, bool(ws["A2"].font.b))
            print(ws.column_dimensions["A"].width, ws.column_dimensions["B"].width)
            """, [url.path])
        // A: longest value 16 characters + 2; B: capped at 60.
        #expect(out == "A2 True True False\n18.0 \(Double(WorkbookWriter.maxColumnWidth))\n")
    }

    @Test func escapesAndTheReaderReadsItBack() throws {
        let url = folder.appendingPathComponent("escapes.xlsx")
        let writer = try WorkbookWriter(url: url)
        let tricky = "a\u{1}b _x000D_ c\rd"
        try writer.addSheet(name: "S", header: ["t"], rows: [[.text(tricky)], [.error("#N/A")]])
        try writer.finish()
        #expect(try WorkbookReader(contentsOf: url).rows() == [
            WorkbookRow(number: 1, cells: [.text("t")]),
            WorkbookRow(number: 2, cells: [.text(tricky)]),
            WorkbookRow(number: 3, cells: [.error("#N/A")]),
        ])
        let raw = try python("""
            import sys, zipfile
            print(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode().split("<sheetData>")[1])
            """, [url.path])
        #expect(raw.contains("a_x0001_b _x005F_x000D_ c_x000D_d"))
    }

    @Test func refusesBadSheetNamesAndLeavesNoFile() throws {
        let url = folder.appendingPathComponent("bad.xlsx")
        do {
            let writer = try WorkbookWriter(url: url)
            #expect(throws: WorkbookError.invalidSheetName(name: "a/b", reason: "a sheet name cannot hold '/'")) {
                try writer.addSheet(name: "a/b", header: [], rows: [[Cell]]())
            }
            #expect(throws: WorkbookError.invalidSheetName(name: String(repeating: "n", count: 32), reason: "a sheet name has at most 31 characters")) {
                try writer.addSheet(name: String(repeating: "n", count: 32), header: [], rows: [[Cell]]())
            }
            try writer.addSheet(name: "Data", header: ["x"], rows: [[Cell]]())
            #expect(throws: WorkbookError.invalidSheetName(name: "DATA", reason: "the workbook already has a sheet of that name")) {
                try writer.addSheet(name: "DATA", header: [], rows: [[Cell]]())
            }
            #expect(throws: WorkbookError.nonFiniteNumber(sheet: "N", row: 2, column: 2)) {
                try writer.addSheet(name: "N", header: ["a", "b"], rows: [[.number(1), .number(.nan)]])
            }
        }
        // Abandoned before finish(): nothing in the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }

    @Test func aMissingFolderIsAClearError() throws {
        let url = folder.appendingPathComponent("nope/out.xlsx")
        #expect(throws: WorkbookError.writeFailed(path: url.path, reason: "the folder \(folder.path)/nope does not exist")) {
            try WorkbookWriter(url: url)
        }
    }
}
