import CSVStream
import FoundationEssentials
import Persistence
@testable import Registry
import Synchronization
import Testing

/// Luhn's check digit computed left to right with a table of doubled digits: written apart from the code under test.
func luhnCompleted(_ stem: String) -> String {
    let doubled = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]
    let digits = stem.compactMap(\.wholeNumberValue)
    var total = 0
    for (index, digit) in digits.enumerated() {
        // Once the check digit is appended, the stem's last digit is second from the right: doubled.
        total += (digits.count - index) % 2 == 1 ? doubled[digit] : digit
    }
    return stem + String((10 - total % 10) % 10)
}

/// Every row of the tables an import writes, to prove a refused import changed nothing.
func contents(_ store: RegistryStore) throws -> [[SQLValue]] {
    try ["startups", "memberships", "sectors"].flatMap { table in
        try store.db.rows("SELECT * FROM \(table) ORDER BY 1, 2").map(\.values)
    }
}

func importCSV(_ store: RegistryStore, _ text: String, options: ImportOptions = ImportOptions(source: "import: test.csv"),
               delimiter: UInt8? = nil) throws -> ImportSummary {
    try importBytes(store, Array(text.utf8), options: options, delimiter: delimiter)
}

/// Imports, then holds the registry to SQLite's own checks: the import does not have SQLite check the schema's
/// CHECK constraints and foreign keys row by row, so every import of these tests proves it needed not.
func importBytes(_ store: RegistryStore, _ bytes: [UInt8], options: ImportOptions = ImportOptions(source: "import: test.csv"),
                 delimiter: UInt8? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> ImportSummary {
    let summary = try store.importStartups(from: CSVReader(bytes: bytes, delimiter: delimiter), options: options)
    #expect(try store.db.scalar("PRAGMA integrity_check") == .text("ok"), sourceLocation: sourceLocation)
    #expect(try store.db.rows("PRAGMA foreign_key_check").isEmpty, sourceLocation: sourceLocation)
    return summary
}

/// The ImportError an import throws, or a test failure.
func importFailure(_ store: RegistryStore, _ bytes: [UInt8], options: ImportOptions = ImportOptions(source: "import: test.csv"),
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> ImportError {
    do {
        _ = try importBytes(store, bytes, options: options)
    } catch let error as ImportError {
        return error
    }
    Issue.record("the import succeeded", sourceLocation: sourceLocation)
    return ImportError(rows: [], total: 0)
}

@Suite struct ImportTests {
    let store: RegistryStore
    init() throws { store = try RegistryStore(path: ":memory:", createIfMissing: true) }

    func row(_ sql: String, _ values: [SQLValue] = []) throws -> [SQLValue] {
        try #require(try store.db.rows(sql, values).first).values
    }

    @Test func columnsInAnyOrderAndTheRulesOfStartupAdd() throws {
        let siren = luhnCompleted("01234567")  // a leading zero that must survive
        let text = "city,accelerators,Name,siren,sector,naf_code,employees,founded,revenue_eur,siret\n"
            + "Marseille,StarDust | jaguar,  Calanques Pay ,\(siren.prefix(3)) \(siren.dropFirst(3).prefix(3)) \(siren.suffix(3)),E-COMMERCE,0111z,1 200,2013,1500000,\n"
        let summary = try importCSV(store, text)
        #expect(summary == ImportSummary(rows: 1, inserted: 1, updated: 0))
        let stored = try row("""
            SELECT s.name, s.siren, s.siret, sec.name, s.naf_code, s.city, s.employees, s.founded, s.revenue_eur, s.source
            FROM startups s JOIN sectors sec ON sec.id = s.sector_id
            """)
        #expect(stored == [.text("Calanques Pay"), .text(siren), .null, .text("e-commerce"), .text("01.11Z"), .text("Marseille"),
                           .integer(1200), .integer(2013), .integer(1_500_000), .text("import: test.csv")])
        let programmes = try store.db.rows("SELECT a.name FROM memberships m JOIN accelerators a ON a.id = m.accelerator_id ORDER BY a.name")
        #expect(programmes.map(\.values) == [[.text("Jaguar")], [.text("StarDust")]])
    }

    @Test func spreadsheetExportsAsPeopleSendThem() throws {
        // A French spreadsheet: byte order mark, semicolons, CRLF, quoted fields holding ; and quotes, empty cells.
        let text = "\u{FEFF}name;sector;siren;city;employees\r\n"
            + "\"Massilia; Data\";big data;;\"Aix-en-Provence\";\r\n"
            + "\"Le \"\"Lab\"\"\";NFC;\(luhnCompleted("73282932"));;0\r\n"
        #expect(try importCSV(store, text).inserted == 2)
        let rows = try store.db.rows("SELECT name, siren, city, employees FROM startups ORDER BY id").map(\.values)
        #expect(rows == [[.text("Massilia; Data"), .null, .text("Aix-en-Provence"), .null],
                         [.text("Le \"Lab\""), .text(luhnCompleted("73282932")), .null, .integer(0)]])
    }

    @Test func oneInvalidRowAndNothingIsWritten() throws {
        try importCSV(store, "name,sector\nAlready There,NFC\n")
        let before = try contents(store)
        let text = "name,sector,siren,employees,founded,accelerators\n"
            + "Good One,NFC,,3,2010,\n"
            + "Bad Siren,NFC,123456789,,,\n"
            + "Bad Count,NFC,,-4,,\n"
            + "Bad Year,nfc,,,1700,\n"
            + "No Sector,,,,,\n"
            + "Unknown Programme,NFC,,,,Nowhere\n"
        let failure = try importFailure(store, Array(text.utf8))
        #expect(failure.total == 5)
        #expect(failure.rows.map(\.line) == [3, 4, 5, 6, 7])
        #expect(failure.rows[0].description.hasPrefix("line 3: invalid siren '123456789': "))
        #expect(failure.rows[1].description.hasPrefix("line 4: invalid employees '-4': "))
        #expect(failure.rows[2].description.hasPrefix("line 5: invalid founded '1700': "))
        #expect(failure.rows[3].description.hasPrefix("line 6: invalid sector '': "))
        #expect(failure.rows[4].description.contains("Nowhere"))
        #expect(try contents(store) == before)
    }

    @Test func listsTheFirstTwentyBadRowsAndCountsAll() throws {
        let text = "name,sector\n" + (1...45).map { "Firm \($0),\($0.isMultiple(of: 3) ? "no such sector" : "NFC")" }.joined(separator: "\n")
        let failure = try importFailure(store, Array(text.utf8))
        let bad = (1...45).filter { $0.isMultiple(of: 3) }
        #expect(failure.total == bad.count)
        #expect(failure.rows.map(\.line) == bad.prefix(20).map { $0 + 1 })
        #expect(failure.rows[0].error?.remedies.last == .newSectors)  // worded "(or import with --new-sectors)" by the CLI
        #expect(try store.db.scalar("SELECT count(*) FROM startups") == .integer(0))
    }

    @Test func duplicatesWithinTheFileNameBothLines() throws {
        let siren = luhnCompleted("55210055")
        let text = "name,sector,siren\nAlpha,NFC,\(siren)\nBeta,NFC,\nALPHA,NFC,\nGamma,NFC,\(siren)\n"
        let failure = try importFailure(store, Array(text.utf8))
        #expect(failure.rows.map(\.line) == [4, 5])
        #expect(failure.rows[0].message.contains("also on line 2"))
        #expect(failure.rows[1].message.contains("SIREN \(siren) is also on line 2"))
    }

    @Test func aRepeatedSiretIsReportedAsItsSirenInABulkLoad() throws {
        // Past `minimumBulkRows`: the duplicate is found when the unique indexes are built again.
        let count = StartupLoad.minimumBulkRows + 500, last = count - 10
        let rows = (1...count).map { "Firm \($0),NFC,\($0 == last || $0 == 7 ? "73282932000074" : "")" }
        let failure = try importFailure(store, Array(("name,sector,siret\n" + rows.joined(separator: "\n")).utf8))
        #expect(failure.total == 1)
        #expect(failure.rows.map(\.line) == [last + 1])
        #expect(failure.rows[0].message.contains("SIREN 732829320 is also on line 8"))
        #expect(try store.db.scalar("SELECT count(*) FROM startups") == .integer(0))
    }

    @Test func programmesCarryTheirCohortInBrackets() throws {
        let text = "name,sector,accelerators\nAlpha,NFC,Jaguar (2015)| kedge ( 2013 ) |gemalto\nBeta,NFC,Jaguar(2016)\n"
        try importCSV(store, text)
        let rows = try store.db.rows("""
            SELECT s.name, a.name, m.cohort FROM memberships m JOIN startups s ON s.id = m.startup_id
            JOIN accelerators a ON a.id = m.accelerator_id ORDER BY s.name, a.name COLLATE NOCASE
            """).map(\.values)
        #expect(rows == [[.text("Alpha"), .text("gemalto"), .null], [.text("Alpha"), .text("Jaguar"), .integer(2015)],
                         [.text("Alpha"), .text("Kedge"), .integer(2013)], [.text("Beta"), .text("Jaguar"), .integer(2016)]])
    }

    @Test func aBadCohortOrProgrammeInBracketsIsRefusedByLine() throws {
        let before = try contents(store)
        let text = "name,sector,accelerators\nAlpha,NFC,Jaguar (1700)\nBeta,NFC,Jaguar (soon)\nGamma,NFC,Nowhere (2015)\nDelta,NFC,Kedge (2014)\n"
        let failure = try importFailure(store, Array(text.utf8))
        #expect(failure.rows.map(\.line) == [2, 3, 4])
        #expect(failure.rows[0].description.hasPrefix("line 2: invalid cohort '1700': "))
        #expect(failure.rows[1].description.hasPrefix("line 3: invalid cohort 'soon': "))
        #expect(failure.rows[2].message.contains("'Nowhere (2015)'"))
        #expect(try contents(store) == before)
    }

    @Test func aRegisteredStartupIsRefusedUnlessUpserting() throws {
        let siren = luhnCompleted("55210055")
        try importCSV(store, "name,sector,siren,city,employees\nAlpha,NFC,\(siren),Marseille,4\nBeta,NFC,,Aubagne,7\n")
        let before = try contents(store)
        let update = "name,sector,siren,employees,accelerators\nAlpha Renamed,big data,\(siren),,Jaguar\nbeta,NFC,,8,\nGamma,NFC,,1,\n"
        let failure = try importFailure(store, Array(update.utf8))
        #expect(failure.rows.map(\.line) == [2, 3])
        #expect(failure.rows[0].message.contains("already registered (Alpha, id 1)"))
        #expect(failure.rows[0].error?.remedies == [.upsert])  // worded "use --upsert" by the CLI (CLI tests)
        #expect(try contents(store) == before)

        let summary = try importCSV(store, update, options: ImportOptions(source: "import: b.csv", upsert: true))
        #expect(summary == ImportSummary(rows: 3, inserted: 1, updated: 2))
        let rows = try store.db.rows("""
            SELECT s.id, s.name, sec.name, s.city, s.employees, s.source FROM startups s JOIN sectors sec ON sec.id = s.sector_id ORDER BY s.id
            """).map(\.values)
        // By SIREN: renamed, moved, headcount cleared (empty cell), city kept (no column); by name: Beta.
        #expect(rows == [
            [.integer(1), .text("Alpha Renamed"), .text("big data"), .text("Marseille"), .null, .text("import: test.csv")],
            [.integer(2), .text("beta"), .text("NFC"), .text("Aubagne"), .integer(8), .text("import: test.csv")],
            [.integer(3), .text("Gamma"), .text("NFC"), .null, .integer(1), .text("import: b.csv")],
        ])
        #expect(try store.db.scalar("SELECT count(*) FROM memberships WHERE startup_id = 1") == .integer(1))
    }

    @Test func upsertStillRefusesTheSameFirmTwiceInOneFile() throws {
        try importCSV(store, "name,sector\nAlpha,NFC\n")
        let text = "name,sector,employees\nAlpha,NFC,1\nNew,NFC,2\nalpha,NFC,3\nNEW,NFC,4\n"
        let failure = try importFailure(store, Array(text.utf8), options: ImportOptions(source: "x", upsert: true))
        #expect(failure.rows.map(\.line) == [4, 5])
        #expect(failure.rows.allSatisfy { $0.message.contains("also on line \($0.line - 2)") })
    }

    @Test func newSectorsOnlyWhenAsked() throws {
        let text = "name,sector\nAlpha,fintech\nBeta,FINTECH\nGamma,NFC\n"
        #expect(try importFailure(store, Array(text.utf8)).rows.map(\.line) == [2, 3])
        let summary = try importCSV(store, text, options: ImportOptions(source: "import: s.csv", newSectors: true))
        #expect(summary.newSectors == ["fintech"])
        #expect(try row("SELECT name, source FROM sectors WHERE name = 'fintech'") == [.text("fintech"), .text("import: s.csv")])
        #expect(try store.db.scalar("SELECT count(*) FROM startups s JOIN sectors sec ON sec.id = s.sector_id WHERE sec.name = 'fintech'") == .integer(2))
    }

    /// A new sector reaches updated rows as well as inserted ones; a row that fails for another reason still
    /// names its own fault.
    @Test func newSectorsServeUpsertsToo() throws {
        try importCSV(store, "name,sector\nAlpha,NFC\n")
        let text = "name,sector\nalpha,greentech\nBeta,GreenTech\nGamma,\n"
        let failure = try importFailure(store, Array(text.utf8), options: ImportOptions(source: "x", upsert: true, newSectors: true))
        #expect(failure.rows.map(\.line) == [4])
        #expect(failure.rows[0].message.contains("needs a sector"))
        let summary = try importCSV(store, "name,sector\nalpha,greentech\nBeta,GreenTech\n",
                                    options: ImportOptions(source: "x", upsert: true, newSectors: true))
        #expect(summary.newSectors == ["greentech"] && summary.updated == 1 && summary.inserted == 1)
        #expect(try store.db.rows("SELECT s.name, sec.name FROM startups s JOIN sectors sec ON sec.id = s.sector_id ORDER BY s.id").map(\.values)
                == [[.text("alpha"), .text("greentech")], [.text("Beta"), .text("greentech")]])
    }

    @Test func dryRunChecksEverythingAndWritesNothing() throws {
        let before = try contents(store)
        let text = "name,sector\nAlpha,fintech\nBeta,NFC\n"
        let summary = try importCSV(store, text, options: ImportOptions(source: "x", newSectors: true, dryRun: true))
        #expect(summary.inserted == 2 && summary.newSectors == ["fintech"])
        #expect(try contents(store) == before)
        let failure = try importFailure(store, Array("name,sector\nAlpha,NFC\nalpha,NFC\n".utf8), options: ImportOptions(source: "x", dryRun: true))
        #expect(failure.rows.map(\.line) == [3])
    }

    @Test func headerProblemsNameTheColumn() throws {
        func message(_ text: String) -> String {
            do {
                _ = try importCSV(store, text)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message("name,sector,town\n").contains("unknown column 'town'"))
        #expect(message("name,sector,Name\n").contains("column 'name' appears twice"))
        #expect(message("name,city\n").contains("no sector column"))
        #expect(message("").contains("empty"))
    }

    @Test func brokenCSVIsReportedByLine() throws {
        // Line 3 holds a quoted line break (a name cannot hold one), so the next record starts on line 5.
        var bytes = Array("name,sector\nAlpha,NFC\n\"Two\nLines\",NFC\nWrong,NFC,extra\nBad ".utf8)
        bytes += [0xFF]  // not UTF-8
        bytes += Array(",NFC\nNul\0,NFC\nGood,NFC\n\"Open,NFC\n".utf8)
        let failure = try importFailure(store, bytes)
        #expect(failure.rows.map(\.line) == [3, 5, 6, 7, 9])
        #expect(failure.rows[0].message.contains("invalid name"))
        #expect(failure.rows[1].message.contains("3 fields, expected 2"))
        #expect(failure.rows[2].message.contains("UTF-8"))
        #expect(failure.rows[3].message.contains("NUL"))
        #expect(failure.rows[4].message.contains("unterminated"))
        #expect(try store.db.scalar("SELECT count(*) FROM startups") == .integer(0))
    }

    /// Rows are read and checked on a second thread, a batch at a time: bad rows in several batches, a CSV error
    /// among them and a last unterminated quote are all reported by line, in order, and nothing is written.
    @Test func badRowsInSeveralBatchesAreReportedByLine() throws {
        let count = 3 * StartupLoad.batchSize + 10
        // Line n + 1 holds firm n; these firms break a rule each (the expected lines are computed here).
        let badEmployees = [1, StartupLoad.batchSize, StartupLoad.batchSize + 1, 2 * StartupLoad.batchSize + 7]
        let extraField = 3 * StartupLoad.batchSize
        var text = "name,sector,employees\n"
        for n in 1...count {
            text += n == extraField ? "Firm \(n),NFC,1,extra\n" : "Firm \(n),NFC,\(badEmployees.contains(n) ? "many" : "3")\n"
        }
        text += "\"Open,NFC,1\n"
        let failure = try importFailure(store, Array(text.utf8))
        let expected = (badEmployees + [extraField]).sorted().map { $0 + 1 } + [count + 2]
        #expect(failure.total == expected.count)
        #expect(failure.rows.map(\.line) == expected)
        #expect(failure.rows[0].message.contains("invalid employees 'many'"))
        #expect(failure.rows[4].message.contains("4 fields, expected 3"))
        #expect(failure.rows[5].message.contains("unterminated"))
        #expect(try store.db.scalar("SELECT count(*) FROM startups") == .integer(0))
    }

    /// A receiver that stops early waits for the sender to finish, whatever the sender had left to send.
    @Test func aCancelledChannelLetsTheSenderFinish() async throws {
        let channel = BatchChannel<ReadBatch>(capacity: 2)
        let sent = Mutex(0)
        let sender = Task.detached {
            for _ in 0..<100 where !channel.isCancelled {
                channel.send(ReadBatch(rows: [], bytesRead: 0))
                sent.withLock { $0 += 1 }
            }
            channel.finish()
        }
        #expect(channel.receive() != nil)
        channel.cancel()
        #expect(channel.receive() == nil)
        await sender.value
        // The sender stopped long before its hundred batches: at most the two waiting, the one received, the
        // ones sent while cancel() emptied the channel, and one more in flight.
        #expect(sent.withLock { $0 } < 100)
    }

    // MARK: Bulk load

    /// Rows "Firm 1".."Firm n" with distinct valid SIRENs, one per line after the header; with `figures`, a
    /// headcount (unknown every seventh row) and a revenue (unknown every third) in two more columns.
    func bulkFile(_ count: Int, extra: [String] = [], figures: Bool = false) -> String {
        var text = "name,sector,siren,accelerators" + (figures ? ",employees,revenue_eur\n" : "\n")
        for n in 1...count {
            text += "Firm \(n),\(["NFC", "big data"][n % 2]),\(luhnCompleted(String(10_000_000 + n))),\(n % 10 == 0 ? "Kedge" : "")"
            text += figures ? ",\(n % 7 == 0 ? "" : String(n % 50)),\(n % 3 == 0 ? "" : String(n * 1_000))\n" : "\n"
        }
        return text + extra.joined()
    }

    func schemaObjects() throws -> [[SQLValue]] {
        try store.db.rows("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name IN ('startups', 'memberships') ORDER BY name").map(\.values)
    }

    @Test func aLargeLoadRebuildsTheIndexesAsTheyWere() throws {
        let schema = try schemaObjects()
        let count = StartupLoad.minimumBulkRows + 500
        let summary = try importCSV(store, bulkFile(count))
        #expect(summary.rebuiltIndexes)
        #expect(summary.inserted == count)
        #expect(try schemaObjects() == schema)
        #expect(try store.aggregateTriggersInstalled())
        #expect(try store.aggregatesAreConsistent())
        #expect(try store.db.scalar("SELECT sum(firms) FROM sector_totals") == .integer(Int64(count)))
        #expect(try store.db.scalar("SELECT count(*) FROM memberships") == .integer(Int64(count / 10)))
        // Rows written in groups keep the file's order, and each enrolment its own firm (every tenth).
        #expect(try store.db.scalar("SELECT count(*) FROM startups WHERE name <> 'Firm ' || id") == .integer(0))
        #expect(try store.db.scalar("SELECT count(*) FROM memberships WHERE startup_id % 10 <> 0") == .integer(0))
        #expect(try store.db.scalar("PRAGMA integrity_check") == .text("ok"))
        // A small file into the now large registry keeps the indexes.
        #expect(try importCSV(store, "name,sector\nLate,NFC\n").rebuiltIndexes == false)
    }

    /// The totals of rows loaded without their triggers are summed while loading: they must come out as the
    /// view that defines them computes them, on top of totals the registry already had, for a synthetic source too.
    @Test(arguments: ["import: test.csv", syntheticSource])
    func aLargeLoadKeepsTheStatisticsTotals(source: String) throws {
        try importCSV(store, "name,sector,employees,revenue_eur\nAlready,NFC,12,5000\nUnknown,big data,,\n",
                      options: ImportOptions(source: source))
        let count = StartupLoad.minimumBulkRows + 700
        let summary = try importCSV(store, bulkFile(count, figures: true), options: ImportOptions(source: source))
        #expect(summary.rebuiltIndexes)
        #expect(try store.aggregatesAreConsistent())
        // Independently of the view: the jobs are the headcounts of the file, summed here.
        let jobs = (1...count).filter { $0 % 7 != 0 }.reduce(12) { $0 + $1 % 50 }
        #expect(try store.db.scalar("SELECT sum(jobs) FROM sector_totals") == .integer(Int64(jobs)))
        #expect(try store.db.scalar("SELECT sum(firms) FROM sector_totals WHERE synthetic = ?",
                                    [.integer(source == syntheticSource ? 1 : 0)]) == .integer(Int64(count + 2)))
    }

    /// The import does not ask SQLite to check its CHECKs and foreign keys again: what it wrote must still pass
    /// them, and once it is done SQLite enforces them again on this connection.
    @Test func aLargeLoadPassesTheSchemaChecksAndLeavesThemOn() throws {
        try importCSV(store, bulkFile(StartupLoad.minimumBulkRows + 10, figures: true))
        #expect(try store.db.scalar("PRAGMA integrity_check") == .text("ok"))  // includes the CHECK constraints
        #expect(try store.db.rows("PRAGMA foreign_key_check").isEmpty)
        #expect(try store.db.scalar("PRAGMA foreign_keys") == .integer(1))
        #expect(throws: SQLiteError.self) {
            try store.db.execute("INSERT INTO startups (name, name_key, siren, sector_id, source) VALUES ('x', 'x', '12345', 1, 's')")
        }
        #expect(throws: SQLiteError.self) {
            try store.db.execute("INSERT INTO startups (name, name_key, sector_id, source) VALUES ('y', 'y', 999, 's')")
        }
    }

    @Test func aLargeLoadFindsDuplicatesByLine() throws {
        try importCSV(store, "name,sector,siren\nRegistered,NFC,\(luhnCompleted("90000001"))\n")
        let before = try contents(store)
        let schema = try schemaObjects()
        let count = StartupLoad.minimumBulkRows + 100
        let lastLine = count + 1
        let text = bulkFile(count, extra: [
            "firm 7,NFC,,\n",                                     // same name as line 8, after the switch to bulk
            "Other,NFC,\(luhnCompleted(String(10_000_000 + 9))),\n",  // same SIREN as line 10
            "REGISTERED,NFC,,\n",                                 // an existing startup's name
            "Fine,NFC,,\n",
        ])
        let failure = try importFailure(store, Array(text.utf8))
        #expect(failure.total == 3)
        #expect(failure.rows.map(\.line) == [lastLine + 1, lastLine + 2, lastLine + 3])
        #expect(failure.rows[0].message.contains("also on line 8"))
        #expect(failure.rows[1].message.contains("also on line 10"))
        #expect(failure.rows[2].message.contains("already registered (Registered, id 1)"))
        #expect(try contents(store) == before)
        #expect(try schemaObjects() == schema)
    }

    @Test func lineMapFollowsIrregularLines() {
        var map = LineMap()
        let lines = [2, 3, 4, 7, 8, 9, 10, 15, 16, 30]
        for line in lines { map.append(line: .line(line)) }
        #expect(lines.indices.map(map.line(of:)) == lines.map(RowLocation.line))
    }
}
