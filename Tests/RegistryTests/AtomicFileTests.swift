import CSVStream
import Foundation
import Testing
@testable import Registry

/// The one writer of files, on a registry file in a folder of its own.
@Suite final class AtomicFileTests {
    let folder: String
    let store: RegistryStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "frenchtech-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = try RegistryStore(path: folder + "/registry.sqlite", createIfMissing: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix("registry.sqlite") }.sorted()
    }

    @Test func theTargetAppearsOnlyAtCommit() throws {
        let file = try store.createFile(at: folder + "/out.txt", replacing: true, exampleName: "out.txt")
        try writeAll("hello\n", to: file.descriptor)
        #expect(try names() == [String(file.temporaryPath.split(separator: "/").last!)])
        try file.commit()
        #expect(try names() == ["out.txt"])
        #expect(try String(contentsOfFile: folder + "/out.txt", encoding: .utf8) == "hello\n")
    }

    @Test func abandonedOrDroppedFilesLeaveNothing() throws {
        try Data("before\n".utf8).write(to: URL(fileURLWithPath: folder + "/out.txt"))
        let abandoned = try store.createFile(at: folder + "/out.txt", replacing: true, exampleName: "out.txt")
        try writeAll("half", to: abandoned.descriptor)
        abandoned.abandon()
        do {
            let dropped = try store.createFile(at: folder + "/out.txt", replacing: true, exampleName: "out.txt")
            try writeAll("half", to: dropped.descriptor)
        }
        #expect(try names() == ["out.txt"])
        #expect(try String(contentsOfFile: folder + "/out.txt", encoding: .utf8) == "before\n")
    }

    /// Two writers of the same target never share a temporary: each is created exclusively under its own name.
    @Test func temporariesAreUniqueAndNew() throws {
        let first = try store.createFile(at: folder + "/out.txt", replacing: true, exampleName: "out.txt")
        let second = try store.createFile(at: folder + "/out.txt", replacing: true, exampleName: "out.txt")
        #expect(first.temporaryPath != second.temporaryPath)
        #expect(first.temporaryPath.hasPrefix(folder + "/.out.txt.tmp-"))
        first.abandon()
        second.abandon()
        #expect(try names().isEmpty)
    }

    @Test func theRegistryAndItsNeighboursAreRefused() throws {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            #expect(throws: RegistryError.self) {
                try store.createFile(at: folder + "/./registry.sqlite" + suffix, replacing: true, exampleName: "x")
            }
        }
        #expect(throws: RegistryError.self) { try store.createFile(at: folder, replacing: true, exampleName: "x") }
        #expect(throws: RegistryError.self) { try store.createFile(at: "/dev/null", replacing: true, exampleName: "x") }
        #expect(try names().isEmpty)
    }
}
