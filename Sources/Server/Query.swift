import Hummingbird

/// A request's query parameters, read by name: an unknown or repeated name, or a value of the wrong type, is a
/// 400 that says which parameter and what it takes. Values are only ever bound, never put into SQL.
struct Query {
    private var values: [String: String] = [:]

    init(_ request: Request, allowed: Set<String>) throws {
        for pair in (request.uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decoded(parts[0], what: "a query parameter's name")
            let value = try Self.decoded(parts.count > 1 ? parts[1] : "", what: "query parameter '\(name)'")
            guard allowed.contains(name) else {
                throw APIError.badRequest("unknown query parameter '\(name)'; this resource takes \(allowed.sorted().joined(separator: ", "))",
                                          field: name)
            }
            guard values[name] == nil else { throw APIError.badRequest("query parameter '\(name)' is given twice", field: name) }
            values[name] = value
        }
    }

    /// Form-encoded text decoded: `+` is a space, `%XX` a byte; the bytes must be UTF-8 without control
    /// characters (a NUL, an escape), which no name or filter holds.
    static func decoded(_ text: Substring, what: String) throws -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw APIError.badRequest("\(what) has a % not followed by two hexadecimal digits")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw APIError.badRequest("\(what) is not UTF-8 once decoded; percent-encode its UTF-8 bytes")
        }
        guard !decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.badRequest("\(what) holds a control character; remove it", value: String(decoded.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) }))
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A text value; an empty one counts as not given.
    func text(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = text(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("query parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)",
                                      field: name, value: text)
        }
        return value
    }

    func flag(_ name: String) throws -> Bool {
        guard let text = text(name) else { return false }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.badRequest("query parameter '\(name)' must be true or false", field: name, value: text)
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = text(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw APIError.badRequest("query parameter '\(name)' must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))",
                                      field: name, value: text)
        }
        return value
    }
}
