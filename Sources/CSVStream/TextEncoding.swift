/// The encodings `CSVReader` reads. Everything but UTF-8 is transcoded to UTF-8 chunk by chunk before the
/// parser, which stays byte-based; UTF-8 is parsed as read.
public enum TextEncoding: String, CaseIterable, Sendable {
    case utf8 = "UTF-8"
    case utf16LE = "UTF-16 LE"
    case utf16BE = "UTF-16 BE"
    case windows1252 = "Windows-1252"
    case latin1 = "Latin-1"
}

/// Which encoding to read: one given, or `auto`.
///
/// `auto` decides on the first 64 KiB (`CSVReader.sniffBytes`), without reading the file twice: a byte order mark
/// says UTF-8 or UTF-16 (LE or BE); else valid UTF-8 is UTF-8, and anything else Windows-1252 (what Excel and
/// LibreOffice write as "ANSI" in Western Europe; Latin-1 differs only in 0x80-0x9F, where 1252 has € ’ œ …).
/// A file whose first 64 KiB are valid UTF-8 and later bytes are not is read as UTF-8 and stops with the usual
/// invalid UTF-8 error by line: give the encoding then.
public enum EncodingChoice: Sendable, Equatable {
    case auto
    /// UTF-16 whose byte order mark, if any, says the byte order; without one, little-endian (as Windows writes it).
    case utf16
    case given(TextEncoding)
}

/// Streaming decoding of one encoding into UTF-8, a unit at a time; state between chunks is the caller's
/// (the bytes not consumed).
struct Transcoder {
    let encoding: TextEncoding

    /// UTF-8 bytes `decode` may write per input byte at most.
    static let expansion = 3

    /// A byte that never appears in UTF-8: stands for an input unit that has no character (an undefined
    /// Windows-1252 byte is written as itself, also never valid alone), for `CSVReader` to report by line and field.
    static let invalid: UInt8 = 0xFF

    /// Decodes `input[0..<count]` into `output` (room for `expansion * count` bytes): how many input bytes were
    /// consumed (all but an incomplete unit at the end, unless `final`) and how many bytes written.
    func decode(_ input: UnsafePointer<UInt8>, _ count: Int, into output: UnsafeMutablePointer<UInt8>, final: Bool) -> (consumed: Int, written: Int) {
        var i = 0, o = 0
        func put(_ scalar: UInt32) {
            if scalar < 0x80 {
                output[o] = UInt8(scalar); o += 1
            } else if scalar < 0x800 {
                output[o] = UInt8(0xC0 | scalar >> 6); output[o + 1] = UInt8(0x80 | scalar & 0x3F); o += 2
            } else if scalar < 0x10000 {
                output[o] = UInt8(0xE0 | scalar >> 12); output[o + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                output[o + 2] = UInt8(0x80 | scalar & 0x3F); o += 3
            } else {
                output[o] = UInt8(0xF0 | scalar >> 18); output[o + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
                output[o + 2] = UInt8(0x80 | scalar >> 6 & 0x3F); output[o + 3] = UInt8(0x80 | scalar & 0x3F); o += 4
            }
        }
        switch encoding {
        case .utf8:
            output.update(from: input, count: count)
            return (count, count)
        case .latin1, .windows1252:
            let table = encoding == .windows1252
            while i < count {
                let byte = input[i]
                i += 1
                if byte < 0x80 {
                    output[o] = byte; o += 1
                } else if table && byte < 0xA0 {
                    let scalar = windows1252High[Int(byte - 0x80)]
                    if scalar == 0 { output[o] = byte; o += 1 } else { put(UInt32(scalar)) }
                } else {
                    put(UInt32(byte))
                }
            }
        case .utf16LE, .utf16BE:
            let little = encoding == .utf16LE
            func unit(_ at: Int) -> UInt32 {
                little ? UInt32(input[at]) | UInt32(input[at + 1]) << 8 : UInt32(input[at]) << 8 | UInt32(input[at + 1])
            }
            while i + 1 < count {
                let first = unit(i)
                if first & 0xFC00 == 0xD800 {
                    guard i + 3 < count else {
                        if final { output[o] = Self.invalid; o += 1; i += 2; continue }
                        break
                    }
                    let second = unit(i + 2)
                    if second & 0xFC00 == 0xDC00 {
                        put(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                        i += 4
                    } else {
                        output[o] = Self.invalid; o += 1; i += 2
                    }
                } else if first & 0xFC00 == 0xDC00 {
                    output[o] = Self.invalid; o += 1; i += 2
                } else {
                    put(first)
                    i += 2
                }
            }
            if final && i < count {  // an odd byte at the end
                output[o] = Self.invalid; o += 1; i = count
            }
        }
        return (i, o)
    }
}

/// Windows-1252's characters for 0x80-0x9F (0: no character), as Python's cp1252 codec maps them.
private let windows1252High: [UInt16] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
]
