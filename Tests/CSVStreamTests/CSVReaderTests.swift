import CSVStream
import Foundation
import Testing

/// Hand-written cases, each read with chunk sizes that cut the input at every byte.
@Suite struct CSVReaderTests {
    @Test(arguments: chunkSizes)
    func plainRecords(chunkSize: Int) throws {
        #expect(try readFields("name,city\nCalanques Pay,Marseille\n", chunkSize: chunkSize)
            == [["name", "city"], ["Calanques Pay", "Marseille"]])
    }

    @Test(arguments: chunkSizes)
    func quotedDelimitersAndDoubledQuotes(chunkSize: Int) throws {
        let text = #""a,b","say ""hi""",c,"""",""""""\#n"#
        #expect(try readFields(text, chunkSize: chunkSize) == [["a,b", #"say "hi""#, "c", #"""#, #""""#]])
    }

    @Test(arguments: chunkSizes)
    func quotedLineBreaksKeepTheirBytesAndCountAsLines(chunkSize: Int) throws {
        let text = "id,note\n1,\"one\ntwo\"\n2,\"x\r\ny\",\"cr\ronly\"\n3,z"
        #expect(try readRows(Array(text.utf8), chunkSize: chunkSize) == [
            Row(line: 1, fields: ["id", "note"]),
            Row(line: 2, fields: ["1", "one\ntwo"]),
            Row(line: 4, fields: ["2", "x\r\ny", "cr\ronly"]),
            Row(line: 7, fields: ["3", "z"]),
        ])
    }

    @Test(arguments: chunkSizes)
    func crlfLfAndLoneCrMixed(chunkSize: Int) throws {
        #expect(try readRows(Array("a,b\r\nc,d\ne,f\rg,h\r\n".utf8), chunkSize: chunkSize) == [
            Row(line: 1, fields: ["a", "b"]),
            Row(line: 2, fields: ["c", "d"]),
            Row(line: 3, fields: ["e", "f"]),
            Row(line: 4, fields: ["g", "h"]),
        ])
    }

    @Test(arguments: chunkSizes)
    func blankLinesAreSkippedButCounted(chunkSize: Int) throws {
        #expect(try readRows(Array("\na\n\n\nb\r\n\r\nc\n\n".utf8), chunkSize: chunkSize) == [
            Row(line: 2, fields: ["a"]),
            Row(line: 5, fields: ["b"]),
            Row(line: 7, fields: ["c"]),
        ])
    }

    @Test(arguments: chunkSizes)
    func byteOrderMarkAtTheStartIsSkipped(chunkSize: Int) throws {
        let text = "\u{FEFF}name;city\nA;Paris\n"
        let file = try TempFile(Array(text.utf8))
        try withDescriptor(file) { fd in
            let reader = try CSVReader(fileDescriptor: fd, chunkSize: chunkSize)
            #expect(reader.delimiter == UInt8(ascii: ";"))
            #expect(try reader.next()?.strings == ["name", "city"])
        }
        #expect(try readFields("\u{FEFF}", chunkSize: chunkSize) == [])
        #expect(try readFields("\u{FEFF}\"q\"", chunkSize: chunkSize) == [["q"]])
    }

    @Test(arguments: chunkSizes)
    func byteOrderMarkElsewhereIsData(chunkSize: Int) throws {
        let rows = try readFields("a,b\n\u{FEFF}x,y\u{FEFF}\n\"\u{FEFF}\"\n", chunkSize: chunkSize)
        #expect(utf8(rows) == utf8([["a", "b"], ["\u{FEFF}x", "y\u{FEFF}"], ["\u{FEFF}"]]))
    }

    @Test(arguments: chunkSizes)
    func delimiterDetection(chunkSize: Int) throws {
        func detected(_ text: String) throws -> Character {
            let file = try TempFile(Array(text.utf8))
            return try withDescriptor(file) { fd in
                Character(UnicodeScalar(try CSVReader(fileDescriptor: fd, chunkSize: chunkSize).delimiter))
            }
        }
        #expect(try detected("name;sector;city\nA;B;C\n") == ";")
        #expect(try detected("name,sector,city\nA;B;C;D;E\n") == ",")
        #expect(try detected("a;b;c,d") == ";")
        #expect(try detected("a;b,c") == ",")  // a tie is a comma
        #expect(try detected("a;b\n,,,,,\n") == ";")
        #expect(try detected("\"x;y;z\",b\n") == ",")
        #expect(try detected("\"x,y,\"\"z\",b;c;d\n") == ";")
        #expect(try detected("\n\r\na;b\n") == ";")
        #expect(try detected("single") == ",")
        #expect(try detected("") == ",")
        #expect(try readFields("a;b;c,d\n1;2;3,4\n", chunkSize: chunkSize) == [["a", "b", "c,d"], ["1", "2", "3,4"]])
        #expect(try readFields("a;b;c\n", chunkSize: chunkSize, delimiter: UInt8(ascii: ",")) == [["a;b;c"]])
    }

    @Test func detectionReadsAheadAtMostAMebibyte() throws {
        // A stray quote opens a field that never closes: detection must not read the whole file.
        let file = try TempFile(Array(("a;b;\"c,d\n" + String(repeating: "1;2;3\n", count: 500_000)).utf8))
        try withDescriptor(file) { fd in
            let reader = try CSVReader(fileDescriptor: fd, chunkSize: 1 << 16)
            #expect(reader.delimiter == UInt8(ascii: ";"))
            #expect(reader.bytesRead <= (1 << 20) + (1 << 16))
            #expect(throws: CSVError(.unterminatedQuote(field: 3), line: 1, recordLine: 1)) { try reader.next() }
        }
    }

    @Test(arguments: chunkSizes)
    func emptyFieldsQuotedOrNotAreEmpty(chunkSize: Int) throws {
        let file = try TempFile(Array("a,,c\n,,\n\"\",x,\"\"\n\"\"\na,".utf8))
        try withDescriptor(file) { fd in
            let reader = try CSVReader(fileDescriptor: fd, chunkSize: chunkSize)
            var shapes: [[Bool]] = []
            while let record = try reader.next() {
                shapes.append((0..<record.count).map { record.isEmpty(at: $0) })
            }
            #expect(shapes == [[false, true, false], [true, true, true], [true, false, true], [true], [false, true]])
        }
    }

    @Test(arguments: chunkSizes)
    func emptyInputAndHeaderOnly(chunkSize: Int) throws {
        #expect(try readFields("", chunkSize: chunkSize) == [])
        #expect(try readFields("\n\r\n", chunkSize: chunkSize) == [])
        #expect(try readFields("name,city", chunkSize: chunkSize) == [["name", "city"]])
        #expect(try readFields("name,city\r\n", chunkSize: chunkSize, checkCount: true) == [["name", "city"]])
    }

    @Test(arguments: [7, 4096, 1 << 18])
    func megabyteField(chunkSize: Int) throws {
        var field = ""
        // Just under CSVReader.maximumFieldBytes (1 MiB), the longest field read.
        for i in 0..<87_000 { field += i % 97 == 0 ? "\"\n\r\n," : "abcdéfghi_\(i % 10)" }
        #expect(field.utf8.count > 1_000_000 && field.utf8.count <= CSVReader.maximumFieldBytes)
        let text = "id,blob,tail\n1,\"\(field.replacingOccurrences(of: "\"", with: "\"\""))\",end\n2,short,x\n"
        let rows = try readRows(Array(text.utf8), chunkSize: chunkSize)
        let breaks = field.utf8.filter { $0 == UInt8(ascii: "\n") }.count
        #expect(rows.count == 3)
        #expect(rows[1].fields == ["1", field, "end"])
        #expect(rows[2] == Row(line: 3 + breaks, fields: ["2", "short", "x"]))
    }

    @Test(arguments: chunkSizes)
    func invalidUTF8ReportsItsLineAndField(chunkSize: Int) throws {
        let input: [UInt8] = Array("a,b\nok,fine\nbad,".utf8) + [0xFF] + Array("\n".utf8)
        #expect(try firstError(input, chunkSize: chunkSize) == CSVError(.invalidUTF8(field: 2), line: 3, recordLine: 3))
    }

    @Test(arguments: chunkSizes)
    func invalidUTF8InsideAMultilineFieldReportsBothLines(chunkSize: Int) throws {
        // Record from line 2: field 1 holds one line break, field 2 two before the bad sequence C3 28.
        let input: [UInt8] = Array("a,b\n\"x\ny\",\"1\r\n2\r".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        let error = try firstError(input, chunkSize: chunkSize)
        #expect(error == CSVError(.invalidUTF8(field: 2), line: 5, recordLine: 2))
        #expect(error?.description == "line 5 (record starting at line 2): invalid UTF-8 in field 2 (save the file as UTF-8)")
    }

    @Test(arguments: chunkSizes)
    func aSequenceSplitBetweenTwoFieldsIsInvalid(chunkSize: Int) throws {
        // C3 A9 is "é", but cut in two by the delimiter each half is invalid.
        let input: [UInt8] = Array("x,".utf8) + [0xC3] + Array(",".utf8) + [0xA9]
        #expect(try firstError(input, chunkSize: chunkSize) == CSVError(.invalidUTF8(field: 2), line: 1, recordLine: 1))
    }

    @Test(arguments: chunkSizes)
    func nulBytesAreRefused(chunkSize: Int) throws {
        #expect(try firstError(Array("a,b\nx\0y,z\n".utf8), chunkSize: chunkSize)
            == CSVError(.nulByte(field: 1), line: 2, recordLine: 2))
        #expect(try firstError(Array("a,b\nc,\"p\nq\0\"\n".utf8), chunkSize: chunkSize)
            == CSVError(.nulByte(field: 2), line: 3, recordLine: 2))
    }

    @Test(arguments: chunkSizes)
    func unterminatedQuote(chunkSize: Int) throws {
        let error = try firstError(Array("a,b\n1,\"open\nmore\n".utf8), chunkSize: chunkSize)
        #expect(error == CSVError(.unterminatedQuote(field: 2), line: 2, recordLine: 2))
        #expect(error?.description == #"line 2: unterminated quoted field 2 (a field opened with " is never closed)"#)
        #expect(try firstError(Array("a,\"b\nc\",\"".utf8), chunkSize: chunkSize)
            == CSVError(.unterminatedQuote(field: 3), line: 2, recordLine: 1))
    }

    @Test(arguments: chunkSizes)
    func quoteInsideAnUnquotedField(chunkSize: Int) throws {
        let error = try firstError(Array("a,b\nab\"c,d\n".utf8), chunkSize: chunkSize)
        #expect(error == CSVError(.quoteInUnquotedField(field: 1), line: 2, recordLine: 2))
        #expect(error?.description == #"line 2: quote inside unquoted field 1 (quote the whole field and double the quote: "ab""c")"#)
    }

    @Test(arguments: chunkSizes)
    func textAfterAClosingQuote(chunkSize: Int) throws {
        #expect(try firstError(Array("a,b\nx,\"ab\"c\n".utf8), chunkSize: chunkSize)
            == CSVError(.textAfterClosingQuote(field: 2), line: 2, recordLine: 2))
        #expect(try firstError(Array("\"a\" ,b".utf8), chunkSize: chunkSize)
            == CSVError(.textAfterClosingQuote(field: 1), line: 1, recordLine: 1))
    }

    @Test(arguments: chunkSizes)
    func fieldCountMustMatchTheHeader(chunkSize: Int) throws {
        let error = try firstError(Array("a,b,c\n1,2,3\n\"x\ny\",2\n".utf8), chunkSize: chunkSize, checkCount: true)
        #expect(error == CSVError(.fieldCount(expected: 3, found: 2), line: 3, recordLine: 3))
        #expect(error?.description == "line 3: 2 fields, expected 3 as in the header")
        #expect(try firstError(Array("a,b\n1,2,\n".utf8), chunkSize: chunkSize, checkCount: true)
            == CSVError(.fieldCount(expected: 2, found: 3), line: 2, recordLine: 2))
    }

    @Test(arguments: chunkSizes)
    func readingGoesOnAfterABadRecord(chunkSize: Int) throws {
        let input: [UInt8] = Array("h1,h2\nab\"c,d\nx,\"y\"z\n".utf8) + [0xFF] + Array(",1\n1,2,3\n\0,2\nok,\"fine\"\n".utf8)
        let file = try TempFile(input)
        try withDescriptor(file) { fd in
            let reader = try CSVReader(fileDescriptor: fd, chunkSize: chunkSize)
            reader.expectedFieldCount = 2
            var outcomes: [String] = []
            while true {
                do {
                    guard let record = try reader.next() else { break }
                    outcomes.append("\(record.line): \(record.strings)")
                } catch {
                    outcomes.append("\(error)")
                }
            }
            #expect(outcomes == [
                #"1: ["h1", "h2"]"#,
                #"line 2: quote inside unquoted field 1 (quote the whole field and double the quote: "ab""c")"#,
                #"line 3: text after the closing quote of field 2 (double a quote inside a quoted field: "ab""c")"#,
                "line 4: invalid UTF-8 in field 1 (save the file as UTF-8)",
                "line 5: 3 fields, expected 2 as in the header",
                "line 6: NUL byte in field 1 (is this a binary file?)",
                #"7: ["ok", "fine"]"#,
            ])
        }
    }

    @Test func readFailureIsAnError() throws {
        let directory = open(FileManager.default.temporaryDirectory.path, O_RDONLY)
        #expect(directory >= 0)
        defer { close(directory) }
        #expect(throws: CSVError(.readFailed(errno: EISDIR), line: 1, recordLine: 1)) {
            try CSVReader(fileDescriptor: directory)
        }
        #expect(CSVError(.readFailed(errno: EISDIR), line: 1, recordLine: 1).description
            == "line 1: cannot read input: Is a directory (errno 21)")
    }

    @Test func streamsFromAPipeAndCountsBytes() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let rows = 20_000, writeEnd = fds[1]
        let writer = Thread {
            var text = "n,text\n"
            for i in 0..<rows { text += "\(i),\"multi\nline, \(i)\"\r\n" }
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let count = bytes[offset...].prefix(1000).withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                offset += count
            }
            close(writeEnd)
        }
        writer.start()
        defer { close(fds[0]) }
        let reader = try CSVReader(fileDescriptor: fds[0], chunkSize: 4096)
        reader.expectedFieldCount = 2
        var count = 0, lastLine = 0
        while let record = try reader.next() {
            if count > 0 { #expect(record.strings == ["\(count - 1)", "multi\nline, \(count - 1)"]) }
            count += 1
            lastLine = record.line
        }
        #expect(count == rows + 1)
        #expect(lastLine == 2 * rows)
        var expectedBytes = 7
        for i in 0..<rows { expectedBytes += "\(i),\"multi\nline, \(i)\"\r\n".utf8.count }
        #expect(reader.bytesRead == expectedBytes)
    }

    @Test func parseText() throws {
        #expect(try CSVReader.parse("name;city\r\n\"A;B\";Paris\r\n") == [["name", "city"], ["A;B", "Paris"]])
        #expect(throws: CSVError(.fieldCount(expected: 2, found: 1), line: 3, recordLine: 3)) {
            try CSVReader.parse("a,b\n1,2\n3\n")
        }
    }

    @Test(arguments: chunkSizes)
    func bytesInMemoryReadLikeAFile(chunkSize: Int) throws {
        let text = "\u{FEFF}a;b\n\"1\n2\";\"x\"\"\"\n\n3;"
        let reader = try CSVReader(bytes: Array(text.utf8))
        var rows: [Row] = []
        while let record = try reader.next() { rows.append(Row(line: record.line, fields: record.strings)) }
        #expect(rows == (try readRows(Array(text.utf8), chunkSize: chunkSize)))
        #expect(rows == [Row(line: 1, fields: ["a", "b"]), Row(line: 2, fields: ["1\n2", "x\""]), Row(line: 5, fields: ["3", ""])])
    }

    @Test func withBytesGivesTheFieldBytes() throws {
        let reader = try CSVReader(bytes: Array("\"a\"\"b\",,é\n".utf8))
        let record = try #require(try reader.next())
        #expect(record.withBytes(at: 0) { Array($0) } == Array("a\"b".utf8))
        #expect(record.withBytes(at: 1) { $0.count } == 0)
        #expect(record.withBytes(at: 2) { Array($0) } == [0xC3, 0xA9])
    }

    @Test func aRecordUsedAfterTheNextReadTraps() async {
        await #expect(processExitsWith: .failure) {
            let reader = try CSVReader(bytes: Array("a\nb\n".utf8))
            let first = try reader.next()
            _ = try reader.next()
            _ = first?.string(at: 0)
        }
    }
}
