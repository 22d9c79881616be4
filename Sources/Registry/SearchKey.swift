extension String {
    /// The key names are compared and searched by: compatibility forms folded (NFKD: fullwidth `Ｓ` is `S`,
    /// `ﬁ` is `fi`), accents and other nonspacing marks removed, default-ignorable characters dropped outside
    /// emoji sequences (`Zw\u{200D}j` is `zwj`, 👩‍💻 keeps its joiner), lowercased, runs of whitespace made one
    /// space, trimmed. "  Société   Générale " gives "societe generale"; ligatures of their own letter stay:
    /// "Œuvre" gives "œuvre".
    public var searchKey: String {
        // Import computes a key per row, and most names are ASCII or Latin-1 (French): their bytes are read
        // straight, each accented letter's key taken from a table that the general path made.
        if let latin1 = utf8.withContiguousStorageIfAvailable(Self.latin1Key), let latin1 { return latin1 }
        var key = SearchKeyBuilder(capacity: utf8.count)
        key.appendGeneral(self)
        return key.string
    }

    /// The key of text made of ASCII and U+0080...U+00FF only (UTF-8 C2 or C3 and one byte), written straight
    /// into the new string; nil for any other text. No key is longer than its text there (checked as written).
    private static func latin1Key(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var beyond = false
        let key = String(unsafeUninitializedCapacity: bytes.count) { key in
            var count = 0, spacePending = false, index = 0
            func append(_ byte: UInt8) {
                if spacePending {
                    key[count] = UInt8(ascii: " ")
                    count += 1
                    spacePending = false
                }
                key[count] = byte
                count += 1
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    index += 1
                    if byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) {
                        spacePending = count > 0
                    } else {
                        append((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte)
                    }
                    continue
                }
                guard byte == 0xC2 || byte == 0xC3, index + 1 < bytes.count, bytes[index + 1] & 0xC0 == 0x80 else {
                    beyond = true
                    return 0
                }
                let scalar = Int(byte & 0x1F) << 6 | Int(bytes[index + 1] & 0x3F)
                index += 2
                guard let letter = latin1Keys[scalar - 0x80] else {
                    spacePending = count > 0
                    continue
                }
                // A pending space plus the letter must fit in what is left.
                guard count + (spacePending ? 1 : 0) + letter.utf8.count <= bytes.count else {
                    beyond = true
                    return 0
                }
                for letterByte in letter.utf8 { append(letterByte) }
            }
            return count
        }
        return beyond ? nil : key
    }

    /// The key of each scalar U+0080...U+00FF, by the general path; nil for what keys as whitespace (U+00A0, and
    /// U+00A8 `¨`, whose compatibility form is a space and a mark). Within Latin-1 the decomposition of a text is
    /// that of its scalars one by one (all are starters), so the table is exact.
    private static let latin1Keys: [String?] = (0x80...0xFF).map { value in
        var key = SearchKeyBuilder(capacity: 8)
        key.appendGeneral("a" + String(Unicode.Scalar(UInt8(value))) + "a")
        let text = key.string
        return text == "a a" ? nil : String(text.dropFirst().dropLast())
    }
}

/// A key's UTF-8 as it is built: each run of whitespace becomes one space, none at either end.
private struct SearchKeyBuilder {
    private var bytes: [UInt8] = []
    private var spacePending = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func appendSpace() { spacePending = !bytes.isEmpty }

    /// Decomposed (NFKD), without nonspacing marks and default-ignorable characters, lowercased.
    mutating func appendGeneral(_ text: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { Decomposition.append(scalar, to: &scalars) }
        Decomposition.reorderMarks(&scalars)
        var previous: Unicode.Scalar?
        for scalar in scalars {
            defer { previous = scalar }
            if scalar.isASCII {
                append(ascii: UInt8(scalar.value))
                continue
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark { continue }
            if properties.isDefaultIgnorableCodePoint && !Self.continuesEmoji(scalar, after: previous) {
                continue
            }
            if properties.isWhitespace { appendSpace() } else { append(utf8: properties.lowercaseMapping.utf8) }
        }
    }

    /// A joiner after an emoji (👩‍💻), or a tag after a flag or another tag (🏴 of Scotland): part of one emoji.
    private static func continuesEmoji(_ scalar: Unicode.Scalar, after previous: Unicode.Scalar?) -> Bool {
        guard let previous, !previous.isASCII else { return false }
        let isTag = (0xE0020...0xE007F).contains(scalar.value)
        guard scalar == "\u{200D}" || isTag else { return false }
        return previous.properties.isEmoji || (isTag && (0xE0020...0xE007F).contains(previous.value))
    }

    mutating func append(ascii byte: UInt8) {
        switch byte {
        case UInt8(ascii: " "), 0x09...0x0D: appendSpace()
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): append(utf8: CollectionOfOne(byte + 32))
        default: append(utf8: CollectionOfOne(byte))
        }
    }

    mutating func append(utf8: some Collection<UInt8>) {
        if spacePending {
            bytes.append(UInt8(ascii: " "))
            spacePending = false
        }
        bytes.append(contentsOf: utf8)
    }
}

/// Compatibility decomposition (NFKD) with public API only: the stdlib offers canonical decomposition only as
/// SPI and compatibility decomposition not at all, and full Foundation costs ~9 ms of start-up. The table is
/// generated from Python's unicodedata (Scripts/make_decompositions.py); Hangul syllables decompose by formula.
enum Decomposition {
    /// Each decomposable code point (ascending) and its full decomposition, read from the generated text on first
    /// use by text beyond ASCII. Read on the bytes into flat arrays: a dictionary of arrays built from split
    /// strings took 7 ms, which a one-row command would notice.
    private static let table: (codes: [UInt32], starts: [Int], parts: [Unicode.Scalar]) = {
        var codes: [UInt32] = [], starts: [Int] = [], parts: [Unicode.Scalar] = []
        codes.reserveCapacity(6_000)
        starts.reserveCapacity(6_001)
        parts.reserveCapacity(12_000)
        var value: UInt32 = 0, digits = 0, lineStart = true
        func flush() {
            guard digits > 0 else { return }
            if lineStart {
                codes.append(value)
                starts.append(parts.count)
                lineStart = false
            } else if let scalar = Unicode.Scalar(value) {
                parts.append(scalar)
            }
            value = 0
            digits = 0
        }
        for byte in compatibilityDecompositions.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(byte - UInt8(ascii: "0")); digits += 1
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10); digits += 1
            default:
                flush()
                if byte == UInt8(ascii: "\n") { lineStart = true }
            }
        }
        flush()
        starts.append(parts.count)
        return (codes, starts, parts)
    }()

    /// The decomposition of `value`, nil when it has none.
    private static func parts(of value: UInt32) -> ArraySlice<Unicode.Scalar>? {
        let table = Self.table
        var low = 0, high = table.codes.count
        while low < high {
            let middle = (low + high) / 2
            if table.codes[middle] < value { low = middle + 1 } else { high = middle }
        }
        guard low < table.codes.count, table.codes[low] == value else { return nil }
        return table.parts[table.starts[low]..<table.starts[low + 1]]
    }

    static func append(_ scalar: Unicode.Scalar, to scalars: inout [Unicode.Scalar]) {
        let value = scalar.value
        if value < 0xA0 { return scalars.append(scalar) }
        if (0xAC00...0xD7A3).contains(value) {
            let index = value - 0xAC00
            scalars.append(Unicode.Scalar(0x1100 + index / 588)!)
            scalars.append(Unicode.Scalar(0x1161 + (index % 588) / 28)!)
            if index % 28 != 0 { scalars.append(Unicode.Scalar(0x11A7 + index % 28)!) }
            return
        }
        if let parts = parts(of: value) { scalars.append(contentsOf: parts) } else { scalars.append(scalar) }
    }

    /// Canonical ordering: each run of combining marks sorted by combining class, stably.
    static func reorderMarks(_ scalars: inout [Unicode.Scalar]) {
        var start = 0
        while start < scalars.count {
            guard !scalars[start].isASCII, scalars[start].properties.canonicalCombiningClass.rawValue != 0 else {
                start += 1
                continue
            }
            var end = start
            while end < scalars.count && scalars[end].properties.canonicalCombiningClass.rawValue != 0 { end += 1 }
            if end - start > 1 {
                let run = scalars[start..<end].enumerated().sorted {
                    ($0.element.properties.canonicalCombiningClass.rawValue, $0.offset)
                        < ($1.element.properties.canonicalCombiningClass.rawValue, $1.offset)
                }.map(\.element)
                scalars.replaceSubrange(start..<end, with: run)
            }
            start = end
        }
    }
}
