#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader over a file descriptor or bytes in memory.
///
/// Hand-written rather than taken from a library because the import of 1,000,000 rows must parse in well
/// under a second. On a 1M-row, 10-column, 112 MB file, reading every field as a String (release build,
/// whole process, median of 3): yaslab/CSV.swift 2.5.2 took 10.6 s, SwiftCSV 0.10.0 11.9 s and 871 MB
/// (it loads the whole file), this reader 0.61 s and 9 MB, or 0.40 s handing out fields as bytes.
/// Callgrind, blind to machine load, counts 18 and 22 times this reader's instructions for the two.
///
/// Where RFC 4180 is silent, it reads as Python's `csv` module (the tests' reference) does:
/// - records end with CRLF, LF or a lone CR (old Mac exports), in any mix; all three count as a line;
/// - a blank line is no record (Python returns it as an empty row); lines still count;
/// - the last record needs no line break;
/// - a UTF-8 byte order mark is skipped at the very start only (Python's utf-8-sig); elsewhere EF BB BF
///   is the valid character U+FEFF and stays in its field.
/// Stricter than Python: a quote inside an unquoted field (`ab"c`) is an error, not data.
/// Other encodings (`EncodingChoice`: UTF-16, Windows-1252, Latin-1, or detected) are decoded to UTF-8 chunk by
/// chunk in `fill`, before the parser, which stays byte-based; a byte with no character in the encoding is an
/// error by line and field, as invalid UTF-8 is.
/// Memory holds one chunk of input and the current record, however long the file; a field may hold at most
/// `maximumFieldBytes` and a record `maximumRecordBytes`, so that a file without line breaks (`/dev/zero`, a
/// binary file) ends in an error by line instead of filling the memory.
public final class CSVReader {
    /// The longest field read, in bytes (1 MiB): a longer one is an error, and the reader reads on.
    public static let maximumFieldBytes = 1 << 20
    /// The longest record read, in bytes (4 MiB): the reader stops there with an error and reads no further,
    /// since without a line break in sight there is no next record to find.
    public static let maximumRecordBytes = 4 << 20

    /// The field separator, given or detected from the first record.
    public private(set) var delimiter = comma
    /// When set, a record with another number of fields is an error. Set it from the header.
    public var expectedFieldCount: Int?
    /// When false, records are not checked for well-formed UTF-8 (nor, transcoded, for bytes the encoding has no
    /// character for): a caller that reads a few fields of millions of records checks those alone
    /// (`CSVRecord.isValidText(at:)`), at a tenth of the cost.
    public var validatesUTF8 = true
    /// Bytes read from the input so far, for a progress report (the file's bytes, before any transcoding).
    public private(set) var bytesRead = 0
    /// The encoding read, given or detected (`EncodingChoice`), and why: "given", "byte order mark", "valid
    /// UTF-8", "not valid UTF-8".
    public private(set) var encoding = TextEncoding.utf8
    public private(set) var encodingReason = "given"
    /// How much `EncodingChoice.auto` reads before it decides.
    public static let sniffBytes = 64 << 10

    // Transcoding (any encoding but UTF-8): the file's bytes not yet decoded, decoded into `input` by `fill`.
    private var transcoder: Transcoder?
    private var raw: UnsafeMutablePointer<UInt8>?
    private var rawCount = 0
    private var rawCapacity = 0
    private var rawAtEnd = false

    private let fileDescriptor: Int32
    private let chunkSize: Int
    private var input: UnsafeMutablePointer<UInt8>
    private var inputCapacity: Int
    private var position = 0
    private var end = 0
    private var atEndOfInput = false
    private var line = 1
    /// A CR ended the previous record: an LF right after it belongs to the same line break.
    private var skipLF = false

    // The current record: unescaped field bytes back to back; field i ends at fieldEnds[i].
    fileprivate var bytes: UnsafeMutablePointer<UInt8>
    private var bytesCapacity = 1 << 12
    fileprivate var fieldEnds: UnsafeMutablePointer<Int>
    private var fieldEndsCapacity = 64
    /// Counts calls to next(), so that a record used after its storage was reused traps.
    fileprivate var generation = 0

    /// Per byte value: 1 if it ends a run of unquoted field text, 2 if it ends a run of quoted text.
    private let byteClass: UnsafeMutablePointer<UInt8>

    /// Reads from `fileDescriptor` (left open), `chunkSize` bytes at a time. With no `delimiter`, the first
    /// record decides: `;` if it holds more `;` than `,` outside quotes, else `,`.
    public convenience init(fileDescriptor: Int32, delimiter: UInt8? = nil, chunkSize: Int = 1 << 18) throws(CSVError) {
        try self.init(fileDescriptor: fileDescriptor, bytes: [], delimiter: delimiter, chunkSize: chunkSize, encoding: .given(.utf8))
    }

    /// The same, in an encoding given or detected (`EncodingChoice`); `encoding` then tells which was read.
    public convenience init(fileDescriptor: Int32, delimiter: UInt8? = nil, encoding: EncodingChoice, chunkSize: Int = 1 << 18) throws(CSVError) {
        try self.init(fileDescriptor: fileDescriptor, bytes: [], delimiter: delimiter, chunkSize: chunkSize, encoding: encoding)
    }

    /// Reads CSV held in memory, such as a seed file embedded in the binary.
    public convenience init(bytes: [UInt8], delimiter: UInt8? = nil) throws(CSVError) {
        try self.init(fileDescriptor: -1, bytes: bytes, delimiter: delimiter, chunkSize: max(bytes.count, 1), encoding: .given(.utf8))
    }

    private init(fileDescriptor: Int32, bytes initial: [UInt8], delimiter: UInt8?, chunkSize: Int, encoding: EncodingChoice) throws(CSVError) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.fileDescriptor = fileDescriptor
        self.chunkSize = chunkSize
        inputCapacity = max(chunkSize, initial.count)
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: inputCapacity)
        initial.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { input.update(from: base, count: source.count) }
        }
        self.input = input
        end = initial.count
        atEndOfInput = fileDescriptor < 0
        bytes = .allocate(capacity: bytesCapacity)
        fieldEnds = .allocate(capacity: fieldEndsCapacity)
        byteClass = .allocate(capacity: 256)
        try chooseEncoding(encoding)
        try skipByteOrderMark()
        if let delimiter { self.delimiter = delimiter } else { self.delimiter = try detectDelimiter() }
        byteClass.initialize(repeating: 0, count: 256)
        for byte in [self.delimiter, quote, lf, cr, 0] { byteClass[Int(byte)] |= 1 }
        for byte in [quote, lf, cr, 0] { byteClass[Int(byte)] |= 2 }
    }

    deinit {
        input.deallocate()
        bytes.deallocate()
        fieldEnds.deallocate()
        byteClass.deallocate()
        raw?.deallocate()
    }

    /// Reads all of `text` into rows of strings; every record must have as many fields as the first.
    public static func parse(_ text: String, delimiter: UInt8? = nil) throws(CSVError) -> [[String]] {
        let reader = try CSVReader(bytes: Array(text.utf8), delimiter: delimiter)
        var rows: [[String]] = []
        while let record = try reader.next() {
            reader.expectedFieldCount = reader.expectedFieldCount ?? record.count
            rows.append(record.strings)
        }
        return rows
    }

    /// The next record, or nil at the end of the input. The record's storage is reused by the next call.
    ///
    /// A record with an error is consumed whole before the error is thrown, so the caller may report it
    /// and read on; only an unterminated quote or a read failure ends the input.
    public func next() throws(CSVError) -> CSVRecord? {
        generation &+= 1
        guard try skipBlankLines() else { return nil }
        let recordLine = line, delimiter = self.delimiter, byteClass = self.byteClass
        var line = self.line, quoteLine = line
        var problem: CSVError?
        var fieldCount = 0
        var state = State.fieldStart
        var afterCR = false  // in a quoted field: an LF next is part of the same line break
        reserveBytes(end - position, keeping: 0)
        var src = input + position, srcEnd = input + end
        var record = bytes, dst = record  // the record's bytes so far, and where the next one goes

        parsing: while true {
            if src == srcEnd {
                position = end
                self.line = line
                let length = dst - record
                // Checked once a chunk, off the per-byte loops: the record holds at most one chunk more.
                if length > Self.maximumRecordBytes {
                    atEndOfInput = true
                    position = end
                    throw CSVError(.recordTooLong(limit: Self.maximumRecordBytes), line: recordLine, recordLine: recordLine)
                }
                let more = try fill()
                src = input + position
                srcEnd = input + end
                guard more else {
                    if state == .quoted {
                        throw problem ?? CSVError(.unterminatedQuote(field: fieldCount + 1), line: quoteLine, recordLine: recordLine)
                    }
                    storeFieldEnd(length, at: fieldCount)
                    fieldCount += 1
                    break parsing
                }
                reserveBytes(length + end - position, keeping: length)
                record = bytes
                dst = record + length
            }
            switch state {
            case .fieldStart:
                if src.pointee == quote {
                    src += 1
                    state = .quoted
                    quoteLine = line
                    afterCR = false
                } else {
                    state = .unquoted
                }
            case .unquoted:
                while src < srcEnd, byteClass[Int(src.pointee)] & 1 == 0 {
                    dst.pointee = src.pointee
                    dst += 1
                    src += 1
                }
                guard src < srcEnd else { continue }
                let c = src.pointee
                src += 1
                if c == delimiter {
                    storeFieldEnd(dst - record, at: fieldCount)
                    fieldCount += 1
                    state = .fieldStart
                } else if c == lf || c == cr {
                    line += 1
                    skipLF = c == cr
                    storeFieldEnd(dst - record, at: fieldCount)
                    fieldCount += 1
                    break parsing
                } else {
                    let reason: CSVError.Reason = c == quote ? .quoteInUnquotedField(field: fieldCount + 1) : .nulByte(field: fieldCount + 1)
                    problem = problem ?? CSVError(reason, line: line, recordLine: recordLine)
                    dst.pointee = c
                    dst += 1
                }
            case .quoted:
                let runStart = src
                while src < srcEnd, byteClass[Int(src.pointee)] & 2 == 0 {
                    dst.pointee = src.pointee
                    dst += 1
                    src += 1
                }
                if src > runStart { afterCR = false }
                guard src < srcEnd else { continue }
                let c = src.pointee
                src += 1
                if c == quote {
                    state = .afterQuote
                    continue
                }
                if c == cr || (c == lf && !afterCR) { line += 1 }
                afterCR = c == cr
                if c == 0 { problem = problem ?? CSVError(.nulByte(field: fieldCount + 1), line: line, recordLine: recordLine) }
                dst.pointee = c
                dst += 1
            case .afterQuote:
                let c = src.pointee
                if c == quote {
                    src += 1
                    dst.pointee = quote
                    dst += 1
                    state = .quoted
                    afterCR = false
                } else if c == delimiter {
                    src += 1
                    storeFieldEnd(dst - record, at: fieldCount)
                    fieldCount += 1
                    state = .fieldStart
                } else if c == lf || c == cr {
                    src += 1
                    line += 1
                    skipLF = c == cr
                    storeFieldEnd(dst - record, at: fieldCount)
                    fieldCount += 1
                    break parsing
                } else {
                    // Keep the text as data so the rest of the record parses; the error is thrown at its end.
                    problem = problem ?? CSVError(.textAfterClosingQuote(field: fieldCount + 1), line: line, recordLine: recordLine)
                    state = .unquoted
                }
            }
        }
        position = src - input
        self.line = line

        let recordLength = fieldEnds[fieldCount - 1]
        if recordLength > Self.maximumFieldBytes { try checkLengths(recordLength, fieldCount: fieldCount, recordLine: recordLine) }
        if let problem { throw problem }
        if let expected = expectedFieldCount, expected != fieldCount {
            throw CSVError(.fieldCount(expected: expected, found: fieldCount), line: recordLine, recordLine: recordLine)
        }
        if validatesUTF8 { try validateUTF8(recordLine: recordLine, fieldCount: fieldCount) }
        return CSVRecord(line: recordLine, count: fieldCount, reader: self, generation: generation)
    }

    private enum State { case fieldStart, unquoted, quoted, afterQuote }

    /// For a record longer than a field may be: the record within its limit, and each field within its own.
    private func checkLengths(_ recordLength: Int, fieldCount: Int, recordLine: Int) throws(CSVError) {
        if recordLength > Self.maximumRecordBytes {
            throw CSVError(.recordTooLong(limit: Self.maximumRecordBytes), line: recordLine, recordLine: recordLine)
        }
        var start = 0
        for field in 0..<fieldCount {
            if fieldEnds[field] - start > Self.maximumFieldBytes {
                throw CSVError(.fieldTooLong(field: field + 1, limit: Self.maximumFieldBytes), line: recordLine, recordLine: recordLine)
            }
            start = fieldEnds[field]
        }
    }

    /// Skips line breaks before a record. False at the end of the input.
    private func skipBlankLines() throws(CSVError) -> Bool {
        while true {
            if position == end {
                guard try fill() else { return false }
            }
            let c = input[position]
            if skipLF {
                skipLF = false
                if c == lf {
                    position += 1
                    continue
                }
            }
            guard c == lf || c == cr else { return true }
            line += 1
            position += 1
            skipLF = c == cr
        }
    }

    /// Checks the record's fields are well-formed UTF-8 in one pass over all of them: if the whole is valid
    /// and no field starts with a continuation byte, no sequence straddles two fields.
    private func validateUTF8(recordLine: Int, fieldCount: Int) throws(CSVError) {
        let length = fieldCount == 0 ? 0 : fieldEnds[fieldCount - 1]
        var valid = firstInvalidUTF8(bytes, length) == nil
        var start = 0
        for field in 0..<fieldCount where valid {
            valid = start == fieldEnds[field] || bytes[start] & 0xC0 != 0x80
            start = fieldEnds[field]
        }
        if valid { return }
        start = 0
        for field in 0..<fieldCount {
            if let bad = firstInvalidUTF8(bytes + start, fieldEnds[field] - start) {
                // Transcoded input is well-formed but where the file's bytes had no character (`Transcoder.invalid`).
                let reason: CSVError.Reason = switch encoding {
                case .utf8: .invalidUTF8(field: field + 1)
                case .windows1252: .notInEncoding(field: field + 1, byte: bytes[start + bad], encoding: encoding)
                default: .notInEncoding(field: field + 1, byte: nil, encoding: encoding)
                }
                throw CSVError(reason, line: lineOf(start + bad, recordLine: recordLine),
                               recordLine: recordLine)
            }
            start = fieldEnds[field]
        }
    }

    /// The physical line of record byte `offset`: quoted line breaks (CRLF, LF or CR) are kept in the
    /// fields, and none crosses a field boundary.
    private func lineOf(_ offset: Int, recordLine: Int) -> Int {
        var line = recordLine, fieldStart = 0, field = 0
        for i in 0..<offset {
            while fieldEnds[field] <= i {
                fieldStart = fieldEnds[field]
                field += 1
            }
            let c = bytes[i]
            if c == cr || (c == lf && (i == fieldStart || bytes[i - 1] != cr)) { line += 1 }
        }
        return line
    }

    private func storeFieldEnd(_ length: Int, at index: Int) {
        if index == fieldEndsCapacity {
            fieldEndsCapacity *= 2
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: fieldEndsCapacity)
            grown.moveInitialize(from: fieldEnds, count: index)
            fieldEnds.deallocate()
            fieldEnds = grown
        }
        fieldEnds[index] = length
    }

    /// Reads the next chunk after the unconsumed bytes, which move to the front. False at end of input.
    private func fill() throws(CSVError) -> Bool {
        guard !atEndOfInput else { return false }
        if position > 0 {
            input.update(from: input + position, count: end - position)
            end -= position
            position = 0
        }
        if end == inputCapacity {
            inputCapacity *= 2
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: inputCapacity)
            grown.moveInitialize(from: input, count: end)
            input.deallocate()
            input = grown
        }
        if transcoder != nil { return try fillTranscoded() }
        while true {
            let count = read(fileDescriptor, input + end, min(chunkSize, inputCapacity - end))
            if count > 0 {
                end += count
                bytesRead += count
                return true
            }
            if count == 0 {
                atEndOfInput = true
                return false
            }
            if errno != EINTR {
                throw CSVError(.readFailed(errno: errno), line: line, recordLine: line)
            }
        }
    }

    /// `fill` for transcoded input: reads the file's next bytes and decodes them after the unconsumed ones.
    private func fillTranscoded() throws(CSVError) -> Bool {
        guard let transcoder, let raw else { return false }
        while true {
            if inputCapacity - end < 4 * Transcoder.expansion {
                inputCapacity *= 2
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: inputCapacity)
                grown.moveInitialize(from: input, count: end)
                input.deallocate()
                input = grown
            }
            let room = (inputCapacity - end) / Transcoder.expansion
            if !rawAtEnd && rawCount < min(rawCapacity, room) {
                let count = read(fileDescriptor, raw + rawCount, min(rawCapacity, room) - rawCount)
                if count > 0 {
                    rawCount += count
                    bytesRead += count
                } else if count == 0 {
                    rawAtEnd = true
                } else if errno != EINTR {
                    throw CSVError(.readFailed(errno: errno), line: line, recordLine: line)
                }
            }
            let take = min(rawCount, room)
            let (consumed, written) = transcoder.decode(raw, take, into: input + end, final: rawAtEnd && take == rawCount)
            raw.update(from: raw + consumed, count: rawCount - consumed)
            rawCount -= consumed
            end += written
            if written > 0 { return true }
            if rawAtEnd && rawCount == 0 {
                atEndOfInput = true
                return false
            }
        }
    }

    /// Decides the encoding (`EncodingChoice`) on the bytes read so far, reading up to `sniffBytes`; for any
    /// encoding but UTF-8, hands those bytes (less a UTF-16 byte order mark) to the transcoder.
    private func chooseEncoding(_ choice: EncodingChoice) throws(CSVError) {
        if choice == .given(.utf8) { return }
        let wanted = choice == .auto ? Self.sniffBytes : 2
        while end - position < wanted, try fill() {}
        let p = input + position, n = end - position
        let bom: TextEncoding? = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? .utf8
            : n >= 2 && p[0] == 0xFF && p[1] == 0xFE ? .utf16LE
            : n >= 2 && p[0] == 0xFE && p[1] == 0xFF ? .utf16BE : nil
        let chosen: TextEncoding
        switch choice {
        case .auto:
            if let bom {
                chosen = bom
                encodingReason = "byte order mark"
            } else {
                // A sequence cut by the end of the sample is judged with the rest of the file.
                var length = n
                if !atEndOfInput {
                    var k = n
                    while k > 0 && n - k < 4 && p[k - 1] & 0xC0 == 0x80 { k -= 1 }
                    if k > 0 && p[k - 1] >= 0xC0 { length = k - 1 }
                }
                let valid = firstInvalidUTF8(p, length) == nil
                chosen = valid ? .utf8 : .windows1252
                encodingReason = valid ? "valid UTF-8" : "not valid UTF-8"
            }
        case .utf16:
            chosen = bom == .utf16BE ? .utf16BE : .utf16LE
        case .given(let given):
            chosen = given
        }
        encoding = chosen
        if chosen == .utf8 { return }
        let skip = choice != .given(chosen) && (chosen == .utf16LE || chosen == .utf16BE) && bom == chosen ? 2 : 0
        rawCapacity = max(chunkSize, n, 16)  // room for a surrogate pair however small the chunks
        let raw = UnsafeMutablePointer<UInt8>.allocate(capacity: rawCapacity)
        raw.update(from: p + skip, count: n - skip)
        self.raw = raw
        rawCount = n - skip
        rawAtEnd = atEndOfInput
        atEndOfInput = false
        position = 0
        end = 0
        transcoder = Transcoder(encoding: chosen)
    }

    /// Makes room for `needed` record bytes, keeping the first `length`.
    private func reserveBytes(_ needed: Int, keeping length: Int) {
        guard needed > bytesCapacity else { return }
        bytesCapacity = max(needed, bytesCapacity * 2)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: bytesCapacity)
        grown.moveInitialize(from: bytes, count: length)
        bytes.deallocate()
        bytes = grown
    }

    private func skipByteOrderMark() throws(CSVError) {
        while end - position < 3, try fill() {}
        if end - position >= 3, input[position] == 0xEF, input[position + 1] == 0xBB, input[position + 2] == 0xBF {
            position += 3
        }
    }

    /// Counts `,` and `;` outside quotes in the first non-blank line, reading ahead without consuming; at
    /// most 1 MiB, so that a stray quote in the header does not pull the whole file into memory.
    private func detectDelimiter() throws(CSVError) -> UInt8 {
        var i = position, inQuotes = false, sawText = false, commas = 0, semicolons = 0
        while i - position < 1 << 20 {
            if i == end {
                let offset = i - position
                guard try fill() else { break }
                i = position + offset
            }
            let c = input[i]
            i += 1
            if c == quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if c == comma { commas += 1 } else if c == semicolon { semicolons += 1 }
                if c == lf || c == cr {
                    if sawText { break }
                    continue
                }
            }
            sawText = true
        }
        return semicolons > commas ? semicolon : comma
    }
}

/// One record of a CSVReader, valid until the reader's next call to `next()`.
public struct CSVRecord {
    /// The line where the record starts (1-based).
    public let line: Int
    public let count: Int
    private let reader: CSVReader
    private let generation: Int

    fileprivate init(line: Int, count: Int, reader: CSVReader, generation: Int) {
        self.line = line
        self.count = count
        self.reader = reader
        self.generation = generation
    }

    /// The bytes of field `index`: valid UTF-8 without NUL, quotes removed. Empty for `` and `""`.
    public func withBytes<R, E: Error>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        precondition(reader.generation == generation, "CSVRecord used after the reader read the next record")
        precondition(index >= 0 && index < count, "field index \(index) out of range 0..<\(count)")
        let start = index == 0 ? 0 : reader.fieldEnds[index - 1]
        return try body(UnsafeBufferPointer(start: reader.bytes + start, count: reader.fieldEnds[index] - start))
    }

    /// The same bytes without a closure, for a loop that reads several fields of each of millions of records:
    /// valid only until the reader reads the next record (the closure form checks that; this one cannot).
    public func unsafeBytes(at index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(reader.generation == generation, "CSVRecord used after the reader read the next record")
        precondition(index >= 0 && index < count, "field index \(index) out of range 0..<\(count)")
        let start = index == 0 ? 0 : reader.fieldEnds[index - 1]
        return UnsafeBufferPointer(start: reader.bytes + start, count: reader.fieldEnds[index] - start)
    }

    /// Whether field `index` is well-formed UTF-8 (for a reader that does not check every record).
    public func isValidText(at index: Int) -> Bool {
        let bytes = unsafeBytes(at: index)
        guard let base = bytes.baseAddress else { return true }
        return firstInvalidUTF8(base, bytes.count) == nil
    }

    public func string(at index: Int) -> String {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// True for an empty field, quoted or not: the caller's NULL.
    public func isEmpty(at index: Int) -> Bool {
        withBytes(at: index) { $0.isEmpty }
    }

    /// All fields as strings.
    public var strings: [String] {
        (0..<count).map(string(at:))
    }
}

let comma = UInt8(ascii: ","), semicolon = UInt8(ascii: ";"), quote = UInt8(ascii: "\"")
let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

/// The offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode table 3-7:
/// no overlong forms, surrogates or code points above U+10FFFF), or nil.
func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
    var i = 0
    while i < count {
        if i + 8 <= count, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
            continue
        }
        let lead = p[i]
        if lead < 0x80 {
            i += 1
            continue
        }
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        let trailing: Int
        switch lead {
        case 0xC2...0xDF: trailing = 1
        case 0xE0: trailing = 2; low = 0xA0
        case 0xED: trailing = 2; high = 0x9F
        case 0xE1...0xEF: trailing = 2
        case 0xF0: trailing = 3; low = 0x90
        case 0xF4: trailing = 3; high = 0x8F
        case 0xF1...0xF3: trailing = 3
        default: return i
        }
        guard i + trailing < count, (low...high).contains(p[i + 1]) else { return i }
        for k in stride(from: 2, through: trailing, by: 1) where p[i + k] & 0xC0 != 0x80 {
            return i
        }
        i += trailing + 1
    }
    return nil
}

