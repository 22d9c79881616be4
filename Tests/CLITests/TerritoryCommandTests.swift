import Foundation
import Testing

/// `territory set`: the notes follow the figures.
@Suite struct TerritoryCommand {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }


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
}
