import CZlibCRC
import Dispatch
import Foundation
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// The one CSV file of a zip archive (as INSEE publishes its stocks), inflated on a second thread into a socket
/// that a reader reads like a file: nothing is extracted to disk, memory stays at a few buffers, and the two
/// cores share the work (inflating, parsing). A socket rather than a pipe, so that a reader that stops early ends
/// the inflating with an error instead of a SIGPIPE.
public final class ZipEntryStream: @unchecked Sendable {
    /// The entry read, as the archive names it.
    public let entryName: String
    /// The read end: read(2) it to the end of the entry.
    public let descriptor: Int32
    private let writeEnd: Int32
    private let done = DispatchSemaphore(value: 0)
    private var failure: Error?
    private var finished = false

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notAnArchive(path: String)
        /// The archive holds no CSV file, or several: their names.
        case csvEntries(path: String, names: [String])
        case damaged(path: String, reason: String)

        public var description: String {
            switch self {
            case let .notAnArchive(path): "\(path) is not a zip archive that can be read"
            case let .csvEntries(path, names) where names.isEmpty: "\(path) holds no .csv file"
            case let .csvEntries(path, names): "\(path) holds \(names.count) .csv files (\(names.joined(separator: ", "))), not one"
            case let .damaged(path, reason): "\(path) is damaged: \(reason)"
            }
        }
    }

    public init(path: String) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Problem.notAnArchive(path: path)
        }
        let entries = archive.filter { $0.type == .file && $0.path.lowercased().hasSuffix(".csv") }
        guard entries.count == 1, let entry = entries.first else { throw Problem.csvEntries(path: path, names: entries.map(\.path)) }
        entryName = entry.path
        var ends: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw Problem.damaged(path: path, reason: String(cString: strerror(errno)))
        }
        (descriptor, writeEnd) = (ends[0], ends[1])
        let writeEnd = self.writeEnd
        // The archive and its entry go to the inflating thread and are used by it alone; `failure` is written by it
        // before `done` is signalled and read by `finish` after.
        let handed = Handed(archive: archive, entry: entry)
        let thread = Thread { [self] in
            do {
                var crc: UInt = 0
                _ = try handed.archive.extract(handed.entry, bufferSize: 1 << 18, skipCRC32: true) { data in
                    try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                        crc = crc32(crc, bytes.bindMemory(to: UInt8.self).baseAddress, UInt32(bytes.count))
                        var offset = 0
                        while offset < bytes.count {
                            let sent = send(writeEnd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                            if sent < 0 {
                                if errno == EINTR { continue }
                                throw Problem.damaged(path: path, reason: "the reader stopped")
                            }
                            offset += sent
                        }
                    }
                }
                if UInt32(crc) != handed.entry.checksum {
                    throw Problem.damaged(path: path, reason: "\(handed.entry.path) does not match its checksum (CRC-32)")
                }
            } catch {
                failure = error is Problem ? error : Problem.damaged(path: path, reason: "\(error)")
            }
            // Done before the end is visible to the reader: `finish` after the last byte always finds it so.
            done.signal()
            close(writeEnd)
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits for the inflating thread; throws what stopped it (a damaged entry, a CRC mismatch). Call it once the
    /// reader is done, whether it read to the end or not.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        // A reader that stopped before the end: closing its end stops the inflating, whose error is then expected.
        let early = done.wait(timeout: .now()) == .timedOut
        close(descriptor)
        if early { done.wait() }
        if !early, let failure { throw failure }
    }

    deinit {
        try? finish()
    }
}

private struct Handed: @unchecked Sendable {
    let archive: Archive
    let entry: Entry
}
