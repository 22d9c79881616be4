import CSVStream
import Foundation
import Testing

/// Runs a python3 script with arguments; its stdout.
private func python(_ script: String, _ arguments: [String] = []) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return data
}

/// What each record of `bytes` reads as in `encoding`: its fields joined by "|", or the error.
private func readAll(_ bytes: [UInt8], encoding: EncodingChoice, chunkSize: Int) throws -> (rows: [String], encoding: TextEncoding) {
    let file = try TempFile(bytes)
    return try withDescriptor(file) { fd in
        let reader = try CSVReader(fileDescriptor: fd, delimiter: UInt8(ascii: ","), encoding: encoding, chunkSize: chunkSize)
        var rows: [String] = []
        while true {
            do throws(CSVError) {
                guard let record = try reader.next() else { break }
                rows.append("\(record.line): " + record.strings.joined(separator: "|"))
            } catch {
                rows.append(error.description)
                if case .unterminatedQuote = error.reason { break }
            }
        }
        #expect(reader.bytesRead == bytes.count)
        return (rows, reader.encoding)
    }
}

@Suite struct EncodingTests {
    /// Every byte but the CSV syntax ones (NUL, LF, CR, quote, comma), one per line, decoded by python3's codecs
    /// and by the reader; an undefined Windows-1252 byte is an error naming it.
    @Test(arguments: [("cp1252", TextEncoding.windows1252), ("latin-1", TextEncoding.latin1)])
    func singleBytesDecodeAsPythonDoes(codec: String, encoding: TextEncoding) throws {
        let bytes = (0...255).map(UInt8.init).filter { ![0x00, 0x0A, 0x0D, 0x22, 0x2C].contains($0) }
        let expected = try JSONDecoder().decode([String?].self, from: python("""
            import json, sys
            out = []
            for b in json.loads(sys.argv[2]):
                try: out.append(bytes([b]).decode(sys.argv[1]))
                except UnicodeDecodeError: out.append(None)
            print(json.dumps(out))
            """, [codec, "\(bytes)"]))
        let lines = expected.enumerated().map { index, text in
            text.map { "\(index + 1): \($0)" }
                ?? "line \(index + 1): byte 0x\(String(bytes[index], radix: 16, uppercase: true)) in field 1 has no character in Windows-1252 (if the file is Latin-1, read it as latin-1)"
        }
        #expect(expected.count(where: { $0 == nil }) == (encoding == .windows1252 ? 5 : 0))
        for chunkSize in chunkSizes {
            let file: [UInt8] = bytes.flatMap { [$0, 0x0A] }
            let read = try readAll(file, encoding: .given(encoding), chunkSize: chunkSize)
            #expect(read.rows == lines, "chunk \(chunkSize)")
            #expect(read.encoding == encoding)
        }
    }

    static let text = "name,city\r\n\"Crème, brûlée\",Aix\r\n\"deux\nlignes\",🚀 Fusée\r\n€uro’s,\r\nœ𝄞,Ô\r\n"

    /// UTF-16 of either byte order, through chunk boundaries inside units and surrogate pairs, reads as the
    /// UTF-8 text does, by line.
    @Test(arguments: ["utf-16-le", "utf-16-be"])
    func utf16ReadsAsTheUTF8Text(codec: String) throws {
        let encoded = [UInt8](try python("import sys; sys.stdout.buffer.write('\\ufeff'.encode(sys.argv[1]) + sys.argv[2].encode(sys.argv[1]))",
                                         [codec, Self.text]))
        let withoutMark = [UInt8](try python("import sys; sys.stdout.buffer.write(sys.argv[2].encode(sys.argv[1]))", [codec, Self.text]))
        let expected = try readAll(Array(Self.text.utf8), encoding: .given(.utf8), chunkSize: 1 << 18).rows
        #expect(expected.count == 5)
        let encoding: TextEncoding = codec == "utf-16-le" ? .utf16LE : .utf16BE
        for chunkSize in chunkSizes {
            for choice in [EncodingChoice.auto, .utf16] {
                let read = try readAll(encoded, encoding: choice, chunkSize: chunkSize)
                #expect(read.rows == expected, "chunk \(chunkSize)")
                #expect(read.encoding == encoding)
            }
            if encoding == .utf16LE {  // without a byte order mark, utf-16 is little-endian
                #expect(try readAll(withoutMark, encoding: .utf16, chunkSize: chunkSize).rows == expected)
            }
        }
    }

    @Test func malformedUTF16IsAnErrorByLine() throws {
        // "a\nb" then a lone high surrogate D800 before "c", then an odd byte at the end.
        let units: [UInt16] = [0xFEFF, 0x61, 0x0A, 0x62, 0xD800, 0x63, 0x0A, 0x64]
        let bytes: [UInt8] = units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0x41]
        let message = "has no character"
        for chunkSize in chunkSizes {
            let rows = try readAll(bytes, encoding: .auto, chunkSize: chunkSize).rows
            #expect(rows.count == 3)
            #expect(rows[0] == "1: a")
            #expect(rows[1] == "line 2: invalid UTF-16 LE in field 1: an unpaired surrogate or an odd byte at the end (save the file as UTF-8)")
            #expect(rows[2].hasPrefix("line 3: invalid UTF-16 LE") && !rows[2].contains(message))
        }
    }

    /// auto decides on the first 64 KiB: a character cut by that boundary is still UTF-8; a Windows-1252 byte
    /// past it is today's invalid UTF-8 error, by line.
    @Test func autoDecidesOnTheFirst64KiB() throws {
        let sniff = CSVReader.sniffBytes
        let line = Array("abcdefghijklmno\n".utf8)  // 16 bytes
        var straddling: [UInt8] = Array(repeating: line, count: sniff / 16).flatMap { $0 }
        straddling.removeLast(2)
        straddling += Array("x\u{E9}\n".utf8)  // é = C3 A9 on bytes 65535 and 65536
        let read = try readAll(straddling, encoding: .auto, chunkSize: 1 << 12)
        #expect(read.encoding == .utf8)
        #expect(read.rows.last == "\(sniff / 16): abcdefghijklmnx\u{E9}")

        let late: [UInt8] = Array(repeating: line, count: sniff / 16).flatMap { $0 } + [0x43, 0x61, 0x66, 0xE9, 0x0A]
        let lateRead = try readAll(late, encoding: .auto, chunkSize: 1 << 12)
        #expect(lateRead.encoding == .utf8)
        #expect(lateRead.rows.last == "line \(sniff / 16 + 1): invalid UTF-8 in field 1 (save the file as UTF-8)")

        let early: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x0A] + Array(repeating: line, count: 10).flatMap { $0 }
        let earlyRead = try readAll(early, encoding: .auto, chunkSize: 3)
        #expect(earlyRead.encoding == .windows1252)
        #expect(earlyRead.rows.first == "1: Caf\u{E9}")
        #expect(earlyRead.rows.count == 11)
    }
}
