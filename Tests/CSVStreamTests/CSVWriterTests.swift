import CSVStream
import Foundation
import Testing

@Suite struct CSVWriterTests {
    @Test func quotesOnlyWhatMustBeQuoted() throws {
        var writer = CSVWriter()
        try writer.writeRecord(["a", "b c", " lead ", "x,y", "semi;colon", "q\"t", "cr\r", "lf\n", nil, "", "é"])
        #expect(writer.buffer == Array("a,b c, lead ,\"x,y\",semi;colon,\"q\"\"t\",\"cr\r\",\"lf\n\",,,é\r\n".utf8))
    }

    @Test func semicolonDelimiterAndLineFeeds() throws {
        var writer = CSVWriter(delimiter: UInt8(ascii: ";"), lineEnding: .lf)
        try writer.writeRecord(["x,y", "a;b", "\"\""])
        try writer.writeRecord(["1", nil])
        #expect(writer.buffer == Array("x,y;\"a;b\";\"\"\"\"\"\"\n1;\n".utf8))
    }

    @Test func aRecordOfOneEmptyFieldIsQuotedSoItIsNotABlankLine() throws {
        var writer = CSVWriter()
        try writer.writeRecord([nil])
        try writer.writeRecord([""])
        try writer.writeRecord(["", ""])
        #expect(writer.buffer == Array("\"\"\r\n\"\"\r\n,\r\n".utf8))
    }

    @Test func aLeadingU_FEFFIsQuotedSoItIsNotTakenForAByteOrderMark() throws {
        var writer = CSVWriter()
        try writer.writeRecord(["\u{FEFF}x", "\u{FEFF}y"])
        try writer.writeRecord(["\u{FEFF}z"])
        #expect(writer.buffer == Array("\"\u{FEFF}x\",\u{FEFF}y\r\n\u{FEFF}z\r\n".utf8))
        let readBack = try readRows(writer.buffer, chunkSize: 1 << 18).map(\.fields)
        #expect(utf8(readBack) == utf8([["\u{FEFF}x", "\u{FEFF}y"], ["\u{FEFF}z"]]))
    }

    @Test func bytesAndStringsWriteTheSame() throws {
        var fromStrings = CSVWriter(), fromBytes = CSVWriter()
        let fields: [String?] = ["plain", "with \"quote\"", nil, "", "日本,語"]
        try fromStrings.writeRecord(fields)
        for field in fields {
            if let field {
                Array(field.utf8).withUnsafeBytes { fromBytes.append(bytes: $0) }
            } else {
                fromBytes.append(bytes: nil)
            }
        }
        try fromBytes.endRecord()
        #expect(fromBytes.buffer == fromStrings.buffer)
    }

    @Test func flushesToTheDescriptorPastTheThresholdAndOnFinish() throws {
        let file = try TempFile()
        let fd = open(file.path, O_WRONLY | O_TRUNC)
        #expect(fd >= 0)
        defer { close(fd) }
        var writer = CSVWriter(fileDescriptor: fd, lineEnding: .lf, flushThreshold: 64)
        var expected = ""
        for i in 0..<100 {
            try writer.writeRecord(["\(i)", "name \(i)", i % 3 == 0 ? nil : "x,\(i)"])
            expected += "\(i),name \(i),\(i % 3 == 0 ? "" : "\"x,\(i)\"")\n"
            #expect(writer.buffer.count < 64 + 40)
        }
        try writer.finish()
        #expect(writer.buffer.isEmpty)
        #expect(try file.bytes == Array(expected.utf8))
    }

    @Test func aClosedPipeIsAnError() throws {
        signal(SIGPIPE, SIG_IGN)  // to get EPIPE rather than being killed (the CLI keeps SIGPIPE's default)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        defer { close(fds[1]) }
        var writer = CSVWriter(fileDescriptor: fds[1])
        try writer.writeRecord(["a", "b"])
        #expect(throws: WriteError(errno: EPIPE)) { try writer.finish() }
        #expect(WriteError(errno: EPIPE).description == "cannot write output: Broken pipe")
    }
}
