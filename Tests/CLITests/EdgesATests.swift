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
}
