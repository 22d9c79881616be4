import Foundation
import Testing

/// What every command's output looks like: booleans as yes/no and true/false, reals written out, tables fitted to
/// the terminal (`--wide` for all).
@Suite struct OutputFormat {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

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
