import Testing
import Foundation
import Persistence
@testable import Registry

/// python3's sqlite3 reading the registry file: one value, as text.
private func scalar(_ path: String, _ sql: String) throws -> String {
    // First line of stdin: the file; the rest: the query.
    let script = "import sqlite3, sys; path = sys.stdin.readline().rstrip('\\n'); print(sqlite3.connect(path).execute(sys.stdin.read()).fetchone()[0])"
    return try pythonLines(script, input: path + "\n" + sql).joined()
}

@Suite struct SharedRegistryTests {
    let path = FileManager.default.temporaryDirectory.appending(path: "frenchtech-shared-\(UUID().uuidString).sqlite").path
    /// The migrations shipped, counted in the source tree.
    static let migrationFiles = try! FileManager.default.contentsOfDirectory(
        atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appending(path: "Migrations").path
    ).filter { $0.hasSuffix(".sql") }.count

    func removeFiles() { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

    @Test func openingMigratesOnceWhateverTheReads() async throws {
        defer { removeFiles() }
        let shared = try SharedRegistry(path: path, createIfMissing: true)
        #expect(shared.openReport.created && shared.openReport.appliedMigrations.count == Self.migrationFiles)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 { group.addTask { try await shared.read { try $0.sectors().count } } }
            for try await count in group { #expect(count == 5) }
        }
        #expect(try scalar(path, "SELECT count(*) FROM schema_migrations") == "\(Self.migrationFiles)")
        let again = try SharedRegistry(path: path)
        #expect(again.openReport.appliedMigrations.isEmpty && !again.openReport.created)
        #expect(try scalar(path, "SELECT count(*) FROM schema_migrations") == "\(Self.migrationFiles)")
    }

    @Test func aMissingFileIsRefusedAsTheStoreRefusesIt() throws {
        #expect(throws: RegistryError.self) { try SharedRegistry(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: RegistryError.self) { try SharedRegistry(path: ":memory:", createIfMissing: true) }
    }

    @Test func writesFromManyTasksAllLand() async throws {
        defer { removeFiles() }
        let shared = try SharedRegistry(path: path, createIfMissing: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<30 {
                group.addTask { _ = try await shared.write { try $0.addSector(name: "Secteur \(i)", description: nil) } }
            }
            try await group.waitForAll()
        }
        #expect(try scalar(path, "SELECT count(*) FROM sectors WHERE name LIKE 'Secteur %'") == "30")
    }

    @Test func readersSeeWholeWritesAndRefuseToWrite() async throws {
        defer { removeFiles() }
        let shared = try SharedRegistry(path: path, createIfMissing: true, maximumReaderCount: 3)
        let counts = try await withThrowingTaskGroup(of: [Int].self) { group in
            group.addTask {
                for i in 0..<15 {
                    try await shared.write { store in
                        try store.transaction {
                            _ = try store.addSector(name: "Pair \(i) a", description: nil)
                            _ = try store.addSector(name: "Pair \(i) b", description: nil)
                        }
                    }
                }
                return []
            }
            for _ in 0..<6 {
                group.addTask {
                    var seen: [Int] = []
                    for _ in 0..<25 { seen.append(try await shared.read { try $0.sectors().count }) }
                    return seen
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(counts.count == 150 && counts.allSatisfy { ($0 - 5) % 2 == 0 && (5...35).contains($0) })
        #expect(shared.openReaderCount <= 3)
        await #expect(throws: RegistryError.self) {
            try await shared.read { _ = try $0.addSector(name: "Refused", description: nil) }
        }
        #expect(try scalar(path, "SELECT count(*) FROM sectors") == "35")
    }
}
