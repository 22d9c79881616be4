// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "frenchtech",
    products: [
        .executable(name: "frenchtech", targets: ["frenchtech"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The distribution's libsqlite3 (Debian: libsqlite3-dev). Only Persistence imports it.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "Persistence", dependencies: ["CSQLite"]),
        // RFC 4180 reader and writer over bytes, shared by import, export, seeds and output.
        .target(name: "CSVStream"),
        .target(
            name: "Registry",
            dependencies: ["Persistence", "CSVStream"],
            plugins: ["EmbedResources"]
        ),
        .executableTarget(
            name: "frenchtech",
            dependencies: [
                "Registry",
                // Imported for the `sql` command's read-only queries and the database's limits.
                "Persistence",
                "CSVStream",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Build-time only: turns Migrations/*.sql and Seeds/* into Swift string literals so the
        // binary carries its schema and seed data and works copied alone.
        .executableTarget(name: "EmbedResourcesTool"),
        .plugin(
            name: "EmbedResources",
            capability: .buildTool(),
            dependencies: ["EmbedResourcesTool"]
        ),
        .testTarget(name: "PersistenceTests", dependencies: ["Persistence"]),
        .testTarget(
            name: "CSVStreamTests",
            dependencies: ["CSVStream", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "RegistryTests",
            dependencies: ["Registry", "Persistence", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["frenchtech", "Registry", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
    ]
)
