import Foundation
import Testing

/// Runs a Python script with the registry's path as argv[1] and decodes what it prints as JSON: figures computed
/// with Python's own sqlite3 straight from the tables, independently of the code under test.
func pythonJSON(_ script: String, _ db: String, _ arguments: String...) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(python("import json, sqlite3, sys\ncon = sqlite3.connect(sys.argv[1])\n" + script, [db] + arguments).utf8))
}

/// The firms of the statistics tests: unknown headcounts, firms in several programmes, cities differing by case,
/// and (inserted by Python, as an outside writer would) synthetic rows; "fintech" and "transmedia" have no firm.
/// Used by the `sql` tests too.
func fillRegistry(_ ws: Workspace) throws {
    try ws.ok(["sector", "add", "fintech"])
    for firm in [
        ["--name", "Calanques Pay", "--sector", "e-commerce", "--employees", "120", "--city", "Marseille", "--revenue", "3000000",
         "--accelerator", "StarDust", "--accelerator", "Jaguar"],
        ["--name", "Massilia Data", "--sector", "big data", "--employees", "45", "--city", "marseille", "--accelerator", "Jaguar"],
        ["--name", "Étoile NFC", "--sector", "NFC", "--city", "Aix-en-Provence", "--accelerator", "gemalto", "--accelerator", "Jaguar"],
        ["--name", "Voyages Bleus", "--sector", "e-tourisme", "--employees", "7", "--revenue", "50000", "--accelerator", "voyageprive"],
        ["--name", "Panier Local", "--sector", "e-commerce", "--city", "Aubagne"],
        ["--name", "Vieux Port Shop", "--sector", "e-commerce", "--employees", "30", "--city", "MARSEILLE"],
    ] {
        try ws.ok(["startup", "add"] + firm)
    }
    _ = try pythonJSON("""
        big = con.execute("SELECT id FROM sectors WHERE name = 'big data'").fetchone()[0]
        con.executemany("INSERT INTO startups (name, name_key, sector_id, city, employees, source) VALUES (?, ?, ?, ?, ?, 'synthetic')",
                        [("Synthetic %d" % i, "synthetic %d" % i, big, "Toulon", None if i % 3 == 0 else i * 10) for i in range(12)])
        con.execute("INSERT INTO memberships (startup_id, accelerator_id) SELECT s.id, a.id FROM startups s, accelerators a WHERE s.name = 'Synthetic 1' AND a.name = 'Jaguar'")
        con.commit()
        print("[]")
        """, ws.db)
}

/// `share` compared loosely; the rest exactly.
func expectRows(_ actual: Any, _ expected: Any, keys: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let a = actual as? [[String: Any]] ?? [], e = expected as? [[String: Any]] ?? []
    #expect(a.count == e.count && !e.isEmpty, sourceLocation: sourceLocation)
    for (row, want) in zip(a, e) {
        for key in keys {
            if key == "share" {
                let x = row[key] as? Double, y = want[key] as? Double
                #expect(x != nil && y != nil && abs(x! - y!) < 1e-12 || (row[key] is NSNull && want[key] is NSNull),
                        "share of \(want)", sourceLocation: sourceLocation)
            } else {
                #expect("\(row[key] ?? "missing")" == "\(want[key] ?? "absent")", "\(key) of \(want)", sourceLocation: sourceLocation)
            }
        }
    }
}

/// Per-sector figures from the raw tables, filtered by a Python condition on (source, city, programmes), sorted
/// by jobs descending then name, with the share of all registered jobs (synthetic rows left out when asked).
private let sectorScript = """
    where, exclude = sys.argv[2], sys.argv[3] == "1"
    rows = con.execute('''SELECT sec.name, s.id, s.employees, s.source, s.city,
                                 (SELECT group_concat(a.name, '|') FROM memberships m JOIN accelerators a ON a.id = m.accelerator_id WHERE m.startup_id = s.id)
                          FROM sectors sec LEFT JOIN startups s ON s.sector_id = sec.id''').fetchall()
    total = sum(r[2] or 0 for r in rows if r[1] is not None and not (exclude and r[3] == "synthetic"))
    out = {}
    for name, sid, employees, source, city, programmes in rows:
        entry = out.setdefault(name, {"sector": name, "firms": 0, "jobs": 0, "unknown_headcount": 0})
        if sid is None or not eval(where, {"source": source, "city": city, "programmes": (programmes or "").split("|")}):
            continue
        entry["firms"] += 1
        entry["jobs"] += employees or 0
        entry["unknown_headcount"] += employees is None
    for entry in out.values():
        entry["share"] = entry["jobs"] / total if total else None
    print(json.dumps(sorted(out.values(), key=lambda e: (-e["jobs"], e["sector"].lower()))))
    """

private func expectedSectors(_ ws: Workspace, where condition: String, excludeSynthetic: Bool) throws -> Any {
    try pythonJSON(sectorScript, ws.db, condition, excludeSynthetic ? "1" : "0")
}

@Suite struct StatsCommands {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    @Test func regionalShareOnTheSeedAloneReproducesTheArticle() throws {
        let share = try #require(try ws.json(["stats", "regional-share"]) as? [String: Any])
        #expect(share["region"] as? String == "Provence-Alpes-Côte d'Azur (PACA)")
        #expect(share["territory"] as? String == "Aix-Marseille")
        // 40,000 jobs are 55 % of the region's: 40,000 / 0.55, rounded down, is the region's figure.
        let regional = try #require(share["regional_jobs"] as? Int)
        #expect(regional == Int(40_000.0 / 0.55))
        #expect(share["reported_jobs"] as? Int == 40_000)
        #expect(share["reported_share"] as? Double == 0.55)
        #expect(((Double(40_000) / Double(regional)) * 100).rounded() == 55)
        #expect(share["registered_jobs"] as? Int == 0)
        #expect(share["share"] as? Double == 0)
        let table = try ws.ok(["stats", "regional-share"])
        #expect(table.contains("reported share                 55.0 %"))
        #expect(table.contains("regional jobs                  72727"))
    }

    @Test func jobsBySectorMatchesFiguresFromTheRawTables() throws {
        try fillRegistry(ws)
        let keys = ["sector", "firms", "jobs", "share", "unknown_headcount"]
        expectRows(try ws.json(["stats", "jobs-by-sector"]), try expectedSectors(ws, where: "True", excludeSynthetic: false), keys: keys)
        expectRows(try ws.json(["stats", "jobs-by-sector", "--exclude-synthetic"]),
                   try expectedSectors(ws, where: "source != 'synthetic'", excludeSynthetic: true), keys: keys)
        expectRows(try ws.json(["stats", "jobs-by-sector", "--accelerator", "jaguar"]),
                   try expectedSectors(ws, where: "'Jaguar' in programmes", excludeSynthetic: false), keys: keys)
        expectRows(try ws.json(["stats", "jobs-by-sector", "--city", "marseille", "--exclude-synthetic"]),
                   try expectedSectors(ws, where: "(city or '').lower() == 'marseille' and source != 'synthetic'", excludeSynthetic: true), keys: keys)
        // The firms counted under --city are those `startup list --city` lists.
        let listed = try #require(try ws.json(["startup", "list", "--city", "marseille"]) as? [[String: Any]])
        let counted = try #require(try ws.json(["stats", "jobs-by-sector", "--city", "marseille"]) as? [[String: Any]])
        #expect(counted.compactMap { $0["firms"] as? Int }.reduce(0, +) == listed.count)
    }

    @Test func byAcceleratorByCityAndSummaryMatchTheRawTables() throws {
        try fillRegistry(ws)
        let accelerators = try pythonJSON("""
            rows = con.execute('''SELECT a.name, s.employees, s.revenue_eur, s.id FROM accelerators a
                                  LEFT JOIN memberships m ON m.accelerator_id = a.id LEFT JOIN startups s ON s.id = m.startup_id''').fetchall()
            out = {}
            for name, employees, revenue, sid in rows:
                e = out.setdefault(name, {"accelerator": name, "firms": 0, "jobs": 0, "revenue_eur": 0})
                if sid is not None:
                    e["firms"] += 1; e["jobs"] += employees or 0; e["revenue_eur"] += revenue or 0
            print(json.dumps(sorted(out.values(), key=lambda e: (-e["jobs"], e["accelerator"].lower()))))
            """, ws.db)
        expectRows(try ws.json(["stats", "by-accelerator"]), accelerators, keys: ["accelerator", "firms", "jobs", "revenue_eur"])

        let cities = try pythonJSON("""
            out = {}
            for city, employees in con.execute("SELECT city, employees FROM startups"):
                e = out.setdefault(city.lower() if city else None, {"firms": 0, "jobs": 0})
                e["firms"] += 1; e["jobs"] += employees or 0
            print(json.dumps([{"city": k, **v} for k, v in out.items()]))
            """, ws.db)
        let byCity = try #require(try ws.json(["stats", "by-city"]) as? [[String: Any]])
        let expected = try #require(cities as? [[String: Any]])
        #expect(byCity.count == expected.count)
        for row in byCity {
            let key = (row["city"] as? String)?.lowercased()
            let want = try #require(expected.first { ($0["city"] as? String) == key })
            #expect(row["firms"] as? Int == want["firms"] as? Int && row["jobs"] as? Int == want["jobs"] as? Int)
        }
        #expect(byCity.compactMap { $0["jobs"] as? Int } == byCity.compactMap { $0["jobs"] as? Int }.sorted(by: >))

        let summary = try pythonJSON("""
            one = lambda sql: con.execute(sql).fetchone()[0]
            print(json.dumps({"startups": one("SELECT count(*) FROM startups"), "accelerators": one("SELECT count(*) FROM accelerators"),
                              "partners": one("SELECT count(*) FROM partners"), "sectors": one("SELECT count(*) FROM sectors"),
                              "jobs": one("SELECT total(employees) FROM startups"), "revenue_eur": one("SELECT total(revenue_eur) FROM startups"),
                              "unknown_headcount": one("SELECT count(*) FROM startups WHERE employees IS NULL")}))
            """, ws.db)
        let mine = try #require(try ws.json(["stats", "summary"]) as? [String: Any])
        let want = try #require(summary as? [String: Any])
        for key in want.keys { #expect((mine[key] as? NSNumber)?.doubleValue == (want[key] as? NSNumber)?.doubleValue, "\(key)") }
    }

    @Test func everyStatisticTakesExcludeSynthetic() throws {
        try fillRegistry(ws)
        for command in [["jobs-by-sector"], ["regional-share", "--by", "sector"], ["by-accelerator"], ["by-city"], ["summary"]] {
            let all = try ws.ok(["stats"] + command + ["--format", "json"])
            let real = try ws.ok(["stats"] + command + ["--format", "json", "--exclude-synthetic"])
            #expect(all != real, "\(command): synthetic rows should change the figures")
            #expect(!real.contains("Toulon"))
        }
        let summary = try #require(try ws.json(["stats", "summary", "--exclude-synthetic"]) as? [String: Any])
        #expect(summary["startups"] as? Int == 6)
    }

    @Test func territorySetMovesTheShareAndRefusesUnknownNames() throws {
        try fillRegistry(ws)
        try ws.ok(["territory", "set", "PACA", "--digital-jobs", "80000", "--year", "2016", "--source", "test figure"])
        let share = try #require(try ws.json(["stats", "regional-share", "--by", "sector"]) as? [String: Any])
        let registered = try #require((try pythonJSON("print(json.dumps([con.execute('SELECT total(employees) FROM startups').fetchone()[0]]))", ws.db) as? [Double])?.first)
        #expect(share["regional_jobs"] as? Int == 80_000)
        #expect(share["regional_jobs_derived"] as? Bool == false)
        #expect(share["registered_jobs"] as? Int == Int(registered))
        #expect(abs((share["share"] as? Double ?? -1) - registered / 80_000) < 1e-12)
        #expect(share["reported_share"] as? Double == 0.55)
        let sectors = try #require(share["sectors"] as? [[String: Any]])
        #expect(sectors.compactMap { $0["jobs"] as? Int }.reduce(0, +) == Int(registered))

        let before = try ws.snapshot()
        let unknown = try ws.run(["territory", "set", "Aix-Marseile", "--digital-jobs", "1"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("did you mean 'Aix-Marseille'"))
        let negative = try ws.run(["territory", "set", "PACA", "--digital-jobs=-5"])
        #expect(negative.status == 65)
        #expect(try ws.snapshot() == before)

        try ws.ok(["territory", "set", "Toulon", "--level", "metropolis", "--parent", "PACA", "--digital-jobs", "9000"])
        let names = try #require(try ws.json(["territory", "list"]) as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names.contains("Toulon"))
        #expect(try ws.run(["stats", "regional-share"]).status == 65)  // two territories now: choose one
        let toulon = try #require(try ws.json(["stats", "regional-share", "--territory", "toulon"]) as? [String: Any])
        #expect(toulon["reported_jobs"] as? Int == 9000)
    }

    @Test func chartDrawsAlignedBarsScaledToTheWidth() throws {
        try fillRegistry(ws)
        let result = try ws.run(["stats", "jobs-by-sector", "--chart"], environment: ["COLUMNS": "60"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let figures = try #require(try ws.json(["stats", "jobs-by-sector"]) as? [[String: Any]])
        #expect(lines.count == figures.count)
        let eighths: [Character: Int] = ["█": 8, "▉": 7, "▊": 6, "▋": 5, "▌": 4, "▍": 3, "▎": 2, "▏": 1]
        var starts = Set<Int>()
        var lengths: [Int] = []
        for (line, figure) in zip(lines, figures) {
            #expect(line.count <= 60, "\(line) is wider than the terminal")
            #expect(line.hasPrefix(figure["sector"] as? String ?? "?"))
            if let start = line.firstIndex(where: { eighths[$0] != nil }) { starts.insert(line.distance(from: line.startIndex, to: start)) }
            lengths.append(line.reduce(0) { $0 + (eighths[$1] ?? 0) })
        }
        #expect(starts.count == 1, "bars start in one column")
        let jobs = figures.compactMap { $0["jobs"] as? Int }
        let longest = try #require(lengths.max())
        #expect(lengths.first == longest)
        for (length, value) in zip(lengths, jobs) {
            // Each bar is its value's fraction of the longest, to the eighth of a cell (a value above 0 shows).
            let exact = Double(value) / Double(jobs[0]) * Double(longest)
            #expect(abs(Double(length) - exact) <= 1 || (value > 0 && length == 1), "bar of \(value) jobs")
        }
        let json = try ws.run(["stats", "jobs-by-sector", "--chart", "--format", "json"])
        #expect(json.status == 64 && json.stdout.isEmpty)
    }
}
