import CSVStream
import Foundation
import PropertyBased
import Testing

/// Pieces of hostile fields: delimiters, quotes, every line break, multi-byte and combining characters,
/// U+FEFF, spaces.
private let pieces = ["a", "Zz", " ", ",", ";", "\"", "\"\"", "\r", "\n", "\r\n", "é", "e\u{301}", "日本", "🇫🇷",
                      "\u{FEFF}", "\t", "0"]
private let field = Gen<String?>.element(of: pieces).map { $0 ?? "" }.array(of: 0...5).map { $0.joined() }
private let records = field.array(of: 1...6).array(of: 1...12)
private let nullableRecords = Gen<String??>.element(of: [nil, "", "plain", "a,b", "say \"hi\"", "x\r\ny", "\r", "é;日本", " pad ",
                                                          "\u{FEFF}bom"])
    .map { $0 ?? nil }.array(of: 1...5).array(of: 1...12)
private let layoutSeed = Gen.int(in: 0...Int.max)

@Suite struct PropertyTests {
    /// Serializes hostile records in its own way, independent of CSVWriter: random line breaks between
    /// records, blank lines, needless quotes, a byte order mark; CSVReader must agree with Python's csv
    /// on every field and on the line where each record starts.
    @Test func readerAgreesWithPython() async throws {
        let python = try PythonCSV()
        await propertyCheck(count: 150, input: records, layoutSeed) { records, seed in
            var random = SplitMix(seed: seed)
            let delimiter = Bool.random(using: &random) ? "," : ";"
            var text = Bool.random(using: &random) ? "\u{FEFF}" : ""
            for (index, record) in records.enumerated() {
                text += record.map { field in
                    let special = field.contains(delimiter) || field.contains("\"") || field.contains("\r") || field.contains("\n")
                    let quoted = special || field.isEmpty && record.count == 1 || Int.random(in: 0..<5, using: &random) == 0
                    return quoted ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                }.joined(separator: delimiter)
                if index < records.count - 1 || Bool.random(using: &random) {
                    text += ["\n", "\r\n", "\r"].randomElement(using: &random) ?? "\n"
                    if Int.random(in: 0..<8, using: &random) == 0 { text += "\n" }
                }
            }
            let file = try TempFile(Array(text.utf8))
            let byte = UInt8(ascii: delimiter.unicodeScalars.first ?? ",")
            let expected = try python.read(file.path, delimiter: byte)
            let chunkSize = Int.random(in: 1...64, using: &random)
            let actual = try readRows(Array(text.utf8), chunkSize: chunkSize, delimiter: byte)
            #expect(utf8(actual) == utf8(expected), "chunk size \(chunkSize), input \(text.debugDescription)")
            #expect(actual.map(\.line) == expected.map(\.line), "chunk size \(chunkSize), input \(text.debugDescription)")
        }
    }

    @Test func writerOutputReadsBackInPythonAndCSVReader() async throws {
        let python = try PythonCSV()
        await propertyCheck(count: 100, input: nullableRecords, layoutSeed) { records, seed in
            var random = SplitMix(seed: seed)
            let delimiter = Bool.random(using: &random) ? UInt8(ascii: ",") : UInt8(ascii: ";")
            var writer = CSVWriter(delimiter: delimiter, lineEnding: Bool.random(using: &random) ? .crlf : .lf)
            for record in records { try writer.writeRecord(record) }
            let expected = records.map { $0.map { $0 ?? "" } }
            let file = try TempFile(writer.buffer)
            #expect(utf8(try python.read(file.path, delimiter: delimiter)) == utf8(expected))
            let chunkSize = Int.random(in: 1...32, using: &random)
            let readBack = try readRows(writer.buffer, chunkSize: chunkSize, delimiter: delimiter).map(\.fields)
            #expect(utf8(readBack) == utf8(expected))
        }
    }

    /// Any byte sequence in a field is accepted exactly when the standard library finds it valid UTF-8.
    @Test func utf8ValidationAgreesWithTheStandardLibrary() async throws {
        let bytes = Gen<UInt8?>.element(of: [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                                               0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF])
            .map { $0 ?? 0 }.array(of: 0...8)
        await propertyCheck(count: 2000, input: bytes) { field in
            let reader = try CSVReader(bytes: Array("x,".utf8) + field + Array(",y".utf8))
            let valid = String(validating: field, as: UTF8.self) != nil
            if valid {
                #expect(try reader.next()?.count == 3, "\(field)")
            } else {
                #expect(throws: CSVError(.invalidUTF8(field: 2), line: 1, recordLine: 1), "\(field)") { try reader.next() }
            }
        }
    }
}
