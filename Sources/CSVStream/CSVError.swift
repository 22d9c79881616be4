#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem in CSV input, with the physical line (1-based) where it was found.
public struct CSVError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        /// `field` counts from 1, as a person counts columns.
        case invalidUTF8(field: Int)
        /// In a file read as another encoding: `byte`, the Windows-1252 byte that has no character, or nil for
        /// UTF-16 that is not well-formed.
        case notInEncoding(field: Int, byte: UInt8?, encoding: TextEncoding)
        case nulByte(field: Int)
        case unterminatedQuote(field: Int)
        case quoteInUnquotedField(field: Int)
        case textAfterClosingQuote(field: Int)
        case fieldCount(expected: Int, found: Int)
        case readFailed(errno: Int32)
        /// A field longer than `CSVReader.maximumFieldBytes`; the reader reads on.
        case fieldTooLong(field: Int, limit: Int)
        /// A record longer than `CSVReader.maximumRecordBytes`; the reader stops.
        case recordTooLong(limit: Int)
    }

    public let reason: Reason
    /// The line where the problem is; for an unterminated quote, the line where the field opens.
    public let line: Int
    /// The line where the record holding the problem starts; differs from `line` only when a quoted
    /// field spans lines.
    public let recordLine: Int

    public init(_ reason: Reason, line: Int, recordLine: Int) {
        self.reason = reason
        self.line = line
        self.recordLine = recordLine
    }

    public var description: String {
        let place = line == recordLine ? "line \(line)" : "line \(line) (record starting at line \(recordLine))"
        return "\(place): \(message)"
    }

    private var message: String {
        switch reason {
        case .invalidUTF8(let field):
            return "invalid UTF-8 in field \(field) (save the file as UTF-8)"
        case .notInEncoding(let field, let byte?, let encoding):
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x\(hex) in field \(field) has no character in \(encoding.rawValue) (if the file is Latin-1, read it as latin-1)"
        case .notInEncoding(let field, nil, let encoding):
            return "invalid \(encoding.rawValue) in field \(field): an unpaired surrogate or an odd byte at the end (save the file as UTF-8)"
        case .nulByte(let field):
            return "NUL byte in field \(field) (is this a binary file?)"
        case .unterminatedQuote(let field):
            return "unterminated quoted field \(field) (a field opened with \" is never closed)"
        case .quoteInUnquotedField(let field):
            return "quote inside unquoted field \(field) (quote the whole field and double the quote: \"ab\"\"c\")"
        case .textAfterClosingQuote(let field):
            return "text after the closing quote of field \(field) (double a quote inside a quoted field: \"ab\"\"c\")"
        case .fieldCount(let expected, let found):
            return "\(found) fields, expected \(expected) as in the header"
        case .readFailed(let code):
            return "cannot read input: \(errorText(code))"
        case .fieldTooLong(let field, let limit):
            return "field \(field) is longer than \(mebibytes(limit)) (is a quote left open, or is this not a CSV file?)"
        case .recordTooLong(let limit):
            return "record longer than \(mebibytes(limit)), reading stopped (no line break: is this a CSV file?)"
        }
    }
}

func mebibytes(_ bytes: Int) -> String {
    bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
}

func errorText(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
