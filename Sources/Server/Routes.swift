import Hummingbird
import Registry

/// The JSON API under /api/v1: each object is the registry's public shape (Registry/Shape), exactly what the
/// CLI's `--format json` prints for the same command.
struct APIRoutes {
    let registry: SharedRegistry

    /// At most this many startups in one page; `limit` defaults to `defaultPageSize`.
    static let maximumPageSize = 1_000
    static let defaultPageSize = 100

    func register(on router: some RouterMethods<BasicRequestContext>) {
        router.get("startups", use: startups)
        router.get("startups/:ref", use: startup)
        router.get("accelerators") { request, _ in try await self.listing(request) { try .accelerators($0.accelerators()) } }
        router.get("accelerators/:ref/firms", use: firms)
        router.get("sectors") { request, _ in try await self.listing(request) { try .sectors($0.sectors()) } }
        router.get("partners") { request, _ in try await self.listing(request) { try .partners($0.partners()) } }
        router.get("territories") { request, _ in try await self.listing(request) { try .territories($0.territories()) } }
        router.get("stats/:name", use: statistic)
    }

    /// `GET /api/v1/startups?sector=&city=&accelerator=&q=&sort=&limit=&offset=&exclude_synthetic=`:
    /// `{"items": [...], "total": N, "next": URL or null}`.
    @Sendable func startups(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = try Query(request, allowed: ["sector", "city", "accelerator", "q", "sort", "limit", "offset", "exclude_synthetic"])
        let limit = try query.integer("limit", in: 0...Self.maximumPageSize) ?? Self.defaultPageSize
        let offset = try query.integer("offset", in: 0...Int(Int32.max)) ?? 0
        let filter = StartupFilter(accelerator: query.text("accelerator"), sector: query.text("sector"), city: query.text("city"),
                                   search: query.text("q"), sort: try query.choice("sort", StartupFilter.Sort.self) ?? .name,
                                   limit: limit, offset: offset, excludeSynthetic: try query.flag("exclude_synthetic"))
        let (items, total) = try await registry.read { store in (try store.startups(filter), try store.countStartups(filter)) }
        var out = "{\"items\":"
        JSONText.array(.startups(items), into: &out)
        out += ",\"total\":\(total),\"next\":"
        if offset + items.count < total && limit > 0 {
            JSONText.string(Self.next(request, offset: offset + items.count), into: &out)
        } else {
            out += "null"
        }
        return .json(out + "}\n")
    }

    /// The same request with another offset: the link to the next page.
    static func next(_ request: Request, offset: Int) -> String {
        var pairs = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("offset=") && $0 != "offset" }.map(String.init)
        pairs.append("offset=\(offset)")
        return request.uri.path + "?" + pairs.joined(separator: "&")
    }

    /// `GET /api/v1/startups/{ref}`: ref is an id, a SIREN or a name (case and accents ignored).
    @Sendable func startup(_ request: Request, context: BasicRequestContext) async throws -> Response {
        _ = try Query(request, allowed: [])
        let reference = try Query.decoded(Substring(try context.parameters.require("ref")), what: "the reference in the path")
        let report = try await registry.read { try Report.startup($0.startup(reference)) }
        return .json(Self.object(report))
    }

    /// `GET /api/v1/accelerators/{ref}/firms`: the programme's startups with their cohort there.
    @Sendable func firms(_ request: Request, context: BasicRequestContext) async throws -> Response {
        _ = try Query(request, allowed: [])
        let reference = try Query.decoded(Substring(try context.parameters.require("ref")), what: "the reference in the path")
        let report = try await registry.read { try Report.firms($0.firms(of: reference)) }
        return .json(Self.array(report))
    }

    func listing(_ request: Request, _ body: @escaping @Sendable (RegistryStore) throws -> Report) async throws -> Response {
        _ = try Query(request, allowed: [])
        return .json(Self.array(try await registry.read(body)))
    }

    /// The statistics of `frenchtech stats NAME`, with its options as query parameters.
    enum Statistic: String, CaseIterable {
        case jobsBySector = "jobs-by-sector", regionalShare = "regional-share", byAccelerator = "by-accelerator",
             byCity = "by-city", summary
    }

    @Sendable func statistic(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let statistic = Statistic(rawValue: name) else {
            throw APIError(status: .notFound, code: "not_found",
                           message: "no statistic '\(name)'; the statistics are \(Statistic.allCases.map(\.rawValue).joined(separator: ", "))",
                           value: name)
        }
        switch statistic {
        case .jobsBySector:
            let query = try Query(request, allowed: ["accelerator", "city", "exclude_synthetic"])
            let scope = StatsScope(accelerator: query.text("accelerator"), city: query.text("city"), excludeSynthetic: try query.flag("exclude_synthetic"))
            return .json(Self.array(try await registry.read { try .sectorFigures($0.jobsBySector(scope)) }))
        case .regionalShare:
            let query = try Query(request, allowed: ["by", "territory", "exclude_synthetic"])
            if let by = query.text("by"), by != "sector" {
                throw APIError.badRequest("query parameter 'by' must be sector", field: "by", value: by)
            }
            let (territory, bySector, synthetic) = (query.text("territory"), query.text("by") == "sector", try query.flag("exclude_synthetic"))
            let record = try await registry.read { try Record.regionalShare($0.regionalShare(territory: territory, bySector: bySector, excludeSynthetic: synthetic)) }
            var out = ""
            JSONText.record(record, into: &out)
            return .json(out + "\n")
        case .byAccelerator:
            let synthetic = try Query(request, allowed: ["exclude_synthetic"]).flag("exclude_synthetic")
            return .json(Self.array(try await registry.read { try .acceleratorFigures($0.jobsByAccelerator(excludeSynthetic: synthetic)) }))
        case .byCity:
            let synthetic = try Query(request, allowed: ["exclude_synthetic"]).flag("exclude_synthetic")
            return .json(Self.array(try await registry.read { try .cityFigures($0.jobsByCity(excludeSynthetic: synthetic)) }))
        case .summary:
            let synthetic = try Query(request, allowed: ["exclude_synthetic"]).flag("exclude_synthetic")
            return .json(Self.object(try await registry.read { try .summary($0.summary(excludeSynthetic: synthetic)) }))
        }
    }

    static func array(_ report: Report) -> String {
        var out = ""
        JSONText.array(report, into: &out)
        return out + "\n"
    }

    static func object(_ report: Report) -> String {
        var out = ""
        JSONText.object(report.keys, report.rows.first ?? [], into: &out)
        return out + "\n"
    }
}

