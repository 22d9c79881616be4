import Testing
import Persistence
@testable import Registry

/// Named sets of NAF codes (Store+NafSets.swift), against Python over the nomenclature's seed file.
@Suite struct NafSetStoreTests {
    let store: RegistryStore
    init() throws { store = try RegistryStore(path: ":memory:", createIfMissing: true) }

    func sets() throws -> [[SQLValue]] {
        try store.db.rows("SELECT * FROM naf_sets ORDER BY 1").map(\.values)
            + store.db.rows("SELECT * FROM naf_set_codes ORDER BY 1, 2").map(\.values)
    }

    @Test func theSeededSetCoversINSEEsSubClasses() throws {
        let ict = ["26.1", "26.2", "26.3", "26.4", "26.8", "46.5", "58.2", "61", "62", "63.1", "95.1"]
        let python = try #require(try seedFigures("print(json.dumps(len(covered(\(ict)))))") as? Int)
        let list = try store.nafSets()
        #expect(list.count == 1)
        #expect(list[0].name == "ict" && list[0].codes == 11 && list[0].subclasses == Int64(python))
        let (set, codes) = try store.nafSet("ICT")
        #expect(set == list[0])
        #expect(codes.map(\.code) == ict.sorted())
        let division = try #require(codes.first { $0.code == "62" })
        // The nomenclature's label as INSEE wrote it, its trailing space included.
        #expect(division.level == .division && division.label.hasPrefix("Programmation, conseil et autres activités informatiques"))
        #expect(codes.first { $0.code == "58.2" }?.label == "Édition de logiciels")
    }

    @Test func aSetTakesEveryLevelInEitherForm() throws {
        let (set, codes) = try store.addNafSet(name: "  numérique ", codes: ["62", "631", "58.21z", "5829C", "72.1", "58.21Z", " "],
                                               source: "test")
        #expect(set.name == "numérique" && set.source == "test" && set.codes == 5)
        #expect(codes.map(\.code) == ["58.21Z", "58.29C", "62", "63.1", "72.1"])
        #expect(codes.map(\.level) == [.subclass, .subclass, .division, .group, .group])
        let python = try seedFigures("""
            codes = ['62', '63.1', '58.21Z', '58.29C', '72.1']
            labels = {}
            for r in naf:
                labels.update({r['division_code']: r['division_label'], r['group_code']: r['group_label'], r['code']: r['label']})
            print(json.dumps({'subclasses': len(covered(codes)), 'labels': [labels[c] for c in sorted(codes)]}))
            """) as? [String: Any]
        #expect(set.subclasses == (python?["subclasses"] as? Int).map(Int64.init))
        #expect(codes.map(\.label) == python?["labels"] as? [String])
        #expect(try store.nafSet("Numerique").set.id == set.id, "case and accents aside")
        #expect(try store.addNafSet(name: "cls", codes: ["58.21"]).codes.map(\.level) == [.class])
        #expect(try store.removeNafSet("NUMERIQUE").name == "numérique")
        #expect(try store.nafSets().map(\.name) == ["cls", "ict"])
    }

    @Test(arguments: [
        ("web", ["62", "6x", "34", "62.09Y", "1", "58.2.1", "62."], "invalid NAF codes: '6x', '1', '58.2.1', '62.' are not NAF codes"),
        ("web", ["62", "34"], "'34' is not in the NAF rev. 2 nomenclature"),
        ("web", [" ", ""], "no NAF code given"),
        ("ICT", ["62"], "a NAF set named ict already exists"),
        ("", ["62"], "invalid NAF set name"),
        (String(repeating: "n", count: 201), ["62"], "at most 200"),
        ("a\u{7}b", ["62"], "invalid NAF set name"),
    ])
    func aBadSetIsRefusedAndNothingChanges(name: String, codes: [String], mention: String) throws {
        let before = try sets()
        let error = try #require(throws: (any Error).self) { try store.addNafSet(name: name, codes: codes) }
        let registryError = (error as? RegistryError) ?? (error as? FieldError)?.registryError
        #expect(registryError?.isInvalidData == true)
        #expect(registryError?.message.contains(mention) == true, "\(error)")
        #expect(try sets() == before)
    }

    @Test func everyBadCodeIsNamed() throws {
        let error = try #require(throws: RegistryError.self) { try store.addNafSet(name: "web", codes: ["6x", "34", "62.09Y", "00"]) }
        #expect(error.message == "invalid NAF codes: '6x' is not a NAF code (a division 62, a group 63.1, a class 58.21 or a sub-class 58.21Z); '34', '62.09Y', '00' are not in the NAF rev. 2 nomenclature")
        #expect(error.remedies == [.nafCodes])
    }

    @Test func theSeededSetStaysAndAnUnknownOneIsNamed() throws {
        let before = try sets()
        let seeded = try #require(throws: RegistryError.self) { try store.removeNafSet("ict") }
        #expect(seeded.kind == .conflict(entity: .nafSet, reference: "ict"))
        let unknown = try #require(throws: RegistryError.self) { try store.removeNafSet("itc") }
        #expect(unknown.kind == .notFound(entity: .nafSet, reference: "itc", suggestions: ["ict"]))
        #expect(try sets() == before)
        try store.addNafSet(name: "web", codes: ["62"])
        let duplicate = try #require(throws: RegistryError.self) { try store.addNafSet(name: "WEB", codes: ["63"]) }
        #expect(duplicate.remedies == [.otherNameOrRemove("web")])
    }
}
