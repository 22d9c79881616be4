import Persistence

/// What `generate` added.
public struct GenerateSummary: Equatable, Sendable {
    public var firms = 0
    /// The sum of the headcounts that are known.
    public var jobs: Int64 = 0
    public var enrolments = 0
}

extension RegistryStore {
    /// The article's ecosystem: 7,000 firms and 40,000 private digital jobs.
    public static let articleFirms = 7_000
    /// The most firms one `generate` adds: ten times the benchmarks' million, a few GB of registry. A larger
    /// count is a typo, and would run until the disk is full.
    public static let maximumGeneratedFirms = 10_000_000
    public static let articleJobs = 40_000

    /// Adds `count` synthetic startups, the same ones for the same seed on the same registry, with
    /// `source = synthetic`: names that say "Synthetic", valid SIRENs no other startup holds, the registry's
    /// sectors and programmes, and communes of the Aix-Marseille area. They are for demos and benchmarks,
    /// never real firms. Every row passes the rules of `startup add`. One transaction.
    public func generateStartups(count: Int, seed: UInt64) throws -> GenerateSummary {
        guard count >= 0 else { throw RegistryError.invalidRequest("invalid number of firms \(count): give 0 or more") }
        guard count <= Self.maximumGeneratedFirms else {
            throw RegistryError.invalidRequest("invalid number of firms \(count): give at most \(Self.maximumGeneratedFirms)")
        }
        return try transaction {
            let rules = try StartupRules(store: self)
            let sectors = try db.rows("SELECT name FROM sectors ORDER BY id").map { try $0.get(0, as: String.self) }
            guard !sectors.isEmpty || count == 0 else {
                throw RegistryError.invalidRequest("the registry has no sector to put firms in", remedy: .addSector)
            }
            // Programmes by sector focus: an enrolled firm mostly joins the programme of its own sector.
            let programmes = try db.rows("SELECT a.name, s.name FROM accelerators a LEFT JOIN sectors s ON s.id = a.sector_id ORDER BY a.id")
                .map { (name: try $0.get(0, as: String.self), sector: try $0.get(1, as: String?.self)) }
            var number = try Int.decode(db.scalar("SELECT count(*) FROM startups WHERE source = ?", [.text(syntheticSource)]) ?? .null)
            var random = SplitMix64(seed: seed)
            var summary = GenerateSummary()
            for _ in 0..<count {
                var name: String
                repeat {
                    number += 1
                    name = "Synthetic \(random.pick(Synthetic.firstWords)) \(random.pick(Synthetic.secondWords)) \(Synthetic.padded(number))"
                } while try db.scalar("SELECT 1 FROM startups WHERE name_key = ?", [.text(name.searchKey)]) != nil
                var siren: String
                repeat {
                    siren = Luhn.completed(Synthetic.padded(Int(random.below(100_000_000)), to: 8))
                    // La Poste's establishments follow another rule: leave its SIREN out.
                } while try siren == Validate.laPosteSIREN || db.scalar("SELECT 1 FROM startups WHERE siren = ?", [.text(siren)]) != nil
                let sector = random.pick(sectors)
                let headcount = random.below(10) == 0 ? nil : Synthetic.headcount(&random)
                var draft = StartupDraft(
                    name: name, sector: sector, siren: siren,
                    siret: random.below(2) == 0 ? Luhn.completed(siren + "0001") : nil,
                    nafCode: random.below(5) == 0 ? nil : random.pick(Synthetic.nafCodes),
                    city: random.pick(Synthetic.communes, weights: Synthetic.communeWeights),
                    employees: headcount.map(String.init),
                    founded: String(1995 + random.below(20)),
                    revenueEUR: headcount.map { String(Synthetic.revenue(employees: $0, &random)) })
                if !programmes.isEmpty && random.below(100) < 15 {
                    let own = programmes.filter { $0.sector == sector }
                    draft.accelerators = [(own.isEmpty || random.below(3) == 0 ? random.pick(programmes) : random.pick(own)).name]
                    summary.enrolments += 1
                }
                _ = try insert(rules.validate(draft), source: syntheticSource)
                summary.firms += 1
                summary.jobs += Int64(headcount ?? 0)
            }
            return summary
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a few lines, and the same numbers on every machine and Swift
/// version, which the standard library's generators and `random(in:)` do not promise.
/// Public so that tests draw reproducible choices from the same few lines.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (multiply-shift: a bias below 2^-32 for the small bounds used here).
    mutating func below(_ bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func pick<T>(_ items: [T], weights: [Int]) -> T {
        var target = below(weights.reduce(0, +))
        for (item, weight) in zip(items, weights) {
            if target < weight { return item }
            target -= weight
        }
        return items[items.count - 1]
    }
}

/// The material synthetic firms are made of.
enum Synthetic {
    static let firstWords = ["Calanques", "Massilia", "Phocée", "Étoile", "Sainte-Victoire", "Vieux-Port", "Mistral",
                             "Garrigue", "Cigale", "Lavande", "Canebière", "Frioul", "Estaque", "Luminy", "Belle-de-Mai"]
    static let secondWords = ["Data", "Pay", "Numérique", "Labs", "Cloud", "Média", "Santé", "Sécurité", "Voyages",
                              "Robotique", "Studio", "Réseaux", "Logiciels", "Systèmes", "Connect"]

    /// Communes of the Aix-Marseille-Provence metropolis, weighted by their population in thousands
    /// (INSEE legal populations, rounded: weights for demos, not data).
    static let communes = ["Marseille", "Aix-en-Provence", "Martigues", "Aubagne", "Salon-de-Provence", "Istres",
                           "La Ciotat", "Vitrolles", "Marignane", "Miramas", "Les Pennes-Mirabeau", "Allauch",
                           "Gardanne", "Pertuis", "Bouc-Bel-Air", "Châteauneuf-les-Martigues", "Plan-de-Cuques",
                           "Septèmes-les-Vallons", "Trets", "Venelles", "Cassis", "Gémenos", "Rousset"]
    static let communeWeights = [873, 147, 49, 47, 46, 44, 37, 34, 33, 27, 22, 21, 21, 21, 15, 12, 11, 11, 11, 8, 7, 6, 5]

    /// Digital activities of the NAF rev. 2 nomenclature.
    static let nafCodes = ["62.01Z", "62.02A", "62.09Z", "63.11Z", "63.12Z", "58.29C", "58.21Z", "47.91B", "59.11B", "26.11Z"]

    /// Headcount bands (lowest, highest, weight in 10,000ths), most firms very small, as in the territory's
    /// digital economy. The mean, about 6.4, makes 40,000 known jobs for the article's 7,000 firms with one
    /// headcount in ten unknown: 7,000 × 0.9 × 6.4 ≈ 40,000.
    static let headcountBands: [(low: Int, high: Int, weight: Int)] = [
        (0, 0, 3_015), (1, 2, 2_500), (3, 5, 1_800), (6, 9, 1_200), (10, 19, 900), (20, 49, 450),
        (50, 99, 100), (100, 249, 30), (250, 499, 5),
    ]

    static func headcount(_ random: inout SplitMix64) -> Int {
        let band = random.pick(headcountBands, weights: headcountBands.map(\.weight))
        return band.low + random.below(band.high - band.low + 1)
    }

    /// About 200,000 euros a job, the article's ratio (8 billion euros for 40,000 jobs); a firm without
    /// employees has some revenue all the same.
    static func revenue(employees: Int, _ random: inout SplitMix64) -> Int {
        max(employees, 1) * (150_000 + random.below(100_001))
    }

    static func padded(_ number: Int, to width: Int = 6) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
