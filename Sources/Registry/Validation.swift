import FoundationEssentials

/// One rule broken by one value. Reads "invalid <field> '<value>': <rule>", one line that says what to do;
/// what to type to set it right (an option, a command) is a remedy, worded by the front end.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    /// The value as given, cut to 60 characters and with control characters escaped, so the message stays one line.
    public let value: String
    public let rule: String
    /// The nearest of the values allowed (a sector's names).
    public let suggestions: [String]
    public let remedies: [RegistryError.Remedy]

    public init(field: String, value: String, rule: String, suggestions: [String] = [], remedies: [RegistryError.Remedy] = []) {
        self.field = field
        self.value = Self.shown(value)
        self.rule = rule
        self.suggestions = suggestions
        self.remedies = remedies
    }

    /// The sentence without suggestions nor remedies.
    public var message: String { "invalid \(field) '\(value)': \(rule)" }

    public var description: String { registryError.description }

    static func shown(_ raw: String) -> String {
        let short = raw.dropFirst(60).isEmpty ? raw : String(raw.prefix(59)) + "…"
        return short.unicodeScalars.map { scalar in
            switch scalar {
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            // Format characters too: a bidi override (U+202E) would reorder the rest of the terminal's line.
            case _ where [.control, .format, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory):
                "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: String(scalar)
            }
        }.joined()
    }
}

/// Luhn's check digit, which ends a SIREN and a SIRET: from the right of the number, every second digit is
/// doubled (less 9 past 9) and the total is a multiple of 10. On ASCII digits.
enum Luhn {
    /// Whether the last of `digits` is their check digit.
    static func isValid(_ digits: String) -> Bool { sum(digits, followedBy: 0).isMultiple(of: 10) }

    /// `digits` followed by their check digit.
    static func completed(_ digits: String) -> String {
        digits + String((10 - sum(digits, followedBy: 1) % 10) % 10)
    }

    /// Luhn's total of `digits` as the start of a number `following` digits longer.
    private static func sum(_ digits: String, followedBy following: Int) -> Int {
        var digits = digits
        return digits.withUTF8 { bytes in
            var sum = 0
            // Walked left to right, the position from the right derived from the count.
            for index in bytes.indices {
                let digit = Int(bytes[index] &- UInt8(ascii: "0"))
                sum += (bytes.count - 1 - index + following).isMultiple(of: 2) ? digit : (digit < 5 ? digit * 2 : digit * 2 - 9)
            }
            return sum
        }
    }
}

/// The rules a startup's fields obey, shared by `startup add`, `startup update` and `import`.
/// Each returns the value in the form the registry stores, or throws the rule it breaks.
public enum Validate {
    /// La Poste's SIREN: its establishments' SIRETs follow another rule than Luhn's (their digits add up to a multiple of 5).
    static let laPosteSIREN = "356000000"
    private static let laPosteHeadOffice = "35600000000048"

    /// Nine ASCII digits once spaces and dots are removed, with a valid Luhn check digit. Returns the digits.
    public static func siren(_ raw: String) throws(FieldError) -> String {
        guard let digits = compactDigits(raw, count: 9) else {
            throw FieldError(
                field: "siren", value: raw, rule: "a SIREN is nine digits (spaces and dots allowed), like 552 100 554")
        }
        guard Luhn.isValid(digits) else {
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
        guard Luhn.isValid(siren) else {
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
            guard Luhn.isValid(digits) else { throw failure(checkDigitRule("a SIRET")) }
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
        var code = Array(raw.spacesTrimmed.unicodeScalars)
        if code.count == 6 && code[2] == "." { code.remove(at: 2) }
        guard code.count == 5, code[..<4].allSatisfy(\.isASCIIDigit), code[4].isASCIILetter else {
            throw FieldError(
                field: "naf_code", value: raw, rule: "a NAF code is two digits, a dot, two digits and a letter, like 62.01Z")
        }
        return "\(code[0])\(code[1]).\(code[2])\(code[3])\(code[4].properties.uppercaseMapping)"
    }

    /// A name without its surrounding whitespace: not empty, at most 200 code points (as the schema's
    /// `length(name)` counts them), one line, at least one visible character, no invisible characters, no word
    /// mixing Latin letters with Cyrillic or Greek ones (`Cаlanques` with a Cyrillic `а` would be another firm
    /// that looks the same). `field` names what is named: "name" for a startup, or an accelerator, partner or sector.
    public static func name(_ raw: String, field: String = "name") throws(FieldError) -> String {
        func failure(_ rule: String) -> FieldError { FieldError(field: field, value: raw, rule: rule) }
        let name = raw.spacesTrimmed
        guard !name.isEmpty else { throw failure("must not be empty") }
        // Beyond Latin-1 (whose text is visible once trimmed and free of control and format characters, and
        // whose letters are all Latin), the Unicode tables are read.
        if try checkText(name, raw: raw, field: field, limit: Limits.nameLength) {
            guard name.unicodeScalars.contains(where: isVisible) else {
                throw failure("must contain at least one visible character (letters, digits or signs); retype it")
            }
            if let (word, letter) = mixedScripts(name) {
                throw failure("the word '\(word)' mixes Latin letters with \(describe(letter)), which looks like a Latin "
                    + "letter but is another; type the word in one alphabet")
            }
        }
        // Most names need no trimming: then the given string is the name, shared rather than copied.
        return name.utf8.count == raw.utf8.count ? raw : String(name)
    }

    /// A programme's name: a name, without `|` (which separates programmes in a CSV cell) and not ending in
    /// a year in brackets (`Lab (2015)` is how a CSV cell writes programme `Lab`, cohort 2015).
    public static func programmeName(_ raw: String) throws(FieldError) -> String {
        let name = try Validate.name(raw)
        if let rule = programmeNameProblem(name) { throw FieldError(field: "name", value: raw, rule: rule) }
        return name
    }

    /// What makes a programme's name ambiguous in a CSV cell, if anything (also for `check`).
    static func programmeNameProblem(_ name: String) -> String? {
        if name.utf8.contains(UInt8(ascii: "|")) {
            return "must not contain '|', which separates programmes in a CSV cell; use '/' or 'and'"
        }
        if let (_, year) = StartupRules.withCohort(name), year.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            return "must not end with a number in brackets, which a CSV cell reads as a cohort year ('Lab (2015)' is programme Lab, cohort 2015); write it without brackets, like 'Lab 2015'"
        }
        return nil
    }

    /// Free text that must be there (a source): as `text`, and not empty.
    public static func requiredText(_ raw: String, field: String) throws(FieldError) -> String {
        guard let text = try text(raw, field: field) else {
            throw FieldError(field: field, value: raw, rule: "must not be empty")
        }
        return text
    }

    /// Free text (a description, a role, notes, a source): trimmed, one line, no control or invisible characters
    /// (they would reach the terminal raw), at most 1,000 code points. nil when empty: the field is cleared.
    public static func text(_ raw: String, field: String) throws(FieldError) -> String? {
        let text = raw.spacesTrimmed
        if text.isEmpty { return nil }
        try checkText(text, raw: raw, field: field, limit: Limits.textLength)
        return text.utf8.count == raw.utf8.count ? raw : String(text)
    }

    /// The rules every stored text follows: no control characters or line breaks, no invisible format
    /// characters, at most `limit` code points. Returns whether the text goes beyond Latin-1 (as read on the way).
    @discardableResult
    private static func checkText(_ text: Substring, raw: String, field: String, limit: Int) throws(FieldError) -> Bool {
        func failure(_ rule: String) -> FieldError { FieldError(field: field, value: raw, rule: rule) }
        guard !hasControlCharacter(text) else {
            throw failure("must not contain control characters such as tabs or line breaks; keep it on one line")
        }
        // Invisible format characters (a BOM inside a pasted cell, U+200B, U+202E) would make two names that
        // look the same different firms, and reorder what a terminal shows.
        let (invisible, beyondLatin1) = invisibleCharacter(text)
        if let invisible {
            if [.lineSeparator, .paragraphSeparator].contains(invisible.properties.generalCategory) {
                throw failure("must not contain line breaks (here \(hex(invisible))); keep it on one line")
            }
            throw failure("must not contain invisible characters (here \(hex(invisible))); retype it")
        }
        // Never more code points than UTF-8 bytes: count them only when the bytes are too many.
        if text.utf8.count > limit, case let length = text.unicodeScalars.count, length > limit {
            let parts = length == text.count ? "" : ", counting each accent or part of an emoji typed apart as one"
            throw failure("must be at most \(limit) characters (this one has \(length)\(parts)); shorten it")
        }
        return beyondLatin1
    }

    /// The bounds of figures, set so that every sum the statistics make fits in SQLite's 64-bit integers (a
    /// million firms of a million employees is 10^12; of 10^11 euros, 10^17): no firm or territory comes near.
    public enum Limits {
        public static let nameLength = 200
        public static let textLength = 1_000
        public static let employees: Int64 = 1_000_000
        public static let revenueEUR: Int64 = 100_000_000_000
        public static let territoryDigitalJobs: Int64 = 100_000_000
        public static let territoryFirms: Int64 = 10_000_000
        public static let territoryRevenueEUR: Int64 = 10_000_000_000_000
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let name = scalar.properties.name.map { " (\($0))" } ?? ""
        return "'\(scalar)', \(hex(scalar))\(name)"
    }

    private static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isWhitespace || properties.isDefaultIgnorableCodePoint { return false }
        return ![.nonspacingMark, .enclosingMark, .format, .control, .spaceSeparator, .lineSeparator,
                 .paragraphSeparator].contains(properties.generalCategory)
    }

    private enum Script { case latin, greek, cyrillic, other }

    /// The script of a letter, by the blocks that hold Latin, Greek and Cyrillic letters (the stdlib does not
    /// publish the Script property).
    private static func script(_ scalar: Unicode.Scalar) -> Script {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF,
             0xAB30...0xAB6F, 0xFF21...0xFF3A, 0xFF41...0xFF5A: .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: .greek
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: .cyrillic
        default: .other
        }
    }

    /// The first word holding both Latin letters and Greek or Cyrillic ones, with its first Greek or Cyrillic letter.
    private static func mixedScripts(_ text: Substring) -> (word: Substring, letter: Unicode.Scalar)? {
        for word in text.split(whereSeparator: \.isWhitespace) {
            var latin = false
            var foreign: Unicode.Scalar?
            for scalar in word.unicodeScalars where scalar.properties.isAlphabetic {
                switch script(scalar) {
                case .latin: latin = true
                case .greek, .cyrillic: foreign = foreign ?? scalar
                case .other: break
                }
            }
            if latin, let foreign { return (word, foreign) }
        }
        return nil
    }

    /// A whole number from 0 to `limit` written in ASCII digits, thousands optionally set apart the French way: "1 200".
    public static func count(_ raw: String, field: String, atMost limit: Int64) throws(FieldError) -> Int64 {
        if raw.utf8.count <= 18, let value = asciiNumber(raw) { return try bounded(value, raw: raw, field: field, limit) }
        // French separates thousands with a space, often a no-break one (U+00A0, or U+202F, the narrow one).
        let groups = raw.spacesTrimmed.split(omittingEmptySubsequences: false) { [" ", "\u{A0}", "\u{202F}"].contains($0) }
        let digitsOnly = groups.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(\.isASCIIDigit) }
        let groupedByThousands = groups.count == 1
            || (groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 })
        guard digitsOnly && groupedByThousands else {
            throw FieldError(
                field: field, value: raw, rule: "must be a whole number of 0 or more in digits, like 1200 or 1 200")
        }
        // Past Int64: past any limit.
        return try bounded(Int64(groups.joined()), raw: raw, field: field, limit)
    }

    private static func bounded(_ value: Int64?, raw: String, field: String, _ limit: Int64) throws(FieldError) -> Int64 {
        guard let value, value <= limit else {
            throw FieldError(field: field, value: raw, rule: "must be at most \(grouped(limit)); check the figure (a unit or digits too many?)")
        }
        return value
    }

    /// 1000000 as "1,000,000", as the README writes figures.
    static func grouped(_ value: Int64) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }

    /// The same rule for a number already parsed from the command line.
    public static func count(_ value: Int64, field: String, atMost limit: Int64) throws(FieldError) -> Int64 {
        guard value >= 0 else { throw FieldError(field: field, value: "\(value)", rule: "must be 0 or more") }
        return try bounded(value, raw: "\(value)", field: field, limit)
    }

    /// A year from 1800 to `currentYear`, in ASCII digits.
    public static func year(_ raw: String, field: String, currentYear: Int) throws(FieldError) -> Int64 {
        if let value = asciiNumber(raw), isYear(value, currentYear) { return value }  // most cells: four digits
        let text = raw.spacesTrimmed
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
    static func compactDigits(_ raw: String, count: Int) -> String? {
        if raw.utf8.count == count, asciiNumber(raw) != nil { return raw }
        let kept = raw.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "." }
        guard kept.count == count, kept.allSatisfy(\.isASCIIDigit) else { return nil }
        return String(kept)
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

    /// The first Unicode format character (Cf), line or paragraph separator, or other default-ignorable
    /// character (U+3164, which looks blank) other than the joiners and tags that build emoji (👩‍💻, regional
    /// flags) and marks; ASCII text has none, and is not decoded.
    private static func invisibleCharacter(_ text: Substring) -> (scalar: Unicode.Scalar?, beyondLatin1: Bool) {
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
        if let latin1 { return (latin1 ? "\u{AD}" : nil, false) }
        let scalar = text.unicodeScalars.first { scalar in
            let properties = scalar.properties
            if (0x200C...0x200D).contains(scalar.value) || (0xE0020...0xE007F).contains(scalar.value) { return false }
            switch properties.generalCategory {
            case .format, .lineSeparator, .paragraphSeparator: return true
            // Variation selectors and the grapheme joiner are marks, which keys drop; U+3164 and the other
            // fillers are letters that show nothing.
            case .nonspacingMark: return false
            default: return properties.isDefaultIgnorableCodePoint
            }
        }
        return (scalar, true)
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
}

private extension Unicode.Scalar {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isASCIILetter: Bool { ("A"..."Z").contains(self) || ("a"..."z").contains(self) }
}
