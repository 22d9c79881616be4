import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A time budget for the statements run on one connection, kept by SQLite's progress handler: once it is
/// spent, the running statement ends with SQLITE_INTERRUPT. Time spent in `excluding` (writing rows out, a
/// reader of a pipe that is slow to take them) is not counted, so only SQLite's own work uses the budget.
public final class TimeLimit {
    public let seconds: Double
    fileprivate var deadline: UInt64
    /// Set once the handler has stopped a statement.
    public fileprivate(set) var hasExpired = false

    init(seconds: Double) {
        self.seconds = seconds
        deadline = TimeLimit.now() &+ UInt64(min(max(seconds, 0), 1e9) * 1e9)
    }

    /// Runs `body` without counting its time.
    public func excluding<T>(_ body: () throws -> T) rethrows -> T {
        let start = TimeLimit.now()
        defer { deadline &+= TimeLimit.now() &- start }
        return try body()
    }

    /// Nanoseconds of the monotonic clock: never set back by a change of the system time.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

extension Database {
    /// How many virtual-machine steps SQLite runs between two looks at the clock (about a microsecond's work).
    static let progressInterval: Int32 = 1_000

    /// Runs `body` with every statement on this connection stopped (SQLITE_INTERRUPT) once they have run
    /// `seconds` in all. No signal, thread or `sqlite3_interrupt` is involved: SQLite asks, between steps.
    public func withTimeLimit<T>(seconds: Double, _ body: (TimeLimit) throws -> T) rethrows -> T {
        let limit = TimeLimit(seconds: seconds)
        let context = Unmanaged.passUnretained(limit).toOpaque()
        sqlite3_progress_handler(handle, Database.progressInterval, { context in
            let limit = Unmanaged<TimeLimit>.fromOpaque(context!).takeUnretainedValue()
            guard TimeLimit.now() >= limit.deadline else { return 0 }
            limit.hasExpired = true
            return 1
        }, context)
        defer {
            sqlite3_progress_handler(handle, 0, nil, nil)
            withExtendedLifetime(limit) {}
        }
        return try body(limit)
    }

    /// Caps the memory SQLite may allocate in this process (`sqlite3_hard_heap_limit64`): past it an allocation
    /// fails and the statement ends with SQLITE_NOMEM instead of the process growing without bound. SQLite
    /// enforces a heap limit only with its memory statistics on, which `Database` otherwise turns off (they cost
    /// the import a mutex per allocation), so this must run before the first connection opens; it returns false
    /// when too late.
    @discardableResult
    public static func limitHeap(toBytes bytes: Int64) -> Bool {
        guard frenchtech_enable_memory_statistics() == SQLITE_OK else { return false }
        sqlite3_hard_heap_limit64(bytes)
        return true
    }
}
