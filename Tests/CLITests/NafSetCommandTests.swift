import Foundation
import Testing

/// `naf-set list | show | add | remove`, against Python over the nomenclature's seed file.
@Suite struct NafSetCommand {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
    }

    static let ict = ["26.1", "26.2", "26.3", "26.4", "26.8", "46.5", "58.2", "61", "62", "63.1", "95.1"]

    @Test func theSeededSetIsListedAndShown() throws {
        let subclasses = try #require(try seedJSON("print(len(covered(\(Self.ict))))") as? Int)
        #expect(subclasses == 25)
        let list = try #require(try ws.json(["naf-set", "list"]) as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list[0]["name"] as? String == "ict" && list[0]["codes"] as? Int == 11 && list[0]["subclasses"] as? Int == subclasses)
        #expect((list[0]["source"] as? String)?.contains("c1385") == true)
        let shown = try #require(try ws.json(["naf-set", "show", "ICT"]) as? [String: Any])
        #expect(shown["subclasses"] as? Int == subclasses)
        let codes = try #require(shown["codes"] as? [[String: String]])
        let python = try #require(try seedJSON("""
            labels = {}
            for r in naf:
                labels.update({r['division_code']: ('division', r['division_label']), r['group_code']: ('group', r['group_label'])})
            print(json.dumps([{'code': c, 'level': labels[c][0], 'label': labels[c][1]} for c in sorted(\(Self.ict))]))
            """) as? [[String: String]])
        #expect(codes == python)
        let csv = try ws.ok(["naf-set", "show", "ict", "--format", "csv"])
        #expect(csv.hasPrefix("code,level,label\r\n26.1,group,Fabrication de composants et cartes électroniques\r\n"))
        let table = try ws.ok(["naf-set", "show", "ict"])
        #expect(table.hasPrefix("id           1\nname         ict\nsub-classes  25\n") && table.hasSuffix("11 codes\n"))
    }

    @Test func addShowAndRemoveASet() throws {
        let added = try ws.run(["naf-set", "add", "Numérique", "--codes", "62, 631,58.21z,5829C,72.1,62", "--source", "test", "--format", "json"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stderr.contains("note: added NAF set Numérique: 5 codes"))
        let record = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let python = try #require(try seedJSON("""
            codes = ['62', '63.1', '58.21Z', '58.29C', '72.1']
            level = {2: 'division', 4: 'group', 5: 'class', 6: 'sub-class'}
            labels = {}
            for r in naf:
                labels.update({r['division_code']: r['division_label'], r['group_code']: r['group_label'], r['code']: r['label']})
            print(json.dumps({'subclasses': len(covered(codes)),
                              'codes': [{'code': c, 'level': level[len(c)], 'label': labels[c]} for c in sorted(codes)]}))
            """) as? [String: Any])
        #expect(record["subclasses"] as? Int == python["subclasses"] as? Int)
        #expect(record["codes"] as? [[String: String]] == python["codes"] as? [[String: String]])
        #expect(record["source"] as? String == "test")
        #expect(try pythonScalar(ws.db, "SELECT group_concat(code) FROM (SELECT code FROM naf_set_codes JOIN naf_sets ON id = naf_set_id WHERE name = 'Numérique' ORDER BY 1)")
                == "58.21Z,58.29C,62,63.1,72.1")
        let shown = try #require(try ws.json(["naf-set", "show", "numerique"]) as? [String: Any])
        #expect(shown["name"] as? String == "Numérique")
        let list = try #require(try ws.json(["naf-set", "list"]) as? [[String: Any]])
        #expect(list.map { $0["name"] as? String } == ["ict", "Numérique"])
        let removed = try ws.run(["naf-set", "remove", "NUMERIQUE"])
        #expect(removed.status == 0 && removed.stderr.contains("note: removed NAF set Numérique") && removed.stdout.isEmpty)
        #expect(try pythonScalar(ws.db, "SELECT count(*) FROM naf_set_codes WHERE naf_set_id NOT IN (SELECT id FROM naf_sets WHERE name = 'ict')") == "0")
        #expect(try pythonScalar(ws.db, "SELECT group_concat(name) FROM naf_sets") == "ict")
    }

    @Test(arguments: [
        (["add", "web", "--codes", "62,6x,34,62.09Y,58.2.1"], 65,
         "invalid NAF codes: '6x', '58.2.1' are not NAF codes (a division 62, a group 63.1, a class 58.21 or a sub-class 58.21Z); '34', '62.09Y' are not in the NAF rev. 2 nomenclature; see `frenchtech sql"),
        (["add", "web", "--codes", ","], 65, "no NAF code given"),
        (["add", "ICT", "--codes", "62"], 65, "a NAF set named ict already exists ('ICT' reads the same); choose another name"),
        (["add", "", "--codes", "62"], 65, "invalid NAF set name '': must not be empty"),
        (["add", "   ", "--codes", "62"], 65, "invalid NAF set name"),
        (["add", String(repeating: "n", count: 201), "--codes", "62"], 65, "must be at most 200 characters"),
        (["add", "web", "--codes", "62", "--source", ""], 65, "invalid source"),
        (["add", "web"], 64, "--codes"),
        (["remove", "ict"], 65, "NAF set ict is INSEE's definition of the ICT sector"),
        (["remove", "itc"], 65, "unknown NAF set 'itc'; did you mean 'ict'? (see `frenchtech naf-set list`)"),
        (["show", "nope"], 65, "unknown NAF set 'nope'; see `frenchtech naf-set list`"),
    ])
    func aBadRequestIsRefusedAndTheFileIsUntouched(arguments: [String], status: Int32, mention: String) throws {
        let before = try fileState(ws.db)
        let result = try ws.run(["naf-set"] + arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(isOneErrorLine(result.stderr) && result.stderr.contains(mention), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try fileState(ws.db) == before)
    }

    @Test func aDuplicateOfAnAddedSetSaysItCanBeRemoved() throws {
        try ws.ok(["naf-set", "add", "web", "--codes", "62"])
        let before = try fileState(ws.db)
        let result = try ws.run(["naf-set", "add", "Web", "--codes", "63"])
        #expect(result.status == 65)
        #expect(isOneErrorLine(result.stderr)
                && result.stderr.contains("choose another name, or remove that set first (`frenchtech naf-set remove 'web'`)"), "\(result.stderr)")
        #expect(try fileState(ws.db) == before)
    }
}
