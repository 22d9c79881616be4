import Foundation
import Testing
@testable import Workbook

/// Workbooks whose parts are written here by hand (zipped by Python's zipfile), for what the producers'
/// fixtures do not show: missing `r` attributes, gaps, escapes, prefixes, the 1904 date system, limits.
@Suite final class EdgeCaseReaderTests {
    let folder: URL
    init() throws { folder = try temporaryFolder() }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Zips `parts` (name → text) into a workbook; `compress` deflates them.
    func workbook(_ parts: [String: String], name: String = "edge.xlsx") throws -> URL {
        let url = folder.appendingPathComponent(name)
        let data = try JSONSerialization.data(withJSONObject: parts)
        let json = folder.appendingPathComponent(name + ".json")
        try data.write(to: json)
        _ = try python("""
            import json, sys, zipfile
            parts = json.load(open(sys.argv[1], encoding="utf-8"))
            with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
                for name, text in parts.items(): z.writestr(name, text.encode("utf-8"))
            """, [json.path, url.path])
        return url
    }

    static func parts(sheet: String, strings: String? = nil, styles: String? = nil, workbookPr: String = "") -> [String: String] {
        var parts = [
            "xl/workbook.xml": """
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\(workbookPr)\
                <sheets><sheet name="Données &amp; co" sheetId="1" r:id="rId1"/></sheets></workbook>
                """,
            "xl/_rels/workbook.xml.rels": """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>\
                <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="./styles.xml"/>\
                </Relationships>
                """,
            "xl/worksheets/data.xml": sheet,
        ]
        if let strings { parts["xl/strings.xml"] = strings }
        if let styles { parts["xl/styles.xml"] = styles }
        return parts
    }

    static func sheet(_ rows: String) -> String {
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>\(rows)</x:sheetData></x:worksheet>"
    }

    static let styles = """
        <styleSheet><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/>\
        <numFmt numFmtId="166" formatCode="&quot;day&quot; 0.00"/><numFmt numFmtId="167" formatCode="mmm\\-yy"/></numFmts>\
        <cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>\
        <cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="14"/><xf numFmtId="167"/><xf numFmtId="45"/></cellXfs></styleSheet>
        """

    @Test func cellsOfEveryKind() throws {
        let strings = """
            <sst><si><t xml:space="preserve"> lead &amp; trail </t></si>\
            <si><r><rPr><b/></rPr><t>gr</t></r><r><t>as</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>\
            <si><t>a_x000D_b_x005F_x000D_</t></si><si><t/></si></sst>
            """
        let rows = """
            <x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>\
            <x:row r="4"><x:c r="C4" t="inlineStr"><x:is><x:t>in&#10;line</x:t></x:is></x:c><x:c><x:v>1.5E3</x:v></x:c>\
            <x:c r="F4" t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>formula</x:v></x:c></x:row>\
            <x:row r="5"><x:c r="A5" s="1"/><x:c r="B5" s="2"><x:v></x:v></x:c></x:row>\
            <x:row><x:c s="1"><x:v>45000</x:v></x:c><x:c s="2"><x:v>1.25</x:v></x:c><x:c s="3"><x:v>2</x:v></x:c>\
            <x:c s="4"><x:v>1</x:v></x:c><x:c s="5"><x:v>61.75</x:v></x:c><x:c s="6"><x:v>0.5</x:v></x:c><x:c t="d"><x:v>2024-02-29T00:00:00</x:v></x:c>\
            <x:c t="s"><x:v>3</x:v></x:c></x:row>
            """
        let url = try workbook(Self.parts(sheet: Self.sheet(rows), strings: strings, styles: Self.styles))
        let reader = try WorkbookReader(contentsOf: url)
        #expect(reader.sheetNames == ["Données & co"])
        let read = try reader.rows()
        // Worked out by hand: row 5 holds only empty cells and is skipped; the row after it is 6.
        // 45000 is 2023-03-15; serial 1 is 1900-01-01; 61.75 is 1900-03-01; 45 is a builtin time format
        // counted as a date: 0.5 is serial 0 plus half a day, and serials below 60 read one day on (as openpyxl
        // does, so that 1 is 1900-01-01): 1899-12-31.
        #expect(read == [
            WorkbookRow(number: 1, cells: [.text(" lead & trail "), .text("gras"), .text("a\rb_x000D_")]),
            WorkbookRow(number: 4, cells: [.empty, .empty, .text("in\nline"), .number(1500), .empty, .bool(true),
                                           .error("#DIV/0!"), .text("formula")]),
            WorkbookRow(number: 6, cells: [.date(year: 2023, month: 3, day: 15), .number(1.25), .number(2),
                                           .date(year: 1900, month: 1, day: 1), .date(year: 1900, month: 3, day: 1),
                                           .date(year: 1899, month: 12, day: 31), .date(year: 2024, month: 2, day: 29),
                                           .text("")]),
        ])
    }

    @Test func theDateSystemOf1904() throws {
        let url = try workbook(Self.parts(sheet: Self.sheet("<x:row><x:c s=\"4\"><x:v>0</x:v></x:c><x:c s=\"1\"><x:v>43462</x:v></x:c></x:row>"),
                                          styles: Self.styles, workbookPr: "<workbookPr date1904=\"1\"/>"))
        // 1904-01-01 plus 43462 days is 2022-12-29 (that date is 44924 in the 1900 system, 1462 days more).
        #expect(try WorkbookReader(contentsOf: url).rows() == [
            WorkbookRow(number: 1, cells: [.date(year: 1904, month: 1, day: 1), .date(year: 2022, month: 12, day: 29)]),
        ])
    }

    @Test func rowAndColumnLimits() throws {
        let tooLow = try workbook(Self.parts(sheet: Self.sheet("<x:row r=\"1048577\"><x:c><x:v>1</x:v></x:c></x:row>")), name: "rows.xlsx")
        #expect(throws: WorkbookError.tooManyRows(part: "xl/worksheets/data.xml", row: 1_048_577)) {
            try WorkbookReader(contentsOf: tooLow).rows()
        }
        let tooWide = try workbook(Self.parts(sheet: Self.sheet("<x:row><x:c r=\"XFE1\"><x:v>1</x:v></x:c></x:row>")), name: "cols.xlsx")
        #expect(throws: WorkbookError.tooManyColumns(part: "xl/worksheets/data.xml", column: 16_385)) {
            try WorkbookReader(contentsOf: tooWide).rows()
        }
        let lastCell = try workbook(Self.parts(sheet: Self.sheet("<x:row r=\"1048576\"><x:c r=\"XFD1048576\"><x:v>7</x:v></x:c></x:row>")), name: "last.xlsx")
        let rows = try WorkbookReader(contentsOf: lastCell).rows()
        #expect(rows.first?.number == 1_048_576 && rows.first?.cells.count == 16_384 && rows.first?.cells.last == .number(7))
    }

    @Test func damagedPartsAreNamed() throws {
        let bad = try workbook(Self.parts(sheet: Self.sheet("<x:row><x:c t=\"s\"><x:v>9</x:v></x:c></x:row>"), strings: "<sst/>"), name: "s.xlsx")
        #expect(throws: WorkbookError.malformedPart(part: "xl/worksheets/data.xml", detail: "cell A1 names shared string '9', which does not exist")) {
            try WorkbookReader(contentsOf: bad).rows()
        }
        let broken = try workbook(Self.parts(sheet: "<worksheet><sheetData><row></sheetData></worksheet>"), name: "b.xlsx")
        #expect(throws: WorkbookError.malformedPart(part: "xl/worksheets/data.xml", detail: "</sheetData> closes <row>")) {
            try WorkbookReader(contentsOf: broken).rows()
        }
        let text = try workbook(Self.parts(sheet: Self.sheet("<x:row><x:c><x:v>douze</x:v></x:c></x:row>")), name: "n.xlsx")
        #expect(throws: WorkbookError.malformedPart(part: "xl/worksheets/data.xml", detail: "cell A1 holds number 'douze'")) {
            try WorkbookReader(contentsOf: text).rows()
        }
        #expect(WorkbookError.malformedPart(part: "xl/worksheets/data.xml", detail: "cell A1 holds number 'douze'").description
            == "xl/worksheets/data.xml in the workbook is damaged: cell A1 holds number 'douze'; save it again from the spreadsheet as .xlsx")
    }

    /// A part that inflates beyond the limit, or far beyond its compressed size, is refused while inflating.
    @Test func zipBombsAndHugePartsAreRefused() throws {
        let rows = String(repeating: "<x:row><x:c><x:v>0</x:v></x:c></x:row>", count: 20_000)
        let url = try workbook(Self.parts(sheet: Self.sheet(rows)), name: "bomb.xlsx")
        let sizes = try python("""
            import sys, zipfile
            i = zipfile.ZipFile(sys.argv[1]).getinfo("xl/worksheets/data.xml")
            print(i.file_size, i.compress_size)
            """, [url.path]).split(separator: " ").compactMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let ratio = sizes[0] / sizes[1]
        #expect(ratio > 100)
        #expect(throws: WorkbookError.suspiciousCompression(part: "xl/worksheets/data.xml", ratio: ratio)) {
            try WorkbookReader(contentsOf: url, limits: .init(maxRatio: 100, ratioFloor: 1000)).rows()
        }
        #expect(throws: WorkbookError.entryTooLarge(part: "xl/worksheets/data.xml", limit: 100_000)) {
            try WorkbookReader(contentsOf: url, limits: .init(maxEntrySize: 100_000)).rows()
        }
        // Within the default limits the same sheet reads.
        #expect(try WorkbookReader(contentsOf: url).rows().count == 20_000)
    }
}
