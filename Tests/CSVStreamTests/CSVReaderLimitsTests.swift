import CSVStream
import Foundation
import Testing

/// A field holds at most 1 MiB and a record 4 MiB: an input without line breaks ends in an error by line, with
/// memory bounded by the record limit, however much input there is.
@Suite struct CSVReaderLimits {
    static let mib = 1 << 20

    @Test func limitsAreTheDocumentedSizes() {
        #expect(CSVReader.maximumFieldBytes == 1_048_576)
        #expect(CSVReader.maximumRecordBytes == 4_194_304)
    }

    @Test(arguments: [false, true])
    func aFieldOfOneMebibyteIsReadAndOneByteMoreIsAnError(quoted: Bool) throws {
        let atLimit = String(repeating: "a", count: Self.mib), pastLimit = String(repeating: "b", count: Self.mib + 1)
        let q = quoted ? "\"" : ""
        let text = "name,note\nA,\(q)\(atLimit)\(q)\nB,\(q)\(pastLimit)\(q)\nC,end\n"
        for chunk in [7, 1 << 18] {
            let file = try TempFile(Array(text.utf8))
            try withDescriptor(file) { fd in
                let reader = try CSVReader(fileDescriptor: fd, chunkSize: chunk)
                #expect(try reader.next()?.strings == ["name", "note"])
                #expect(try reader.next()?.strings == ["A", atLimit])
                #expect(throws: CSVError(.fieldTooLong(field: 2, limit: Self.mib), line: 3, recordLine: 3)) { try reader.next() }
                // The reader reads on after a long field.
                let last = try #require(try reader.next())
                #expect(last.line == 4 && last.strings == ["C", "end"])
                #expect(try reader.next() == nil)
            }
        }
    }

    @Test func aLongFieldIsAnErrorInMemoryToo() throws {
        let reader = try CSVReader(bytes: Array("x\n\(String(repeating: "y", count: Self.mib + 10))\n".utf8))
        _ = try reader.next()
        #expect(throws: CSVError(.fieldTooLong(field: 1, limit: Self.mib), line: 2, recordLine: 2)) { try reader.next() }
    }

    /// 50 MB without a line break: one error at the record's line, then the end; far less than the file is read.
    @Test func aRecordPastFourMebibytesStopsTheReader() throws {
        let file = try TempFile(Array("name,sector\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 50_000_000))
        try withDescriptor(file) { fd in
            let reader = try CSVReader(fileDescriptor: fd)
            #expect(try reader.next()?.strings == ["name", "sector"])
            #expect(throws: CSVError(.recordTooLong(limit: 4 * Self.mib), line: 2, recordLine: 2)) { try reader.next() }
            #expect(try reader.next() == nil)
            #expect(reader.bytesRead <= 4 * Self.mib + 2 * (1 << 18) + 12, "read \(reader.bytesRead) bytes")
        }
    }

    @Test func devZeroEndsInAnErrorOnLineOne() throws {
        let fd = open("/dev/zero", O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let reader = try CSVReader(fileDescriptor: fd)
        #expect(throws: CSVError(.recordTooLong(limit: 4 * Self.mib), line: 1, recordLine: 1)) { try reader.next() }
        #expect(try reader.next() == nil)
        // The delimiter's look-ahead (1 MiB), the record's limit and a chunk or two.
        #expect(reader.bytesRead <= 5 * Self.mib + 2 * (1 << 18), "read \(reader.bytesRead) bytes")
    }

    @Test func theMessagesSayTheLimit() {
        #expect("\(CSVError(.recordTooLong(limit: 4 * Self.mib), line: 1, recordLine: 1))".hasPrefix("line 1: record longer than 4 MiB"))
        #expect("\(CSVError(.fieldTooLong(field: 3, limit: Self.mib), line: 9, recordLine: 9))".hasPrefix("line 9: field 3 is longer than 1 MiB"))
    }
}
