// FoundationEssentials has no canonical decomposition and full Foundation costs ~9 ms of start-up: use the stdlib's.
@_spi(_Unicode) import Swift

extension String {
    /// The key names are compared and searched by: lowercased, accents removed, runs of whitespace made one
    /// space, trimmed. "  Société   Générale " gives "societe generale"; ligatures stay: "Œuvre" gives "œuvre".
    public var searchKey: String {
        var key = SearchKeyBuilder(capacity: utf8.count)
        // Import computes a key per row and most names are ASCII: spare them the Unicode tables.
        if utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in utf8 { key.append(ascii: byte) }
            return key.string
        }
        for scalar in _nfd {
            if scalar.isASCII {
                key.append(ascii: UInt8(scalar.value))
                continue
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.isWhitespace { key.appendSpace() } else { key.append(utf8: properties.lowercaseMapping.utf8) }
        }
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
