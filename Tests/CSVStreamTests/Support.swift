import CSVStream
import Foundation

/// Chunk sizes that put a chunk boundary after every byte, at odd places, and nowhere in a small input.
let chunkSizes = [1, 2, 3, 7, 1 << 18]

struct Row: Equatable, Decodable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    var description: String { "\(line): \(fields)" }
}

/// A file in the temporary directory, removed when released.
final class TempFile {
    let path: String

    init(_ bytes: [UInt8] = []) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("csvstream-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    var bytes: [UInt8] {
        get throws { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Opens `file` for reading, runs `body` with the descriptor, closes it.
func withDescriptor<R>(_ file: TempFile, _ body: (Int32) throws -> R) throws -> R {
    let fd = open(file.path, O_RDONLY)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    return try body(fd)
}

/// Every record of `input`, read from a file `chunkSize` bytes at a time; the header fixes the field
/// count when `checkCount` is set.
func readRows(_ input: [UInt8], chunkSize: Int, delimiter: UInt8? = nil, checkCount: Bool = false) throws -> [Row] {
    let file = try TempFile(input)
    return try withDescriptor(file) { fd in
        let reader = try CSVReader(fileDescriptor: fd, delimiter: delimiter, chunkSize: chunkSize)
        var rows: [Row] = []
        while let record = try reader.next() {
            if checkCount, reader.expectedFieldCount == nil { reader.expectedFieldCount = record.count }
            rows.append(Row(line: record.line, fields: (0..<record.count).map { record.string(at: $0) }))
        }
        return rows
    }
}

func readFields(_ text: String, chunkSize: Int, delimiter: UInt8? = nil, checkCount: Bool = false) throws -> [[String]] {
    try readRows(Array(text.utf8), chunkSize: chunkSize, delimiter: delimiter, checkCount: checkCount).map(\.fields)
}

/// The first error reading `input` to its end, or nil.
func firstError(_ input: [UInt8], chunkSize: Int, checkCount: Bool = false) throws -> CSVError? {
    do {
        _ = try readRows(input, chunkSize: chunkSize, checkCount: checkCount)
        return nil
    } catch let error as CSVError {
        return error
    }
}

/// Python's csv module as the reference reader, one process for many files.
final class PythonCSV {
    private static let script = #"""
import csv, json, sys
for request in sys.stdin:
    path, delimiter = request.rstrip("\n").split("\t")
    try:
        # utf-8-sig drops a byte order mark at the start only, as CSVReader does; blank lines are no record.
        # A record starts on the line after the last one read for the record before.
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader, rows, start = csv.reader(f, delimiter=delimiter, strict=True), [], 1
            for row in reader:
                if row:
                    rows.append({"line": start, "fields": row})
                start = reader.line_num + 1
        print(json.dumps(rows), flush=True)
    except Exception as error:
        print(json.dumps({"error": repr(error)}), flush=True)
"""#

    private let process = Process()
    private let requests = Pipe()
    private let answers = Pipe()
    private var pending: [UInt8] = []

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        process.standardInput = requests
        process.standardOutput = answers
        try process.run()
    }

    deinit {
        try? requests.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The records of the CSV file at `path`, as Python's csv.reader parses them.
    func read(_ path: String, delimiter: UInt8) throws -> [Row] {
        try requests.fileHandleForWriting.write(contentsOf: Data("\(path)\t\(Character(UnicodeScalar(delimiter)))\n".utf8))
        while !pending.contains(UInt8(ascii: "\n")) {
            let data = answers.fileHandleForReading.availableData
            guard !data.isEmpty else { throw PythonFailure(answer: "python3 exited") }
            pending += data
        }
        let end = pending.firstIndex(of: UInt8(ascii: "\n")) ?? pending.endIndex
        let answer = Data(pending[..<end])
        pending.removeSubrange(...end)
        do {
            return try JSONDecoder().decode([Row].self, from: answer)
        } catch {
            throw PythonFailure(answer: String(decoding: answer, as: UTF8.self))
        }
    }

    struct PythonFailure: Error, CustomStringConvertible {
        var answer: String
        var description: String { "Python's csv module failed: \(answer)" }
    }
}

/// A small deterministic generator (SplitMix64) for layout choices derived from a property test's input.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: Int) { state = UInt64(truncatingIfNeeded: seed) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Strings compared as their UTF-8 bytes: `==` on String would equate canonically equivalent text.
func utf8(_ rows: [[String]]) -> [[[UInt8]]] {
    rows.map { $0.map { Array($0.utf8) } }
}

func utf8(_ rows: [Row]) -> [[[UInt8]]] {
    utf8(rows.map(\.fields))
}
