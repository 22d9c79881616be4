// FoundationEssentials has no canonical decomposition and full Foundation costs ~9 ms of start-up: use the stdlib's.
@_spi(_Unicode) import Swift

extension String {
    /// The key names are compared and searched by: lowercased, accents removed, runs of whitespace made one
    /// space, trimmed. "  Société   Générale " gives "societe generale"; ligatures stay: "Œuvre" gives "œuvre".
    public var searchKey: String {
        // Import computes a key per row and most names are ASCII: spare them the Unicode tables.
        if let ascii = utf8.withContiguousStorageIfAvailable(Self.asciiKey), let ascii { return ascii }
        var key = SearchKeyBuilder(capacity: utf8.count)
        // Latin-1 (most French names): each letter's key is read from a table that the general path made.
        if unicodeScalars.allSatisfy({ $0.value < 0x100 }) {
            for scalar in unicodeScalars {
                if scalar.isASCII {
                    key.append(ascii: UInt8(scalar.value))
                } else if let letter = Self.latin1Keys[Int(scalar.value) - 0x80] {
                    key.append(utf8: letter.utf8)
                } else {
                    key.appendSpace()
                }
            }
            return key.string
        }
        key.appendGeneral(self)
        return key.string
    }

    /// The key of ASCII text, written straight into the new string; nil when the text is not all ASCII.
    private static func asciiKey(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { key in
            var count = 0, spacePending = false
            for byte in bytes {
                if byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) {
                    spacePending = count > 0
                    continue
                }
                if spacePending {
                    key[count] = UInt8(ascii: " ")
                    count += 1
                    spacePending = false
                }
                key[count] = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
                count += 1
            }
            return count
        }
    }

    /// The key of each scalar U+0080...U+00FF, by the general path; nil for whitespace. Within Latin-1 the
    /// decomposition of a text is that of its scalars one by one (all are starters), so the table is exact.
    private static let latin1Keys: [String?] = (0x80...0xFF).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        if scalar.properties.isWhitespace { return nil }
        var key = SearchKeyBuilder(capacity: 4)
        key.appendGeneral(String(scalar))
        return key.string
    }
}

/// A key's UTF-8 as it is built: each run of whitespace becomes one space, none at either end.
private struct SearchKeyBuilder {
    private var bytes: [UInt8] = []
    private var spacePending = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func appendSpace() { spacePending = !bytes.isEmpty }

    /// Decomposed (NFD), without nonspacing marks, lowercased.
    mutating func appendGeneral(_ text: String) {
        for scalar in text._nfd {
            if scalar.isASCII {
                append(ascii: UInt8(scalar.value))
                continue
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.isWhitespace { appendSpace() } else { append(utf8: properties.lowercaseMapping.utf8) }
        }
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
