import Foundation
import Testing
@testable import Workbook

/// The reader against openpyxl on workbooks written by openpyxl, XlsxWriter and LibreOffice from one data set
/// (Tests/Fixtures/workbooks/README.md).
@Suite struct FixtureReaderTests {
    static let workbooks = ["openpyxl.xlsx", "xlsxwriter.xlsx", "xlsxwriter-inline.xlsx", "libreoffice.xlsx"]

    @Test(arguments: workbooks)
    func readsEverySheetAsOpenpyxlDoes(_ name: String) throws {
        let reference = try openpyxlSheets(fixture(name))
        let reader = try WorkbookReader(contentsOf: fixture(name))
        #expect(reader.sheetNames == reference.map(\.name))
        for sheet in reference {
            let rows = try reader.rows(inSheet: sheet.name)
            #expect(rows == sheet.rows, "\(name), sheet \(sheet.name)")
        }
        // Without a name: the first sheet.
        #expect(try reader.rows() == reference.first?.rows)
    }

    /// What the data set holds, written out by hand: the values every producer must keep.
    @Test(arguments: workbooks)
    func keepsTheDataSetsValues(_ name: String) throws {
        let rows = try WorkbookReader(contentsOf: fixture(name)).rows(inSheet: "Startups")
        #expect(rows.map(\.number) == [1, 2, 3, 4, 5])
        let first = rows[1].cells, second = rows[2].cells, third = rows[3].cells
        #expect(first[0] == .text("Société d’Œuvres Générales"))
        #expect(first[1] == .text("012345678"))
        #expect(first[2] == .number(12_345_678))
        #expect(first[5] == .date(year: 2015, month: 3, day: 14))
        #expect(first[6] == .bool(true))
        #expect(first[7] == .text("prix : 5 € ; remise"))
        #expect(second[0] == .text("Café Ça, à l’heure"))
        #expect(second[4] == .number(3.5))
        #expect(second[5] == .date(year: 2019, month: 12, day: 31))
        #expect(second[6] == .bool(false))
        #expect(second[7] == .text("ligne 1\nligne 2"))
        #expect(third[1] == .empty && third[2] == .empty && third[4] == .empty)
        #expect(third[7] == .text("a, b; c"))
        #expect(rows[4].cells[4] == .number(0))
        #expect(rows[4].cells[3] == .empty)
        #expect(try WorkbookReader(contentsOf: fixture(name)).rows(inSheet: "Programmes")
            == [WorkbookRow(number: 1, cells: [.text("programme"), .text("cohort")]),
                WorkbookRow(number: 2, cells: [.text("Jaguar"), .number(2014)]),
                WorkbookRow(number: 3, cells: [.text("P/factory"), .number(2016)]),
                WorkbookRow(number: 4, cells: [.text("Kedge")])])
    }

    @Test func unknownSheetNamesTheSheets() throws {
        let reader = try WorkbookReader(contentsOf: fixture("openpyxl.xlsx"))
        #expect(throws: WorkbookError.noSuchSheet(name: "Firms", available: ["Startups", "Programmes"])) {
            try reader.rows(inSheet: "Firms")
        }
    }

    @Test func refusesFilesThatAreNoWorkbook() throws {
        #expect(throws: WorkbookError.notAWorkbook(path: fixture("libreoffice.ods").path, reason: "it holds no xl/workbook.xml")) {
            try WorkbookReader(contentsOf: fixture("libreoffice.ods"))
        }
        #expect(throws: WorkbookError.notAWorkbook(path: fixture("libreoffice.xls").path, reason: "it is not a zip archive")) {
            try WorkbookReader(contentsOf: fixture("libreoffice.xls"))
        }
    }

    @Test func aCallbackErrorStopsTheScanUnchanged() throws {
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try WorkbookReader(contentsOf: fixture("xlsxwriter.xlsx")).forEachRow { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }
}
