import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Registry
@testable import Server
import Testing

/// Runs python3 with `args` and returns what it prints: the reference the API is compared with.
func python(_ script: String, _ args: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + args
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// The JSON API through Hummingbird's router test client, on a registry in a temporary folder; every expected
/// figure read from the file by Python's sqlite3.
@Suite struct APITests {
    let path: String

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ft-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("registry.sqlite").path
        let store = try RegistryStore(path: path, createIfMissing: true)
        for (name, sector, city, employees) in [("Calanques Pay", "NFC", "Marseille", "12"), ("Bouillabaisse Data", "big data", "Marseille", "40"),
                                                 ("Sainte-Victoire Labs", "NFC", "Aix-en-Provence", ""), ("Vieux-Port Games", "transmedia", "Marseille", "7"),
                                                 ("Étoile Santé", "e-tourisme", "Aix-en-Provence", "3")] {
            _ = try store.addStartup(StartupDraft(name: name, sector: sector, city: city, employees: employees), source: "test")
        }
        _ = try store.join("Calanques Pay", accelerator: "Jaguar", cohort: "2016")
    }

    func app() throws -> some ApplicationProtocol {
        var quiet = Logger(label: "api-tests")
        quiet.logLevel = .error  // the request log is ServeCommand's to test; here it would only fill the output
        return Application(router: buildRouter(try SharedRegistry(path: path)), logger: quiet)
    }

    func json(_ buffer: ByteBuffer) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8))
    }

    func scalar(_ sql: String) throws -> String {
        try python("import sqlite3, sys\ncon = sqlite3.connect(sys.argv[1])\nprint(con.execute(sys.argv[2]).fetchone()[0])", [path, sql])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func healthz() async throws {
        try await app().test(.router) { client in
            do { let response = try await client.execute(uri: "/healthz", method: .get)
                #expect(response.status == .ok)
                #expect(try json(response.body) as? [String: String] == ["status": "ok"])
            }
        }
    }

    /// Pages of two, followed by their `next` links, give every startup once, in name order, with the total.
    @Test func startupsComeInPagesWithTheirTotal() async throws {
        let names = try python("""
            import sqlite3, sys, json
            con = sqlite3.connect(sys.argv[1])
            print(json.dumps([n for (n,) in con.execute("SELECT name FROM startups ORDER BY name_key")]))
            """, [path])
        let expected = try JSONSerialization.jsonObject(with: Data(names.utf8)) as? [String]
        try await app().test(.router) { client in
            var uri: String? = "/api/v1/startups?limit=2"
            var seen: [String] = []
            while let next = uri {
                do { let response = try await client.execute(uri: next, method: .get)
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                    let page = try #require(try json(response.body) as? [String: Any])
                    let items = try #require(page["items"] as? [[String: Any]])
                    #expect(items.count <= 2)
                    #expect(page["total"] as? Int == Int(try scalar("SELECT count(*) FROM startups")))
                    seen += items.compactMap { $0["name"] as? String }
                    uri = page["next"] as? String
                }
            }
            #expect(seen == expected)
        }
    }

    @Test func filtersAreTheCLIs() async throws {
        try await app().test(.router) { client in
            do { let response = try await client.execute(uri: "/api/v1/startups?sector=nfc&city=Marseille", method: .get)
                let page = try #require(try json(response.body) as? [String: Any])
                let count = try scalar("SELECT count(*) FROM startups s JOIN sectors c ON c.id = s.sector_id WHERE c.name = 'NFC' AND s.city = 'Marseille'")
                #expect(page["total"] as? Int == Int(count))
                let items = try #require(page["items"] as? [[String: Any]])
                #expect(items.first?["accelerators"] as? [String] == ["Jaguar (2016)"])
                #expect(page["next"] is NSNull)
            }
            do { let response = try await client.execute(uri: "/api/v1/startups?q=SANTE&sort=employees", method: .get)
                let page = try #require(try json(response.body) as? [String: Any])
                #expect((page["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Étoile Santé"])
            }
        }
    }

    /// A startup by id, by SIREN-less name in any case; the keys are those of the public shape.
    @Test func oneStartupByItsReference() async throws {
        let id = try scalar("SELECT id FROM startups WHERE name = 'Vieux-Port Games'")
        try await app().test(.router) { client in
            for reference in [id, "vieux-port%20games"] {
                do { let response = try await client.execute(uri: "/api/v1/startups/\(reference)", method: .get)
                    #expect(response.status == .ok)
                    let object = try #require(try json(response.body) as? [String: Any])
                    #expect(object["name"] as? String == "Vieux-Port Games")
                    #expect(object["employees"] as? Int == 7)
                    #expect(Set(object.keys) == Set(Report.startupColumns.map(\.key) + ["source"]))
                }
            }
        }
    }

    @Test func errorsAreJSONWithTheirStatus() async throws {
        let cases: [(String, HTTPResponse.Status, String)] = [
            ("/api/v1/startups/Nowhere", .notFound, "not_found"),
            ("/api/v1/startups?sector=fintekk", .notFound, "not_found"),
            ("/api/v1/startups?limit=abc", .badRequest, "bad_request"),
            ("/api/v1/startups?limit=100000", .badRequest, "bad_request"),
            ("/api/v1/startups?offset=-1", .badRequest, "bad_request"),
            ("/api/v1/startups?colour=blue", .badRequest, "bad_request"),
            ("/api/v1/startups?sort=size", .badRequest, "bad_request"),
            ("/api/v1/stats/nope", .notFound, "not_found"),
            ("/api/v1/stats/jobs-by-sector?exclude_synthetic=maybe", .badRequest, "bad_request"),
            ("/api/v1/nothing-here", .notFound, "not_found"),
        ]
        try await app().test(.router) { client in
            for (uri, status, code) in cases {
                do { let response = try await client.execute(uri: uri, method: .get)
                    #expect(response.status == status, "\(uri)")
                    let body = try #require(try json(response.body) as? [String: [String: Any]], "\(uri)")
                    #expect(body["error"]?["code"] as? String == code, "\(uri)")
                    #expect((body["error"]?["message"] as? String)?.isEmpty == false, "\(uri)")
                }
            }
        }
    }

    /// Markup, quotes and control characters in a parameter are text to search for, never SQL or markup.
    @Test func hostileParametersAreJustText() async throws {
        let before = try scalar("SELECT count(*) FROM startups")
        try await app().test(.router) { client in
            for q in ["%27%3B%20DROP%20TABLE%20startups%3B--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%25", "_"] {
                do { let response = try await client.execute(uri: "/api/v1/startups?q=\(q)", method: .get)
                    #expect(response.status == .ok, "\(q)")
                    let page = try #require(try json(response.body) as? [String: Any], "\(q)")
                    #expect(page["total"] as? Int == 0, "\(q)")
                }
            }
        }
        #expect(try scalar("SELECT count(*) FROM startups") == before)
        // A control character, bytes that are not UTF-8, a broken escape: refused, saying why.
        try await app().test(.router) { client in
            for q in ["%00", "%1B%5B2J", "%FF", "%G1", "abc%2"] {
                let response = try await client.execute(uri: "/api/v1/startups?q=\(q)", method: .get)
                #expect(response.status == .badRequest, "\(q)")
                let body = try json(response.body) as? [String: [String: Any]]
                #expect(body?["error"]?["code"] as? String == "bad_request", "\(q)")
            }
        }
    }

    /// Jobs per sector as Python sums them from the tables.
    @Test func statisticsAreTheRegistrys() async throws {
        let reference = try python("""
            import sqlite3, sys, json
            con = sqlite3.connect(sys.argv[1])
            rows = con.execute("SELECT c.name, count(s.id), coalesce(sum(s.employees), 0) FROM sectors c LEFT JOIN startups s ON s.sector_id = c.id GROUP BY c.id").fetchall()
            print(json.dumps({n: [f, j] for (n, f, j) in rows}))
            """, [path])
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(reference.utf8)) as? [String: [Int]])
        try await app().test(.router) { client in
            do { let response = try await client.execute(uri: "/api/v1/stats/jobs-by-sector", method: .get)
                let rows = try #require(try json(response.body) as? [[String: Any]])
                #expect(rows.count == expected.count)
                for row in rows {
                    let sector = try #require(row["sector"] as? String)
                    #expect([row["firms"] as? Int ?? -1, row["jobs"] as? Int ?? -1] == expected[sector], "\(sector)")
                }
            }
            do { let response = try await client.execute(uri: "/api/v1/stats/regional-share?by=sector", method: .get)
                let object = try #require(try json(response.body) as? [String: Any])
                #expect(object["region"] as? String == (try scalar("SELECT name FROM territories WHERE level = 'region'")))
                #expect((object["sectors"] as? [Any])?.count == expected.count)
            }
        }
    }
}
