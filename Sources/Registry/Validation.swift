import FoundationEssentials

/// One rule broken by one value. Reads "invalid <field> '<value>': <rule>", one line that says what to do.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    /// The value as given, cut to 60 characters and with control characters escaped, so the message stays one line.
    public let value: String
    public let rule: String

    public init(field: String, value: String, rule: String) {
        self.field = field
        self.value = Self.shown(value)
        self.rule = rule
    }

    public var description: String { "invalid \(field) '\(value)': \(rule)" }

    private static func shown(_ raw: String) -> String {
        let short = raw.dropFirst(60).isEmpty ? raw : String(raw.prefix(59)) + "…"
        return short.unicodeScalars.map { scalar in
            switch scalar {
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case _ where [.control, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory):
                "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: String(scalar)
            }
        }.joined()
    }
}

/// The rules a startup's fields obey, shared by `startup add`, `startup update` and `import`.
/// Each returns the value in the form the registry stores, or throws the rule it breaks.
public enum Validate {
    private static let laPosteSIREN = "356000000"
    private static let laPosteHeadOffice = "35600000000048"

    /// Nine ASCII digits once spaces and dots are removed, with a valid Luhn check digit. Returns the digits.
    public static func siren(_ raw: String) throws(FieldError) -> String {
        guard let digits = compactDigits(raw, count: 9) else {
            throw FieldError(
                field: "siren", value: raw, rule: "a SIREN is nine digits (spaces and dots allowed), like 552 100 554")
        }
        guard isLuhnValid(digits) else {
            throw FieldError(field: "siren", value: raw, rule: checkDigitRule("a SIREN"))
        }
        return digits
    }

    /// Fourteen ASCII digits once spaces and dots are removed: a valid SIREN, then the establishment's five.
    /// Returns the digits.
    public static func siret(_ raw: String) throws(FieldError) -> String {
        func failure(_ rule: String) -> FieldError { FieldError(field: "siret", value: raw, rule: rule) }
        guard let digits = compactDigits(raw, count: 14) else {
            throw failure(
                "a SIRET is fourteen digits (spaces and dots allowed): the nine of the SIREN, then five for the establishment")
        }
        let siren = String(decoding: digits.utf8.prefix(9), as: UTF8.self)  // ASCII digits: bytes are characters
        guard isLuhnValid(siren) else {
            throw failure("its first nine digits, \(siren), are not a valid SIREN (their last digit is a check digit); "
                + "look for a mistyped digit")
        }
        // The known exception: La Poste numbers its establishments so that their digits add up to a multiple of 5.
        if siren == laPosteSIREN && digits != laPosteHeadOffice {
            guard digitSum(digits).isMultiple(of: 5) else {
                throw failure(
                    "the digits of a La Poste SIRET (356 000 000 …) add up to a multiple of 5; look for a mistyped digit")
            }
        } else {
            guard isLuhnValid(digits) else { throw failure(checkDigitRule("a SIRET")) }
        }
        return digits
    }

    /// A SIREN and a SIRET given together must agree; a SIRET given alone brings its SIREN.
    public static func identifiers(
        siren rawSIREN: String?, siret rawSIRET: String?
    ) throws(FieldError) -> (siren: String?, siret: String?) {
        let siren = try rawSIREN.map(Validate.siren)
        guard let rawSIRET else { return (siren, nil) }
        let siret = try Validate.siret(rawSIRET)
        let sirenOfSIRET = String(decoding: siret.utf8.prefix(9), as: UTF8.self)
        if let siren, siren != sirenOfSIRET {
            let rule = "must start with the SIREN \(siren) given with it; correct one of the two"
            throw FieldError(field: "siret", value: rawSIRET, rule: rule)
        }
        return (sirenOfSIRET, siret)
    }

    /// The shape of a NAF rev. 2 code, "62.01Z" or "6201z"; returns "62.01Z". The store checks that the code exists.
    public static func nafCode(_ raw: String) throws(FieldError) -> String {
        // The stored form as given ("62.01Z"), as a spreadsheet exported from the registry holds it.
        var text = raw
        let storedForm = text.withUTF8 { bytes in
            bytes.count == 6 && bytes[2] == UInt8(ascii: ".") && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[5])
                && [0, 1, 3, 4].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) }
        }
        if storedForm { return raw }
        var code = Array(trimmed(raw).unicodeScalars)
        if code.count == 6 && code[2] == "." { code.remove(at: 2) }
        guard code.count == 5, code[..<4].allSatisfy(\.isASCIIDigit), code[4].isASCIILetter else {
            throw FieldError(
                field: "naf_code", value: raw, rule: "a NAF code is two digits, a dot, two digits and a letter, like 62.01Z")
        }
        return "\(code[0])\(code[1]).\(code[2])\(code[3])\(code[4].properties.uppercaseMapping)"
    }

    /// A name without its surrounding whitespace: not empty, at most 200 characters, one line.
    /// `field` names what is named: "name" for a startup, or an accelerator, partner or sector.
    public static func name(_ raw: String, field: String = "name") throws(FieldError) -> String {
        func failure(_ rule: String) -> FieldError { FieldError(field: field, value: raw, rule: rule) }
        let name = trimmed(raw)
        guard !name.isEmpty else { throw failure("must not be empty") }
        guard !hasControlCharacter(name) else {
            throw failure("must not contain control characters such as tabs or line breaks; keep it on one line")
        }
        // Invisible format characters (a BOM inside a pasted cell, U+200B, U+202E) would make two names that
        // look the same different firms.
        if let invisible = invisibleCharacter(name) {
            let hex = String(invisible.value, radix: 16, uppercase: true)
            throw failure("must not contain invisible characters (here U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)); retype it")
        }
        // Characters as SQLite's length() counts them, which the schema's CHECK uses: code points, so an accent
        // typed as a separate mark (e + U+0301) counts apart. Never more than UTF-8 bytes: counted only when the
        // bytes are too many.
        if name.utf8.count > 200, case let length = name.unicodeScalars.count, length > 200 {
            let marks = name.count < length ? " as SQLite counts them, an accent typed as a separate mark or an emoji made of several counting for more than one" : ""
            throw failure("must be at most 200 characters (this one has \(length)\(marks)); shorten it")
        }
        // Most names need no trimming: then the given string is the name, shared rather than copied.
        return name.utf8.count == raw.utf8.count ? raw : String(name)
    }

    /// A whole number of 0 or more written in ASCII digits, thousands optionally set apart the French way: "1 200".
    public static func count(_ raw: String, field: String) throws(FieldError) -> Int64 {
        if raw.utf8.count <= 18, let value = asciiNumber(raw) { return value }
        // French separates thousands with a space, often a no-break one (U+00A0, or U+202F, the narrow one).
        let groups = trimmed(raw).split(omittingEmptySubsequences: false) { [" ", "\u{A0}", "\u{202F}"].contains($0) }
        let digitsOnly = groups.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(\.isASCIIDigit) }
        let groupedByThousands = groups.count == 1
            || (groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 })
        guard digitsOnly && groupedByThousands else {
            throw FieldError(
                field: field, value: raw, rule: "must be a whole number of 0 or more in digits, like 1200 or 1 200")
        }
        guard let value = Int64(groups.joined()) else {
            throw FieldError(field: field, value: raw, rule: "must be at most \(Int64.max)")
        }
        return value
    }

    /// The same rule for a number already parsed from the command line.
    public static func count(_ value: Int64, field: String) throws(FieldError) -> Int64 {
        guard value >= 0 else { throw FieldError(field: field, value: "\(value)", rule: "must be 0 or more") }
        return value
    }

    /// A year from 1800 to `currentYear`, in ASCII digits.
    public static func year(_ raw: String, field: String, currentYear: Int) throws(FieldError) -> Int64 {
        if let value = asciiNumber(raw), isYear(value, currentYear) { return value }  // most cells: four digits
        let text = trimmed(raw)
        guard text.unicodeScalars.allSatisfy(\.isASCIIDigit), let value = Int64(text), isYear(value, currentYear) else {
            throw FieldError(field: field, value: raw, rule: yearRule(currentYear))
        }
        return value
    }

    /// A year from 1800 to `currentYear`.
    public static func year(_ value: Int64, field: String, currentYear: Int) throws(FieldError) -> Int64 {
        guard isYear(value, currentYear) else {
            throw FieldError(field: field, value: "\(value)", rule: yearRule(currentYear))
        }
        return value
    }

    /// This year in UTC.
    public static var currentYear: Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.component(.year, from: Date())
    }

    private static func isYear(_ value: Int64, _ currentYear: Int) -> Bool {
        value >= 1800 && value <= Int64(currentYear)
    }

    private static func yearRule(_ currentYear: Int) -> String { "must be a year from 1800 to \(currentYear)" }

    private static func checkDigitRule(_ identifier: String) -> String {
        "the last digit of \(identifier) is a check digit (Luhn) and does not match the others; look for a mistyped digit"
    }

    /// The digits left once the spaces and dots people write between groups are removed; nil unless `count` ASCII digits.
    private static func compactDigits(_ raw: String, count: Int) -> String? {
        if raw.utf8.count == count, asciiNumber(raw) != nil { return raw }
        let kept = raw.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "." }
        guard kept.count == count, kept.allSatisfy(\.isASCIIDigit) else { return nil }
        return String(kept)
    }

    /// Luhn's check: from the right, every second digit is doubled (less 9 past 9) and the total is a multiple of 10.
    private static func isLuhnValid(_ digits: String) -> Bool {
        var digits = digits
        return digits.withUTF8 { bytes in
            var sum = 0
            // Walked left to right, the position from the right derived from the count.
            for index in bytes.indices {
                let digit = Int(bytes[index] &- UInt8(ascii: "0"))
                sum += (bytes.count - 1 - index).isMultiple(of: 2) ? digit : (digit < 5 ? digit * 2 : digit * 2 - 9)
            }
            return sum.isMultiple(of: 10)
        }
    }

    private static func digitSum(_ digits: String) -> Int {
        digits.utf8.reduce(0) { $0 + Int($1 - UInt8(ascii: "0")) }
    }

    /// Whether the text holds a control character (general category Cc: U+0000–U+001F and U+007F–U+009F), read
    /// on the UTF-8 bytes, without Unicode tables: U+0080–U+009F are encoded C2 80 to C2 9F.
    private static func hasControlCharacter(_ text: Substring) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            // Eight bytes at a time while they are all printable ASCII (0x20 to 0x7E), which most names are.
            var index = 0
            if let base = UnsafeRawPointer(bytes.baseAddress) {
                while index + 8 <= bytes.count {
                    let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
                    // A byte's high bit is set in `below` if the byte is below 0x20, in `delete` if it is 0x7F,
                    // and bytes of 0x80 and above are left to the loop below (C1 controls are C2 80 to C2 9F).
                    let below = (word &- ones &* 0x20) & ~word & high
                    let delete = ((word ^ (ones &* 0x7F)) &- ones) & ~(word ^ (ones &* 0x7F)) & high
                    if below | delete | (word & high) != 0 { break }
                    index += 8
                }
            }
            var afterC2 = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x20 || byte == 0x7F || (afterC2 && byte <= 0x9F) { return true }
                afterC2 = byte == 0xC2
                index += 1
            }
            return false
        }
    }

    /// The first Unicode format character (Cf) other than the joiners and tags that build emoji (👩‍💻, regional
    /// flags); ASCII text has none, and is not decoded.
    private static func invisibleCharacter(_ text: Substring) -> Unicode.Scalar? {
        // Below U+0100 (ASCII and the accented letters of French, two bytes from C2 or C3) the one format
        // character is the soft hyphen, C2 AD: such text is read on its bytes, without the Unicode tables, which
        // cost most of a row's checks on an import.
        var text = text
        let latin1 = text.withUTF8 { bytes -> Bool? in
            var index = 0
            while index < bytes.count {
                switch bytes[index] {
                case ..<0x80: index += 1
                case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0xAD: return true
                case 0xC2, 0xC3: index += 2
                default: return nil
                }
            }
            return false
        }
        if let latin1 { return latin1 ? "\u{AD}" : nil }
        return text.unicodeScalars.first {
            $0.properties.generalCategory == .format && !(0x200C...0x200D).contains($0.value) && !(0xE0020...0xE007F).contains($0.value)
        }
    }

    /// The value of a non-empty run of ASCII digits (at most 18, so that it fits), else nil.
    private static func asciiNumber(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { bytes in
            guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
            var value: Int64 = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
    }

    private static func trimmed(_ text: String) -> Substring {
        // Most values have no space at either end: checked on the bytes, without Unicode tables.
        if text.utf8.withContiguousStorageIfAvailable(String.hasPlainEnds) == true { return text[...] }
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        let end = text[start...].lastIndex { !$0.isWhitespace }.map(text.index(after:)) ?? start
        return text[start..<end]
    }
}

private extension Unicode.Scalar {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isASCIILetter: Bool { ("A"..."Z").contains(self) || ("a"..."z").contains(self) }
}
