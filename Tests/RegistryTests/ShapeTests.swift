import FoundationEssentials
import Foundation
@testable import Registry
import Testing

/// The registry's public shape (Sources/Registry/Shape): the JSON it writes is valid JSON that reads back to the
/// same values, CSV numbers read back as the same doubles, and each model's keys are its fields in snake_case.
@Suite struct ShapeTests {
    func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// Every control character, quotes, backslashes, separators and characters beyond the BMP.
    @Test func stringsReadBackAsWritten() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let texts = [controls, "\"quoted\" \\ back\\slash /", "Société Générale – œ € ’", "\u{2028}\u{2029}\u{7F}", "🇫🇷👩‍💻", ""]
        for text in texts {
            var out = ""
            JSONText.string(text, into: &out)
            #expect(try parse(out) as? String == text, "\(out)")
            #expect(!out.unicodeScalars.contains { $0.value < 0x20 }, "raw control character in \(out)")
        }
    }

    @Test func valuesReadBackAsTheirJSONTypes() throws {
        var out = ""
        let values: [FieldValue] = [.null, .integer(Int64.min), .real(0.1), .share(0.452), .bool(true), .text("a"),
                                    .list(["Jaguar (2016)", "Kedge"]), .blob([0, 255]), .real(.infinity)]
        JSONText.object(values.indices.map { "k\($0)" }, values, into: &out)
        let object = try #require(try parse(out) as? [String: Any])
        #expect(object["k0"] is NSNull)
        #expect((object["k1"] as? NSNumber)?.int64Value == Int64.min)
        #expect(object["k2"] as? Double == 0.1)
        #expect(object["k3"] as? Double == 0.452)
        #expect(object["k4"] as? Bool == true)
        #expect(object["k5"] as? String == "a")
        #expect(object["k6"] as? [String] == ["Jaguar (2016)", "Kedge"])
        #expect(object["k7"] as? String == "AP8=")  // base64 of 00 FF
        #expect(object["k8"] is NSNull, "JSON has no infinity")
    }

    /// Numbers in CSV are never in scientific notation and read back as the same double.
    @Test func csvNumbersAreWrittenOut() throws {
        for value in [0.00001, 1e-9, 123456789012345680000.0, -2.5e-7, 0.452, 1.0, 5e300] {
            let field = try #require(FieldValue.real(value).csvField)
            #expect(!field.contains("e") && !field.contains("E"), "\(field)")
            #expect(Double(field) == value, "\(field)")
        }
        #expect(FieldValue.null.csvField == nil)
        #expect(FieldValue.list(["A", "B (2015)"]).csvField == "A|B (2015)")
    }

    /// A startup's JSON object: its fields under their snake_case names, the values the model holds.
    @Test func aStartupsKeysAndValues() throws {
        let startup = Startup(id: 7, name: "Calanques Pay", siren: "552100554", siret: nil, sector: "e-commerce",
                              nafCode: "62.01Z", city: "Marseille", employees: 12, founded: 2013, revenueEUR: nil,
                              source: "manual entry", accelerators: ["Jaguar (2016)"])
        let report = Report.startup(startup)
        var out = ""
        JSONText.object(report.keys, report.rows[0], into: &out)
        let object = try #require(try parse(out) as? [String: Any])
        #expect(report.keys == ["id", "name", "siren", "siret", "sector", "naf_code", "city", "employees", "founded",
                                "revenue_eur", "accelerators", "source"])
        #expect((object["id"] as? NSNumber)?.int64Value == 7)
        #expect(object["name"] as? String == "Calanques Pay")
        #expect(object["siren"] as? String == "552100554", "a code stays text: its zeros survive")
        #expect(object["siret"] is NSNull && object["revenue_eur"] is NSNull)
        #expect(object["naf_code"] as? String == "62.01Z")
        #expect((object["employees"] as? NSNumber)?.int64Value == 12)
        #expect(object["accelerators"] as? [String] == ["Jaguar (2016)"])
        #expect(object["source"] as? String == "manual entry")
        // Every key is snake_case ASCII: what a JSON client and a CSV header can both use.
        for report in [report, .sectors([]), .partners([]), .accelerators([]), .territories([]), .sectorFigures([]),
                       .cityFigures([]), .acceleratorFigures([]), .firms([]), .checks([]), .migrations([])] {
            #expect(report.keys.allSatisfy { $0.allSatisfy { ("a"..."z").contains($0) || $0 == "_" } }, "\(report.keys)")
            #expect(Set(report.keys).count == report.keys.count)
        }
    }

    /// An export's keys are the columns `import` reads, so that the JSON export can be read back as a CSV's header.
    @Test func exportKeysAreTheImportColumns() {
        #expect(Report.exportKeys == ["name", "sector", "siren", "siret", "naf_code", "city", "employees", "founded",
                                      "revenue_eur", "accelerators"])
        let row = Report.exportRow(Startup(id: 1, name: "N", siren: nil, siret: nil, sector: "NFC", nafCode: nil, city: nil,
                                           employees: nil, founded: nil, revenueEUR: nil, source: "s", accelerators: []),
                                   programmes: ["Kedge (2015)"])
        #expect(row.count == Report.exportKeys.count && row.first == .text("N") && row.last == .list(["Kedge (2015)"]))
    }

    /// A record's lists nest as arrays of objects after its own fields.
    @Test func aRecordNestsItsLists() throws {
        let share = RegionalShare(region: "PACA", regionalJobs: 72_727, regionalJobsDerived: true, registeredJobs: 10,
                                  share: 10.0 / 72_727, territory: "Aix-Marseille", reportedJobs: 40_000, reportedShare: 0.55,
                                  reportedJobsShare: 40_000.0 / 72_727,
                                  sectors: [SectorFigures(sector: "NFC", firms: 1, jobs: 10, share: 10.0 / 72_727, unknownHeadcount: 0)])
        var out = ""
        JSONText.record(.regionalShare(share), into: &out)
        let object = try #require(try parse(out) as? [String: Any])
        #expect(object["region"] as? String == "PACA")
        #expect(object["regional_jobs_derived"] as? Bool == true)
        #expect(object["reported_share"] as? Double == 0.55)
        let sectors = try #require(object["sectors"] as? [[String: Any]])
        #expect(sectors.count == 1 && sectors[0]["sector"] as? String == "NFC")
        #expect(sectors[0]["share"] as? Double == 10.0 / 72_727)
    }
}
