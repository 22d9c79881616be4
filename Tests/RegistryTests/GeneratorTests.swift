import Foundation
import Persistence
@testable import Registry
import Testing

@Suite struct GeneratorTests {
    let store: RegistryStore
    init() throws { store = try RegistryStore(path: ":memory:", createIfMissing: true) }

    func rows(_ store: RegistryStore) throws -> [[SQLValue]] {
        try store.db.rows("""
            SELECT s.id, s.name, s.siren, s.siret, s.sector_id, s.naf_code, s.city, s.employees, s.founded, s.revenue_eur, s.source,
                   (SELECT group_concat(accelerator_id) FROM memberships WHERE startup_id = s.id)
            FROM startups s ORDER BY s.id
            """).map(\.values)
    }

    @Test func splitMix64GivesThePublishedSequence() {
        // The first outputs for seed 0 of the reference implementation (Vigna's splitmix64.c).
        var random = SplitMix64(seed: 0)
        #expect([random.next(), random.next(), random.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func theSameSeedGivesTheSameFirms() throws {
        let other = try RegistryStore(path: ":memory:", createIfMissing: true)
        try store.generateStartups(count: 200, seed: 42)
        try other.generateStartups(count: 200, seed: 42)
        #expect(try rows(store) == rows(other))
        let third = try RegistryStore(path: ":memory:", createIfMissing: true)
        try third.generateStartups(count: 200, seed: 43)
        #expect(try rows(third) != rows(store))
    }

    @Test func theArticleProportionsByDefault() throws {
        let summary = try store.generateStartups(count: RegistryStore.articleFirms, seed: 2014)
        let db = store.db
        #expect(try db.scalar("SELECT count(*) FROM startups WHERE source = 'synthetic'") == .integer(7_000))
        // "40,000 private digital jobs" for "7,000 firms": the known headcounts add up to about that (within 10 %).
        let jobs = try Int64.decode(db.scalar("SELECT sum(employees) FROM startups") ?? .null)
        #expect(abs(jobs - 40_000) < 4_000, "jobs: \(jobs)")
        #expect(summary.jobs == jobs && summary.firms == 7_000)
        // About a tenth of the headcounts unknown, never zero in their place.
        let unknown = try Int64.decode(db.scalar("SELECT count(*) FROM startups WHERE employees IS NULL") ?? .null)
        #expect((500...900).contains(unknown))
        // Spread over the five seeded sectors, a fifth each give or take.
        for row in try db.rows("SELECT count(*) FROM startups GROUP BY sector_id") {
            #expect((1_200...1_600).contains(try row.get(0, as: Int.self)))
        }
        #expect(try db.scalar("SELECT count(DISTINCT sector_id) FROM startups") == .integer(5))
        // Every SIREN passes Luhn (checked by the test's own implementation) and none repeats.
        let sirens = try db.rows("SELECT siren FROM startups").map { try $0.get(0, as: String.self) }
        #expect(sirens.allSatisfy { luhnCompleted(String($0.prefix(8))) == $0 })
        #expect(Set(sirens).count == sirens.count)
        // Marseille, with most of the area's people, holds most firms; every city is a commune of the list.
        let cities = try db.rows("SELECT city, count(*) FROM startups GROUP BY city ORDER BY 2 DESC")
        #expect(try cities.first?.get(0, as: String.self) == "Marseille")
        #expect(try cities.allSatisfy { Synthetic.communes.contains(try $0.get(0, as: String.self)) })
        #expect(try db.rows("SELECT name FROM startups WHERE name NOT LIKE 'Synthetic %'").isEmpty)
    }

    @Test func generatingAgainAddsOtherFirms() throws {
        try store.addStartup(StartupDraft(name: "Real Firm", sector: "NFC", siren: luhnCompleted("55210055")))
        try store.generateStartups(count: 300, seed: 5)
        try store.generateStartups(count: 300, seed: 5)
        let db = store.db
        #expect(try db.scalar("SELECT count(*) FROM startups") == .integer(601))
        #expect(try db.scalar("SELECT count(DISTINCT name_key) FROM startups") == .integer(601))
        #expect(try db.scalar("SELECT count(DISTINCT siren) FROM startups") == .integer(601))
        #expect(try store.startups(StartupFilter(excludeSynthetic: true)).map(\.name) == ["Real Firm"])
    }
}

/// The Latin-1 shortcut of `searchKey` gives what Python's unicodedata gives: NFKD (compatibility forms folded:
/// `²` is `2`), marks and the soft hyphen (format, default-ignorable) dropped, lowercased, whitespace runs made one space.
@Test func searchKeyOfLatin1MatchesPython() throws {
    let words = (0xA0...0xFF).map { String(UnicodeScalar(UInt8($0))) } + ["Société Générale", "ÉCOLE  d’Été", "Œuvre Ça", "Straße ÅÆØ"]
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", """
        import sys, unicodedata
        for line in sys.stdin.read().split("\\n"):
            key = "".join(c for c in unicodedata.normalize("NFKD", line) if unicodedata.category(c) not in ("Mn", "Me", "Cf")).lower()
            print(" ".join(key.split()))
        """]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    try input.fileHandleForWriting.write(contentsOf: Data(words.joined(separator: "\n").utf8))
    try input.fileHandleForWriting.close()
    let expected = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    process.waitUntilExit()
    for (word, key) in zip(words, expected) {
        #expect(Array(word.searchKey.unicodeScalars) == Array(String(key).unicodeScalars), "\(word)")
    }
}
