#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes RFC 4180 records into a buffer, flushed to a file descriptor once it passes `flushThreshold`
/// bytes and on `finish()`.
///
/// A field is quoted only when it holds the delimiter, `"`, CR or LF; spaces are kept as they are, unquoted
/// (RFC 4180 makes them part of the field). nil is written as an empty field. A record made of one empty
/// field is written `""`, since a blank line is no record to a reader; so is a first field starting with
/// U+FEFF, which a reader would take for a byte order mark.
/// Noncopyable: a copy would hold a second copy of the unflushed output.
public struct CSVWriter: ~Copyable {
    public enum LineEnding: Sendable {
        /// RFC 4180's record separator, and Excel's and Python's default.
        case crlf
        /// Friendlier to line-oriented Unix tools.
        case lf
    }

    public let delimiter: UInt8
    public let lineEnding: LineEnding
    /// Output not yet written to the file descriptor; with none, all of the output.
    public private(set) var buffer: [UInt8] = []

    private let fileDescriptor: Int32?
    private let flushThreshold: Int
    private var fieldsInRecord = 0
    private var recordStart = 0
    private var atStartOfOutput = true

    /// Writes to `fileDescriptor` (left open). Call `finish()` at the end: nothing is written on deinit.
    public init(fileDescriptor: Int32, delimiter: UInt8 = UInt8(ascii: ","), lineEnding: LineEnding = .crlf,
                flushThreshold: Int = 1 << 18) {
        self.fileDescriptor = fileDescriptor
        self.delimiter = delimiter
        self.lineEnding = lineEnding
        self.flushThreshold = flushThreshold
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Writes into `buffer` only.
    public init(delimiter: UInt8 = UInt8(ascii: ","), lineEnding: LineEnding = .crlf) {
        fileDescriptor = nil
        self.delimiter = delimiter
        self.lineEnding = lineEnding
        flushThreshold = .max
    }

    public mutating func append(_ field: String?) {
        guard var field else { return append(bytes: nil) }
        field.withUTF8 { append(escaping: $0) }
    }

    /// Appends a field from raw bytes, such as a text column straight from SQLite; nil is an empty field.
    public mutating func append(bytes field: UnsafeRawBufferPointer?) {
        append(escaping: field.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafeBufferPointer(start: nil, count: 0))
    }

    public mutating func endRecord() throws(WriteError) {
        precondition(fieldsInRecord > 0, "a CSV record has at least one field")
        if fieldsInRecord == 1 && buffer.count == recordStart {
            buffer.append(quote)
            buffer.append(quote)
        }
        if lineEnding == .crlf { buffer.append(cr) }
        buffer.append(lf)
        fieldsInRecord = 0
        atStartOfOutput = false
        if buffer.count >= flushThreshold { try flush() }
        recordStart = buffer.count
    }

    public mutating func writeRecord(_ fields: some Sequence<String?>) throws(WriteError) {
        for field in fields { append(field) }
        try endRecord()
    }

    /// Writes out what is buffered; call it after the last record.
    public mutating func finish() throws(WriteError) {
        precondition(fieldsInRecord == 0, "finish() in the middle of a record")
        try flush()
    }

    private mutating func append(escaping field: UnsafeBufferPointer<UInt8>) {
        if fieldsInRecord > 0 { buffer.append(delimiter) }
        fieldsInRecord += 1
        let delimiter = self.delimiter
        let byteOrderMark = atStartOfOutput && fieldsInRecord == 1 && field.starts(with: [0xEF, 0xBB, 0xBF])
        guard byteOrderMark || field.contains(where: { $0 == delimiter || $0 == quote || $0 == cr || $0 == lf }) else {
            buffer.append(contentsOf: field)
            return
        }
        buffer.append(quote)
        var runStart = 0
        for (i, byte) in field.enumerated() where byte == quote {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: field[runStart...i]))
            buffer.append(quote)
            runStart = i + 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: field[runStart...]))
        buffer.append(quote)
    }

    private mutating func flush() throws(WriteError) {
        guard let fileDescriptor else { return }
        let failure: WriteError? = buffer.withUnsafeBytes { pending in
            do throws(WriteError) {
                try writeAll(pending, to: fileDescriptor)
                return nil
            } catch {
                return error
            }
        }
        buffer.removeAll(keepingCapacity: true)
        recordStart = 0
        if let failure { throw failure }
    }
}
