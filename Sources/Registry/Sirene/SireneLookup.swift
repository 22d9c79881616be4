import Persistence

// The registry's startups meet the register: an establishment of the latest snapshot by SIRET or SIREN (`startup
// add --from-sirene`), a startup's establishment (`startup show`), the startups the snapshot no longer holds
// (`check --sirene`).

/// One establishment of a SIRENE snapshot, with the names of its commune and band.
public struct SireneEstablishment: Equatable, Sendable {
    public var siret: String
    public var siren: String
    /// The usual name, else the sign; nil when SIRENE gives neither.
    public var name: String?
    /// The NAF rev. 2 sub-class; nil for an older nomenclature.
    public var nafCode: String?
    /// The commune (13055 for an establishment of a Marseille arrondissement) and its name.
    public var commune: String
    public var communeName: String?
    public var band: String?
    public var bandLabel: String?
    /// YYYY-MM-DD.
    public var created: String?
    public var headOffice: Bool?
    public var stockDate: String

    /// Where a startup's facts taken from it come from.
    public var source: String { "INSEE, SIRENE stock of establishments of \(stockDate) (SIRET \(siret))" }
}

extension RegistryStore {
    private static let establishmentSelect = """
        SELECT e.siret, e.siren, e.name, e.naf_code, e.commune, c.name, e.band, b.label, e.created, e.head_office, s.stock_date
        FROM sirene_establishments e JOIN sirene_snapshots s ON s.id = e.snapshot_id
        LEFT JOIN communes c ON c.code = e.commune LEFT JOIN headcount_bands b ON b.code = e.band
        """

    private static func establishment(from row: Row) throws -> SireneEstablishment {
        SireneEstablishment(siret: try row.get(0), siren: try row.get(1), name: try row.get(2), nafCode: try row.get(3),
                            commune: try row.get(4), communeName: try row.get(5), band: try row.get(6),
                            bandLabel: try row.get(7), created: try row.get(8), headOffice: try row.get(9),
                            stockDate: try row.get(10))
    }

    /// The establishment a SIRET names in the latest snapshot, or the head office of a SIREN.
    public func sireneEstablishment(_ identifier: String) throws -> SireneEstablishment {
        let snapshot = try sireneSnapshot()
        let rule = "is a SIRET (fourteen digits) or a SIREN (nine), spaces and dots allowed"
        if let siret = Validate.compactDigits(identifier, count: 14) {
            guard let row = try db.rows(Self.establishmentSelect + " WHERE e.snapshot_id = ? AND e.siret = ?",
                                        [.integer(snapshot.id), .text(siret)]).first else {
                throw RegistryError.invalidRequest(
                    "the SIRENE snapshot of \(snapshot.stockDate) has no active establishment with SIRET \(siret) (\(Self.kept(snapshot)))")
            }
            return try Self.establishment(from: row)
        }
        guard let siren = Validate.compactDigits(identifier, count: 9) else {
            throw FieldError(field: "from-sirene", value: identifier, rule: rule)
        }
        let rows = try db.rows(Self.establishmentSelect + " WHERE e.snapshot_id = ? AND e.siren = ? ORDER BY e.head_office DESC, e.siret",
                               [.integer(snapshot.id), .text(siren)])
        guard let first = rows.first else {
            throw RegistryError.invalidRequest(
                "the SIRENE snapshot of \(snapshot.stockDate) has no active establishment of SIREN \(siren) (\(Self.kept(snapshot)))")
        }
        let found = try Self.establishment(from: first)
        guard found.headOffice == true else {
            let sirets = try rows.prefix(3).map { try $0.get(0, as: String.self) }.joined(separator: ", ")
            throw RegistryError.invalidRequest(
                "the SIRENE snapshot of \(snapshot.stockDate) holds \(rows.count) establishment\(rows.count == 1 ? "" : "s") of SIREN \(siren) but not its head office (\(sirets)\(rows.count > 3 ? ", …" : ""))",
                remedy: .giveSIRET)
        }
        return found
    }

    private static func kept(_ snapshot: SireneSnapshot) -> String {
        snapshot.regions.map { "it holds region\($0.count == 1 ? "" : "s") \($0.joined(separator: ", ")) only" } ?? "it holds every region"
    }

    /// A startup's establishment in the latest snapshot: its SIRET's, else its firm's head office, else the
    /// firm's first; nil without a SIREN, without a snapshot, or when the snapshot has none of the firm's.
    public func sireneEstablishment(of startup: Startup) throws -> SireneEstablishment? {
        guard let siren = startup.siren, let snapshot = try sireneSnapshots().first else { return nil }
        return try db.rows(Self.establishmentSelect + """
             WHERE e.snapshot_id = ? AND e.siren = ? ORDER BY e.siret IS ? DESC, e.head_office IS 1 DESC, e.siret LIMIT 1
            """, [.integer(snapshot.id), .text(siren), startup.siret.map(SQLValue.text) ?? .null]).first.map(Self.establishment(from:))
    }

    /// The registered startups with a SIREN of which the latest snapshot has no active establishment (ceased,
    /// moved out of its regions, or a wrong SIREN), in name order; and how many startups have no SIREN to look for.
    public func startupsMissingFromSirene() throws -> (snapshot: SireneSnapshot, missing: [Startup], withoutSIREN: Int64) {
        let snapshot = try sireneSnapshot()
        let missing = try db.rows(Self.startupSelect + """
             WHERE s.siren IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sirene_establishments e WHERE e.siren = s.siren AND e.snapshot_id = ?)
             ORDER BY s.name COLLATE NOCASE, s.id
            """, [.integer(snapshot.id)]).map(Self.startup(from:))
        let withoutSIREN: Int64 = try db.rows("SELECT count(*) FROM startups WHERE siren IS NULL")[0].get(0)
        return (snapshot, missing, withoutSIREN)
    }
}

extension StartupDraft {
    /// The draft with the fields it leaves out taken from the establishment: name, NAF code, city (the commune's
    /// name), founded year (of its creation), SIREN, and the SIRET when it is the head office's (a startup's SIRET is
    /// its head office's). The fields given stay as they are.
    public func filling(from establishment: SireneEstablishment) -> StartupDraft {
        var draft = self
        draft.name = name ?? establishment.name
        draft.nafCode = nafCode ?? establishment.nafCode
        draft.city = city ?? establishment.communeName
        draft.founded = founded ?? establishment.created.map { String($0.prefix(4)) }
        if siren == nil && siret == nil {
            draft.siren = establishment.siren
            if establishment.headOffice == true { draft.siret = establishment.siret }
        }
        return draft
    }
}
