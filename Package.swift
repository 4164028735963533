// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "salesync",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "salesync", targets: ["salesync"]),
        .library(name: "SaleSyncCore", targets: ["SaleSyncCore"]),
        .library(name: "SaleSyncTesting", targets: ["SaleSyncTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, wrapped as system-library modules.
        .systemLibrary(
            name: "CMariaDB", path: "Sources/CMariaDB", pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]),
        .systemLibrary(
            name: "CRabbitMQ", path: "Sources/CRabbitMQ", pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // Thin Swift wrappers that own the C handles.
        .target(name: "MariaDB", dependencies: ["CMariaDB"]),
        .target(name: "AMQP", dependencies: ["CRabbitMQ"]),
        .target(name: "Zlib", dependencies: ["CZlib"]),

        // The domain: capture, bundle codec, state, transport, ingest.
        .target(
            name: "SaleSyncCore",
            dependencies: [
                "MariaDB", "AMQP", "Zlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        // The web console (`salesync serve`): pages and JSON API over the same core.
        .target(
            name: "SaleSyncWeb",
            dependencies: [
                "SaleSyncCore", "MariaDB",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "salesync",
            dependencies: [
                "SaleSyncCore", "SaleSyncWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // No symbol table for dlopen'ed code (none is loaded): the Swift runtime's start-up
            // looks its own address up in it, about 1 ms per command in a 160 MB binary.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])]),

        // Test support: the integration tests' lab and the bundle reader's fuzzing entry.
        .target(
            name: "SaleSyncTesting",
            dependencies: [
                "SaleSyncCore", "MariaDB", "AMQP", "Zlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        .testTarget(name: "SaleSyncCoreTests", dependencies: ["SaleSyncCore", "SaleSyncTesting", "Zlib"]),
        .testTarget(name: "SaleSyncWebTests", dependencies: ["SaleSyncWeb", "SaleSyncCore", "MariaDB"]),
        // Fixtures/: databases as the previous release left them (MigrationTests loads them).
        .testTarget(
            name: "IntegrationTests", dependencies: ["SaleSyncCore", "SaleSyncTesting", "MariaDB", "AMQP"],
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
