import Foundation
import Testing

/// "Nothing lost, nothing let through", through the real binary: every value the rules accept can be stored and
/// used again; every value they refuse is refused with one `error:` line and exit 65, the file unchanged; what
/// other tools wrote is reported by `check` and shown safely.
@Suite struct HardeningRulesCLI {
    let ws: Workspace

    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    /// Runs a command that must be refused: exit 65, one `error:` line holding each of `mentions` (for an import,
    /// the bad row's line and the total's), every row unchanged.
    func refused(_ arguments: [String], input: Data? = nil, mentioning mentions: [String],
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try ws.snapshot()
        let result = try ws.run(arguments, input: input)
        #expect(result.status == 65, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = arguments.first == "import" ? 2 : 1
        #expect(lines.count == expectedLines + 1 && lines.last == "" && lines.dropLast().allSatisfy { $0.hasPrefix("error: ") },
                "\(result.stderr)", sourceLocation: sourceLocation)
        for mention in mentions {
            #expect(result.stderr.contains(mention), "\(result.stderr) lacks \(mention)", sourceLocation: sourceLocation)
        }
        #expect(try ws.snapshot() == before, sourceLocation: sourceLocation)
    }

    func csv(_ text: String) -> Data { Data(text.utf8) }

    // MARK: 3. The rules and the schema agree

    @Test func aNameIsCountedInCodePointsAsTheSchemasCheck() throws {
        let long = String(repeating: "e\u{301}", count: 150)  // 150 characters, 300 code points
        try refused(["startup", "add", "--name", long, "--sector", "NFC"], mentioning: ["invalid name", "at most 200", "300"])
        try refused(["import", "startups", "-"], input: csv("name,sector\n\(long),NFC\n"), mentioning: ["line 2", "at most 200"])
        try refused(["sector", "add", long], mentioning: ["invalid sector", "at most 200"])
        // At the limit: stored, then updated, and the schema agrees (Python's sqlite3 counts the code points).
        let atLimit = String(repeating: "e\u{301}", count: 100)
        try ws.ok(["startup", "add", "--name", atLimit, "--sector", "NFC"])
        try ws.ok(["startup", "update", atLimit, "--employees", "3"])
        #expect(try pythonScalar(ws.db, "SELECT length(name) FROM startups") == "200")
        #expect(try ws.run(["check"]).status == 0)
    }

    @Test func figuresBeyondAnyFirmAreRefusedSoThatStatisticsAlwaysAddUp() throws {
        for (option, value, bound) in [("--employees", "9223372036854775807", "1,000,000"), ("--employees", "1000001", "1,000,000"),
                                       ("--revenue", "100000000001", "100,000,000,000")] {
            try refused(["startup", "add", "--name", "Huge", "--sector", "NFC", option, value],
                        mentioning: ["invalid", value, "at most \(bound)"])
        }
        try refused(["import", "startups", "-"], input: csv("name,sector,employees\nHuge,NFC,9223372036854775807\n"),
                    mentioning: ["line 2", "employees"])
        try refused(["territory", "set", "PACA", "--digital-jobs", "9223372036854775807"], mentioning: ["digital jobs", "at most"])
        try refused(["territory", "set", "PACA", "--revenue", "10000000000001"], mentioning: ["revenue", "at most"])
        // Many firms at the bounds: every statistic still answers, and the totals are integers Python reads back.
        var rows = "name,sector,employees,revenue_eur\n"
        for n in 1...1_200 { rows += "Max \(n),NFC,1000000,100000000000\n" }
        try ws.ok(["import", "startups", "-"], input: csv(rows))
        try ws.ok(["startup", "add", "--name", "One More", "--sector", "NFC", "--employees", "1 000 000", "--revenue", "100000000000", "--city", "x"])
        try ws.ok(["startup", "update", "One More", "--sector", "big data"])
        for statistic in [["jobs-by-sector"], ["jobs-by-sector", "--city", "x"], ["regional-share", "--by", "sector"],
                          ["by-accelerator"], ["by-city"], ["summary"]] {
            try ws.ok(["stats"] + statistic + ["--format", "json"])
        }
        #expect(try pythonScalar(ws.db, "SELECT typeof(sum(jobs)) || ' ' || sum(jobs) FROM sector_totals") == "integer 1201000000")
        #expect(try ws.run(["check"]).status == 0)
    }

    @Test func checkReportsWhatAnotherToolWroteByTableIdAndField() throws {
        try python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            sector = con.execute("SELECT id FROM sectors WHERE name = 'NFC'").fetchone()[0]
            con.execute("INSERT INTO startups (id, name, name_key, siren, sector_id, employees, source) VALUES (41, 'Bad Siren', 'bad siren', '123456789', ?, 5000000, 'sqlite-utils')", (sector,))
            con.execute("INSERT INTO partners (id, name, kind, role, source) VALUES (42, 'Bell', 'other', 'ring' || char(7), 'script')")
            con.commit()
            """, [ws.db])
        let result = try ws.run(["check", "--format", "csv"])
        #expect(result.status == 1)
        #expect(isOneErrorLine(result.stderr) && result.stderr.contains("rules"))
        let rules = try #require(result.stdout.split(separator: "\r\n").first { $0.hasPrefix("rules,") })
        #expect(rules.contains("3 values break the rules"))
        for mention in ["startups 41 siren", "startups 41 employees", "partners 42 role"] {
            #expect(rules.contains(mention), "\(rules)")
        }
    }

    // MARK: 7. What reaches a terminal is safe

    @Test func controlCharactersAreRefusedInEveryTextField() throws {
        let hostile = "X\u{1B}[31mRED\u{07}"
        try refused(["sector", "add", "S1", "--description", hostile], mentioning: ["invalid description", "control characters"])
        try refused(["partner", "add", "P1", "--kind", "other", "--role", "two\nlines"], mentioning: ["invalid role"])
        try refused(["partner", "add", "P1", "--kind", "other", "--role", "abc\u{202E}def"], mentioning: ["invalid role", "U+202E"])
        try refused(["territory", "set", "PACA", "--notes", hostile], mentioning: ["invalid notes"])
        try refused(["startup", "add", "--name", "Ok", "--sector", "NFC", "--source", hostile], mentioning: ["invalid source"])
        try refused(["accelerator", "add", "Ok", "--source", "a\u{2028}b"], mentioning: ["invalid source", "line breaks"])
        try refused(["accelerator", "add", "Ok", "--pilot", hostile], mentioning: ["invalid pilot"])
        // The message itself shows the value escaped: nothing raw reaches the terminal through stderr either.
        let result = try ws.run(["sector", "add", "S1", "--description", hostile])
        #expect(!result.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
        #expect(result.stderr.contains("\\u{1B}[31mRED\\u{7}"))
    }

    @Test func tablesShowControlCharactersFromOtherToolsEscaped() throws {
        try python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            con.execute("UPDATE sectors SET description = 'X' || char(27) || '[31mRED' || char(7) || char(10) || 'next' WHERE name = 'NFC'")
            con.execute("INSERT INTO partners (name, kind, role, source) VALUES ('Bidi', 'other', 'abc' || char(8238) || 'fed', 'x')")
            con.commit()
            """, [ws.db])
        let sectors = try ws.ok(["sector", "list"])
        let partners = try ws.ok(["partner", "list"]) + (try ws.ok(["partner", "show", "Bidi"]))
        for text in [sectors, partners] {
            #expect(!text.unicodeScalars.contains { [0x1B, 0x07, 0x202E].contains($0.value) })
        }
        #expect(sectors.contains("X\\u{1B}[31mRED\\u{7}\\u{A}next"))
        #expect(partners.contains("abc\\u{202E}fed"))
        // Error lines too: a reference typed with an escape is echoed escaped.
        let unknown = try ws.run(["startup", "show", "\u{1B}[2J\u{202E}x"])
        #expect(unknown.status == 65 && unknown.stderr.contains("\\u{1B}[2J\\u{202E}x"))
        #expect(!unknown.stderr.unicodeScalars.contains { [0x1B, 0x202E].contains($0.value) })
        // Data formats keep the value as stored (JSON escapes it its own way).
        #expect(try ws.ok(["sector", "list", "--format", "csv"]).contains("X\u{1B}[31mRED\u{07}\nnext"))
    }

    // MARK: 8. Names that look the same are the same firm

    @Test func namesThatLookTheSameAreOneFirm() throws {
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "NFC"])
        try ws.ok(["startup", "add", "--name", "Societe X", "--sector", "NFC"])
        try ws.ok(["startup", "add", "--name", "Zwj", "--sector", "NFC"])
        // Python says which of these are one name once compatibility forms are folded and format characters dropped.
        let twins = ["Ｓociete X", "ＳＯＣＩＥＴＥ X", "Zw\u{200D}j", "Z\u{200B}wj"]
        let same = try python("""
            import sys, unicodedata
            key = lambda s: "".join(c for c in unicodedata.normalize("NFKC", s) if unicodedata.category(c) != "Cf").casefold()
            print(" ".join(str(key(a) in (key("Societe X"), key("Zwj"))) for a in sys.argv[1:]))
            """, twins)
        #expect(same == "True True True True\n")
        try refused(["startup", "add", "--name", twins[0], "--sector", "NFC"], mentioning: ["already exists", "Societe X"])
        try refused(["startup", "add", "--name", twins[1], "--sector", "NFC"], mentioning: ["already exists"])
        try refused(["startup", "add", "--name", twins[2], "--sector", "NFC"], mentioning: ["already exists", "Zwj"])
        try refused(["startup", "add", "--name", twins[3], "--sector", "NFC"], mentioning: ["invisible", "U+200B"])
        try refused(["import", "startups", "-"], input: csv("name,sector\nＳociete X,NFC\n"), mentioning: ["line 2", "already registered"])
        // A Cyrillic а inside a Latin word, a name that shows nothing, a line separator: refused, naming the character.
        try refused(["startup", "add", "--name", "Cаlanques Pay", "--sector", "NFC"],
                    mentioning: ["invalid name", "U+0430", "CYRILLIC SMALL LETTER A", "one alphabet"])
        try refused(["startup", "add", "--name", "\u{3164}", "--sector", "NFC"], mentioning: ["invalid name", "U+3164"])
        try refused(["startup", "add", "--name", "\u{301}\u{301}", "--sector", "NFC"], mentioning: ["invalid name", "visible"])
        try refused(["startup", "add", "--name", "Line\u{2028}Break", "--sector", "NFC"], mentioning: ["invalid name", "U+2028"])
        try refused(["sector", "add", "ｎｆｃ"], mentioning: ["already exists", "NFC"])
        try refused(["accelerator", "add", "ＪＡＧＵＡＲ"], mentioning: ["already exists", "Jaguar"])
        // Whole words in another alphabet, emoji sequences and fullwidth alone remain names of their own.
        try ws.ok(["startup", "add", "--name", "Жук Studio", "--sector", "NFC"])
        try ws.ok(["startup", "add", "--name", "👩‍💻 Studio", "--sector", "NFC"])
        try ws.ok(["startup", "add", "--name", "Ｆｕｌｌ", "--sector", "NFC"])
        #expect(try ws.ok(["startup", "show", "full", "--format", "json"]).contains("Ｆｕｌｌ"))
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM startups") == "6")
    }

    /// A registry whose keys were made by the earlier definition (case and accents only, as main wrote them:
    /// Python writes the rows, and the header's mark is cleared): the first command that writes recomputes them.
    @Test func aRegistryWithEarlierKeysIsRekeyedOnOpening() throws {
        try python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            sector = con.execute("SELECT id FROM sectors WHERE name = 'NFC'").fetchone()[0]
            con.execute("INSERT INTO startups (name, name_key, sector_id, source) VALUES ('Ｓociete X', 'ｓociete x', ?, 'before')", (sector,))
            con.execute("PRAGMA application_id = 0")
            con.commit()
            """, [ws.db])
        // Any command that opens it for writing, a listing included, recomputes the keys once, in one transaction.
        try ws.ok(["startup", "list"])
        try refused(["startup", "add", "--name", "Societe X", "--sector", "NFC"], mentioning: ["already exists", "Ｓociete X"])
        #expect(try pythonScalar(ws.db, "SELECT name_key FROM startups") == "societe x")
        #expect(try ws.ok(["startup", "show", "societe x"]).contains("Ｓociete X"))
        #expect(try ws.run(["check"]).status == 0)
    }

    // MARK: 9. Round trips are exact

    @Test func programmeNamesACSVCellCannotHoldAreRefused() throws {
        try refused(["accelerator", "add", "Alpha|Beta"], mentioning: ["invalid name", "'|'"])
        try refused(["accelerator", "add", "Lab (2015)"], mentioning: ["invalid name", "cohort"])
        try refused(["accelerator", "update", "Jaguar", "--name", "Jaguar (2016)"], mentioning: ["invalid name", "cohort"])
        try ws.ok(["accelerator", "add", "Lab (Aix)"])
        try ws.ok(["accelerator", "add", "Lab 2015"])
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC", "--accelerator", "Lab (Aix) (2015)", "--accelerator", "Lab 2015"])
        let exported = try ws.ok(["export", "startups"])
        #expect(exported.contains(",Lab (Aix) (2015)|Lab 2015\r\n"))
        let copy = try Workspace()
        try copy.initialise()
        try copy.ok(["accelerator", "add", "Lab (Aix)"])
        try copy.ok(["accelerator", "add", "Lab 2015"])
        try copy.ok(["import", "startups", "-"], input: Data(exported.utf8))
        #expect(try copy.ok(["export", "startups"]) == exported)
    }

    @Test func aFirmListedTwiceInOneProgrammeIsRefused() throws {
        try refused(["import", "startups", "-"], input: csv("name,sector,accelerators\nAlpha,NFC,Jaguar (2015)|Jaguar (2016)\n"),
                    mentioning: ["line 2", "accelerators", "Jaguar (2015)", "Jaguar (2016)", "twice"])
        try refused(["import", "startups", "-"], input: csv("name,sector,accelerators\nAlpha,NFC,Kedge|kedge\n"), mentioning: ["twice"])
        try refused(["startup", "add", "--name", "Alpha", "--sector", "NFC", "--accelerator", "Jaguar", "--accelerator", "JAGUAR (2016)"],
                    mentioning: ["twice"])
        try ws.ok(["startup", "add", "--name", "Alpha", "--sector", "NFC"])
        try refused(["startup", "update", "Alpha", "--accelerator", "Kedge (2015)", "--accelerator", "Kedge"], mentioning: ["twice"])
    }
}
