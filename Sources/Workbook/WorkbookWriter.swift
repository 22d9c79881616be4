import Foundation
import ZIPFoundation

/// Writes an .xlsx workbook of one or more sheets, each a bold header row (frozen, so it stays in view) and rows
/// of typed cells. Texts are inline strings, so codes given as text (SIREN, SIRET, NAF) keep their leading zeros;
/// numbers are numbers; column widths follow the longest value, capped.
///
/// Rows are streamed: each sheet's XML goes in chunks to a temporary file, then into the zip entry through
/// ZIPFoundation's provider closure, so memory does not grow with the number of rows. The workbook is written at
/// `url`, which must not exist, and removed if it is not finished; to replace a file whole or not at all, give the
/// temporary of the caller's atomic file (the CLI's `AtomicFile`, the one temporary-then-rename path, which syncs
/// the file and its folder and is cleaned up on signals).
///
///     let writer = try WorkbookWriter(url: url)
///     try writer.addSheet(name: "Startups", header: ["name", "siren"], rows: [[.text("Calanques Pay"), .text("052100554")]])
///     try writer.finish()
public final class WorkbookWriter {
    /// The widest a column is made, in characters.
    public static let maxColumnWidth = 60

    private let url: URL
    private let archive: Archive
    private var sheetNames: [String] = []
    private var finished = false

    public init(url: URL) throws {
        self.url = url
        let folder = url.deletingLastPathComponent()
        do {
            archive = try Archive(url: url, accessMode: .create)
        } catch {
            throw WorkbookError.writeFailed(path: url.path, reason: Self.reason(folder: folder))
        }
    }

    deinit {
        if let sheet = openSheet { try? sheet.handle.close() }
        if !finished { try? FileManager.default.removeItem(at: url) }
    }

    private static func reason(folder: URL) -> String {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) || !isFolder.boolValue {
            return "the folder \(folder.path) does not exist"
        }
        return "the folder \(folder.path) is not writable"
    }

    /// Adds a sheet: `header` in bold on row 1, then `rows` from row 2. Empty cells are left out of the file.
    public func addSheet<Rows: Sequence>(name: String, header: [String], rows: Rows) throws where Rows.Element == [Cell] {
        try beginSheet(name: name, header: header)
        for row in rows { try appendRow(row) }
        try endSheet()
    }

    /// The sheet being written by `beginSheet`, `appendRow` and `endSheet`, for rows that come from a callback.
    private struct OpenSheet {
        let name: String
        let handle: FileHandle
        var out: ChunkWriter
        var widths: [Int] = []
        var number = 0
    }
    private var openSheet: OpenSheet?

    /// Starts a sheet whose rows are then given one at a time with `appendRow`, and ended with `endSheet`.
    public func beginSheet(name: String, header: [String]) throws {
        precondition(openSheet == nil, "endSheet() the previous sheet first")
        try validate(sheetName: name)
        // The rows wait in a temporary file that has no name once open: nothing is left behind, even when a
        // signal ends the process.
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("frenchtech-sheet-\(UUID().uuidString).xml")
        let descriptor = open(body.path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw WorkbookError.writeFailed(path: body.path, reason: String(cString: strerror(errno)))
        }
        unlink(body.path)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        openSheet = OpenSheet(name: name, handle: handle, out: ChunkWriter(handle: handle))
        try appendRow(header.map(Cell.text), style: Style.header)
    }

    public func appendRow(_ cells: [Cell]) throws {
        try appendRow(cells, style: nil)
    }

    private func appendRow(_ cells: [Cell], style: Int?) throws {
        guard var sheet = openSheet else { preconditionFailure("beginSheet(name:header:) first") }
        openSheet = nil  // written back below; a thrown error leaves no half-open sheet to append to
        do {
            sheet.number += 1
            guard sheet.number <= SheetLimits.maxRows else {
                throw WorkbookError.tooManyRows(part: "sheet '\(sheet.name)'", row: sheet.number)
            }
            try writeRow(sheet.number, cells, style: style, into: &sheet.out, widths: &sheet.widths, sheet: sheet.name)
        } catch {
            try? sheet.handle.close()
            throw error
        }
        openSheet = sheet
    }

    public func endSheet() throws {
        guard var sheet = openSheet else { preconditionFailure("beginSheet(name:header:) first") }
        openSheet = nil
        defer { try? sheet.handle.close() }
        let bodySize: Int64
        do {
            try sheet.out.flush()
            bodySize = Int64(try sheet.handle.offset())
            try sheet.handle.seek(toOffset: 0)
        } catch {
            throw WorkbookError.writeFailed(path: url.path, reason: "the rows' temporary file: \(error)")
        }
        let index = sheetNames.count + 1
        let columns = sheet.widths.isEmpty ? "" : "<cols>" + sheet.widths.enumerated().map { i, width in
            let w = min(max(width + 2, 8), Self.maxColumnWidth)
            return "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(w)\" customWidth=\"1\"/>"
        }.joined() + "</cols>"
        let prefix = Data(("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheetViews><sheetView \(index == 1 ? "tabSelected=\"1\" " : "")workbookViewId="0">\
            <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            <selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>\
            <sheetFormatPr defaultRowHeight="15"/>\(columns)<sheetData>
            """).utf8)
        let suffix = Data("</sheetData></worksheet>".utf8)
        var source = ConcatenatedSource(prefix: prefix, body: sheet.handle, suffix: suffix)
        try add("xl/worksheets/sheet\(index).xml", size: Int64(prefix.count) + bodySize + Int64(suffix.count)) { count in
            try source.read(count)
        }
        sheetNames.append(sheet.name)
    }

    /// Writes the workbook's other parts and puts the file in place.
    public func finish() throws {
        precondition(openSheet == nil, "endSheet() the last sheet first")
        guard !sheetNames.isEmpty else { throw WorkbookError.invalidSheetName(name: "", reason: "a workbook needs at least one sheet") }
        let sheets = sheetNames.enumerated().map { i, name in
            "<sheet name=\"\(Self.escapeAttribute(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }.joined()
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <bookViews><workbookView/></bookViews><sheets>\(sheets)</sheets></workbook>
            """)
        let sheetRels = sheetNames.indices.map { i in
            "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }.joined()
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(sheetRels)\
            <Relationship Id="rId\(sheetNames.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """)
        try add("xl/styles.xml", Style.part)
        let overrides = sheetNames.indices.map { i in
            "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(overrides)</Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        // On disk before a caller's rename points a name at it (the zip was written through its own handle).
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 { fsync(descriptor); close(descriptor) }
        finished = true
    }

    private func add(_ path: String, _ text: String) throws {
        let data = Data(text.utf8)
        var offset = 0
        try add(path, size: Int64(data.count)) { count in
            defer { offset += count }
            return data.subdata(in: offset..<(offset + count))
        }
    }

    private func add(_ path: String, size: Int64, _ read: @escaping (Int) throws -> Data) throws {
        do {
            try archive.addEntry(with: path, type: .file, uncompressedSize: size, compressionMethod: .deflate,
                                 bufferSize: 64 * 1024) { _, count in try read(count) }
        } catch let error as WorkbookError {
            throw error
        } catch {
            throw WorkbookError.writeFailed(path: url.path, reason: "\(error)")
        }
    }

    private func validate(sheetName name: String) throws {
        func refuse(_ reason: String) -> WorkbookError { .invalidSheetName(name: name, reason: reason) }
        if name.isEmpty { throw refuse("a sheet name cannot be empty") }
        if name.count > 31 { throw refuse("a sheet name has at most 31 characters") }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) { throw refuse("a sheet name cannot hold '\(bad)'") }
        if name.hasPrefix("'") || name.hasSuffix("'") { throw refuse("a sheet name cannot start or end with '") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 }) { throw refuse("a sheet name cannot hold control characters") }
        if sheetNames.contains(where: { $0.lowercased() == name.lowercased() }) { throw refuse("the workbook already has a sheet of that name") }
    }

    private func writeRow(_ number: Int, _ cells: [Cell], style: Int?, into out: inout ChunkWriter,
                          widths: inout [Int], sheet: String) throws {
        guard cells.count <= SheetLimits.maxColumns else {
            throw WorkbookError.tooManyColumns(part: "sheet '\(sheet)'", column: cells.count)
        }
        out.append("<row r=\"\(number)\">")
        let s = style.map { " s=\"\($0)\"" } ?? ""
        for (i, cell) in cells.enumerated() {
            let reference = "\(SheetParser.letters(of: i + 1))\(number)"
            var shown = 0
            switch cell {
            case .empty:
                continue
            case let .text(text):
                out.append("<c r=\"\(reference)\"\(s) t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                out.append(Self.escapeText(OOXMLEscape.escape(text)))
                out.append("</t></is></c>")
                shown = text.split(separator: "\n", omittingEmptySubsequences: false).map(\.count).max() ?? 0
            case let .number(value):
                guard value.isFinite else { throw WorkbookError.nonFiniteNumber(sheet: sheet, row: number, column: i + 1) }
                let text = Self.format(value)
                out.append("<c r=\"\(reference)\"\(s)><v>\(text)</v></c>")
                shown = text.count
            case let .bool(value):
                out.append("<c r=\"\(reference)\"\(s) t=\"b\"><v>\(value ? 1 : 0)</v></c>")
                shown = 5
            case let .date(year, month, day):
                let iso = String(format: "%04d-%02d-%02d", year, month, day)
                if let serial = ExcelDate.serial(year: year, month: month, day: day) {
                    out.append("<c r=\"\(reference)\" s=\"\(style ?? Style.date)\"><v>\(serial)</v></c>")
                } else {
                    // Before 1900: no serial number can say it.
                    out.append("<c r=\"\(reference)\"\(s) t=\"inlineStr\"><is><t>\(iso)</t></is></c>")
                }
                shown = 10
            case let .error(code):
                out.append("<c r=\"\(reference)\"\(s) t=\"e\"><v>\(Self.escapeText(code))</v></c>")
                shown = code.count
            }
            while widths.count <= i { widths.append(0) }
            widths[i] = max(widths[i], shown)
            if out.count >= ChunkWriter.chunk { try out.flush() }
        }
        out.append("</row>")
        if out.count >= ChunkWriter.chunk { try out.flush() }
    }

    /// Whole numbers without a fraction; others in Swift's shortest form that reads back the same (`3.5`, `1e-05`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    static func escapeText(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func escapeAttribute(_ text: String) -> String {
        escapeText(text).replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// The styles the writer uses: 0 plain, 1 bold (the header), 2 a date (builtin format 14).
enum Style {
    static let header = 1
    static let date = 2
    static let part = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}

/// Collects UTF-8 bytes and writes them to a file in chunks.
struct ChunkWriter {
    static let chunk = 256 * 1024
    let handle: FileHandle
    private var buffer: [UInt8] = []
    var count: Int { buffer.count }

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A zip entry's bytes: the sheet's opening, its rows from the temporary file, its end.
struct ConcatenatedSource {
    let prefix: Data
    let body: FileHandle
    let suffix: Data
    private var prefixOffset = 0
    private var suffixOffset = 0
    private var bodyDone = false

    init(prefix: Data, body: FileHandle, suffix: Data) {
        self.prefix = prefix
        self.body = body
        self.suffix = suffix
    }

    mutating func read(_ count: Int) throws -> Data {
        var out = Data()
        out.reserveCapacity(count)
        if prefixOffset < prefix.count {
            let n = min(count, prefix.count - prefixOffset)
            out.append(prefix.subdata(in: prefixOffset..<(prefixOffset + n)))
            prefixOffset += n
        }
        while out.count < count && !bodyDone {
            let chunk = try body.read(upToCount: count - out.count) ?? Data()
            if chunk.isEmpty { bodyDone = true } else { out.append(chunk) }
        }
        if out.count < count && suffixOffset < suffix.count {
            let n = min(count - out.count, suffix.count - suffixOffset)
            out.append(suffix.subdata(in: suffixOffset..<(suffixOffset + n)))
            suffixOffset += n
        }
        return out
    }
}

extension ExcelDate {
    /// The serial number of a date in the 1900 system; nil before 1900.
    static func serial(year: Int, month: Int, day: Int) -> Int? {
        guard year >= 1900, (1...12).contains(month), (1...31).contains(day) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let serial = days + 25569
        return serial < 61 ? serial - 1 : serial
    }
}
