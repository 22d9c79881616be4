import Persistence

/// The registry for a process that serves several requests at once (a server): the file is opened once as the
/// command line opens it (checked, migrated, seeded when new), by the one store that writes; reads get stores on
/// read-only connections of their own, opened without checking or migrating again, that run side by side and
/// alongside the writer (WAL). The command line keeps its one `RegistryStore`.
///
/// `write` does not wrap its closure in a transaction: the store's methods open their own (each command writes
/// everything or nothing), and a closure that needs several in one calls `store.transaction { … }`. Writes run one
/// at a time, in the order they came. A store given to a closure must not be kept beyond its return.
public final class SharedRegistry: Sendable {
    private let pool: ConnectionPool<RegistryStore>
    public var path: String { pool.path }
    /// What opening did to the file (created, seeded, migrations applied).
    public let openReport: RegistryStore.OpenReport

    /// Opens the registry at `path` as `RegistryStore(path:createIfMissing:seed:)` does, with the same errors.
    /// A private in-memory database cannot be shared between connections: ":memory:" and "" are refused.
    public init(path: String, createIfMissing: Bool = false, seed: Bool = true, maximumReaderCount: Int = 5) throws {
        guard path != ":memory:" && !path.isEmpty else {
            throw RegistryError.invalidRequest("a shared registry needs a file, not \(path.isEmpty ? "an empty path" : path)")
        }
        let writer = try RegistryStore(path: path, createIfMissing: createIfMissing, seed: seed)
        openReport = writer.openReport
        pool = ConnectionPool(path: path, writer: writer, maximumReaderCount: maximumReaderCount) {
            try RegistryStore(readerOf: path)
        }
    }

    /// How many read-only stores are open.
    public var openReaderCount: Int { pool.openReaderCount }

    /// Runs `body` with the store that writes, after every write that came before it.
    public func write<T>(_ body: (RegistryStore) throws -> T) throws -> T { try pool.write(body) }

    public func write<T: Sendable>(_ body: @escaping @Sendable (RegistryStore) throws -> T) async throws -> T {
        try await pool.write(body)
    }

    /// Runs `body` with a read-only store that no other closure uses meanwhile: every write it tries is refused.
    public func read<T>(_ body: (RegistryStore) throws -> T) throws -> T { try pool.read(body) }

    public func read<T: Sendable>(_ body: @escaping @Sendable (RegistryStore) throws -> T) async throws -> T {
        try await pool.read(body)
    }
}
