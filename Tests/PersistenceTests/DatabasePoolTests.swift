import Testing
import CSQLite
import Foundation
@testable import Persistence

/// python3's sqlite3 reading the file: one value, as text. Independent of the connections under test.
func sqliteScalar(_ path: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])", path, sql]
    let stdout = Pipe()
    process.standardOutput = stdout
    try process.run()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// How many of this process's file descriptors are open on `path` (the database, its -wal or its -shm).
func openDescriptors(on path: String) throws -> Int {
    try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { fd in
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd)
        return target?.hasPrefix(path) == true
    }.count
}

@Suite struct DatabasePoolTests {
    @Test func readersNeverSeeHalfOfATransaction() async throws {
        let temp = TempDatabase()
        let pool = try DatabasePool(path: temp.path, maximumReaderCount: 4)
        try await pool.write { db in try db.execute("CREATE TABLE t (x INTEGER NOT NULL)") }
        let writes = 40
        let counts = try await withThrowingTaskGroup(of: [Int64].self) { group in
            group.addTask {
                for i in 0..<writes {
                    try await pool.write { db in
                        try db.transaction {
                            try db.execute("INSERT INTO t (x) VALUES (?)", [.integer(Int64(i))])
                            try db.execute("INSERT INTO t (x) VALUES (?)", [.integer(Int64(i))])
                        }
                    }
                }
                return []
            }
            for _ in 0..<8 {
                group.addTask {
                    var seen: [Int64] = []
                    for _ in 0..<60 {
                        seen.append(try await pool.read { db in try Int64.decode(db.scalar("SELECT count(*) FROM t") ?? .null) })
                    }
                    return seen
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(counts.count == 8 * 60)
        #expect(counts.allSatisfy { $0 % 2 == 0 && $0 >= 0 && $0 <= 2 * Int64(writes) })
        #expect(pool.openReaderCount <= 4)
        #expect(try sqliteScalar(temp.path, "SELECT count(*) FROM t") == "\(2 * writes)")
    }

    @Test func writesFromManyTasksRunOneAtATimeAndAllLand() async throws {
        let temp = TempDatabase()
        let pool = try DatabasePool(path: temp.path)
        try await pool.write { db in try db.execute("CREATE TABLE t (x INTEGER NOT NULL)") }
        // Each write reads the largest value and adds the next one, outside any transaction: only writes that
        // never overlap leave 1...n, each once.
        let tasks = 100
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    try await pool.write { db in
                        let last = try Int64.decode(db.scalar("SELECT coalesce(max(x), 0) FROM t") ?? .null)
                        try db.execute("INSERT INTO t (x) VALUES (?)", [.integer(last + 1)])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try sqliteScalar(temp.path, "SELECT count(*) FROM t") == "\(tasks)")
        #expect(try sqliteScalar(temp.path, "SELECT count(DISTINCT x) || ' ' || min(x) || ' ' || max(x) FROM t") == "\(tasks) 1 \(tasks)")
    }

    @Test func aReaderRefusesWrites() throws {
        let temp = TempDatabase()
        let pool = try DatabasePool(path: temp.path)
        try pool.write { db in try db.execute("CREATE TABLE t (x INTEGER NOT NULL)") }
        let error = #expect(throws: SQLiteError.self) {
            try pool.read { db in try db.execute("INSERT INTO t (x) VALUES (1)") }
        }
        #expect(error?.code == SQLITE_READONLY)
        #expect(try sqliteScalar(temp.path, "SELECT count(*) FROM t") == "0")
    }

    @Test func thePoolClosesItsConnections() async throws {
        let temp = TempDatabase()
        do {
            let pool = try DatabasePool(path: temp.path, maximumReaderCount: 3)
            try await pool.write { db in try db.execute("CREATE TABLE t (x INTEGER NOT NULL)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 {
                    group.addTask { _ = try await pool.read { db in try db.scalar("SELECT count(*) FROM t") } }
                }
                try await group.waitForAll()
            }
            #expect((1...3).contains(pool.openReaderCount))
            #expect(try openDescriptors(on: temp.path) > 0)
        }
        #expect(try openDescriptors(on: temp.path) == 0)
        // The last connection to close checkpoints and removes the -wal.
        #expect(!FileManager.default.fileExists(atPath: temp.path + "-wal"))
    }
}
