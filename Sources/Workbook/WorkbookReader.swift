import Foundation
import ZIPFoundation

/// Reads an .xlsx workbook: its sheet names, and the rows of a sheet streamed one at a time. The sheet's XML is
/// scanned as it inflates, so a sheet of hundreds of megabytes needs memory for one row, plus the shared strings
/// (which the format keeps in one part for the whole workbook).
public final class WorkbookReader {
    /// Bounds on what a zip entry may inflate to.
    public struct Limits: Sendable {
        /// The largest inflated size of one part.
        public var maxEntrySize: Int64
        /// Above `ratioFloor` inflated bytes, the largest inflated/compressed ratio. Deflate cannot exceed about
        /// 1,032:1; real sheets reach a few hundred on very repetitive data.
        public var maxRatio: Int64
        public var ratioFloor: Int64

        public init(maxEntrySize: Int64 = 1 << 30, maxRatio: Int64 = 500, ratioFloor: Int64 = 16 << 20) {
            self.maxEntrySize = maxEntrySize
            self.maxRatio = maxRatio
            self.ratioFloor = ratioFloor
        }
    }

    public let sheetNames: [String]
    private let sheetParts: [String]
    private let archive: Archive
    private let path: String
    private let limits: Limits
    private let date1904: Bool
    private let sharedStringsPart: String?
    private let stylesPart: String?
    private var sharedStrings: [String]?
    private var dateStyles: [Bool]?

    public init(contentsOf url: URL, limits: Limits = Limits()) throws {
        path = url.path
        self.limits = limits
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            if !FileManager.default.isReadableFile(atPath: url.path) {
                throw WorkbookError.notAWorkbook(path: url.path, reason: "it cannot be read")
            }
            throw WorkbookError.notAWorkbook(path: url.path, reason: "it is not a zip archive")
        }
        guard archive["xl/workbook.xml"] != nil else {
            throw WorkbookError.notAWorkbook(path: url.path, reason: "it holds no xl/workbook.xml")
        }
        var names: [String] = []
        var ids: [String] = []
        var is1904 = false
        try Self.stream("xl/workbook.xml", of: archive, limits: limits) { event in
            guard case let .start(name, attributes) = event else { return }
            if name == "sheet" {
                guard let sheetName = attributes["name"], let id = attributes["id"] else {
                    throw WorkbookError.malformedPart(part: "xl/workbook.xml", detail: "a sheet without a name or r:id")
                }
                names.append(sheetName)
                ids.append(id)
            } else if name == "workbookPr", let value = attributes["date1904"] {
                is1904 = value == "1" || value == "true"
            }
        }
        var targets: [String: String] = [:]
        var shared: String?
        var styles: String?
        if archive["xl/_rels/workbook.xml.rels"] != nil {
            try Self.stream("xl/_rels/workbook.xml.rels", of: archive, limits: limits) { event in
                guard case let .start("Relationship", attributes) = event,
                      let id = attributes["Id"], let target = attributes["Target"] else { return }
                let part = Self.resolve(target)
                targets[id] = part
                let type = attributes["Type"] ?? ""
                if type.hasSuffix("/sharedStrings") { shared = part }
                if type.hasSuffix("/styles") { styles = part }
            }
        }
        sheetNames = names
        let opened = archive
        sheetParts = try ids.enumerated().map { index, id in
            if let part = targets[id] { return part }
            // Without relationships, the usual layout.
            let guess = "xl/worksheets/sheet\(index + 1).xml"
            guard targets.isEmpty, opened[guess] != nil else {
                throw WorkbookError.missingPart("relationship \(id) of sheet '\(names[index])' (xl/_rels/workbook.xml.rels)")
            }
            return guess
        }
        sharedStringsPart = shared ?? (opened["xl/sharedStrings.xml"] != nil ? "xl/sharedStrings.xml" : nil)
        stylesPart = styles ?? (opened["xl/styles.xml"] != nil ? "xl/styles.xml" : nil)
        date1904 = is1904
    }

    /// Calls `body` with each row of the sheet named `sheet` (the first sheet when nil) in order. Rows that hold
    /// only empty cells are skipped (the others keep their sheet row numbers). Throwing from `body` stops the scan.
    public func forEachRow(inSheet sheet: String? = nil, _ body: (WorkbookRow) throws -> Void) throws {
        let index: Int
        if let sheet {
            guard let i = sheetNames.firstIndex(of: sheet) else {
                throw WorkbookError.noSuchSheet(name: sheet, available: sheetNames)
            }
            index = i
        } else {
            guard !sheetNames.isEmpty else { throw WorkbookError.missingPart("sheet (xl/workbook.xml lists none)") }
            index = 0
        }
        let part = sheetParts[index]
        guard archive[part] != nil else { throw WorkbookError.missingPart("\(part) (sheet '\(sheetNames[index])')") }
        let strings = try loadSharedStrings(), dateStyles = try loadDateStyles()
        try withoutActuallyEscaping(body) { body in
            var sheetParser = SheetParser(part: part, strings: strings, dateStyles: dateStyles,
                                          date1904: date1904, emit: body)
            try Self.stream(part, of: archive, limits: limits) { try sheetParser.handle($0) }
        }
    }

    /// All rows of a sheet at once: for small sheets and tests.
    public func rows(inSheet sheet: String? = nil) throws -> [WorkbookRow] {
        var rows: [WorkbookRow] = []
        try forEachRow(inSheet: sheet) { rows.append($0) }
        return rows
    }

    private func loadSharedStrings() throws -> [String] {
        if let sharedStrings { return sharedStrings }
        var strings: [String] = []
        // A missing table reads as empty: a cell that names one of its strings is then refused by name.
        if let part = sharedStringsPart, archive[part] != nil {
            var current = ""
            var inItem = false, inText = false, phonetic = 0
            try Self.stream(part, of: archive, limits: limits) { event in
                switch event {
                case let .start(name, _):
                    if name == "si" { inItem = true; current = "" }
                    else if name == "rPh" { phonetic += 1 }
                    else if name == "t" && inItem && phonetic == 0 { inText = true }
                case let .end(name):
                    if name == "si" { strings.append(OOXMLEscape.unescape(current)); inItem = false }
                    else if name == "rPh" { phonetic -= 1 }
                    else if name == "t" { inText = false }
                case let .text(text):
                    if inText { current += text }
                }
            }
        }
        sharedStrings = strings
        return strings
    }

    private func loadDateStyles() throws -> [Bool] {
        if let dateStyles { return dateStyles }
        var custom: [Int: String] = [:]
        var formats: [Int] = []
        if let part = stylesPart, archive[part] != nil {
            var inCellXfs = false
            try Self.stream(part, of: archive, limits: limits) { event in
                switch event {
                case let .start(name, attributes):
                    if name == "numFmt", let id = attributes["numFmtId"].flatMap({ Int($0) }) {
                        custom[id] = attributes["formatCode"] ?? ""
                    } else if name == "cellXfs" {
                        inCellXfs = true
                    } else if name == "xf" && inCellXfs {
                        formats.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
                    }
                case let .end(name):
                    if name == "cellXfs" { inCellXfs = false }
                case .text: break
                }
            }
        }
        let styles = formats.map { DateFormat.isDate(id: $0, code: custom[$0]) }
        dateStyles = styles
        return styles
    }

    /// "worksheets/sheet1.xml" is relative to xl/; "/xl/worksheets/sheet1.xml" to the package's root.
    static func resolve(_ target: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : ["xl"]
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }

    /// Inflates one part through the XML scanner, enforcing the size and ratio limits on the bytes actually
    /// produced (a zip's declared sizes can lie).
    static func stream(_ part: String, of archive: Archive, limits: Limits,
                       _ handle: (XMLScanner.Event) throws -> Void) throws {
        guard let entry = archive[part] else { throw WorkbookError.missingPart(part) }
        let compressed = max(Int64(entry.compressedSize), 1)
        func check(_ inflated: Int64) throws {
            if inflated > limits.maxEntrySize { throw WorkbookError.entryTooLarge(part: part, limit: limits.maxEntrySize) }
            if inflated > limits.ratioFloor && inflated / compressed > limits.maxRatio {
                throw WorkbookError.suspiciousCompression(part: part, ratio: inflated / compressed)
            }
        }
        try check(Int64(entry.uncompressedSize))
        // The caller's own errors (a row callback that stops the scan) go through unchanged.
        struct Passthrough: Error { let error: any Error }
        func relay(_ event: XMLScanner.Event) throws {
            do { try handle(event) } catch let error as WorkbookError { throw error } catch { throw Passthrough(error: error) }
        }
        var scanner = XMLScanner()
        var inflated: Int64 = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                inflated += Int64(chunk.count)
                try check(inflated)
                try scanner.feed(chunk, relay)
            }
            try scanner.finish(relay)
        } catch let failure as XMLScanner.Failure {
            throw WorkbookError.malformedPart(part: part, detail: failure.detail)
        } catch let error as WorkbookError {
            throw error
        } catch let passthrough as Passthrough {
            throw passthrough.error
        } catch {
            throw WorkbookError.malformedPart(part: part, detail: "the zip entry cannot be inflated (\(error))")
        }
    }
}
