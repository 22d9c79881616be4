extension String {
    /// Columns this text takes in a terminal: one per character (so "é" counts once whether precomposed or
    /// not), two for wide East Asian characters and emoji, none for control characters.
    var displayWidth: Int {
        var width = 0
        for character in self {
            guard let scalar = character.unicodeScalars.first else { continue }
            let value = scalar.value
            if value < 0x20 || (0x7F..<0xA0).contains(value) { continue }
            if scalar.properties.isEmojiPresentation || Self.isWide(value) { width += 2 } else { width += 1 }
        }
        return width
    }

    private static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
    }

    /// Pads with spaces to `width` columns, on the right (or on the left for numbers).
    func padded(to width: Int, right alignRight: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - displayWidth))
        return alignRight ? fill + self : self + fill
    }
}
