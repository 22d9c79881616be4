import Persistence

/// What went wrong, said for the person at the keyboard: what was wrong and what to do.
public struct RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The data given breaks a rule (exit 65).
        case invalidData
        /// A database or input file that does not exist (exit 66).
        case missingInput
        /// Anything else (exit 1).
        case failure
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func invalid(_ message: String) -> RegistryError { RegistryError(.invalidData, message) }
}
