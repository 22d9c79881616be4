import Foundation
import Testing

// `stats ecosystem`, `stats regional-share --from sirene`, `startup add --from-sirene`, `startup show` and
// `check --sirene`, the binary run on a temporary registry, against Tests/Fixtures/sirene/expected_figures.py
// (Python's csv module over the same stock file and the seed files).

private let sireneFixture = repoRoot.appending(path: "Tests/Fixtures/sirene/stock-3.11.csv").path

/// The reference figures of a stock file for Aix-Marseille's EPCI, and region 93's with `region`.
private func expected(_ stock: String, region: Bool = false, by: String? = nil) throws -> [String: Any] {
    let script = repoRoot.appending(path: "Tests/Fixtures/sirene/expected_figures.py").path
    let result = try runToEnd(URL(fileURLWithPath: "/usr/bin/env"),
                              ["python3", script, stock, "--epci", "200054807"] + (region ? ["--region", "93"] : []) + (by.map { ["--by", $0] } ?? []))
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
}

private let figureKeys = ["establishments", "employer_establishments", "firms", "jobs_low", "jobs_mid", "jobs_high",
                          "unknown_headcount", "open_ended"]

/// Every figure of `actual` (under `prefix`) equals the reference's, as numbers (jobs_mid may be a half).
private func expectFigures(_ actual: [String: Any], _ want: Any?, prefix: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    let want = want as? [String: Any] ?? [:]
    for key in figureKeys {
        let mine = (actual[prefix + key] as? NSNumber)?.doubleValue, theirs = (want[key] as? NSNumber)?.doubleValue
        #expect(mine != nil && mine == theirs, "\(prefix + key): \(mine as Any) against \(theirs as Any)", sourceLocation: sourceLocation)
    }
}

/// The key and label columns of each breakdown.
private let breakdownKeys = ["division": ("division", "division_label"), "naf": ("naf_code", "naf_label"),
                             "commune": ("commune", "commune_name"), "band": ("band", "band_label")]

@Suite struct SireneStatsCommands {
    let ws: Workspace

    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    func importFixture(_ extra: [String] = []) throws {
        let result = try ws.run(["import", "sirene", sireneFixture] + extra)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func ecosystemMatchesPythonOnTheFixtureByEveryBreakdown() throws {
        try importFixture()
        let want = try expected(sireneFixture)
        let total = try #require(try ws.json(["stats", "ecosystem"]) as? [String: Any])
        expectFigures(total, want["total"])
        #expect(total["territory"] as? String == "Aix-Marseille" && total["naf_set"] as? String == "ict")
        #expect(total["stock_date"] as? String == want["stock_date"] as? String)
        #expect(try ws.ok(["stats", "ecosystem", "--format", "json"]).contains("\"jobs_mid\":10123.5"))
        #expect(try ws.json(["stats", "ecosystem", "--territory", "Aix-Marseille", "--naf-set", "ICT", "--stock-date", "2025-10-31"]) as? NSDictionary
                == total as NSDictionary)

        for by in ["division", "naf", "commune", "band"] {
            let reference = try #require(try expected(sireneFixture, by: by)["rows"] as? [String: [String: Any]])
            let rows = try #require(try ws.json(["stats", "ecosystem", "--by", by]) as? [[String: Any]])
            let (key, label) = breakdownKeys[by]!
            #expect(Set(rows.map { $0[key] as? String ?? "" }) == Set(reference.keys), "\(by)")
            for row in rows {
                let wanted = reference[row[key] as? String ?? ""]
                expectFigures(row, wanted)
                if by != "band" { #expect(row[label] as? String == wanted?["label"] as? String, "\(by) label") }
                #expect(row["territory"] as? String == "Aix-Marseille" && row["stock_date"] as? String == "2025-10-31")
            }
            // CSV: the same keys as the JSON, one line per row.
            let csv = try ws.ok(["stats", "ecosystem", "--by", by, "--format", "csv"]).split(whereSeparator: \.isNewline)
            #expect(csv.count == rows.count + 1)
            #expect(csv.first.map(String.init) == (["territory", "naf_set", "stock_date", key, label] + figureKeys).joined(separator: ","))
            #expect(try ws.ok(["stats", "ecosystem", "--by", by]).hasSuffix("\(rows.count) rows\n"))
        }
        let table = try ws.ok(["stats", "ecosystem"])
        #expect(table.contains("jobs mid                 10123.5\n") && table.contains("unknown headcount        1\n"))
        #expect(try ws.ok(["stats", "ecosystem", "--format", "csv"]).hasPrefix((["territory", "naf_set", "stock_date"] + figureKeys).joined(separator: ",") + "\r\n"))
    }

    @Test func aGeneratedStockMatchesPythonAndGivesTheRegionalShare() throws {
        let stock = ws.folder.appending(path: "stock.csv").path
        let made = try runToEnd(URL(fileURLWithPath: "/usr/bin/env"),
                                ["python3", repoRoot.appending(path: "Benchmarks/sirene_generate.py").path, "--rows", "20000", "--out", stock])
        #expect(made.status == 0, "\(made.stderr)")
        try ws.ok(["import", "sirene", stock])
        let want = try expected(stock, region: true)
        let total = try #require(try ws.json(["stats", "ecosystem"]) as? [String: Any])
        expectFigures(total, want["total"])
        let communes = try #require(try expected(stock, by: "commune")["rows"] as? [String: [String: Any]])
        let rows = try #require(try ws.json(["stats", "ecosystem", "--by", "commune"]) as? [[String: Any]])
        #expect(rows.count == communes.count)
        for row in rows { expectFigures(row, communes[row["commune"] as? String ?? ""]) }

        let share = try #require(try ws.json(["stats", "regional-share", "--from", "sirene"]) as? [String: Any])
        let t = try #require(want["total"] as? [String: Any]), r = try #require(want["region"] as? [String: Any])
        expectFigures(share, t, prefix: "territory_")
        expectFigures(share, r, prefix: "region_")
        func n(_ d: [String: Any], _ k: String) -> Double { (d[k] as? NSNumber)?.doubleValue ?? .nan }
        let bounds = ["share_low": n(t, "jobs_low") / (n(t, "jobs_low") + n(r, "jobs_high") - n(t, "jobs_high")),
                      "share_mid": n(t, "jobs_mid") / n(r, "jobs_mid"),
                      "share_high": n(t, "jobs_high") / (n(t, "jobs_high") + n(r, "jobs_low") - n(t, "jobs_low"))]
        for (key, value) in bounds {
            #expect(abs(((share[key] as? NSNumber)?.doubleValue ?? .nan) - value) < 1e-12, "\(key)")
        }
        #expect(share["reported_share"] as? Double == 0.55)
        #expect(share["region"] as? String == "Provence-Alpes-Côte d'Azur" && share["region_code"] as? String == "93")
        #expect(share["territory"] as? String == "Aix-Marseille" && share["naf_set"] as? String == "ict")
    }

    @Test func chartsAndTheRegistrysOwnRegionalShareStayAsTheyWere() throws {
        try importFixture()
        let rows = try #require(try ws.json(["stats", "ecosystem", "--by", "division"]) as? [[String: Any]])
        let chart = try ws.run(["stats", "ecosystem", "--by", "division", "--chart"], environment: ["COLUMNS": "70"])
        #expect(chart.status == 0)
        let lines = chart.stdout.split(separator: "\n")
        #expect(lines.count == rows.count && lines.allSatisfy { $0.count <= 70 })
        #expect(lines.first?.hasPrefix("58 ") == true && lines.first?.contains("10000.0 jobs") == true)
        #expect(try ws.run(["stats", "ecosystem", "--chart"]).status == 64)
        #expect(try ws.run(["stats", "ecosystem", "--by", "band", "--chart", "--format", "json"]).status == 64)
        #expect(try ws.run(["stats", "ecosystem", "--by", "sector"]).status == 64)

        // Without --from sirene, regional-share is the registry's own figure, unchanged.
        #expect(try ws.ok(["stats", "regional-share", "--format", "json"]) == ws.ok(["stats", "regional-share", "--from", "registry", "--format", "json"]))
        let own = try #require(try ws.json(["stats", "regional-share"]) as? [String: Any])
        #expect(own["regional_jobs"] as? Int == 72_727 && own["share_mid"] == nil)
        for misuse in [["--naf-set", "ict"], ["--stock-date", "2025-10-31"], ["--from", "sirene", "--by", "sector"],
                       ["--from", "sirene", "--exclude-synthetic"], ["--from", "insee"]] {
            let result = try ws.run(["stats", "regional-share"] + misuse)
            #expect(result.status == 64 && isOneErrorLine(result.stderr), "\(misuse): \(result.stderr)")
        }
        let csv = try ws.ok(["stats", "regional-share", "--from", "sirene", "--format", "csv"]).split(whereSeparator: \.isNewline)
        #expect(csv.count == 2 && csv[0].hasPrefix("territory,region,region_code,naf_set,stock_date,territory_establishments,"))
    }

    @Test func withoutASnapshotEveryCommandSaysToImportOne() throws {
        for command in [["stats", "ecosystem"], ["stats", "ecosystem", "--by", "commune"], ["stats", "regional-share", "--from", "sirene"],
                        ["startup", "add", "--from-sirene", "900012345", "--sector", "big data"], ["check", "--sirene"]] {
            try ws.refused(command, status: 66, mentioning: ["no SIRENE snapshot", "frenchtech import sirene FILE"])
        }
    }

    @Test func refusalsNameWhatIsWrongAndWhatToDo() throws {
        try importFixture()
        try ws.refused(["stats", "ecosystem", "--stock-date", "2024-01-31"], status: 65,
                       mentioning: ["no SIRENE snapshot of 2024-01-31", "the snapshots are of 2025-10-31", "--stock-date"])
        try ws.refused(["stats", "ecosystem", "--naf-set", "tic"], status: 65, mentioning: ["no NAF set 'tic'", "ict", "--naf-set"])
        try ws.refused(["stats", "regional-share", "--from", "sirene", "--naf-set", "tic"], status: 65, mentioning: ["no NAF set 'tic'"])
        try ws.refused(["stats", "ecosystem", "--territory", "Aix-Marseile"], status: 65, mentioning: ["did you mean 'Aix-Marseille'"])
        try ws.ok(["territory", "set", "Toulon", "--level", "metropolis", "--digital-jobs", "9000"])
        try ws.refused(["stats", "ecosystem", "--territory", "Toulon"], status: 65,
                       mentioning: ["'Toulon' has no perimeter", "frenchtech territory set 'Toulon' --epci SIREN"])
        try ws.refused(["stats", "regional-share", "--from", "sirene", "--territory", "Toulon"], status: 65, mentioning: ["no perimeter"])
    }

    @Test func perimetersOutsideTheSnapshotOrAcrossRegionsAreRefused() throws {
        try importFixture()
        try ws.ok(["territory", "set", "Toulon", "--level", "metropolis", "--digital-jobs", "9000"])
        // Toulon's perimeter written as an outside tool would: Toulon (region 93) and Lyon (84).
        _ = try pythonJSON("""
            t = con.execute("SELECT id FROM territories WHERE name = 'Toulon'").fetchone()[0]
            con.execute("INSERT INTO territory_perimeters (territory_id, kind, source) VALUES (?, 'communes', 'test')", (t,))
            con.executemany("INSERT INTO territory_perimeter_communes VALUES (?, ?)", [(t, '83137'), (t, '69123')])
            con.commit()
            print("[]")
            """, ws.db)
        try ws.refused(["stats", "ecosystem", "--territory", "Toulon"], status: 65,
                       mentioning: ["holds region 93 only", "lies in region 84", "frenchtech import sirene FILE --region 84,93"])
        try importFixture(["--all"])
        let toulon = try #require(try ws.json(["stats", "ecosystem", "--territory", "Toulon"]) as? [String: Any])
        #expect(toulon["establishments"] as? Int == 1)
        try ws.refused(["stats", "regional-share", "--from", "sirene", "--territory", "Toulon"], status: 65,
                       mentioning: ["spans regions 84, 93", "--territory"])
        // A snapshot of another region only (the same stock date: it replaces the last).
        try importFixture(["--region", "84"])
        try ws.refused(["stats", "ecosystem"], status: 65, mentioning: ["holds region 84 only", "--region 84,93"])
    }

    @Test func startupsTakeTheirFactsFromTheSnapshotAndAreCheckedAgainstIt() throws {
        try importFixture()
        // The fixture's line and the commune's name, read by Python from the files.
        let line = try pythonJSON("""
            import csv
            rows = {r["siret"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
            communes = {r["code"]: r for r in csv.DictReader(open(sys.argv[3], encoding="utf-8"))}
            r = rows[sys.argv[4]]
            c = communes[r["codeCommuneEtablissement"]]
            print(json.dumps({"name": r["denominationUsuelleEtablissement"] or r["enseigne1Etablissement"],
                              "naf_code": r["activitePrincipaleEtablissement"], "city": communes[c["parent"] or c["code"]]["name"],
                              "founded": int(r["dateCreationEtablissement"][:4]), "siren": r["siren"], "siret": r["siret"],
                              "band": r["trancheEffectifsEtablissement"]}))
            """, ws.db, sireneFixture, repoRoot.appending(path: "Seeds/0006_communes_2026.csv").path, "90001234500105")
        let want = try #require(line as? [String: Any])
        let added = try #require(try ws.json(["startup", "add", "--from-sirene", "900 012 345", "--sector", "big data"]) as? [String: Any])
        for key in ["name", "naf_code", "city", "founded", "siren", "siret"] {
            #expect("\(added[key] ?? "missing")" == "\(want[key] ?? "absent")", "\(key)")
        }
        #expect((added["source"] as? String)?.contains("SIRENE") == true)
        // Options given alongside override the snapshot's.
        let game = try #require(try ws.json(["startup", "add", "--from-sirene", "90001308700128", "--sector", "big data",
                                             "--name", "Sainte-Victoire Jeux", "--founded", "2001", "--source", "test"]) as? [String: Any])
        #expect(game["name"] as? String == "Sainte-Victoire Jeux" && game["founded"] as? Int == 2001 && game["source"] as? String == "test")
        #expect(game["city"] as? String == "Aix-en-Provence" && game["naf_code"] as? String == "58.21Z")

        let shown = try #require(try ws.json(["startup", "show", "900012345"]) as? [String: Any])
        #expect(shown["sirene_siret"] as? String == "90001234500105" && shown["sirene_band"] as? String == want["band"] as? String)
        #expect(shown["sirene_band_label"] as? String == "10 to 19" && shown["sirene_stock_date"] as? String == "2025-10-31")
        #expect(try ws.ok(["check", "--sirene"]) == "no startups\n")

        try ws.refused(["startup", "add", "--from-sirene", "900013459", "--sector", "big data"], status: 65,
                       mentioning: ["no active establishment of SIREN 900013459", "2025-10-31"])
        try ws.refused(["startup", "add", "--from-sirene", "12345", "--sector", "big data"], status: 65, mentioning: ["SIRET"])
        try ws.ok(["startup", "add", "--name", "Fermée", "--siren", "900013459", "--sector", "big data"])
        try ws.ok(["startup", "add", "--name", "Parisienne", "--siren", "900015306", "--sector", "big data"])
        let fermee = try #require(try ws.json(["startup", "show", "Fermée"]) as? [String: Any])
        #expect(fermee["sirene_siret"] == nil)
        let check = try ws.run(["check", "--sirene", "--format", "csv"])
        #expect(check.status == 1 && isOneErrorLine(check.stderr) && check.stderr.contains("2 registered startups have no active establishment"))
        let names = check.stdout.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",")[1] }
        #expect(names == ["Fermée", "Parisienne"])
    }
}
