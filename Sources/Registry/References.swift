import Persistence

/// Finding rows by what users type: an id, a SIREN (startups) or a name, ignoring case and accents.
extension RegistryStore {
    /// A small table (sectors, accelerators, partners) whose rows are looked up by id or name.
    enum NamedTable: String {
        case sectors, accelerators, partners
        var noun: String {
            switch self {
            case .sectors: "sector"
            case .accelerators: "accelerator"
            case .partners: "partner"
            }
        }
        var entity: RegistryError.Entity {
            switch self {
            case .sectors: .sector
            case .accelerators: .accelerator
            case .partners: .partner
            }
        }
    }

    /// The id of the row of `table` that `reference` names (an id or a name, case and accents ignored).
    func resolve(_ reference: String, in table: NamedTable) throws -> Int64 {
        let wanted = reference.searchKey
        // Identifiers come from the fixed `NamedTable` list, never from input.
        let rows = try db.rows("SELECT id, name FROM \(table.rawValue)")
        let named = try rows.map { (id: try $0.get(0, as: Int64.self), name: try $0.get(1, as: String.self)) }
        if let id = Int64(reference.trimmingSpaces), let match = named.first(where: { $0.id == id }) { return match.id }
        let matches = named.filter { $0.name.searchKey == wanted }
        if matches.count == 1 { return matches[0].id }
        if matches.count > 1 {
            throw RegistryError(.ambiguous(entity: table.entity, reference: reference, matches: matches.map(\.name)),
                                "\(table.noun) '\(reference)' is ambiguous: \(matches.map { "\($0.name) (id \($0.id))" }.joined(separator: ", "))",
                                remedy: .giveID)
        }
        throw RegistryError.unknown(table.entity, reference, among: named.map(\.name))
    }

    /// The id of the startup that `reference` names: an id, a SIREN, or a name (case and accents ignored).
    func resolveStartup(_ reference: String) throws -> Int64 {
        let trimmed = reference.trimmingSpaces
        if let siren = try? Validate.siren(trimmed),
           case .integer(let id)? = try db.scalar("SELECT id FROM startups WHERE siren = ?", [.text(siren)]) {
            return id
        }
        if let id = Int64(trimmed), try db.scalar("SELECT 1 FROM startups WHERE id = ?", [.integer(id)]) != nil {
            return id
        }
        let key = reference.searchKey
        if case .integer(let id)? = try db.scalar("SELECT id FROM startups WHERE name_key = ?", [.text(key)]) {
            return id
        }
        // Closest names: those containing the text, else those sharing its first letters.
        var candidates = try db.rows(
            "SELECT name FROM startups WHERE name_key LIKE ? ESCAPE '\\' ORDER BY length(name_key), name_key LIMIT 50",
            [.text("%" + key.escapedForLike + "%")]
        ).map { try $0.get(0, as: String.self) }
        if candidates.isEmpty && !key.isEmpty {
            candidates = try db.rows(
                "SELECT name FROM startups WHERE name_key >= ? AND name_key < ? ORDER BY name_key LIMIT 50",
                [.text(String(key.prefix(2))), .text(String(key.prefix(2)) + "\u{10FFFF}")]
            ).map { try $0.get(0, as: String.self) }
        }
        throw RegistryError(.notFound(entity: .startup, reference: reference, suggestions: RegistryError.closest(to: key, among: candidates)),
                            "no startup matches '\(reference)' (by id, SIREN or name)", remedy: .search)
    }
}

extension RegistryError {
    /// "unknown city 'Marseile'" with the nearest of `names`, and the remedy of choosing among them. Public for
    /// the CLI's command names (`frenchtech startp`), which are not in the registry.
    public static func unknown(_ entity: Entity, _ reference: String, among names: [String], remedy: Remedy? = nil) -> RegistryError {
        RegistryError(.notFound(entity: entity, reference: reference, suggestions: closest(to: reference.searchKey, among: names)),
                      "unknown \(entity.rawValue) '\(reference)'", remedy: remedy ?? .list(entity))
    }

    /// Up to three names nearest to `key` by edit distance on their search keys.
    public static func closest(to key: String, among names: [String]) -> [String] {
        let scored = names.map { (name: $0, distance: editDistance(key, $0.searchKey)) }
        let limit = max(2, key.count / 2)
        let near = scored.filter { $0.distance <= limit || $0.name.searchKey.contains(key) && !key.isEmpty }
        return near.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(3).map(\.name)
    }
}

/// Levenshtein distance over characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

extension String {
    /// Escapes LIKE's wildcards for use with `ESCAPE '\'`.
    var escapedForLike: String {
        var out = ""
        for c in self {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Whether the bytes start and end with a visible ASCII character (then there is nothing to trim).
    static func hasPlainEnds(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last)
    }

    /// Whether the text is empty or only whitespace (an empty cell, an empty option): read on the bytes when
    /// the first one is visible ASCII, as in most cells.
    var isBlank: Bool {
        if let first = utf8.first, (0x21...0x7E).contains(first) { return false }
        return trimmingSpaces.isEmpty
    }

    /// The text without the white space at either end.
    var trimmingSpaces: String {
        // The plain case first, without building a Substring: 1 M cells trim about 25 % faster (a micro-benchmark).
        if utf8.withContiguousStorageIfAvailable(Self.hasPlainEnds) == true { return self }
        return String(spacesTrimmed)
    }

    /// The part of the text between the white space at either end, without a copy.
    var spacesTrimmed: Substring {
        // Import trims every cell: most have no space at either end, and that is checked without Unicode tables.
        if utf8.withContiguousStorageIfAvailable(Self.hasPlainEnds) == true { return self[...] }
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = self[start...].lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
