import Foundation
@testable import Registry
import Testing

/// `--format json` writes the registry's public shape (Sources/Registry/Shape), which the server's API writes
/// too: the keys the binary prints are the shape's, in its order, for every listing, record and statistic.
@Suite struct ShapeCLITests {
    /// The keys of each object the binary prints, in order, read from its JSON text (JSONSerialization loses the
    /// order): the keys of a flat object are the strings followed by a colon at depth one.
    static func keys(ofFirstObjectIn text: String) -> [String] {
        var keys: [String] = [], depth = 0, i = text.startIndex, string = "", inString = false, escaped = false
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if escaped { escaped = false; string.append(c) }
                else if c == "\\" { escaped = true }
                else if c == "\"" {
                    inString = false
                    let rest = text[text.index(after: i)...].drop { $0 == " " }
                    if depth == 1 && rest.first == ":" { keys.append(string) }
                } else { string.append(c) }
            } else if c == "\"" { inString = true; string = "" }
            else if c == "{" { depth += 1 }
            else if c == "}" { depth -= 1; if depth == 0 { return keys } }
            i = text.index(after: i)
        }
        return keys
    }

    @Test func everyCommandPrintsTheSharedKeys() throws {
        let ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "NFC", "--accelerator", "Jaguar", "--cohort", "2016"])
        let record = Record.regionalShare(RegionalShare(
            region: "", regionalJobs: nil, regionalJobsDerived: false, registeredJobs: 0, share: nil, territory: "",
            reportedJobs: nil, reportedShare: nil, reportedJobsShare: nil, sectors: []))
        let regionalShareKeys = record.fields.keys + record.lists.map(\.key)
        let territory = Territory(id: 0, name: "", level: .region, derived: false, source: "")
        let nafSet = Record.nafSet(NafSet(id: 0, name: "", codes: 0, subclasses: 0, source: ""), codes: [])
        let cases: [([String], [String])] = [
            (["startup", "list"], Report.startups([]).keys),
            (["startup", "show", "1"], Report.startup(.init(id: 0, name: "", siren: nil, siret: nil, sector: "", nafCode: nil, city: nil, employees: nil, founded: nil, revenueEUR: nil, source: "", accelerators: [])).keys),
            (["accelerator", "list"], Report.accelerators([]).keys),
            (["accelerator", "firms", "Jaguar"], Report.firms([]).keys),
            (["partner", "list"], Report.partners([]).keys),
            (["sector", "list"], Report.sectors([]).keys),
            (["territory", "list"], Report.territories([]).keys),
            (["territory", "show", "PACA"], Report.territory(territory, perimeter: nil).keys),
            (["commune", "list", "--department", "13"], Report.communes([]).keys),
            (["naf-set", "list"], Report.nafSets([]).keys),
            (["naf-set", "show", "ict"], nafSet.fields.keys + nafSet.lists.map(\.key)),
            (["stats", "jobs-by-sector"], Report.sectorFigures([]).keys),
            (["stats", "by-accelerator"], Report.acceleratorFigures([]).keys),
            (["stats", "by-city"], Report.cityFigures([]).keys),
            (["stats", "summary"], Report.summary(.init(startups: 0, accelerators: 0, partners: 0, sectors: 0, jobs: 0, revenueEUR: 0, unknownHeadcount: 0)).keys),
            (["stats", "regional-share", "--by", "sector"], regionalShareKeys),
            (["check"], Report.checks([]).keys),
            (["export", "startups"], Report.exportKeys),
        ]
        for (arguments, expected) in cases {
            let text = try ws.ok(arguments + ["--format", "json"])
            #expect(Self.keys(ofFirstObjectIn: text) == expected, "\(arguments)")
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "\(arguments): not JSON")
        }
    }
}
