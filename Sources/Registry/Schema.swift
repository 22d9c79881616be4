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

    public static func migrator() throws -> Migrator {
        try Migrator(migrations: migrations)
    }
}
