import Foundation
import PropertyBased
import Testing
@testable import CSVStream

// Property-based fuzzing of the CSV reader: bytes built from the characters that matter to CSV (quotes,
// separators, CR, LF, NUL, BOM pieces, bytes that are not UTF-8) must never crash it, never loop, and give the
// same records and errors whatever the chunk size it reads with. Scripts/fuzz.sh runs these longer
// (FUZZ_SECONDS) and runs libFuzzer on the reader; every input that ever failed is kept in `regressions`.

/// Every record and every error of one read, in order.
enum ReadEvent: Equatable, CustomStringConvertible {
    case record(line: Int, fields: [[UInt8]])
    case error(CSVError)

    var description: String {
        switch self {
        case .record(let line, let fields): "line \(line): \(fields.map { String(decoding: $0, as: UTF8.self) })"
        case .error(let error): "error \(error)"
        }
    }
}

/// Reads everything, going on after the errors the reader says it can go on after. Fails the test if the reader
/// gives more events than the input could hold (a loop).
func readAll(_ reader: CSVReader, limit: Int) -> (delimiter: UInt8, events: [ReadEvent]) {
    var events: [ReadEvent] = []
    while events.count <= limit {
        do {
            guard let record = try reader.next() else { break }
            events.append(.record(line: record.line, fields: (0..<record.count).map { i in record.withBytes(at: i) { Array($0) } }))
        } catch {
            events.append(.error(error))
            if case .unterminatedQuote = error.reason { break }
            if case .readFailed = error.reason { break }
        }
    }
    #expect(events.count <= limit, "the reader did not stop: \(events.count) events from \(limit - 2) bytes")
    return (reader.delimiter, events)
}

/// The same bytes through a pipe, read `chunkSize` bytes at a time.
func readThroughPipe(_ bytes: [UInt8], chunkSize: Int) throws -> (delimiter: UInt8, events: [ReadEvent]) {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    defer { close(ends[0]) }
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(ends[1], buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
    close(ends[1])
    do {
        return readAll(try CSVReader(fileDescriptor: ends[0], chunkSize: chunkSize), limit: bytes.count + 2)
    } catch {
        return (0, [.error(error)])
    }
}

/// Physical lines as the reader counts them: CRLF, LF and a lone CR each end one.
func lineCount(_ bytes: [UInt8]) -> Int {
    var lines = 1
    for (i, byte) in bytes.enumerated() where byte == 0x0A || byte == 0x0D {
        if byte == 0x0A && i > 0 && bytes[i - 1] == 0x0D { continue }
        lines += 1
    }
    return lines
}

/// A reader that loops forever would hang the whole test run (and CI): past a minute on one input, say which
/// input and stop the process.
final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()
    private let lock = NSLock()
    private var running: [UUID: (input: [UInt8], chunk: Int, since: Date)] = [:]

    private init() {
        Thread.detachNewThread { [self] in
            while true {
                sleep(5)
                lock.lock()
                let stuck = running.values.first { Date().timeIntervalSince($0.since) > 60 }
                lock.unlock()
                if let stuck {
                    FileHandle.standardError.write(Data("error: the CSV reader did not finish on \(stuck.input) read \(stuck.chunk) bytes at a time\n".utf8))
                    exit(70)
                }
            }
        }
    }

    func watch<R>(_ input: [UInt8], chunk: Int, _ body: () throws -> R) rethrows -> R {
        let id = UUID()
        lock.lock()
        running[id] = (input, chunk, Date())
        lock.unlock()
        defer {
            lock.lock()
            running[id] = nil
            lock.unlock()
        }
        return try body()
    }
}

/// The properties every input must have.
func checkReader(on bytes: [UInt8], chunkSize: Int) throws {
    try Watchdog.shared.watch(bytes, chunk: chunkSize) { try checkProperties(of: bytes, chunkSize: chunkSize) }
}

private func checkProperties(of bytes: [UInt8], chunkSize: Int) throws {
    let whole: (delimiter: UInt8, events: [ReadEvent])
    do {
        whole = readAll(try CSVReader(bytes: bytes), limit: bytes.count + 2)
    } catch {
        whole = (0, [.error(error)])
    }
    let chunked = try readThroughPipe(bytes, chunkSize: chunkSize)
    #expect(chunked.delimiter == whole.delimiter, "chunk size \(chunkSize) changed the detected delimiter")
    #expect(chunked.events == whole.events, "chunk size \(chunkSize) changed the result of \(bytes)")
    let lines = lineCount(bytes)
    var lastLine = 0
    for event in whole.events {
        switch event {
        case .record(let line, let fields):
            #expect(line > lastLine && line <= lines, "record line \(line) of \(lines)")
            lastLine = line
            for field in fields {
                #expect(!field.contains(0), "a NUL byte reached a field")
                #expect(String(validating: field, as: UTF8.self) != nil, "a field is not UTF-8: \(field)")
            }
        case .error(let error):
            #expect(error.recordLine >= 1 && error.recordLine <= error.line && error.line <= lines,
                    "error at line \(error.line) (record \(error.recordLine)) of \(lines): \(error)")
            lastLine = error.recordLine
        }
    }
}

/// The bytes that steer a CSV parser, and some plain ones.
let csvAlphabet: [UInt8] = [
    UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: ";"), 0x0D, 0x0A, 0x00,
    0xEF, 0xBB, 0xBF,        // the UTF-8 byte order mark, in pieces
    0xC3, 0xA9,              // é
    0xE2, 0x82, 0xAC,        // €
    0xF0, 0x9F, 0x9A, 0x80,  // 🚀
    0x80, 0xC0, 0xFF, 0xED, 0xA0,  // never valid there, or surrogate openers
    UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: " "), UInt8(ascii: "1"),
]

/// FUZZ_SECONDS (from Scripts/fuzz.sh) repeats each property that long; without it, one round.
func fuzzRounds(_ round: () async -> Void) async {
    let seconds = ProcessInfo.processInfo.environment["FUZZ_SECONDS"].flatMap(Double.init) ?? 0
    let deadline = Date().addingTimeInterval(seconds)
    repeat { await round() } while Date() < deadline
}

@Suite struct FuzzCSVReader {
    @Test func arbitraryBytesNeverCrashLoopOrDependOnChunkSize() async {
        await fuzzRounds {
            await propertyCheck(count: 300, input: Gen.element(of: csvAlphabet).map { $0! }.array(of: 0...120), Gen.int(in: 1...9)) { bytes, chunk in
                try checkReader(on: bytes, chunkSize: chunk)
            }
        }
    }

    @Test func fullyRandomBytes() async {
        await fuzzRounds {
            await propertyCheck(count: 200, input: Gen.uint8().array(of: 0...300), Gen.int(in: 1...5)) { bytes, chunk in
                try checkReader(on: bytes, chunkSize: chunk)
            }
        }
    }

    /// Records written by a small encoder of the test's own (quote a field holding `"`, the delimiter, CR or LF;
    /// double its quotes), with any mix of line endings, an optional BOM and final line break, read back equal.
    @Test func encodedRecordsReadBackEqual() async {
        let field = Gen.element(of: ["", "a", "b c", "\"", ",", ";", "\r", "\n", "\r\n", "é", "\u{FEFF}", "x\"y", " "]).map { $0! }
            .array(of: 0...4).map { $0.joined() }
        let record = field.array(of: 1...5)
        await fuzzRounds {
            await propertyCheck(count: 300, input: record.array(of: 1...6), Gen.element(of: ["\n", "\r\n", "\r"]).map { $0! }.array(of: 6),
                                Gen.bool, Gen.bool, Gen.bool) { records, endings, bom, finalBreak, semicolon in
                let delimiter = semicolon ? ";" : ","
                var text = bom ? "\u{FEFF}" : ""
                for (index, record) in records.enumerated() {
                    text += record.enumerated().map { position, field in
                        // By bytes: "\r\n" is one Character, which would hide a lone "\r". A file's leading
                        // U+FEFF is a byte order mark to a reader, so a first field starting with one is quoted.
                        let mustQuote = field.utf8.contains { $0 == 0x22 || $0 == 0x0D || $0 == 0x0A || $0 == delimiter.utf8.first! }
                            || (record.count == 1 && field.isEmpty)
                            || (index == 0 && position == 0 && field.hasPrefix("\u{FEFF}"))
                        return mustQuote ? "\"" + field.replacing("\"", with: "\"\"") + "\"" : field
                    }.joined(separator: delimiter)
                    if index < records.count - 1 || finalBreak { text += endings[index] }
                }
                let reader = try CSVReader(bytes: Array(text.utf8), delimiter: UInt8(ascii: semicolon ? ";" : ","))
                var read: [[String]] = []
                while let record = try reader.next() { read.append(record.strings) }
                #expect(read == records, "from \(text.debugDescription)")
            }
        }
    }

    /// Inputs that once failed a property (kept as found) and hand-picked corner cases.
    static let regressions: [[UInt8]] = [
        // Found by arbitraryBytesNeverCrashLoopOrDependOnChunkSize: through a file descriptor, the call after a
        // last record without a line break read past the buffer forever (fill() had moved the buffer's bytes
        // to the front and next() kept its old pointer). Any import of a file without a final newline.
        [0x61, 0x0A, 0x62],
        [0x61, 0xFF, 0x20, 0xFF, 0x0A, 0xC3],
        [],
        [0xEF, 0xBB],                                   // half a byte order mark, then the end
        [0xEF, 0xBB, 0xBF],                             // a byte order mark alone
        [0x22],                                         // one quote
        [0x22, 0x22, 0x22],                             // """
        [0x0D, 0x0D, 0x0A, 0x0A, 0x0D],                 // blank lines of every kind
        [0x61, 0x0D, 0x22, 0x0A, 0x22],                 // a quoted LF after a lone CR
        [0x22, 0x0D, 0x0A, 0x00, 0x22, 0x2C, 0xFF],     // NUL inside quotes, then bad UTF-8 in the next field
        [0x61, 0x2C, 0x80],                             // a field starting with a continuation byte
        [0xC3, 0x2C, 0xA9],                             // é split by a delimiter
        [0x22, 0x61, 0x22, 0x62, 0x0A, 0x63],           // text after a closing quote, then a good record
        [0x3B, 0x2C, 0x3B, 0x0A, 0x22, 0x3B, 0x22],     // a tie of delimiters, and a quoted one
    ]

    @Test(arguments: regressions)
    func regressionInputs(_ bytes: [UInt8]) throws {
        for chunk in 1...4 { try checkReader(on: bytes, chunkSize: chunk) }
    }
}
