import Foundation
import Logging
import Storage

/// The two database connections the server needs, and the embedded cluster behind them when there is one.
public struct DatabaseEndpoints: Sendable {
    /// Owner role: migrations and partition maintenance.
    public var owner: DatabaseURL
    /// Application role: every request's queries.
    public var app: DatabaseURL
    /// The embedded cluster's lifetime service, when running in embedded mode.
    public var embeddedService: EmbeddedPostgresService?

    /// With `DATABASE_URL` set, uses the configured server; otherwise creates/starts the embedded cluster.
    ///
    /// Embedded mode: the first `serve` on a data directory holds `serve.lock`; it starts the cluster (or adopts one
    /// left by a crashed `serve`) and stops it on exit. A second `serve` on the same directory reuses the running
    /// cluster and leaves it alone. A cluster started by `insightvault db start` is never stopped by `serve`.
    public static func resolve(config: AppConfig, logger: Logger) async throws -> DatabaseEndpoints {
        if let owner = config.databaseURL, let app = config.appDatabaseURL {
            return DatabaseEndpoints(owner: owner, app: app, embeddedService: nil)
        }
        let cluster = embeddedCluster(config: config, logger: logger)
        try cluster.prepareDataDirectory()
        // Held (never released) for the life of the process when we get it: the kernel drops it at exit.
        let primary = try FileLock.tryAcquire(path: config.dataDirectory + "/serve.lock")
        let started = try await withStartLock(config: config) {
            try await cluster.initializeIfNeeded()
            return try await cluster.start(by: .serve)
        }
        try await cluster.provision()
        let adoptable = try primary != nil && cluster.startedBy() == .serve
        let owns = started || adoptable
        if primary == nil {
            logger.info("another serve owns the embedded PostgreSQL; reusing it")
        }
        return DatabaseEndpoints(
            owner: try cluster.ownerURL(), app: try cluster.appURL(),
            embeddedService: EmbeddedPostgresService(cluster: cluster, stopOnExit: owns))
    }

    /// Stops the embedded cluster when this process started (or adopted) it; does nothing otherwise.
    public func stopOwnedCluster() async throws {
        if let embedded = embeddedService, embedded.stopOnExit { try await embedded.cluster.stop() }
    }

    /// Resolves the endpoints as `serve` does, runs `body`, and then stops the embedded cluster if this process
    /// started it, also when `body` throws. One-shot commands (`rollups refresh`, `seed-demo`, `migrate`) use it.
    public static func using<T>(
        config: AppConfig, logger: Logger, _ body: (DatabaseEndpoints) async throws -> T
    ) async throws -> T {
        let endpoints = try await resolve(config: config, logger: logger)
        let result: T
        do {
            result = try await body(endpoints)
        } catch {
            try? await endpoints.stopOwnedCluster()
            throw error
        }
        try await endpoints.stopOwnedCluster()
        return result
    }

    /// The embedded cluster described by the configuration.
    public static func embeddedCluster(config: AppConfig, logger: Logger) -> EmbeddedPostgres {
        EmbeddedPostgres(
            configuration: .init(
                directory: config.dataDirectory, binDirectory: config.postgresBinDirectory, osUser: config.postgresOSUser,
                sharedBuffersMB: config.postgresSharedBuffersMB),
            logger: logger)
    }

    /// Serialises creating and starting the cluster between processes sharing the data directory.
    public static func withStartLock<T>(config: AppConfig, _ body: () async throws -> T) async throws -> T {
        try PrivateFiles.prepareDirectory(config.dataDirectory, groupSearch: .unchanged)
        let lock = try FileLock.acquire(path: config.dataDirectory + "/start.lock")
        defer { lock.release() }
        return try await body()
    }
}

/// `insightvault migrate`: applies pending migrations to `DATABASE_URL`, or to the embedded cluster (started for the
/// command and stopped again if this process started it). Returns the file names applied, oldest first.
public func applyMigrations(config: AppConfig, logger: Logger) async throws -> [String] {
    let migrator = Migrator(files: try Migrator.loadFiles(from: config.resolvedMigrationsDirectory()), logger: logger)
    if let owner = config.databaseURL {
        return try await migrator.migrate(url: owner).map(\.fileName)
    }
    return try await DatabaseEndpoints.using(config: config, logger: logger) { endpoints in
        try await migrator.migrate(url: endpoints.owner).map(\.fileName)
    }
}
