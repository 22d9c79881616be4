import FoundationEssentials
import Persistence

/// What went wrong, as a value: what kind of failure, about what, and what would set it right. The registry
/// says it in a sentence that names no front end (`description`); the CLI and the server word the remedies
/// (`frenchtech startup update`, `--upsert`) and choose the exit code or HTTP status from the kind.
public struct RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What a reference names.
    public enum Entity: String, Equatable, Sendable, Codable {
        case startup, sector, accelerator, partner, territory, city, command
        case nafSet = "naf_set"
    }

    public enum Kind: Equatable, Sendable {
        /// Nothing answers to `reference`; `suggestions` are the nearest names.
        case notFound(entity: Entity, reference: String, suggestions: [String])
        /// Several rows answer to `reference`.
        case ambiguous(entity: Entity, reference: String, matches: [String])
        /// `value` of `field` is already held (by `holder`, when known).
        case duplicate(entity: Entity, field: String, value: String, holder: String?)
        /// One value breaks one rule.
        case invalidField(field: String, value: String, rule: String, suggestions: [String] = [])
        /// A combination of options or parameters that cannot be honoured (or input that is not a registry's).
        case invalidRequest
        /// The row is in use: removing or changing it would break what depends on it.
        case conflict(entity: Entity, reference: String)
        /// Another process holds the database locked past the timeout.
        case busy(path: String)
        /// The database is damaged.
        case damaged(path: String)
        /// The file is not a registry (another SQLite database, an empty file, not SQLite at all).
        case foreign(path: String)
        /// A database or input file that does not exist.
        case missingInput(path: String)
        /// Anything else.
        case failure
    }

    /// What would set it right, for a front end to word ("use `frenchtech startup update`", "PUT /startups/…").
    public enum Remedy: Equatable, Sendable {
        /// Choose one of the entity's names (listed by the front end); with suggestions, one of those.
        case list(Entity)
        /// Search the startups by a part of the name.
        case search
        /// Change the existing row instead of adding another.
        case update(Entity)
        /// Import with updates of the rows already registered.
        case upsert
        /// Import creating the sectors, or the programmes, that the registry lacks.
        case newSectors, newAccelerators
        /// Name the row by its id.
        case giveID
        /// Withdraw the enrolled startups, or force the removal.
        case withdrawOrForce
        /// Move the startups of a sector to another sector first.
        case moveStartups
        /// Look at the startup (its enrolments).
        case showStartup(Int64)
        /// Give a level and figures to create the territory, else choose a known one.
        case addTerritory
        /// Give at least one of a territory's figures.
        case giveTerritoryFigures
        /// Give the territory a parent region.
        case setParent(territory: String)
        /// Add a metropolis within a region.
        case addMetropolis
        /// Choose the territory of the statistic.
        case chooseTerritory
        /// Create a registry at the path.
        case create(path: String)
        /// Create a registry in the empty database at the path.
        case createThere(path: String)
        /// Create a registry at the path (which holds an empty file), or restore it from a backup.
        case createOrRestore(path: String)
        /// Give the path of a registry file inside the folder.
        case fileInFolder(path: String)
        /// Give the path of another registry.
        case otherRegistry
        /// Apply the pending migrations.
        case migrate(path: String)
        /// Restore the registry from a backup.
        case restoreBackup
        /// Check the values given, or the registry's rules if other tools wrote to it.
        case checkRegistry(path: String)
        /// Replace the existing file.
        case replace
        /// Give the help of the command path (for an unknown subcommand).
        case help(command: String)
        /// Give one value per parameter of the query.
        case oneValuePerParameter(parameters: Int, given: Int)
        /// Give one statement, one that only reads.
        case readingStatement
        /// Give one statement at a time.
        case oneStatement
        /// Give a statement that only reads.
        case onlyReads
        /// Add a sector.
        case addSector
        /// Choose one of the sectors (the nearest, when there are), or add it.
        case listOrAddSector
        /// Give the field's option.
        case giveOption(field: String)
        /// Look the code up in the NAF nomenclature.
        case nafCodes
        /// Give the SIREN with the SIRET, to change the firm's SIREN too.
        case alsoGiveSIREN(String)
        /// Find the EPCI's SIREN among the communes' EPCIs.
        case findEPCI
        /// See the regions' codes.
        case listRegions
        /// See the departments' codes.
        case listDepartments
        /// See the communes' codes, of the department when one is known.
        case listCommunes(department: String?)
        /// Give the territory a perimeter.
        case setPerimeter(territory: String)
        /// Choose another name, or remove the set of that name first (nil: it cannot be removed).
        case otherNameOrRemove(String?)
        /// Add a NAF set of one's own.
        case addNafSet
        /// Import INSEE's SIRENE stock as a snapshot.
        case importSirene
        /// Choose one of the snapshots' stock dates.
        case chooseStockDate
        /// Choose one of the NAF sets.
        case chooseNafSet
        /// Import the SIRENE stock again keeping these regions.
        case importRegions([String])
        /// Give the SIRET of one of the firm's establishments.
        case giveSIRET
    }

    public let kind: Kind
    /// The sentence without its remedies nor suggestions: what was wrong, in no front end's words.
    public let message: String
    public let remedies: [Remedy]

    public init(_ kind: Kind, _ message: String, remedies: [Remedy] = []) {
        self.kind = kind
        self.message = message
        self.remedies = remedies
    }

    public init(_ kind: Kind, _ message: String, remedy: Remedy) {
        self.init(kind, message, remedies: [remedy])
    }

    /// The sentence a front end that knows no remedy words would show: the message and the nearest names.
    public var description: String {
        suggestions.isEmpty ? message : message + "; " + Self.didYouMean(suggestions)
    }

    /// The nearest names to what was given (of a not-found reference, of a field's allowed values).
    public var suggestions: [String] {
        switch kind {
        case .notFound(_, _, let names), .invalidField(_, _, _, let names): names
        default: []
        }
    }

    /// The one wording of a suggestion: "did you mean 'A', 'B'?".
    public static func didYouMean(_ names: [String]) -> String {
        "did you mean \(names.map { "'\($0)'" }.joined(separator: ", "))?"
    }

    /// Whether the data or the request given was at fault (exit 65, HTTP 4xx), not the registry or its files.
    public var isInvalidData: Bool {
        switch kind {
        case .notFound, .ambiguous, .duplicate, .invalidField, .invalidRequest, .conflict: true
        case .busy, .damaged, .foreign, .missingInput, .failure: false
        }
    }

    /// The same error with one more remedy (an import's `--new-accelerators`).
    public func adding(_ remedy: Remedy) -> RegistryError {
        RegistryError(kind, message, remedies: remedies + [remedy])
    }

    static func invalidRequest(_ message: String, remedy: Remedy? = nil) -> RegistryError {
        RegistryError(.invalidRequest, message, remedies: remedy.map { [$0] } ?? [])
    }

    static func failure(_ message: String, remedy: Remedy? = nil) -> RegistryError {
        RegistryError(.failure, message, remedies: remedy.map { [$0] } ?? [])
    }
}

// MARK: For a server

extension RegistryError {
    /// The HTTP status of the error. A missing file is the server's own configuration (its registry, a file it
    /// was told to read), never a resource the client named, so it is 500 like damage and other failures; what
    /// the client named and is not there is `notFound`, 404.
    public var httpStatus: Int {
        switch kind {
        case .notFound: 404
        case .duplicate, .conflict: 409
        case .invalidField, .invalidRequest, .ambiguous: 422
        case .busy: 503
        case .damaged, .foreign, .missingInput, .failure: 500
        }
    }

    /// A stable name of the kind, for clients to branch on.
    public var code: String {
        switch kind {
        case .notFound: "not_found"
        case .ambiguous: "ambiguous"
        case .duplicate: "duplicate"
        case .invalidField: "invalid_field"
        case .invalidRequest: "invalid_request"
        case .conflict: "conflict"
        case .busy: "busy"
        case .damaged: "damaged"
        case .foreign: "foreign"
        case .missingInput: "missing_input"
        case .failure: "failure"
        }
    }

    /// `{"error": {"code": "not_found", "message": "…", "field": …, "value": …, "suggestions": […]}}`; absent
    /// members are left out.
    public struct ErrorBody: Codable, Equatable, Sendable {
        public struct Detail: Codable, Equatable, Sendable {
            public var code: String
            public var message: String
            public var entity: String?
            public var field: String?
            public var value: String?
            public var holder: String?
            public var suggestions: [String]?

            public init(code: String, message: String, entity: String? = nil, field: String? = nil, value: String? = nil,
                        holder: String? = nil, suggestions: [String]? = nil) {
                (self.code, self.message, self.entity, self.field, self.value, self.holder, self.suggestions) =
                    (code, message, entity, field, value, holder, suggestions)
            }
        }
        public var error: Detail

        public init(error: Detail) { self.error = error }
    }

    public var body: ErrorBody {
        var detail = ErrorBody.Detail(code: code, message: description)
        switch kind {
        case let .notFound(entity, reference, suggestions):
            (detail.entity, detail.value, detail.suggestions) = (entity.rawValue, reference, suggestions)
        case let .ambiguous(entity, reference, matches):
            (detail.entity, detail.value, detail.suggestions) = (entity.rawValue, reference, matches)
        case let .duplicate(entity, field, value, holder):
            (detail.entity, detail.field, detail.value, detail.holder) = (entity.rawValue, field, value, holder)
        case let .invalidField(field, value, _, suggestions):
            (detail.field, detail.value) = (field, value)
            detail.suggestions = suggestions.isEmpty ? nil : suggestions
        case let .conflict(entity, reference):
            (detail.entity, detail.value) = (entity.rawValue, reference)
        case .invalidRequest, .busy, .damaged, .foreign, .missingInput, .failure:
            break
        }
        return ErrorBody(error: detail)
    }
}

extension FieldError {
    /// The rule broken, as a registry error (for a front end that words all errors alike).
    public var registryError: RegistryError {
        RegistryError(.invalidField(field: field, value: value, rule: rule, suggestions: suggestions), message, remedies: remedies)
    }
}

extension RegistryError.Entity {
    /// "a sector", "an accelerator".
    var article: String { self == .accelerator ? "an" : "a" }
}
