import Dispatch
import Registry

/// How the routes reach the registry: each request reads through its own read-only connection, off the
/// server's event loops, so that a slow query never stalls the others.
public struct RegistryAccess: Sendable {
    public let path: String

    /// Opens (and migrates) the registry once, as `frenchtech serve` starts: a missing or foreign file is
    /// refused before the server listens.
    public init(path: String) throws {
        _ = try RegistryStore(path: path)
        self.path = path
    }

    /// Runs `body` on a read-only connection, on a thread of its own.
    func read<T: Sendable>(_ body: @escaping @Sendable (RegistryStore) throws -> T) async throws -> T {
        let path = path
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body(RegistryStore(path: path, access: .readOnly)) })
            }
        }
    }
}
