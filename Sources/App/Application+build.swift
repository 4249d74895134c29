import API
import Analytics
import Foundation
import Hummingbird
import Ingest
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// The request context of every route: Hummingbird's basic context plus the peer address (log-in throttling).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connected client's address.
    public let remoteAddress: SocketAddress?
    /// The client's connection (to notice when the client goes away).
    public let channel: any Channel
    /// The tenant the request acted for, filled in by handlers for its access-log line (`ObservedResponder`).
    public let observation = RequestObservation()

    /// Creates the context of a request arriving on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.channel = source.channel
    }
}

/// Builds the whole server: database endpoints (starting embedded PostgreSQL when no `DATABASE_URL` is set),
/// migrations, connection pools, background services and routes. The one composition root; `serve` only runs it.
/// With `metrics` (bootstrapped by the caller: once per process), `GET /metrics` listens on `config.metricsAddress`.
public func buildApplication(config: AppConfig, logger: Logger, metrics: ServerMetrics? = nil) async throws -> some ApplicationProtocol {
    try Services.checkSessionKeys(config: config)
    let migrator = Migrator(files: try Migrator.loadFiles(from: config.resolvedMigrationsDirectory()), logger: logger)
    let endpoints = try await DatabaseEndpoints.resolve(config: config, logger: logger)
    let services: Services
    do {
        if config.autoMigrate {
            do {
                let applied = try await migrator.migrate(url: endpoints.owner)
                if !applied.isEmpty { logger.info("migrations applied", metadata: ["count": "\(applied.count)"]) }
            } catch let error as StorageError where error.code == .unknownAppliedMigration {
                // A newer build's migration this one cannot work with: start, but refuse requests and report not
                // ready (SchemaGuard) instead of crash-looping; an older build's pods stay out of rotation.
                logger.error("not migrating: the schema is newer than this build", metadata: ["reason": "\(error.message)"])
            }
        }
        let schema = try await endpoints.app.withConnection(logger: logger) { connection in
            try await AppRoleCheck.verify(on: connection, logger: logger)
            return try await migrator.status(on: connection)
        }
        services = try await Services.build(config: config, endpoints: endpoints, migrator: migrator, logger: logger)
        services.schemaGuard.update(schema.refusal)
    } catch {
        // Leave nothing running behind a failed start.
        try? await endpoints.stopOwnedCluster()
        throw error
    }

    var app = Application(
        responder: ObservedResponder(wrapped: buildRouter(services, config: config).buildResponder()),
        server: httpServer(
            readTimeout: config.httpReadTimeoutSeconds > 0 ? .seconds(Int64(config.httpReadTimeoutSeconds)) : nil,
            idleTimeout: config.httpIdleTimeoutSeconds > 0 ? .seconds(Int64(config.httpIdleTimeoutSeconds)) : nil,
            logger: logger),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "InsightVault"),
        logger: logger)
    // Services stop in reverse order: the HTTP server first, the embedded PostgreSQL last.
    if let embedded = endpoints.embeddedService { app.addServices(embedded) }
    app.addServices(services.ownerClient, services.appClient, services.reportClient)
    if let replica = services.replica {
        app.addServices(
            replica.client,
            ReplicaWatch(
                replica: replica, primary: services.appClient, interval: .seconds(config.readCheckSeconds), logger: logger))
    }
    // After the pools, before the HTTP server: on shutdown the server drains first, then the writer flushes.
    app.addServices(services.writer)
    app.addServices(
        SchemaWatch(
            schemaGuard: services.schemaGuard, migrator: migrator, client: services.appClient,
            interval: .seconds(config.schemaCheckSeconds), logger: logger))
    // Mail goes out after the pools are up and stops before them; what is queued at shutdown is still sent.
    if let mail = services.mail { app.addServices(mail) }
    app.addServices(
        PartitionMaintenance(
            client: services.ownerClient, monthsAhead: config.partitionMonthsAhead,
            interval: .seconds(config.partitionIntervalSeconds), logger: logger))
    let rollups = RollupProgress()
    if config.rollupIntervalSeconds > 0 {
        app.addServices(
            RollupService(
                builder: RollupBuilder(
                    database: Database(cancellingStatementsOn: services.ownerClient, logger: logger),
                    configuration: .init(maxDaysPerProject: config.rollupMaxDaysPerProject)),
                interval: .seconds(config.rollupIntervalSeconds), progress: rollups, lateWrites: services.writer.lateWrites,
                logger: logger))
    }
    if let metrics, let address = config.metricsAddress {
        app.addServices(
            MetricsEndpoint(metrics: metrics, services: services, config: config, rollups: rollups)
                .application(host: address.host, port: address.port, logger: logger))
    }
    return app
}

/// The routes: health, ingestion, GraphQL and the dashboard, behind the error-logging middleware. Controllers only
/// route; what they call is built in `Services`.
public func buildRouter(_ services: Services, config: AppConfig) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorLoggingMiddleware())
    router.addRoutes(HealthController(client: services.appClient, migrator: services.migrator).endpoints)
    // Every route below answers 503 while the schema does not fit this build (health stays answerable).
    router.add(middleware: SchemaGuardMiddleware(schemaGuard: services.schemaGuard))
    router.addRoutes(IngestController(pipeline: services.ingest).endpoints)
    router.addRoutes(
        GraphQLController(
            handler: services.graphQL, maxBodyBytes: config.graphQLMaxBodyBytes, trustedProxies: config.trustedProxies
        )
        .endpoints)
    // Last: the dashboard takes `/` and every path the routes above do not.
    router.addRoutes(StaticFilesController(directory: config.webDirectory).endpoints)
    return router
}

/// Builds the process-wide logger as configured (JSON lines by default), writing to standard error, or with
/// `toStandardOutput` (`serve`) to standard output.
public func makeLogger(config: AppConfig, label: String = "insightvault", toStandardOutput: Bool = false) -> Logger {
    var logger: Logger
    switch (config.logFormat, toStandardOutput) {
    case (.json, true): logger = Logger(label: label) { JSONLogHandler(label: $0, fileDescriptor: STDOUT_FILENO) }
    case (.json, false): logger = Logger(label: label) { JSONLogHandler(label: $0) }
    case (.text, true): logger = Logger(label: label) { StreamLogHandler.standardOutput(label: $0) }
    case (.text, false): logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    }
    logger.logLevel = config.logLevel
    return logger
}
