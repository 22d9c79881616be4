import Foundation
import Testing

/// `startup` options that must not do nothing or something else: --cohort alone, missing required options, a SIRET
/// of another firm; enrolments shown with their cohort; an unknown city in a filter.
@Suite struct StartupOptions {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    @Test func cohortWithoutAcceleratorIsAUsageError() throws {
        try ws.refused(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce", "--cohort", "2015"],
                    status: 64, mentioning: ["--cohort", "--accelerator"])
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce"])
        try ws.refused(["startup", "update", "Calanques Pay", "--cohort", "2015"], status: 64,
                    mentioning: ["--cohort", "--accelerator", "startup join"])
        // With the programme, the cohort is kept.
        try ws.ok(["startup", "update", "Calanques Pay", "--accelerator", "Jaguar", "--cohort", "2015"])
        #expect(try pythonScalar(ws.db, "SELECT cohort FROM memberships") == "2015")
    }

    @Test func missingRequiredOptionsAreUsageErrors() throws {
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce"])
        try ws.refused(["startup", "join", "Calanques Pay"], status: 64, mentioning: ["--accelerator"])
        try ws.refused(["startup", "join", "Calanques Pay", "--cohort", "2015"], status: 64, mentioning: ["--accelerator"])
        try ws.refused(["startup", "leave", "Calanques Pay"], status: 64, mentioning: ["--accelerator"])
        try ws.refused(["startup", "show"], status: 64, mentioning: ["reference"])
    }
    @Test func siretOfAnotherFirmIsRefusedWithoutSiren() throws {
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce", "--siren", "552100554"])
        // 732 829 320 00074 is an establishment of another firm (SIREN 732829320).
        try ws.refused(["startup", "update", "Calanques Pay", "--siret", "73282932000074"], status: 65,
                    mentioning: ["732829320", "552100554", "--siren"])
        #expect(try pythonScalar(ws.db, "SELECT siren FROM startups") == "552100554")
        #expect(try pythonScalar(ws.db, "SELECT siret FROM startups") == "None")
        // Given with a SIREN that disagrees: the existing rule.
        try ws.refused(["startup", "update", "Calanques Pay", "--siret", "73282932000074", "--siren", "552100554"],
                    status: 65, mentioning: ["552100554"])
        // A SIRET of the firm itself is taken.
        try ws.ok(["startup", "update", "Calanques Pay", "--siret", "55210055400013"])
        #expect(try pythonScalar(ws.db, "SELECT siren || ' ' || siret FROM startups") == "552100554 55210055400013")
        // Both given and agreeing: the firm's identifiers change, as asked.
        try ws.ok(["startup", "update", "Calanques Pay", "--siret", "73282932000074", "--siren", "732829320"])
        #expect(try pythonScalar(ws.db, "SELECT siren || ' ' || siret FROM startups") == "732829320 73282932000074")
    }

    @Test func siretAloneStillSetsAMissingSiren() throws {
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce"])
        try ws.ok(["startup", "update", "Calanques Pay", "--siret", "73282932000074"])
        #expect(try pythonScalar(ws.db, "SELECT siren || ' ' || siret FROM startups") == "732829320 73282932000074")
    }
    private func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }
    @Test func enrolmentsAreShownWithTheirCohort() throws {
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC", "--accelerator", "Kedge (2016)", "--accelerator", "gemalto"])
        // Read back apart: the cohort stored for Kedge, none for gemalto.
        let stored = try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for name, cohort in con.execute("SELECT a.name, m.cohort FROM memberships m JOIN accelerators a ON a.id = m.accelerator_id ORDER BY a.name COLLATE NOCASE"):
                print(name if cohort is None else "%s (%d)" % (name, cohort))
            """, [ws.db])
        let expected = lines(stored).map(String.init)
        #expect(expected == ["gemalto", "Kedge (2016)"])

        let shown = try #require(try ws.json(["startup", "show", "Alpha"]) as? [String: Any])
        #expect(shown["accelerators"] as? [String] == expected)
        let listed = try #require(try ws.json(["startup", "list"]) as? [[String: Any]])
        #expect(listed.map { $0["accelerators"] as? [String] } == [expected])
        let exported = try #require(try ws.json(["export", "startups"]) as? [[String: Any]])
        #expect(exported.map { $0["accelerators"] as? [String] } == [expected])
        #expect(try ws.ok(["startup", "show", "Alpha"]).contains("Kedge (2016)"))
        #expect(try ws.ok(["startup", "list"]).contains("Kedge (2016)"))

        let firms = try #require(try ws.json(["accelerator", "firms", "Kedge"]) as? [[String: Any]])
        #expect(firms.count == 1 && firms[0]["name"] as? String == "Alpha" && firms[0]["cohort"] as? Int == 2016)
        let unknown = try #require(try ws.json(["accelerator", "firms", "gemalto"]) as? [[String: Any]])
        #expect(unknown.count == 1 && unknown[0]["cohort"] is NSNull)
        let csv = try ws.ok(["accelerator", "firms", "Kedge", "--format", "csv"])
        #expect(csv.hasPrefix("id,name,siren,siret,sector,naf_code,city,employees,founded,revenue_eur,accelerators,cohort\r\n"))
        #expect(csv.hasSuffix(",2016\r\n"))
    }
    @Test func anUnknownCityIsRefusedWithTheNearestKnownOnes() throws {
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC", "--city", "Marseille"])
        try ws.ok(["startup", "add", "--name", "Beta", "--sector", "NFC", "--city", "Aix-en-Provence"])
        let before = try ws.snapshot()
        let result = try ws.run(["startup", "list", "--city", "Marseile"])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(lines(result.stderr) == ["error: unknown city 'Marseile'; did you mean 'Marseille'? (see `frenchtech stats by-city`)"])
        #expect(try ws.snapshot() == before)
        // A known city, in any case, still selects its startups.
        let listed = try #require(try ws.json(["startup", "list", "--city", "marseille"]) as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == ["Alpha"])
    }
}
