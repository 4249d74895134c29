import App
import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// `insightvault`: parses the command line and runs; everything is built by `buildApplication(config:logger:)`.
@main
struct InsightVault: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insightvault",
        abstract: "Self-hosted product analytics: one binary plus PostgreSQL.",
        subcommands: [Serve.self, Migrate.self, DB.self, SeedDemo.self, Rollups.self, Users.self, Version.self],
        defaultSubcommand: Serve.self
    )
}

/// Options shared by every subcommand; each overrides the environment variable named in its help.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Embedded PostgreSQL and secrets directory (IV_DATA_DIR, default .insightvault).")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"), help: "Owner-role PostgreSQL URL (DATABASE_URL); omit for embedded PostgreSQL.")
    var databaseURL: String?

    @Option(name: .customLong("app-database-url"), help: "Application-role PostgreSQL URL (APP_DATABASE_URL).")
    var appDatabaseURL: String?

    @Option(name: .customLong("migrations-dir"), help: "Directory of NNNN_name.sql migrations (IV_MIGRATIONS_DIR).")
    var migrationsDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (LOG_LEVEL, default info).")
    var logLevel: String?

    /// Environment, then `.env`, then these flags on top.
    func load(extra: [String: String] = [:]) throws -> AppConfig {
        var values = DotEnv.load(path: ".env").merging(ProcessInfo.processInfo.environment) { _, new in new }
        let flags: [String: String?] = [
            "IV_DATA_DIR": dataDirectory, "DATABASE_URL": databaseURL, "APP_DATABASE_URL": appDatabaseURL,
            "IV_MIGRATIONS_DIR": migrationsDirectory, "LOG_LEVEL": logLevel,
        ]
        for (key, value) in flags { if let value { values[key] = value } }
        values.merge(extra) { _, new in new }
        do {
            return try AppConfig(values: values)
        } catch let error as ConfigError {
            throw ValidationError(error.message)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API and dashboard (starts embedded PostgreSQL if needed).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to bind (IV_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to bind (IV_PORT, default 8080).")
    var port: Int?

    func run() async throws {
        tuneAllocator()
        var extra: [String: String] = [:]
        if let host { extra["IV_HOST"] = host }
        if let port { extra["IV_PORT"] = String(port) }
        let config = try common.load(extra: extra)
        let logger = makeLogger(config: config, toStandardOutput: true)
        // Metrics are recorded from the start, or not at all (swift-metrics allows one bootstrap per process).
        let metrics = config.metricsAddress == nil ? nil : ServerMetrics.bootstrap()
        let app = try await buildApplication(config: config, logger: logger, metrics: metrics)
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let config = try common.load()
        let applied = try await applyMigrations(config: config, logger: makeLogger(config: config))
        print(applied.isEmpty ? "schema is current" : "applied: " + applied.joined(separator: ", "))
    }
}

struct DB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Control the embedded PostgreSQL cluster.", subcommands: [Start.self, Stop.self, Status.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (first time) and start the embedded cluster.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let config = try common.load()
            let logger = makeLogger(config: config)
            let cluster = DatabaseEndpoints.embeddedCluster(config: config, logger: logger)
            try await DatabaseEndpoints.withStartLock(config: config) {
                try await cluster.initializeIfNeeded()
                try await cluster.start(by: .command)
            }
            try await cluster.provision()
            print("running on 127.0.0.1:\(try cluster.ownerURL().port)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let config = try common.load()
            try await DatabaseEndpoints.embeddedCluster(config: config, logger: makeLogger(config: config)).stop()
            print("stopped")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print whether the embedded cluster runs; exit 3 when it does not.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let config = try common.load()
            switch try await DatabaseEndpoints.embeddedCluster(config: config, logger: makeLogger(config: config)).status() {
            case .running(let port):
                print("running on 127.0.0.1:\(port)")
            case .stopped:
                print("stopped")
                throw ExitCode(3)
            case .notInitialized:
                print("not initialized")
                throw ExitCode(3)
            }
        }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("insightvault \(insightVaultVersion)")
    }
}
