import Foundation
import Testing
import Persistence
@testable import Registry

/// The store throws errors as values: what kind, about what, with which remedies; worded by no front end.
@Suite struct RegistryErrorTests {
    let store: RegistryStore

    /// A registry whose only sectors are FinTech, FoodTech and Robotics, so that the nearest names are known.
    init() throws {
        store = try RegistryStore(path: ":memory:", createIfMissing: true)
        try store.db.execute("DELETE FROM accelerators")
        try store.db.execute("DELETE FROM sectors")
        for name in ["FinTech", "FoodTech", "Robotics"] { try store.addSector(name: name, description: nil) }
    }

    /// The JSON object a server would send, read back without the Codable types that wrote it.
    func json(_ error: RegistryError) throws -> [String: Any] {
        let data = try JSONEncoder().encode(error.body)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Array(object.keys) == ["error"])
        return try #require(object["error"] as? [String: Any])
    }

    @Test func anUnknownSectorIsNotFoundWithTheNearestNames() throws {
        // "fintek" is 2 edits from "fintech"; "foodtech" (5) and "robotics" are beyond the 3 allowed for 6 letters.
        let error = try #require(throws: RegistryError.self) { try store.sector("fintek") }
        #expect(error.kind == .notFound(entity: .sector, reference: "fintek", suggestions: ["FinTech"]))
        #expect(error.remedies == [.list(.sector)])
        #expect(error.description == "unknown sector 'fintek'; did you mean 'FinTech'?")
        #expect(error.httpStatus == 404)

        let body = try json(error)
        #expect(body["code"] as? String == "not_found")
        #expect(body["message"] as? String == "unknown sector 'fintek'; did you mean 'FinTech'?")
        #expect(body["entity"] as? String == "sector")
        #expect(body["value"] as? String == "fintek")
        #expect(body["suggestions"] as? [String] == ["FinTech"])
        #expect(body["field"] == nil)
    }

    @Test func aNameNearNothingSuggestsNothing() throws {
        let error = try #require(throws: RegistryError.self) { try store.sector("zzzzzzzzzzzz") }
        #expect(error.kind == .notFound(entity: .sector, reference: "zzzzzzzzzzzz", suggestions: []))
        #expect(error.description == "unknown sector 'zzzzzzzzzzzz'")
        #expect(try json(error)["suggestions"] as? [String] == [])
    }

    @Test func aDuplicateSirenNamesItsHolder() throws {
        try store.addStartup(StartupDraft(name: "Calanques Pay", sector: "FinTech", siren: "552100554"))
        let error = try #require(throws: RegistryError.self) {
            try store.addStartup(StartupDraft(name: "Other", sector: "Robotics", siren: "552 100 554"))
        }
        #expect(error.kind == .duplicate(entity: .startup, field: "siren", value: "552100554", holder: "Calanques Pay"))
        #expect(error.remedies == [.update(.startup)])
        #expect(error.httpStatus == 409)
        let body = try json(error)
        #expect(body["code"] as? String == "duplicate")
        #expect(body["field"] as? String == "siren")
        #expect(body["value"] as? String == "552100554")
        #expect(body["holder"] as? String == "Calanques Pay")
        #expect(try store.db.scalar("SELECT count(*) FROM startups") == .integer(1))
    }

    @Test func aSectorInUseIsAConflict() throws {
        try store.addStartup(StartupDraft(name: "Calanques Pay", sector: "FinTech"))
        let error = try #require(throws: RegistryError.self) { try store.removeSector("fintech") }
        #expect(error.kind == .conflict(entity: .sector, reference: "FinTech"))
        #expect(error.remedies == [.moveStartups])
        #expect(error.description == "sector FinTech is used by 1 startup")
        #expect(error.httpStatus == 409)
        #expect(try json(error)["code"] as? String == "conflict")
    }

    @Test func aLookalikeNameIsADuplicateHeldByTheExistingName() throws {
        let error = try #require(throws: RegistryError.self) { try store.addSector(name: "ＦinTech", description: nil) }
        #expect(error.kind == .duplicate(entity: .sector, field: "name", value: "ＦinTech", holder: "FinTech"))
        #expect(error.httpStatus == 409)
    }

    @Test func anAmbiguousReferenceListsItsMatches() throws {
        // Added behind the rules' back: two names that read alike.
        try store.db.execute("INSERT INTO sectors (name, source) VALUES ('Santé', 'test'), ('sante', 'test')")
        let error = try #require(throws: RegistryError.self) { try store.sector("SANTE") }
        guard case .ambiguous(.sector, "SANTE", let matches) = error.kind else {
            Issue.record("expected an ambiguous sector, got \(error.kind)")
            return
        }
        #expect(Set(matches) == ["Santé", "sante"] && matches.count == 2)
        #expect(error.remedies == [.giveID])
        #expect(error.httpStatus == 422)
        #expect(try json(error)["suggestions"] as? [String] == matches)
    }

    @Test func anUnknownStartupSuggestsNamesContainingTheText() throws {
        try store.addStartup(StartupDraft(name: "Calanques Pay", sector: "FinTech"))
        let error = try #require(throws: RegistryError.self) { try store.startup("calanque") }
        #expect(error.kind == .notFound(entity: .startup, reference: "calanque", suggestions: ["Calanques Pay"]))
        #expect(error.remedies == [.search])
    }

    @Test func anUnknownTerritoryWithoutALevelSaysHowToAddIt() throws {
        let error = try #require(throws: RegistryError.self) { try store.setTerritory("Toulon", TerritoryDraft(digitalJobs: "10")) }
        guard case .notFound(.territory, "Toulon", _) = error.kind else {
            Issue.record("expected a territory not found, got \(error.kind)")
            return
        }
        #expect(error.remedies == [.addTerritory])
        #expect(try store.db.scalar("SELECT count(*) FROM territories WHERE name = 'Toulon'") == .integer(0))
    }

    @Test func aBrokenFieldIsAnInvalidField() throws {
        let field = try #require(throws: FieldError.self) { try Validate.siren("552100555") }
        let error = field.registryError
        #expect(error.kind == .invalidField(field: "siren", value: "552100555", rule: field.rule))
        #expect(error.httpStatus == 422)
        let body = try json(error)
        #expect(body["code"] as? String == "invalid_field")
        #expect(body["field"] as? String == "siren")
        #expect(body["value"] as? String == "552100555")
        #expect((body["message"] as? String)?.hasPrefix("invalid siren '552100555': ") == true)
    }

    @Test func aMissingRegistryIsMissingInput() throws {
        let path = "/tmp/frenchtech-missing-\(UInt64.random(in: 0...UInt64.max)).sqlite"
        let error = try #require(throws: RegistryError.self) { try RegistryStore(path: path) }
        #expect(error.kind == .missingInput(path: path))
        #expect(error.remedies == [.create(path: path)])
        #expect(error.httpStatus == 500)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// The domain's sentences name no command and no flag: those are the front end's words.
    @Test func messagesNameNoFrontEnd() throws {
        try store.addStartup(StartupDraft(name: "Calanques Pay", sector: "FinTech", siren: "552100554"))
        try store.addAccelerator(name: "Provence Booster", pilot: nil, sector: nil)
        try store.join("Calanques Pay", accelerator: "Provence Booster", cohort: nil)
        let attempts: [() throws -> Void] = [
            { _ = try store.sector("fintek") },
            { _ = try store.startup("nothing like it") },
            { _ = try store.addStartup(StartupDraft(name: "Other", sector: "Robotics", siren: "552100554")) },
            { _ = try store.removeSector("FinTech") },
            { _ = try store.removeAccelerator("Provence Booster", force: false) },
            { _ = try store.addAccelerator(name: "provence booster", pilot: nil, sector: nil) },
            { _ = try store.setTerritory("Toulon", TerritoryDraft(digitalJobs: "10")) },
            { _ = try store.leave("Calanques Pay", accelerator: "Provence Booster"); _ = try store.leave("Calanques Pay", accelerator: "Provence Booster") },
        ]
        for attempt in attempts {
            let error = try #require(throws: RegistryError.self) { try attempt() }
            #expect(!error.description.contains("frenchtech") && !error.description.contains("--"), "\(error.description)")
        }
    }

    @Test func statusesFollowTheKind() {
        let cases: [(RegistryError.Kind, Int, String)] = [
            (.notFound(entity: .city, reference: "x", suggestions: []), 404, "not_found"),
            (.duplicate(entity: .partner, field: "name", value: "x", holder: nil), 409, "duplicate"),
            (.conflict(entity: .accelerator, reference: "x"), 409, "conflict"),
            (.invalidRequest, 422, "invalid_request"),
            (.busy(path: "p"), 503, "busy"),
            (.damaged(path: "p"), 500, "damaged"),
            (.foreign(path: "p"), 500, "foreign"),
            (.failure, 500, "failure"),
        ]
        for (kind, status, code) in cases {
            let error = RegistryError(kind, "m")
            #expect(error.httpStatus == status)
            #expect(error.code == code)
        }
    }
}
