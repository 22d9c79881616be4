import Foundation
import Testing

/// `frenchtech serve` as a process: it says where it listens, answers over real HTTP (Python's urllib is the
/// client), logs one line per request on stderr and stops cleanly on SIGTERM and SIGINT.
@Suite struct ServeCommand {
    let ws: Workspace
    init() throws {
        ws = try Workspace()
        try ws.initialise()
        try ws.ok(["startup", "add", "--name", "Calanques Pay", "--sector", "NFC", "--employees", "12"])
    }

    /// Starts the server, makes the requests, sends `signal`, and reports what it saw as JSON.
    func session(_ paths: [String], signal: String) throws -> [String: Any] {
        let report = try python("""
            import json, signal, subprocess, sys, urllib.request, urllib.error
            binary, db, sig, paths = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
            server = subprocess.Popen([binary, "serve", "--port", "0", "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            line = server.stdout.readline().decode()
            base = line.strip().removeprefix("listening on ")
            answers = []
            for path in paths:
                try:
                    with urllib.request.urlopen(base + path, timeout=10) as r:
                        answers.append([r.status, r.headers["Content-Type"], json.loads(r.read())])
                except urllib.error.HTTPError as e:
                    answers.append([e.code, e.headers["Content-Type"], json.loads(e.read())])
            server.send_signal(getattr(signal, sig))
            status = server.wait(timeout=20)
            print(json.dumps({"line": line, "answers": answers, "status": status, "stderr": server.stderr.read().decode()}))
            """, [Workspace.binary.path, ws.db, signal] + paths)
        return try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
    }

    @Test(arguments: ["SIGTERM", "SIGINT"])
    func answersAndStopsCleanly(signal: String) throws {
        let seen = try session(["/healthz", "/api/v1/startups", "/api/v1/startups/nowhere"], signal: signal)
        let line = try #require(seen["line"] as? String)
        #expect(line.range(of: #"^listening on http://127\.0\.0\.1:[0-9]+\n$"#, options: .regularExpression) != nil, "\(line)")
        let answers = try #require(seen["answers"] as? [[Any]])
        #expect(answers.map { $0[0] as? Int } == [200, 200, 404])
        #expect(answers.allSatisfy { ($0[1] as? String)?.hasPrefix("application/json") == true })
        let page = try #require(answers[1][2] as? [String: Any])
        #expect((page["items"] as? [[String: Any]])?.first?["name"] as? String == "Calanques Pay")
        #expect(page["total"] as? Int == Int(try pythonScalar(ws.db, "SELECT count(*) FROM startups")))
        #expect(seen["status"] as? Int == 0, "\(seen["stderr"] ?? "")")
        let log = try #require(seen["stderr"] as? String)
        for expected in ["GET /healthz 200", "GET /api/v1/startups 200", "GET /api/v1/startups/nowhere 404"] {
            #expect(log.split(separator: "\n").filter { $0.contains(expected + " ") }.count == 1, "\(expected) in \(log)")
        }
    }

    @Test func refusalsBeforeListening() throws {
        try ws.refused(["serve", "--port", "70000"], status: 64, mentioning: ["--port"])
        try ws.refused(["serve", "--db", ws.path("missing.sqlite")], status: 66, mentioning: ["missing.sqlite"])
    }

    /// A port another program listens on: said plainly, exit 1.
    @Test func aPortInUseIsSaid() throws {
        let report = try python("""
            import json, socket, subprocess, sys
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
            port = s.getsockname()[1]
            r = subprocess.run([sys.argv[1], "serve", "--port", str(port), "--db", sys.argv[2]], capture_output=True, timeout=20)
            print(json.dumps({"port": port, "status": r.returncode, "stdout": r.stdout.decode(), "stderr": r.stderr.decode()}))
            """, [Workspace.binary.path, ws.db])
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        let stderr = try #require(seen["stderr"] as? String)
        #expect(seen["status"] as? Int == 1)
        #expect((seen["stdout"] as? String)?.isEmpty == true)
        let errors = stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors == ["error: cannot listen on 127.0.0.1:\(seen["port"] as? Int ?? 0): the address is in use; give another --port, or stop what listens there"], "\(stderr)")
    }
}
