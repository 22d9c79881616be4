import Persistence

/// The schema and seed data this binary carries (compiled in from Migrations/ and Seeds/).
public enum Schema {
    /// Every migration of Migrations/, in order.
    public static var migrations: [Migration] {
        EmbeddedResources.files.compactMap { file in
            file.folder == "Migrations" ? Migration(fileName: file.name, sql: file.text) : nil
        }
    }

    /// The files of Seeds/, in order.
    static var seeds: [(name: String, text: String)] {
        EmbeddedResources.files.filter { $0.folder == "Seeds" }.map { ($0.name, $0.text) }
    }

    /// The schema version whose tables a seed fills: a registry migrated from before it gets the seed with the
    /// migration. The article's facts and the NAF nomenclature came with the first schema.
    static func seedVersion(_ name: String) -> Int {
        switch name.prefix(4) {
        case "0003", "0004", "0005", "0006", "0007": return 7
        default: return 1
        }
    }

    /// The seed of the article's facts, which `init --empty` leaves out and no upgrade reloads.
    static func isArticleFacts(_ name: String) -> Bool {
        name.hasPrefix("0001_")
    }

    /// A table of reference data and the columns of its seed file, in order (the names are the table's).
    struct ReferenceTable {
        let name: String
        let columns: [String]
    }

    /// The table a CSV seed fills, by its name.
    static func referenceTable(_ seed: String) -> ReferenceTable? {
        let tables = [
            "naf_rev2": ReferenceTable(name: "naf_codes", columns: ["code", "label", "class_code", "class_label", "group_code", "group_label",
                                                                   "division_code", "division_label", "section_code", "section_label"]),
            "regions": ReferenceTable(name: "regions", columns: ["code", "name", "chef_lieu"]),
            "departments": ReferenceTable(name: "departments", columns: ["code", "region", "name", "chef_lieu"]),
            "epci": ReferenceTable(name: "epcis", columns: ["siren", "name", "kind", "communes", "population_2025"]),
            "communes": ReferenceTable(name: "communes", columns: ["code", "kind", "name", "department", "region", "parent",
                                                                  "epci_siren", "population_2025"]),
        ]
        return tables.first { seed.hasSuffix(".csv") && seed.contains("_\($0.key)") }?.value
    }

    public static func migrator() throws -> Migrator {
        try Migrator(migrations: migrations)
    }
}
