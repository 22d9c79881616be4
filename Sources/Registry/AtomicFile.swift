import CSVStream
#if canImport(Glibc)
import Glibc
#endif

/// A file written whole or not at all, for every command that writes one (`export -o`, `backup`): the bytes go
/// to a temporary file beside the target, synced, then renamed over it and the folder synced. The temporary is
/// created exclusively under an unpredictable name and never through a symbolic link, so that nothing planted
/// beside the target can redirect the write; it is removed on failure and when SIGINT, SIGTERM or SIGHUP ends
/// the process. Made by `RegistryStore.createFile(at:replacing:)`, which refuses the registry's own files.
public final class AtomicFile {
    /// The target as it was given, for messages.
    public let path: String
    /// Where the file goes: the target with its folder and any symbolic link resolved.
    public let destination: String
    /// The temporary file, beside `destination`.
    public let temporaryPath: String
    /// Open for writing on the temporary file until `commit()` or `abandon()`; write with `writeAll`.
    public private(set) var descriptor: Int32
    private let folder: String
    private let cleanup: TemporaryFiles.Entry
    private var done = false

    /// Suffixes of files that a writer of the temporary may make beside it (SQLite's journals), removed with it.
    static let sqliteNeighbours = ["-journal", "-wal", "-shm"]

    init(path: String, replacing: Bool, protecting registry: String, exampleName: String) throws {
        self.path = path
        let target = try Self.resolve(path, replacing: replacing, exampleName: exampleName)
        destination = target.destination
        try Self.refuseRegistry(target, path: path, registry: registry)
        folder = String(destination[..<destination.lastIndex(of: "/")!])
        let name = destination[destination.index(after: destination.lastIndex(of: "/")!)...]
        var descriptor: Int32 = -1
        var temporary = ""
        var entry: TemporaryFiles.Entry?
        for _ in 0..<8 {
            temporary = "\(folder)/.\(name).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            // Registered before it exists: a signal between open and registration would leave it behind.
            entry = TemporaryFiles.register([temporary] + Self.sqliteNeighbours.map { temporary + $0 })
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 { break }
            let reason = errno
            TemporaryFiles.unregister(entry!)
            entry = nil
            guard reason == EEXIST else {
                throw RegistryError.failure("cannot write \(path): \(String(cString: strerror(reason))); check that its folder is writable")
            }
        }
        guard let entry, descriptor >= 0 else {
            throw RegistryError.failure("cannot write \(path): could not create a temporary file beside it; try again")
        }
        if let mode = target.mode { fchmod(descriptor, mode) }
        self.descriptor = descriptor
        temporaryPath = temporary
        cleanup = entry
    }

    deinit { abandon() }

    /// Puts the complete file in place: sync it, rename it over the target, sync the folder for the new name.
    public func commit() throws {
        guard !done else { return }
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            descriptor = -1
            abandon()
            throw RegistryError.failure("cannot write \(path): \(reason)")
        }
        descriptor = -1
        guard rename(temporaryPath, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            abandon()
            throw RegistryError.failure("cannot put \(path) in place: \(reason)")
        }
        done = true
        removeNeighbours()
        TemporaryFiles.unregister(cleanup)
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Removes the temporary file; the target is left as it was. Safe to call more than once.
    public func abandon() {
        guard !done else { return }
        done = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
        removeNeighbours()
        TemporaryFiles.unregister(cleanup)
    }

    private func removeNeighbours() {
        for suffix in Self.sqliteNeighbours { unlink(temporaryPath + suffix) }
    }

    // MARK: The target

    struct Target {
        var destination: String
        /// The existing file's permissions, kept by its replacement.
        var mode: mode_t?
        var device: dev_t?
        var inode: ino_t?
    }

    /// Checks that the target is a regular file or a free name, and resolves its folder and any symbolic link.
    /// Missing folders are created (`backup backups/today.sqlite` on a fresh clone).
    static func resolve(_ path: String, replacing: Bool, exampleName: String) throws -> Target {
        guard !path.isEmpty else { throw RegistryError.failure("the path to write is empty; give the path of a file") }
        var link = stat()
        if lstat(path, &link) == 0 {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw RegistryError.failure("\(path) is a symbolic link to nothing (\(String(cString: strerror(errno)))); remove it or give another path")
            }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR {
                throw RegistryError.failure("\(path) is a folder; give the path of a file in it, e.g. \(path.hasSuffix("/") ? path : path + "/")\(exampleName)")
            }
            guard kind == S_IFREG else {
                let name = switch kind {
                case S_IFCHR: "a character device"
                case S_IFBLK: "a block device"
                case S_IFIFO: "a named pipe (FIFO)"
                case S_IFSOCK: "a socket"
                default: "not a regular file"
                }
                throw RegistryError.failure("\(path) is \(name), not a regular file; give the path of a regular file to write")
            }
            guard replacing else {
                throw RegistryError.failure("\(path) already exists", remedy: .replace)
            }
            guard let real = realpath(path, nil) else {
                throw RegistryError.failure("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            defer { free(real) }
            return Target(destination: String(cString: real), mode: info.st_mode & 0o777, device: info.st_dev, inode: info.st_ino)
        }
        guard errno == ENOENT else {
            throw RegistryError.failure("cannot write \(path): \(String(cString: strerror(errno))); check the folders on its path")
        }
        let slash = path.lastIndex(of: "/")
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let parent = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard !name.isEmpty, name != ".", name != ".." else {
            throw RegistryError.failure("\(path) is a folder; give the path of a file in it, e.g. \(path)/\(exampleName)")
        }
        try makeFolders(parent, for: path)
        guard let real = realpath(parent, nil) else {
            throw RegistryError.failure("cannot write \(path): \(String(cString: strerror(errno))); check the folders on its path")
        }
        defer { free(real) }
        let folder = String(cString: real)
        return Target(destination: (folder == "/" ? "" : folder) + "/" + name)
    }

    /// `mkdir -p`: each missing folder of `folder`, mode 0755 less the umask.
    static func makeFolders(_ folder: String, for path: String) throws {
        var info = stat()
        guard stat(folder, &info) != 0 else { return }
        var prefix = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw RegistryError.failure("cannot create the folder \(prefix) for \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The registry, its WAL, its index and its journal are never a target, however named: the same name once
    /// folders and links are resolved, or the same file (device and inode: a hard link).
    static func refuseRegistry(_ target: Target, path: String, registry: String) throws {
        // SQLite names its files after the registry's real path; the name as given, folder resolved, as well.
        let slash = registry.lastIndex(of: "/")
        let folder = slash.map { $0 == registry.startIndex ? "/" : String(registry[..<$0]) } ?? "."
        let name = slash.map { String(registry[registry.index(after: $0)...]) } ?? registry
        var names: [String] = []
        for (path, suffix) in [(registry, ""), (folder, "/" + name)] {
            guard let real = realpath(path, nil) else { continue }
            names.append(String(cString: real) + suffix)
            free(real)
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            var info = stat()
            let sameFile = target.inode != nil && stat(registry + suffix, &info) == 0
                && info.st_dev == target.device && info.st_ino == target.inode
            if sameFile || names.contains(where: { $0 + suffix == target.destination }) {
                let what = suffix.isEmpty ? "the registry itself" : "the registry's \(suffix) file"
                throw RegistryError.failure("\(path) is \(what) (\(registry + suffix)); give another path to write")
            }
        }
    }
}

extension RegistryStore {
    /// A file to write whole or not at all at `path`, never over this registry or its WAL, index or journal.
    /// `exampleName` completes the message when `path` is a folder.
    public func createFile(at path: String, replacing: Bool, exampleName: String) throws -> AtomicFile {
        try AtomicFile(path: path, replacing: replacing, protecting: self.path, exampleName: exampleName)
    }
}

extension AtomicFile {
    /// `RegistryStore.createFile` for a front end that has the registry's path but not its store open (yet).
    public static func create(at path: String, replacing: Bool, protecting registry: String, exampleName: String) throws -> AtomicFile {
        try AtomicFile(path: path, replacing: replacing, protecting: registry, exampleName: exampleName)
    }
}

/// Temporary files to remove if a signal ends the process, as C strings made in advance: the handler may only
/// call async-signal-safe functions (unlink, signal, raise).
enum TemporaryFiles {
    struct Entry {
        var slots: [Int]
    }

    static let capacity = 64
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let paths = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        paths.initialize(repeating: nil, count: capacity)
        return paths
    }()
    nonisolated(unsafe) static var installed = false
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    static func register(_ names: [String]) -> Entry {
        withSignalsBlocked {
            _ = paths  // made before any handler can read it
            if !installed {
                installed = true
                for number in signals {
                    // A signal the caller ignores (nohup, a background job) stays ignored.
                    let previous = signal(number, removeTemporariesAndDie)
                    if let previous, unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                        signal(number, SIG_IGN)
                    }
                }
            }
            var slots: [Int] = []
            for name in names {
                guard let slot = (0..<capacity).first(where: { paths[$0] == nil }) else { break }
                paths[slot] = strdup(name)
                slots.append(slot)
            }
            return Entry(slots: slots)
        }
    }

    static func unregister(_ entry: Entry) {
        withSignalsBlocked {
            for slot in entry.slots {
                let name = paths[slot]
                paths[slot] = nil
                free(name)
            }
        }
    }

    private static func withSignalsBlocked<T>(_ body: () -> T) -> T {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for number in signals { sigaddset(&blocked, number) }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return body()
    }
}

/// Removes the registered temporaries, then lets the signal do what it would have done: the process ends with
/// the usual status (130 in the shell for Ctrl-C).
private func removeTemporariesAndDie(_ number: Int32) {
    let paths = TemporaryFiles.paths
    for slot in 0..<TemporaryFiles.capacity {
        if let name = paths[slot] { unlink(name) }
    }
    signal(number, SIG_DFL)
    raise(number)
}
