import Foundation
import Testing

/// The everyday work, end to end: register, enrol, list, correct, remove; and every refusal leaves the file as it was.
@Suite struct StartupWorkflow {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    func startups(_ extra: [String] = []) throws -> [[String: Any]] {
        try #require(try ws.json(["startup", "list"] + extra) as? [[String: Any]])
    }

    @Test func registerEnrolListUpdateRemove() throws {
        let added = try #require(try ws.json(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce",
                                              "--siren", "732 829 320", "--city", "Marseille", "--employees", "12",
                                              "--founded", "2013", "--revenue", "1500000", "--naf", "6201Z",
                                              "--accelerator", "stardust", "--cohort", "2015"]) as? [String: Any])
        #expect(added["name"] as? String == "Calanques Pay")
        #expect(added["siren"] as? String == "732829320")
        #expect(added["naf_code"] as? String == "62.01Z")
        #expect(added["accelerators"] as? [String] == ["StarDust (2015)"])
        let id = try #require(added["id"] as? Int)

        try ws.ok(["startup", "add", "--name", "Massilia Data", "--sector", "big data", "--accelerator", "Jaguar"])
        try ws.ok(["startup", "add", "--name", "Étoile NFC", "--sector", "NFC", "--accelerator", "Jaguar", "--accelerator", "gemalto"])

        let jaguar = try startups(["--accelerator", "Jaguar"])
        #expect(jaguar.compactMap { $0["name"] as? String } == ["Étoile NFC", "Massilia Data"])
        let firms = try #require(try ws.json(["accelerator", "firms", "jaguar"]) as? [[String: Any]])
        #expect(firms.compactMap { $0["id"] as? Int } == jaguar.compactMap { $0["id"] as? Int })
        let massilia = try #require(jaguar.first { $0["name"] as? String == "Massilia Data" })
        for key in ["siren", "siret", "naf_code", "city", "employees", "founded", "revenue_eur"] {
            #expect(massilia[key] is NSNull, "\(key) should be null when unknown")
        }

        try ws.ok(["startup", "update", "calanques pay", "--employees", "15", "--city", ""])
        let shown = try #require(try ws.json(["startup", "show", String(id)]) as? [String: Any])
        #expect(shown["employees"] as? Int == 15)
        #expect(shown["city"] is NSNull)
        #expect(shown["founded"] as? Int == 2013)

        try ws.ok(["startup", "leave", "732829320", "--accelerator", "StarDust"])
        #expect(try startups(["--accelerator", "StarDust"]).isEmpty)
        try ws.ok(["startup", "remove", "Calanques Pay"])
        #expect(try startups().count == 2)
        #expect(try ws.ok(["startup", "list", "--search", "calanques"]) == "no startups\n")
    }

    @Test func namesMatchWithoutCaseOrAccents() throws {
        try ws.ok(["startup", "add", "--name", "Société Générale du Numérique", "--sector", "big data"])
        let shown = try #require(try ws.json(["startup", "show", "SOCIETE generale du numerique"]) as? [String: Any])
        #expect(shown["name"] as? String == "Société Générale du Numérique")
        #expect(try startups(["--search", "generale"]).count == 1)
        let duplicate = try ws.run(["startup", "add", "--name", "societe generale du numerique", "--sector", "NFC"])
        #expect(duplicate.status == 65)
        #expect(duplicate.stderr.contains("already exists"))
    }

    @Test func unknownReferenceListsClosestMatches() throws {
        try ws.ok(["startup", "add", "--name", "Massilia Data", "--sector", "big data"])
        let result = try ws.run(["startup", "show", "Masilia Data"])
        #expect(result.status == 65)
        #expect(result.stderr == "error: no startup matches 'Masilia Data' (by id, SIREN or name); did you mean 'Massilia Data'?\n")
        let sector = try ws.run(["startup", "list", "--sector", "bigdata"])
        #expect(sector.status == 65)
        #expect(sector.stderr.contains("did you mean 'big data'"))
    }

    @Test func tableStaysAlignedWithAccentsAndCountsRows() throws {
        try ws.ok(["startup", "add", "--name", "Étoile", "--sector", "NFC", "--employees", "3"])
        try ws.ok(["startup", "add", "--name", "Ecole", "--sector", "NFC", "--employees", "120"])
        try ws.ok(["startup", "add", "--name", "E\u{301}lan", "--sector", "NFC"])  // decomposed accent
        let lines = try ws.ok(["startup", "list"]).split(separator: "\n").map(String.init)
        #expect(lines.last == "3 startups")
        // Every column starts at the same character offset on every line: the header's offsets.
        let header = lines[0]
        let sectorColumn = header.distance(from: header.startIndex, to: try #require(header.range(of: "sector")).lowerBound)
        for line in lines[2..<5] {
            #expect(String(line.prefix(sectorColumn + 3)).hasSuffix("NFC"), "misaligned: \(line)")
        }
    }

    @Test func csvOutputQuotesAndKeepsLeadingZeros() throws {
        try ws.ok(["startup", "add", "--name", "Quote \"Co\", Marseille", "--sector", "NFC", "--siren", "055 100 556"])
        let csv = try ws.ok(["startup", "list", "--format", "csv"])
        #expect(csv.hasPrefix("id,name,siren,siret,sector,naf_code,city,employees,founded,revenue_eur,accelerators\r\n"))
        #expect(csv.contains(",\"Quote \"\"Co\"\", Marseille\",055100556,"))
    }

    @Test func sortAndLimit() throws {
        for (name, employees, founded) in [("A", "5", "2010"), ("B", "50", "2001"), ("C", "", "2012")] {
            try ws.ok(["startup", "add", "--name", name, "--sector", "NFC", "--employees", employees, "--founded", founded])
        }
        #expect(try startups(["--sort", "employees"]).compactMap { $0["name"] as? String } == ["B", "A", "C"])
        #expect(try startups(["--sort", "founded"]).compactMap { $0["name"] as? String } == ["B", "A", "C"])
        #expect(try startups(["--sort", "name", "--limit", "2"]).compactMap { $0["name"] as? String } == ["A", "B"])
    }

    @Test func hostileTextIsStoredAndPrintedBackExactly() throws {
        let names = ["'; DROP TABLE startups; --", "Robert\"); DELETE FROM sectors;--", "🚀 Fusée", "שלום עולם", "مرحبا"]
        for name in names { try ws.ok(["startup", "add", "--name", name, "--sector", "NFC"]) }
        let listed = Set(try startups().compactMap { $0["name"] as? String })
        #expect(listed == Set(names))
        #expect((try ws.json(["sector", "list"]) as? [Any])?.count == 5)
    }
}

/// Each refusal: exit 65, one `error:` line naming the field and value, and every row as it was.
@Suite struct Refusals {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Existing", "--sector", "NFC", "--siren", "732829320", "--accelerator", "Jaguar"])
    }

    @Test(arguments: [
        (["--name", "N", "--sector", "NFC", "--siren", "732829321"], "siren"),
        (["--name", "N", "--sector", "NFC", "--siren", "12345678"], "siren"),
        (["--name", "N", "--sector", "NFC", "--siret", "73282932000075"], "siret"),
        (["--name", "N", "--sector", "NFC", "--siren", "552100554", "--siret", "73282932000074"], "siret"),
        (["--name", "N", "--sector", "NFC", "--naf", "99.99Z"], "naf_code"),
        (["--name", "N", "--sector", "NFC", "--employees=-3"], "employees"),
        (["--name", "N", "--sector", "NFC", "--employees", "1.5"], "employees"),
        (["--name", "N", "--sector", "NFC", "--revenue", "9223372036854775808"], "revenue_eur"),
        (["--name", "N", "--sector", "NFC", "--founded", "1799"], "founded"),
        (["--name", "N", "--sector", "NFC", "--founded", "3000"], "founded"),
        (["--name", "   ", "--sector", "NFC"], "name"),
        (["--name", String(repeating: "é", count: 201), "--sector", "NFC"], "name"),
        (["--name", "N", "--sector", "no such sector"], "sector"),
        (["--name", "N", "--sector", "NFC", "--accelerator", "Nowhere"], "accelerator"),
        (["--name", "existing", "--sector", "NFC"], "already exists"),
        (["--name", "N", "--sector", "NFC", "--siren", "732 829 320"], "already exists"),
    ])
    func addIsRefused(arguments: [String], mention: String) throws {
        let before = try ws.snapshot()
        let result = try ws.run(["startup", "add"] + arguments)
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try ws.snapshot() == before)
    }

    @Test func updateIsRefusedAndChangesNothing() throws {
        let before = try ws.snapshot()
        let result = try ws.run(["startup", "update", "Existing", "--employees", "many"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("invalid employees 'many'"))
        #expect(try ws.snapshot() == before)
    }

    @Test func removingAnAcceleratorInUseNeedsForce() throws {
        let before = try ws.snapshot()
        let refused = try ws.run(["accelerator", "remove", "Jaguar"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("1 enrolled startup"))
        #expect(try ws.snapshot() == before)
        try ws.ok(["accelerator", "remove", "Jaguar", "--force"])
        let existing = try #require(try ws.json(["startup", "show", "Existing"]) as? [String: Any])
        #expect(existing["accelerators"] as? [String] == [])
    }

    @Test func aSectorInUseIsNeverRemoved() throws {
        let before = try ws.snapshot()
        let refused = try ws.run(["sector", "remove", "NFC"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("1 startup"))
        #expect(try ws.snapshot() == before)
        try ws.ok(["sector", "add", "fintech"])
        try ws.ok(["sector", "remove", "FINTECH"])
    }
}
