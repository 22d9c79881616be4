/// A value as SQLite stores it: one case per storage class.
public enum SQLValue: Equatable, Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift value that can be bound to a statement parameter.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

/// A Swift value that can be read from a column; throws when the stored value does not fit.
public protocol SQLDecodable {
    static func decode(_ value: SQLValue) throws(DecodingError) -> Self
}

/// A column value that does not fit the requested Swift type.
public struct DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public let column: String
    public let expected: String
    public let found: SQLValue
    public var description: String { "column \(column): expected \(expected), found \(found)" }

    init(_ expected: String, _ found: SQLValue, column: String = "?") {
        self.column = column
        self.expected = expected
        self.found = found
    }
}

extension SQLValue: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { self }
    public static func decode(_ value: SQLValue) -> SQLValue { value }
}

extension Int64: SQLBindable, SQLDecodable {
    @inlinable public var sqlValue: SQLValue { .integer(self) }
    public static func decode(_ value: SQLValue) throws(DecodingError) -> Int64 {
        guard case .integer(let v) = value else { throw DecodingError("integer", value) }
        return v
    }
}

extension Int: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public static func decode(_ value: SQLValue) throws(DecodingError) -> Int {
        guard case .integer(let v) = value, let i = Int(exactly: v) else { throw DecodingError("integer", value) }
        return i
    }
}

extension Bool: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public static func decode(_ value: SQLValue) throws(DecodingError) -> Bool {
        guard case .integer(let v) = value else { throw DecodingError("boolean (0 or 1)", value) }
        return v != 0
    }
}

extension Double: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .real(self) }
    public static func decode(_ value: SQLValue) throws(DecodingError) -> Double {
        switch value {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: throw DecodingError("real", value)
        }
    }
}

extension String: SQLBindable, SQLDecodable {
    @inlinable public var sqlValue: SQLValue { .text(self) }
    public static func decode(_ value: SQLValue) throws(DecodingError) -> String {
        guard case .text(let v) = value else { throw DecodingError("text", value) }
        return v
    }
}

extension [UInt8]: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .blob(self) }
    public static func decode(_ value: SQLValue) throws(DecodingError) -> [UInt8] {
        guard case .blob(let v) = value else { throw DecodingError("blob", value) }
        return v
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    // Inlinable, so that other modules get it specialized: through the generic Optional it cost 200
    // instructions a value, a sixth of an import row's binding (callgrind).
    @inlinable public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public static func decode(_ value: SQLValue) throws(DecodingError) -> Wrapped? {
        if case .null = value { return nil }
        return try Wrapped.decode(value)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Data: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .blob([UInt8](self)) }
    public static func decode(_ value: SQLValue) throws(DecodingError) -> Data {
        guard case .blob(let v) = value else { throw DecodingError("blob", value) }
        return Data(v)
    }
}
