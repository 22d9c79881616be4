// FoundationEssentials has no canonical decomposition and full Foundation costs ~9 ms of start-up: use the stdlib's.
@_spi(_Unicode) import Swift

extension String {
    /// The key names are compared and searched by: lowercased, accents removed, runs of whitespace made one
    /// space, trimmed. "  Société   Générale " gives "societe generale"; ligatures stay: "Œuvre" gives "œuvre".
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
