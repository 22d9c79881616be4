import Foundation
import Testing

/// Rough edges a newcomer meets: options that did nothing, a SIRET that changed a firm, a note left behind by
/// its figure, booleans shown as 1, numbers in scientific notation, help that read wrong. Through the real
/// binary; the registry read back with Python's sqlite3.
@Suite struct EdgesA {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    func refused(_ arguments: [String], status: Int32, mentioning words: [String],
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try ws.snapshot()
        let result = try ws.run(arguments)
        #expect(result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(isOneErrorLine(result.stderr), "\(result.stderr)", sourceLocation: sourceLocation)
        for word in words { #expect(result.stderr.contains(word), "\(result.stderr)", sourceLocation: sourceLocation) }
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(try ws.snapshot() == before, sourceLocation: sourceLocation)
    }

    // MARK: 1. --cohort alone, missing required options

    @Test func cohortWithoutAcceleratorIsAUsageError() throws {
        try refused(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce", "--cohort", "2015"],
                    status: 64, mentioning: ["--cohort", "--accelerator"])
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce"])
        try refused(["startup", "update", "Calanques Pay", "--cohort", "2015"], status: 64,
                    mentioning: ["--cohort", "--accelerator", "startup join"])
        // With the programme, the cohort is kept.
        try ws.ok(["startup", "update", "Calanques Pay", "--accelerator", "Jaguar", "--cohort", "2015"])
        #expect(try pythonScalar(ws.db, "SELECT cohort FROM memberships") == "2015")
    }

    @Test func missingRequiredOptionsAreUsageErrors() throws {
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce"])
        try refused(["startup", "join", "Calanques Pay"], status: 64, mentioning: ["--accelerator"])
        try refused(["startup", "join", "Calanques Pay", "--cohort", "2015"], status: 64, mentioning: ["--accelerator"])
        try refused(["startup", "leave", "Calanques Pay"], status: 64, mentioning: ["--accelerator"])
        try refused(["startup", "show"], status: 64, mentioning: ["reference"])
    }

    // MARK: 2. A SIRET never silently changes the SIREN

    @Test func siretOfAnotherFirmIsRefusedWithoutSiren() throws {
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "e-commerce", "--siren", "552100554"])
        // 732 829 320 00074 is an establishment of another firm (SIREN 732829320).
        try refused(["startup", "update", "Calanques Pay", "--siret", "73282932000074"], status: 65,
                    mentioning: ["732829320", "552100554", "--siren"])
        #expect(try pythonScalar(ws.db, "SELECT siren FROM startups") == "552100554")
        #expect(try pythonScalar(ws.db, "SELECT siret FROM startups") == "None")
        // Given with a SIREN that disagrees: the existing rule.
        try refused(["startup", "update", "Calanques Pay", "--siret", "73282932000074", "--siren", "552100554"],
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

    // MARK: 3. Notes follow the figures

    static let paca = "SELECT %@ FROM territories WHERE name LIKE '%(PACA)'"
    func paca(_ column: String) throws -> String {
        try pythonScalar(ws.db, Self.paca.replacingOccurrences(of: "%@", with: column))
    }

    @Test func givenFigureDropsTheDerivationNote() throws {
        #expect(try paca("derived") == "1")
        #expect(try paca("notes").contains("derived from the article"))
        try ws.ok(["territory", "set", "PACA", "--digital-jobs", "80000"])
        #expect(try paca("digital_jobs || ' ' || derived") == "80000 0")
        #expect(try paca("notes") == "None")
    }

    @Test func notesGivenWithTheFigureAreKept() throws {
        try ws.ok(["territory", "set", "PACA", "--digital-jobs", "80000", "--notes", "INSEE 2016, table 3"])
        #expect(try paca("notes") == "INSEE 2016, table 3")
    }

    @Test func notesOfAGivenFigureStay() throws {
        let query = "SELECT notes FROM territories WHERE name = 'Aix-Marseille'"
        let before = try pythonScalar(ws.db, query)
        #expect(before.contains("40,000 private digital jobs"))
        try ws.ok(["territory", "set", "Aix-Marseille", "--digital-jobs", "41000"])
        #expect(try pythonScalar(ws.db, query) == before)
        // A figure other than the derived one leaves the derivation note.
        try ws.ok(["territory", "set", "PACA", "--firms", "12000"])
        #expect(try paca("notes").contains("derived from the article"))
    }

    // MARK: 4. Booleans and reals

    @Test func booleansReadAsYesNoAndTrueFalse() throws {
        let derived = try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for (d,) in con.execute("SELECT derived FROM territories ORDER BY id"): print("true" if d else "false")
            """, [ws.db]).split(separator: "\n").map(String.init)
        #expect(derived.contains("true") && derived.contains("false"))
        let json = try ws.ok(["territory", "list", "--format", "json"])
        for value in Set(derived) { #expect(json.contains("\"derived\":\(value)")) }
        #expect(!json.contains("\"derived\":1") && !json.contains("\"derived\":0"))
        let table = try ws.ok(["territory", "list"])
        #expect(table.contains("yes") && table.contains("no"))
        let csv = try ws.ok(["territory", "list", "--format", "csv"])
        #expect(csv.contains(",true,") && csv.contains(",false,"))
        let share = try ws.ok(["stats", "regional-share", "--format", "json"])
        #expect(share.contains("\"regional_jobs_derived\":true"))
    }

    @Test func realsAreWrittenAsPlainDecimals() throws {
        let sql = "SELECT 0.00001 AS small, 1e20 AS large, -2.5e-7 AS negative, 0.55 AS share"
        let csv = try ws.ok(["sql", sql, "--format", "csv"])
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines == ["small,large,negative,share", "0.00001,100000000000000000000.0,-0.00000025,0.55"])
        let table = try ws.ok(["sql", sql])
        #expect(table.contains("0.00001") && table.contains("-0.00000025") && !table.contains("e-"))
        // Python reads the CSV's numbers back as the same values.
        let back = try python("""
            import sys
            print(list(map(float, sys.argv[1].split(","))) == [0.00001, 1e20, -2.5e-7, 0.55])
            """, [lines[1]])
        #expect(back.trimmingCharacters(in: .whitespacesAndNewlines) == "True")
    }

    // MARK: 5. Help that reads right

    @Test func helpTexts() throws {
        // Help as one line of words, whatever width swift-argument-parser wrapped it to.
        func help(_ arguments: [String]) throws -> String {
            let result = try ws.run(arguments + ["--help"], useDB: false)
            #expect(result.status == 0)
            return result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let raw = try ws.run(["startup", "add", "--help"], useDB: false).stdout
        #expect(!raw.contains("\\\n") && !raw.contains("\\ "))
        let add = try help(["startup", "add"])
        #expect(add.components(separatedBy: "(default: manual entry)").count == 2)
        // Values listed once, by swift-argument-parser, not also in the text before them.
        #expect(!add.contains("ndjson. (values"))
        #expect(add.contains("Cohort year of the enrolment (needs --accelerator)."))
        let export = try help(["export", "startups"])
        #expect(!export.contains("name (the default)") && export.contains("id for an export"))
        #expect(!(try help(["partner", "add"])).contains("or other. (values"))
        let importHelp = try help(["import", "startups"])
        #expect(!importHelp.contains(",, ;") && importHelp.contains("(values: comma, semicolon)"))
        #expect(!(try help(["territory", "list"])).contains("derived = 1"))
    }

    @Test func delimiterByNameOrCharacter() throws {
        for delimiter in [";", "semicolon"] {
            let ws = try Workspace()
            try ws.initialise()
            let file = ws.path("firms.csv")
            try "name;sector\nCalanques Pay;e-commerce\n".write(toFile: file, atomically: true, encoding: .utf8)
            try ws.ok(["import", "startups", file, "--delimiter", delimiter])
            #expect(try pythonScalar(ws.db, "SELECT name FROM startups") == "Calanques Pay")
        }
        try refused(["import", "startups", "x.csv", "--delimiter", "|"], status: 64, mentioning: ["delimiter"])
    }

    // MARK: 6. Tables fit the terminal

    @Test func tablesFitColumnsAndWideShowsAll() throws {
        let sources = try python("""
            import sqlite3, sys
            con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for (s,) in con.execute("SELECT DISTINCT source FROM partners"): print(s)
            """, [ws.db]).split(separator: "\n").map(String.init)
        let source = try #require(sources.first)
        #expect(source.count > 80)
        let fitted = try ws.run(["partner", "list"], environment: ["COLUMNS": "80"])
        #expect(fitted.status == 0)
        let lines = fitted.stdout.split(separator: "\n")
        // Characters, not bytes: the names hold accents and the cut ends in "…" (each one column).
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.map(\.count))")
        #expect(fitted.stdout.contains("…") && !fitted.stdout.contains(source))
        #expect(fitted.stdout.contains("5 partners"))
        // Numbers are never cut.
        #expect(lines.dropFirst(2).prefix(5).allSatisfy { $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true })
        let wide = try ws.run(["partner", "list", "--wide"], environment: ["COLUMNS": "80"])
        #expect(wide.status == 0 && wide.stdout.contains(source))
        // In a pipe without $COLUMNS the rows go whole to the reader.
        #expect(try ws.ok(["partner", "list"]).contains(source))
    }
}
