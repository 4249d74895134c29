// swift-tools-version:6.0
// InsightVault: one binary plus PostgreSQL. Targets are layers; dependencies point one way:
// insightvault -> App (HTTP) -> API -> features (Accounts, Analytics, Ingest) -> Tenancy -> Storage -> Models.
// The GraphQL engine imports nothing from the project but the JSONCore leaf. The README draws the graph;
// scripts/check-architecture.py checks that it, this file and every target's imports agree.
import PackageDescription

let package = Package(
    name: "InsightVault",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "insightvault", targets: ["InsightVaultCLI"]),
        // The fuzzing entry points, for the libFuzzer executables of the separate package in fuzz/ (make fuzz).
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.0"),
    ],
    targets: [
        // MARK: Leaves
        .target(name: "JSONCore"),
        .target(name: "Models", dependencies: ["JSONCore"]),
        .target(name: "Caching"),
        .target(name: "GraphQL", dependencies: ["JSONCore", "Caching"]),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),

        // MARK: Storage
        .target(
            name: "Storage",
            dependencies: [
                "Models",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Features
        .target(
            name: "Tenancy",
            dependencies: ["Models", "Storage", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .target(
            name: "Accounts",
            dependencies: [
                "Models", "Storage", "Tenancy", "CArgon2",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Ingest",
            dependencies: [
                "Models", "Storage", "Caching",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .target(
            name: "Analytics",
            dependencies: [
                "Models", "Storage", "Tenancy",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "API",
            dependencies: [
                "Models", "Storage", "Tenancy", "Accounts", "Analytics", "GraphQL", "Caching",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: HTTP and the executable
        .target(
            name: "App",
            dependencies: [
                "Models", "Storage", "Tenancy", "Accounts", "Ingest", "Analytics", "API",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "InsightVaultCLI",
            dependencies: [
                "App", "Ingest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Benchmarks (make bench)
        .executableTarget(name: "GraphQLBench", dependencies: ["GraphQL"], path: "Benchmarks/GraphQLBench"),
        .executableTarget(name: "JSONBench", dependencies: ["Models", "GraphQL"], path: "Benchmarks/JSONBench"),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: [
                "Models", "Storage", "Tenancy", "Accounts", "Analytics",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        // The entry points libFuzzer (fuzz/, make fuzz) and the corpus replay test share.
        .target(
            name: "FuzzTargets", dependencies: ["JSONCore", "Models", "GraphQL", "Ingest"], path: "Tests/FuzzTargets"),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models"]),
        .testTarget(name: "GraphQLTests", dependencies: ["GraphQL", "Caching"], exclude: ["Execution/Fixtures"]),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore", "Models", "GraphQL"]),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "Models", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(
            name: "TenancyTests",
            dependencies: ["Tenancy", "Accounts", "Models", "Storage", "TestSupport"]
        ),
        .testTarget(
            name: "AccountsTests",
            dependencies: [
                "Accounts", "Tenancy", "Models", "Storage", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "Ingest", "Models", "Storage", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AnalyticsTests",
            dependencies: [
                "Analytics", "Tenancy", "Accounts", "Models", "Storage", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Accounts", "Analytics", "Tenancy", "Models", "Storage", "GraphQL", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "Accounts", "Tenancy", "Models", "Storage", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
