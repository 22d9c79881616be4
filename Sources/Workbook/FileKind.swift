import Foundation
import ZIPFoundation

/// What a file is, told from its first bytes (and, for a zip, from its entries), so that an import can read an
/// .xlsx as a workbook and say plainly what to do with an .ods, an old .xls or a PDF.
public enum FileKind: String, Equatable, Sendable {
    case xlsx, ods, zip, ole2, pdf, sqlite, gzip, text

    /// What a person would call it, for messages.
    public var name: String {
        switch self {
        case .xlsx: return "an Excel workbook (.xlsx)"
        case .ods: return "an OpenDocument spreadsheet (.ods)"
        case .zip: return "a zip archive"
        case .ole2: return "an old Excel workbook (.xls) or another OLE2 compound file"
        case .pdf: return "a PDF document"
        case .sqlite: return "an SQLite database"
        case .gzip: return "a gzip-compressed file"
        case .text: return "a text file"
        }
    }

    static let odsMimetype = "application/vnd.oasis.opendocument.spreadsheet"

    /// Reads at most the first 4 KiB, and a zip's central directory. A file that cannot be opened throws.
    public static func sniff(_ url: URL) throws -> FileKind {
        let handle = try FileHandle(forReadingFrom: url)
        let head = try handle.read(upToCount: 4096) ?? Data()
        try handle.close()
        let kind = sniff(head: [UInt8](head))
        guard kind == .zip else { return kind }
        // An .ods starts with an uncompressed entry "mimetype"; its text is in the first bytes.
        let prefix = Array("PK\u{3}\u{4}".utf8)
        if head.count >= 30 + 8, Array(head.prefix(4)) == prefix {
            let nameLength = Int(head[26]) | Int(head[27]) << 8
            let extraLength = Int(head[28]) | Int(head[29]) << 8
            let start = 30 + nameLength + extraLength
            if nameLength == 8, String(decoding: head[30..<38], as: UTF8.self) == "mimetype",
               head.count >= start + odsMimetype.utf8.count,
               String(decoding: head[start..<(start + odsMimetype.utf8.count)], as: UTF8.self) == odsMimetype {
                return .ods
            }
        }
        // A zip that ZIPFoundation cannot open (damaged, truncated) is still a zip.
        var opened: Archive?
        do {
            let archive: Archive = try Archive(url: url, accessMode: .read)
            opened = archive
        } catch {
            opened = nil
        }
        if let archive = opened {
            if archive["xl/workbook.xml"] != nil { return .xlsx }
            if let entry = archive["mimetype"], entry.uncompressedSize < 256 {
                var text = Data()
                _ = try? archive.extract(entry) { text.append($0) }
                if String(decoding: text, as: UTF8.self) == odsMimetype { return .ods }
            }
        }
        return .zip
    }

    /// From the first bytes alone: a zip is `.zip` here (its entries tell xlsx and ods apart).
    public static func sniff(head: [UInt8]) -> FileKind {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole2 }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts(Array("SQLite format 3\0".utf8)) { return .sqlite }
        if starts([0x1F, 0x8B]) { return .gzip }
        return .text
    }
}
