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
        case nulByte(field: Int)
        case unterminatedQuote(field: Int)
        case quoteInUnquotedField(field: Int)
        case textAfterClosingQuote(field: Int)
        case fieldCount(expected: Int, found: Int)
        case readFailed(errno: Int32)
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
        }
    }
}

func errorText(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
