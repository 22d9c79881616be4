import Testing
@testable import Workbook

@Suite struct XMLScannerTests {
    typealias E = XMLScanner.Event

    func events(_ xml: String, chunk: Int = .max) throws -> [E] {
        var scanner = XMLScanner()
        var out: [E] = []
        let bytes = Array(xml.utf8)
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + min(chunk, bytes.count))
            try scanner.feed(bytes[i..<end]) { out.append($0) }
            i = end
        }
        try scanner.finish { out.append($0) }
        // Adjacent texts (split by a chunk edge inside CDATA neighbours) are one text for comparison.
        var merged: [E] = []
        for e in out {
            if case let .text(b) = e, case let .text(a)? = merged.last { merged[merged.count - 1] = .text(a + b) } else { merged.append(e) }
        }
        return merged
    }

    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- a comment -->
        <x:root xmlns:x="urn:x" a="1" b='dé &amp; &lt;&#233;&#xE8;' >\
        <x:c r:id="rId7" xml:space="preserve"> a &gt; b &quot;&apos; </x:c><empty/><![CDATA[<raw> & ]]>œ€’</x:root>
        """

    static let expected: [E] = [
        .start(name: "root", attributes: ["x": "urn:x", "a": "1", "b": "dé & <éè"]),
        .start(name: "c", attributes: ["id": "rId7", "xml:space": "preserve"]),
        .text(" a > b \"' "),
        .end(name: "c"),
        .start(name: "empty", attributes: [:]),
        .end(name: "empty"),
        .text("<raw> & œ€’"),
        .end(name: "root"),
    ]

    @Test func elementsAttributesTextEntitiesAndCDATA() throws {
        #expect(try events(Self.document) == Self.expected)
    }

    /// Chunk edges anywhere (inside a tag, an entity, a multi-byte character) change nothing.
    @Test(arguments: [1, 2, 3, 7, 64])
    func chunkEdgesChangeNothing(_ size: Int) throws {
        #expect(try events(Self.document, chunk: size) == Self.expected)
    }

    /// A text that never ends is refused once it passes the bound, not held whole.
    @Test func aTokenPastTheBoundIsRefused() throws {
        var scanner = XMLScanner(maxToken: 1000)
        try scanner.feed(Array("<a>".utf8)) { _ in }
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 300)
        for _ in 0..<3 { try scanner.feed(chunk) { _ in } }
        #expect(throws: XMLScanner.Failure(detail: "a text or tag longer than 1000 bytes, more than any cell holds")) {
            try scanner.feed(chunk) { _ in }
        }
        // Below the bound, a text over many chunks is one text.
        var texts: [String] = []
        var small = XMLScanner(maxToken: 1000)
        try small.feed(Array("<a>".utf8)) { _ in }
        for _ in 0..<3 { try small.feed(chunk) { if case let .text(t) = $0 { texts.append(t) } } }
        try small.feed(Array("</a>".utf8)) { if case let .text(t) = $0 { texts.append(t) } }
        try small.finish { _ in }
        #expect(texts == [String(repeating: "x", count: 900)])
    }

    @Test(arguments: [
        ("<a><b></a>", "</a> closes <b>"),
        ("<a>", "the XML ends before </a>"),
        ("<a>x &nbsp; y</a>", "unknown reference &nbsp;"),
        ("<a>x & y</a>", "an '&' that starts no reference"),
        ("<!DOCTYPE a [<!ENTITY e 'x'>]><a/>", "a DOCTYPE or other declaration, which no .xlsx part has"),
        ("<a b=c/>", "attribute b of <a> is not quoted"),
        ("<a/><b/>", "a second root element <b>"),
        ("", "the part holds no XML element"),
        ("<a x=\"1\"", "the XML ends inside a tag"),
    ])
    func refusesMalformedXML(_ xml: String, _ detail: String) {
        #expect(throws: XMLScanner.Failure(detail: detail)) { try events(xml) }
    }
}
