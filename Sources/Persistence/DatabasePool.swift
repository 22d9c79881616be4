import Dispatch

/// One writer and many readers on one SQLite file, for a process that serves several requests at once (a
/// server), after GRDB's DatabasePool: the writer connection is used only on its own serial queue, so writes
/// run one at a time in the order they came; readers are read-only connections checked out of a pool, at most
/// `maximumReaderCount` at once, so reads run side by side. In WAL mode readers are concurrent with the writer
/// and each read sees the database as the last commit before it began left it, never a half-written change.
///
/// Unlike GRDB's, `write` does not open a transaction around its closure: the closure is given the writer
/// connection and opens its own transactions (`db.transaction { … }`), as the registry's store methods do.
/// A write is exclusive of every other write, not a transaction by itself.
///
/// Connections are closed when the pool goes away (`Database` and whatever `Connection` wraps one close in
/// `deinit`); a closure must not keep its connection beyond its return.
///
/// `@unchecked Sendable`: the connections are not Sendable, and never leave the pool but as the argument of a
/// closure that runs while the pool holds them for it alone: the writer only ever on `writerQueue` (one closure
/// at a time), a reader only between its checkout and its return, under `readerPermits` and `readerLock`
/// (the list of idle readers is only touched on `readerLock`). Nothing else is mutable.
public final class ConnectionPool<Connection>: @unchecked Sendable {
    public let path: String
    /// The most read-only connections open at once.
    public let maximumReaderCount: Int

    private let writer: Connection
    private let writerQueue: DispatchQueue
    private let onWriterQueue = DispatchSpecificKey<Void>()
    private let makeReader: () throws -> Connection
    private let readerPermits: DispatchSemaphore
    private let readerLock = DispatchQueue(label: "frenchtech.pool.readers")
    private var idleReaders: [Connection] = []
    private var readerCount = 0

    /// A pool on `writer`, whose readers `makeReader` opens when a read finds none idle.
    public init(path: String, writer: Connection, maximumReaderCount: Int = 5, makeReader: @escaping () throws -> Connection) {
        precondition(maximumReaderCount > 0, "a pool needs at least one reader")
        self.path = path
        self.writer = writer
        self.maximumReaderCount = maximumReaderCount
        self.makeReader = makeReader
        readerPermits = DispatchSemaphore(value: maximumReaderCount)
        writerQueue = DispatchQueue(label: "frenchtech.pool.writer")
        writerQueue.setSpecific(key: onWriterQueue, value: ())
    }

    /// Readers close first, the writer last: the last connection to close a WAL database checkpoints it and
    /// removes the -wal, which a read-only one cannot do.
    deinit { idleReaders.removeAll() }

    /// How many read-only connections are open (idle or in use).
    public var openReaderCount: Int { readerLock.sync { readerCount } }

    // MARK: Writes

    /// Runs `body` with the writer connection, after every write that came before it and before any other.
    /// A write inside a write would wait for itself: it stops the process instead.
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        precondition(DispatchQueue.getSpecific(key: onWriterQueue) == nil, "write called from inside a write on the same pool")
        return try writerQueue.sync { try body(writer) }
    }

    /// `write`, without holding a thread of Swift's cooperative pool while it waits its turn.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writerQueue.async {
                continuation.resume(with: Result { try body(self.writer) })
            }
        }
    }

    // MARK: Reads

    /// Runs `body` with a read-only connection that no other closure uses meanwhile; waits while every reader is busy.
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let reader = try checkOutReader()
        defer { checkIn(reader) }
        return try body(reader)
    }

    /// `read`, without holding a thread of Swift's cooperative pool while it waits for a reader.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.read(body) })
            }
        }
    }

    private func checkOutReader() throws -> Connection {
        readerPermits.wait()
        let idle: Connection? = readerLock.sync {
            if let reader = idleReaders.popLast() { return reader }
            readerCount += 1
            return nil
        }
        if let idle { return idle }
        do {
            return try makeReader()
        } catch {
            readerLock.sync { readerCount -= 1 }
            readerPermits.signal()
            throw error
        }
    }

    private func checkIn(_ reader: Connection) {
        readerLock.sync { idleReaders.append(reader) }
        readerPermits.signal()
    }
}

/// One writer and many readers of `Database`s on one file.
public typealias DatabasePool = ConnectionPool<Database>

extension ConnectionPool where Connection == Database {
    /// Opens the writer on `path` (created if missing, switched to WAL: readers then never wait for it); readers
    /// are opened read-only when first needed. The file must be a database that `Database` opens.
    public convenience init(path: String, maximumReaderCount: Int = 5) throws(SQLiteError) {
        let writer = try Database(path: path, mode: .readWriteCreate)
        self.init(path: path, writer: writer, maximumReaderCount: maximumReaderCount) {
            try Database(path: path, mode: .readOnly)
        }
    }
}
