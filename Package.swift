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
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // The server. Its default traits pull in full Foundation and swift-configuration, which the registry
        // does not use: left out, for the binary's start-up time and size.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The distribution's libsqlite3 (Debian: libsqlite3-dev). Only Persistence imports it.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "Persistence", dependencies: ["CSQLite"]),
        // zlib's crc32 for the zip stream (Debian: zlib1g-dev); only Workbook imports it.
        .systemLibrary(name: "CZlibCRC", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // RFC 4180 reader and writer over bytes, shared by import, export, seeds and output.
        .target(name: "CSVStream"),
        // .xlsx reader and writer (ZIP through ZIPFoundation, XML through its own streaming scanner) and the
        // sniffing of a file's kind. It knows nothing of the registry.
        .target(
            name: "Workbook",
            dependencies: ["CZlibCRC", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "Registry",
            dependencies: ["Persistence", "CSVStream"],
            plugins: ["EmbedResources"]
        ),
        // `frenchtech serve`: the registry's JSON API over HTTP (Hummingbird 2), on the shared shape and errors.
        .target(
            name: "Server",
            dependencies: [
                "Registry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "frenchtech",
            dependencies: [
                "Registry",
                "Server",
                // Imported for the `sql` command's read-only queries and the database's limits.
                "Persistence",
                "CSVStream",
                "Workbook",
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
            dependencies: ["Registry", "Persistence", "CSVStream", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "WorkbookTests", dependencies: ["Workbook"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Registry",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["frenchtech", "Registry", "Workbook", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
    ]
)
