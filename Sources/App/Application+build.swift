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

/// The request context of every route: Hummingbird's basic context plus the peer address (log-in throttling).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connected client's address.
    public let remoteAddress: SocketAddress?

    /// Creates the context of a request arriving on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

/// Builds the whole server: database endpoints (starting embedded PostgreSQL when no `DATABASE_URL` is set),
/// migrations, connection pools, background services and routes. The one composition root; `serve` only runs it.
public func buildApplication(config: AppConfig, logger: Logger) async throws -> some ApplicationProtocol {
    try GraphQLController<AppRequestContext>.checkSessionKeys(config: config)
    let migrator = Migrator(files: try Migrator.loadFiles(from: config.resolvedMigrationsDirectory()), logger: logger)
    let endpoints = try await DatabaseEndpoints.resolve(config: config, logger: logger)
    do {
        if config.autoMigrate {
            let applied = try await migrator.migrate(url: endpoints.owner)
            if !applied.isEmpty { logger.info("migrations applied", metadata: ["count": "\(applied.count)"]) }
        }
        try await endpoints.app.withConnection(logger: logger) { try await AppRoleCheck.verify(on: $0, logger: logger) }
    } catch {
        // Leave nothing running behind a failed start.
        if let embedded = endpoints.embeddedService, embedded.stopOnExit { try? await embedded.cluster.stop() }
        throw error
    }

    let ownerClient = PostgresClient(configuration: endpoints.owner.clientConfiguration(maxConnections: 2), backgroundLogger: logger)
    let appClient = PostgresClient(
        configuration: endpoints.app.clientConfiguration(maxConnections: config.databasePoolSize), backgroundLogger: logger)

    let database = Database(client: appClient, logger: logger)
    let writer = EventWriter(database: database, configuration: config.ingestWriter, logger: logger)
    let tokens = TokenResolver(client: appClient, ttl: .seconds(config.tokenCacheSeconds), logger: logger)

    let graphQL: GraphQLHTTPHandler
    do {
        graphQL = try await GraphQLController<AppRequestContext>.makeHandler(config: config, database: database, logger: logger)
    } catch {
        if let embedded = endpoints.embeddedService, embedded.stopOnExit { try? await embedded.cluster.stop() }
        throw error
    }

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorLoggingMiddleware())
    router.addRoutes(HealthController(client: appClient, migrator: migrator).endpoints)
    router.addRoutes(IngestController(tokens: tokens, writer: writer, limits: config.ingestLimits).endpoints)
    router.addRoutes(
        GraphQLController(handler: graphQL, maxBodyBytes: config.graphQLMaxBodyBytes, trustProxy: config.trustProxy).endpoints)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "InsightVault"),
        logger: logger)
    // Services stop in reverse order: the HTTP server first, the embedded PostgreSQL last.
    if let embedded = endpoints.embeddedService { app.addServices(embedded) }
    app.addServices(ownerClient, appClient)
    // After the pools, before the HTTP server: on shutdown the server drains first, then the writer flushes.
    app.addServices(writer)
    app.addServices(
        PartitionMaintenance(
            client: ownerClient, monthsAhead: config.partitionMonthsAhead,
            interval: .seconds(config.partitionIntervalSeconds), logger: logger))
    if config.rollupIntervalSeconds > 0 {
        app.addServices(
            RollupService(
                builder: RollupBuilder(database: Database(client: ownerClient, logger: logger)),
                interval: .seconds(config.rollupIntervalSeconds), logger: logger))
    }
    return app
}

/// Builds the process-wide logger as configured (JSON lines by default).
public func makeLogger(config: AppConfig, label: String = "insightvault") -> Logger {
    var logger: Logger
    switch config.logFormat {
    case .json: logger = Logger(label: label) { JSONLogHandler(label: $0) }
    case .text: logger = Logger(label: label)
    }
    logger.logLevel = config.logLevel
    return logger
}
