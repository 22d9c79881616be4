import Persistence
import Testing
@testable import Registry

/// A source such as a workbook reader will be: typed cells, rows located in a sheet.
private struct SheetSource: RowSource {
    let header: [String]
    var rows: [[SourceValue]]
    var sheet = "Firms"
    var index = 0
    /// A row that cannot be read, by position in `rows`.
    var unreadable: Set<Int> = []

    var progress: Int { index }

    mutating func next() throws(RowSourceError) -> SourceRow? {
        guard index < rows.count else { return nil }
        defer { index += 1 }
        // The header is row 1 of the sheet.
        let location = RowLocation.row(index + 2, sheet: sheet)
        if unreadable.contains(index) { throw RowSourceError(location: location, message: "the cell A\(index + 2) is a formula error (#REF!)") }
        return SourceRow(location: location, fields: rows[index])
    }
}

@Suite struct RowSourceTests {
    let store: RegistryStore

    init() throws {
        store = try RegistryStore(path: ":memory:", createIfMissing: true)
    }

    @Test func typedCellsReadAsTheirCSVText() {
        #expect(SourceValue.number(12).text == "12")
        #expect(SourceValue.number(-3).text == "-3")
        #expect(SourceValue.number(2.5).text == "2.5")
        #expect(SourceValue.date(year: 2015, month: 3, day: 9).text == "2015-03-09")
        #expect(SourceValue.bool(true).text == "true")
        #expect(SourceValue.empty.text == "")
        #expect(SourceValue.text("Café").text == "Café")
    }

    @Test func locationsWordThemselvesAndSortBySheetThenRow() {
        #expect(RowLocation.line(7).description == "line 7")
        #expect(RowLocation.row(3, sheet: "Firms").description == "row 3 of sheet Firms")
        let sorted = [RowLocation.row(10, sheet: "B"), .row(2, sheet: "B"), .row(30, sheet: "A"), .line(5)].sorted()
        #expect(sorted == [.line(5), .row(30, sheet: "A"), .row(2, sheet: "B"), .row(10, sheet: "B")])
    }

    @Test func aSheetImportsWithTypedCells() throws {
        let source = SheetSource(header: ["name", "sector", "employees", "founded"], rows: [
            [.text("Feuille Une"), .text("NFC"), .number(14), .number(2012)],
            [.text("Feuille Deux"), .text("big data"), .empty, .empty],
        ])
        let summary = try store.importStartups(from: source, options: ImportOptions(source: "import: firms.xlsx"))
        #expect(summary.inserted == 2)
        let rows = try store.db.rows("SELECT name, employees, founded FROM startups ORDER BY id").map(\.values)
        #expect(rows == [[.text("Feuille Une"), .integer(14), .integer(2012)], [.text("Feuille Deux"), .null, .null]])
    }

    /// Every message names the row in its sheet: broken rules, unreadable rows, and rows repeated in the sheet
    /// (found row by row, and found when a large load builds its unique index).
    @Test func messagesNameTheSheetRow() throws {
        var source = SheetSource(header: ["name", "sector", "employees"], rows: [
            [.text("Une"), .text("NFC"), .number(3)],
            [.text("Deux"), .text("NFC"), .number(-4)],
            [.text("Trois"), .text("NFC"), .empty],
            [.text("une"), .text("NFC"), .empty],
        ])
        source.unreadable = [2]
        let failure = try #require(throws: ImportError.self) {
            try store.importStartups(from: source, options: ImportOptions(source: "import: firms.xlsx"))
        }
        #expect(failure.rows.count == 3 && failure.total == 3)
        #expect(failure.rows[0].description.hasPrefix("row 3 of sheet Firms: invalid employees '-4': "))
        #expect(failure.rows.dropFirst().map(\.description) == [
            "row 4 of sheet Firms: the cell A4 is a formula error (#REF!)",
            "row 5 of sheet Firms: the name 'une' is also on row 2 of sheet Firms; keep one of the two rows",
        ])

        let count = StartupLoad.minimumBulkRows + 10
        let bulk = SheetSource(header: ["name", "sector"], rows: (1...count).map { [.text("Firm \($0)"), .text("NFC")] }
                               + [[.text("Firm 7"), .text("NFC")]], sheet: "Big")
        let duplicate = try #require(throws: ImportError.self) {
            try store.importStartups(from: bulk, options: ImportOptions(source: "import: big.xlsx"))
        }
        #expect(duplicate.rows.map(\.description) == [
            "row \(count + 2) of sheet Big: the name 'Firm 7' is also on row 8 of sheet Big; keep one of the two rows",
        ])
        #expect(try store.db.scalar("SELECT count(*) FROM startups") == .integer(0))
    }
}
