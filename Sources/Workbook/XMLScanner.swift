/// A streaming scanner for the XML that .xlsx parts use: elements, attributes, text, CDATA, the five predefined
/// entities and numeric character references. It is fed the bytes of a part chunk by chunk, as the zip entry
/// inflates, and hands out one event at a time, so memory stays bounded by the largest single token and the
/// open elements, never by the size of the part.
///
/// Why not FoundationXML's XMLParser: `frenchtech` is built as a static executable, and Debian's libxml2.a
/// (which FoundationXML needs) pulls in Debian's ICU 72 (a second ICU beside the one Foundation carries), lzma
/// and zlib as extra link flags on every static build; a trial binary with ZIPFoundation grew from 72 MB to 105 MB with it.
/// The subset below is all that SpreadsheetML needs. A DOCTYPE is refused: no part of an .xlsx has one, and
/// refusing it rules out entity-expansion attacks.
struct XMLScanner {
    enum Event: Equatable {
        /// An element's start; names are local (a prefix such as `x:` is dropped), and so are attribute names
        /// (`r:id` is `id`), except `xml:space`, which is kept whole.
        case start(name: String, attributes: [String: String])
        case end(name: String)
        case text(String)
    }

    struct Failure: Error, Equatable {
        let detail: String
    }

    private var pending: [UInt8] = []
    private var open: [String] = []
    private var sawRoot = false
    /// How many bytes at the start of `pending` are text already searched for '<': a long text arriving over
    /// many chunks is searched once, not once per chunk.
    private var knownText = 0
    /// The longest single text or tag accepted (a cell holds at most 32,767 characters): memory stays bounded
    /// whatever the part holds.
    let maxToken: Int

    init(maxToken: Int = 64 << 20) {
        self.maxToken = maxToken
    }

    /// Scans `chunk` after what was left over from earlier chunks, calling `handle` for each complete token.
    mutating func feed<C: Collection<UInt8>>(_ chunk: C, _ handle: (Event) throws -> Void) throws {
        pending.append(contentsOf: chunk)
        let consumed = try scan(final: false, handle)
        if consumed > 0 { pending.removeFirst(consumed) }
        if pending.count > maxToken {
            throw Failure(detail: "a text or tag longer than \(maxToken) bytes, more than any cell holds")
        }
    }

    /// Ends the document: what is left must be complete, and every element closed.
    mutating func finish(_ handle: (Event) throws -> Void) throws {
        let consumed = try scan(final: true, handle)
        if consumed > 0 { pending.removeFirst(consumed) }
        if pending.contains(where: { !Self.isSpace($0) }) { throw Failure(detail: "the XML ends inside a tag") }
        if let name = open.last { throw Failure(detail: "the XML ends before </\(name)>") }
        if !sawRoot { throw Failure(detail: "the part holds no XML element") }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Returns how many bytes of `pending` were consumed.
    private mutating func scan(final: Bool, _ handle: (Event) throws -> Void) throws -> Int {
        let bytes = pending
        let n = bytes.count
        var i = 0
        let carried = knownText
        knownText = 0
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard needle.count <= n else { return nil }
            var j = start
            while j + needle.count <= n {
                if bytes[j] == needle[0] {
                    var k = 1
                    while k < needle.count && bytes[j + k] == needle[k] { k += 1 }
                    if k == needle.count { return j }
                }
                j += 1
            }
            return nil
        }
        func hasPrefix(_ s: [UInt8], at j: Int) -> Bool? {
            // nil: not enough bytes yet to tell
            for k in 0..<s.count {
                if j + k >= n { return nil }
                if bytes[j + k] != s[k] { return false }
            }
            return true
        }
        while i < n {
            if bytes[i] != UInt8(ascii: "<") {
                var j = i == 0 ? min(carried, n) : i
                while j < n && bytes[j] != UInt8(ascii: "<") { j += 1 }
                if j == n && !final {
                    knownText = n - i
                    return i
                }
                if !open.isEmpty {
                    try handle(.text(try Self.decode(bytes[i..<j])))
                } else if bytes[i..<j].contains(where: { !Self.isSpace($0) }) {
                    throw Failure(detail: "text outside the root element")
                }
                i = j
                continue
            }
            // a markup token starting at i
            guard i + 1 < n else { return i }
            switch bytes[i + 1] {
            case UInt8(ascii: "?"):
                guard let e = find(Array("?>".utf8), from: i + 2) else { return i }
                i = e + 2
            case UInt8(ascii: "!"):
                switch hasPrefix(Array("<!--".utf8), at: i) {
                case nil: return i
                case true?:
                    guard let e = find(Array("-->".utf8), from: i + 4) else { return i }
                    i = e + 3
                    continue
                case false?: break
                }
                switch hasPrefix(Array("<![CDATA[".utf8), at: i) {
                case nil: return i
                case true?:
                    guard let e = find(Array("]]>".utf8), from: i + 9) else { return i }
                    guard !open.isEmpty else { throw Failure(detail: "CDATA outside the root element") }
                    try handle(.text(String(decoding: bytes[(i + 9)..<e], as: UTF8.self)))
                    i = e + 3
                    continue
                case false?: break
                }
                throw Failure(detail: "a DOCTYPE or other declaration, which no .xlsx part has")
            case UInt8(ascii: "/"):
                guard let e = find([UInt8(ascii: ">")], from: i + 2) else { return i }
                let raw = String(decoding: bytes[(i + 2)..<e], as: UTF8.self)
                let name = Self.local(raw.trimmingSpaces())
                guard let top = open.popLast() else { throw Failure(detail: "</\(raw)> closes nothing") }
                guard top == name else { throw Failure(detail: "</\(raw)> closes <\(top)>") }
                try handle(.end(name: name))
                i = e + 1
            default:
                // a start tag: find its '>' outside quoted attribute values
                var j = i + 1
                var quote: UInt8 = 0
                while j < n {
                    let b = bytes[j]
                    if quote != 0 { if b == quote { quote = 0 } }
                    else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { quote = b }
                    else if b == UInt8(ascii: ">") { break }
                    j += 1
                }
                if j == n { return i }
                var end = j
                let selfClosing = bytes[j - 1] == UInt8(ascii: "/")
                if selfClosing { end = j - 1 }
                let (name, attributes) = try Self.parseTag(bytes[(i + 1)..<end])
                if open.isEmpty && sawRoot { throw Failure(detail: "a second root element <\(name)>") }
                sawRoot = true
                try handle(.start(name: name, attributes: attributes))
                if selfClosing { try handle(.end(name: name)) } else { open.append(name) }
                i = j + 1
            }
        }
        return i
    }

    private static func local(_ name: String) -> String {
        if let colon = name.lastIndex(of: ":") { return String(name[name.index(after: colon)...]) }
        return name
    }

    private static func parseTag(_ tag: ArraySlice<UInt8>) throws -> (String, [String: String]) {
        var i = tag.startIndex
        let n = tag.endIndex
        while i < n && !isSpace(tag[i]) { i += 1 }
        let qname = String(decoding: tag[tag.startIndex..<i], as: UTF8.self)
        guard !qname.isEmpty else { throw Failure(detail: "a tag without a name") }
        var attributes: [String: String] = [:]
        while true {
            while i < n && isSpace(tag[i]) { i += 1 }
            if i == n { break }
            let nameStart = i
            while i < n && tag[i] != UInt8(ascii: "=") && !isSpace(tag[i]) { i += 1 }
            let attrName = String(decoding: tag[nameStart..<i], as: UTF8.self)
            while i < n && isSpace(tag[i]) { i += 1 }
            guard i < n, tag[i] == UInt8(ascii: "=") else {
                throw Failure(detail: "attribute \(attrName) of <\(qname)> has no value")
            }
            i += 1
            while i < n && isSpace(tag[i]) { i += 1 }
            guard i < n, tag[i] == UInt8(ascii: "\"") || tag[i] == UInt8(ascii: "'") else {
                throw Failure(detail: "attribute \(attrName) of <\(qname)> is not quoted")
            }
            let quote = tag[i]
            i += 1
            let valueStart = i
            while i < n && tag[i] != quote { i += 1 }
            guard i < n else { throw Failure(detail: "attribute \(attrName) of <\(qname)> is not closed") }
            let value = try decode(tag[valueStart..<i])
            i += 1
            attributes[attrName == "xml:space" ? attrName : local(attrName)] = value
        }
        return (local(qname), attributes)
    }

    /// Text with its entity and character references replaced.
    static func decode(_ raw: ArraySlice<UInt8>) throws -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            guard b == UInt8(ascii: "&") else { out.append(b); i += 1; continue }
            guard let semi = raw[i...].firstIndex(of: UInt8(ascii: ";")), semi - i <= 12 else {
                throw Failure(detail: "an '&' that starts no reference")
            }
            let name = String(decoding: raw[(i + 1)..<semi], as: UTF8.self)
            switch name {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var code: UInt32?
                if name.hasPrefix("#x") || name.hasPrefix("#X") { code = UInt32(name.dropFirst(2), radix: 16) }
                else if name.hasPrefix("#") { code = UInt32(name.dropFirst(), radix: 10) }
                guard let c = code, c != 0, let scalar = Unicode.Scalar(c) else {
                    throw Failure(detail: "unknown reference &\(name);")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semi + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
