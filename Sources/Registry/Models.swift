/// A registered startup as shown to users.
public struct Startup: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var siren: String?
    public var siret: String?
    public var sector: String
    public var nafCode: String?
    public var city: String?
    /// nil when the headcount is unknown (not zero).
    public var employees: Int64?
    public var founded: Int64?
    public var revenueEUR: Int64?
    public var source: String
    /// The programmes it is enrolled in, by name, in name order.
    public var accelerators: [String]
}

/// A startup's enrolment in one programme.
public struct Membership: Equatable, Sendable {
    public var accelerator: String
    public var cohort: Int64?
}

public struct Accelerator: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var pilot: String
    public var sector: String?
    /// How many startups are enrolled.
    public var firms: Int64
    public var source: String
}

public struct Partner: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case city, intercommunality, state, region, other
    }
    public var id: Int64
    public var name: String
    public var kind: Kind
    public var role: String?
    public var source: String
}

public struct Sector: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var description: String?
    /// Startups in the sector.
    public var firms: Int64
    public var source: String
}

/// A startup as typed by a user or read from a spreadsheet: raw text, validated by `StartupRules`.
/// nil means "not given" (an update keeps the current value); an empty string means "none" (NULL).
public struct StartupDraft: Equatable, Sendable {
    public var name: String?
    public var sector: String?
    public var siren: String?
    public var siret: String?
    public var nafCode: String?
    public var city: String?
    public var employees: String?
    public var founded: String?
    public var revenueEUR: String?
    /// Programmes to enrol in (by name or id); nil when not given.
    public var accelerators: [String]?
    public var cohort: String?

    public init(name: String? = nil, sector: String? = nil, siren: String? = nil, siret: String? = nil,
                nafCode: String? = nil, city: String? = nil, employees: String? = nil, founded: String? = nil,
                revenueEUR: String? = nil, accelerators: [String]? = nil, cohort: String? = nil) {
        self.name = name
        self.sector = sector
        self.siren = siren
        self.siret = siret
        self.nafCode = nafCode
        self.city = city
        self.employees = employees
        self.founded = founded
        self.revenueEUR = revenueEUR
        self.accelerators = accelerators
        self.cohort = cohort
    }
}

extension StartupDraft {
    /// A registered startup's fields, as the base a correction overrides.
    init(_ current: Startup) {
        self.init(name: current.name, sector: current.sector, siren: current.siren, siret: current.siret,
                  nafCode: current.nafCode, city: current.city, employees: current.employees.map(String.init),
                  founded: current.founded.map(String.init), revenueEUR: current.revenueEUR.map(String.init))
    }
}

/// Which startups a listing or an export covers.
public struct StartupFilter: Equatable, Sendable {
    public enum Sort: String, CaseIterable, Sendable {
        case name, employees, founded
        /// The order startups were registered in (by id): an export's, the quickest to read.
        case id
    }
    public var accelerator: String?
    public var sector: String?
    public var city: String?
    /// Text found in the name (case and accents ignored), or a SIREN.
    public var search: String?
    public var sort: Sort = .name
    public var limit: Int?
    /// Rows skipped before the first one given (a page of the API).
    public var offset = 0
    public var excludeSynthetic = false

    public init(accelerator: String? = nil, sector: String? = nil, city: String? = nil, search: String? = nil,
                sort: Sort = .name, limit: Int? = nil, offset: Int = 0, excludeSynthetic: Bool = false) {
        self.accelerator = accelerator
        self.sector = sector
        self.city = city
        self.search = search
        self.sort = sort
        self.limit = limit
        self.offset = offset
        self.excludeSynthetic = excludeSynthetic
    }
}

/// The `source` of rows made by `frenchtech generate`: synthetic, never real firms.
public let syntheticSource = "synthetic"
