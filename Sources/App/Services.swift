import API
import Accounts
import Analytics
import Foundation
import Ingest
import Logging
import PostgresNIO
import Storage
import Tenancy

/// Every long-lived object the server is made of, built once by `Services.build` from the configuration and the
/// resolved database endpoints. `buildApplication` turns it into routes (`buildRouter`) and lifecycle services;
/// controllers only route to what is built here.
public struct Services: Sendable {
    /// Owner-role pool: partition maintenance and rollups.
    public let ownerClient: PostgresClient
    /// Application-role pool: every request's queries but reports.
    public let appClient: PostgresClient
    /// Application-role pool of reports (snapshot transactions), behind the report gate.
    public let reportClient: PostgresClient
    /// The read replica reports prefer while it is fit (`READ_DATABASE_URL`); its pool is a lifecycle service.
    public let replica: ReadReplica?
    /// The application-role database handle.
    public let database: Database
    /// Knows which migrations this build expects (readiness).
    public let migrator: Migrator
    /// Group-commit writer for ingestion.
    public let writer: EventWriter
    /// The one ingestion path (token lookups, formats, the writer).
    public let ingest: IngestPipeline
    /// The GraphQL API over HTTP.
    public let graphQL: GraphQLHTTPHandler
    /// The outgoing mail queue, when `IV_SMTP_URL` is set (a lifecycle service).
    public let mail: MailOutbox?
    /// Whether the schema fits this build (`SchemaWatch` keeps it current; the routes refuse requests while not).
    public let schemaGuard = SchemaGuard()

    /// Connections of the owner-role pool (partition maintenance and rollups).
    static let ownerPoolSize = 2

    /// Builds the pools and services. The pools are not running yet: `buildApplication` adds them to the app.
    public static func build(
        config: AppConfig, endpoints: DatabaseEndpoints, migrator: Migrator, logger: Logger
    ) async throws -> Services {
        let idle = config.idleInTransactionTimeoutMilliseconds
        let ownerClient = PostgresClient(
            configuration: endpoints.owner.clientConfiguration(
                maxConnections: ownerPoolSize, idleInTransactionTimeoutMilliseconds: idle, applicationName: "insightvault owner"),
            backgroundLogger: logger)
        let appClient = PostgresClient(
            configuration: endpoints.app.clientConfiguration(
                maxConnections: config.databasePoolSize, idleInTransactionTimeoutMilliseconds: idle),
            backgroundLogger: logger)
        let gate = ReportGate(configuration: config.reportGate)
        let reportClient = PostgresClient(
            configuration: endpoints.app.clientConfiguration(
                maxConnections: gate.configuration.concurrency, idleInTransactionTimeoutMilliseconds: idle,
                applicationName: "insightvault reports"),
            backgroundLogger: logger)
        let replica = config.readDatabaseURL.map { url in
            ReadReplica(
                client: PostgresClient(
                    configuration: url.clientConfiguration(
                        maxConnections: gate.configuration.concurrency, idleInTransactionTimeoutMilliseconds: idle,
                        applicationName: "insightvault replica"),
                    backgroundLogger: logger),
                maxLagSeconds: Double(config.readMaxLagSeconds))
        }
        let database = Database(
            client: appClient, logger: logger, snapshotStatementTimeoutMilliseconds: config.reportStatementTimeoutMilliseconds,
            reports: Database.ReportPool(client: reportClient, gate: gate, replica: replica))
        let mail = config.smtp.map { MailOutbox(transport: SMTPClient(settings: $0), logger: logger) }
        let api = try GraphQLAPI(
            schemaSDL: try SchemaSource.load(path: config.resolvedSchemaPath()),
            services: try await apiServices(config: config, database: database, mailer: mail),
            options: config.graphQL)
        let writer = EventWriter(
            database: database, configuration: config.ingestWriter, logger: logger,
            lateWrites: LateWrites(quiet: TimeInterval(config.rollupBackfillQuietSeconds), startedAt: Date()))
        let tokens = TokenResolver(
            client: appClient, ttl: .seconds(config.tokenCacheSeconds), cacheBytes: config.tokenCacheBytes,
            databaseWait: config.ingestWriter.databaseWait, logger: logger)
        return Services(
            ownerClient: ownerClient, appClient: appClient, reportClient: reportClient, replica: replica, database: database,
            migrator: migrator,
            writer: writer,
            ingest: IngestPipeline(tokens: tokens, writer: writer, limits: config.ingestLimits),
            graphQL: GraphQLHTTPHandler(api: api, logger: logger), mail: mail)
    }

    /// The services behind the GraphQL API: session keys from `IV_JWT_KEYS` (required with `DATABASE_URL`) or, in
    /// embedded mode, generated once under the data directory.
    static func apiServices(config: AppConfig, database: Database, mailer: (any Mailer)? = nil) async throws -> APIServices {
        try checkSessionKeys(config: config)
        let keys: (signing: SessionKey, verification: [SessionKey])
        if let configured = config.jwtKeys {
            keys = configured
        } else {
            keys = (try EmbeddedSessionKeys.loadOrCreate(directory: config.dataDirectory), [])
        }
        let sessions = try await SessionTokens(
            signingKey: keys.signing, verificationKeys: keys.verification, lifetime: TimeInterval(config.sessionHours) * 3600)
        let throttle = LoginThrottle(database: database, limits: config.loginThrottle)
        let passwords = try PasswordService()
        let emailSettings = config.resolvedAccountEmail()
        return APIServices(
            accounts: AccountService(
                database: database, passwords: passwords, sessions: sessions, throttle: throttle,
                emails: EmailTokenService(database: database, passwords: passwords, settings: emailSettings, mailer: mailer),
                sessionStore: SessionStore(database: database, maxLivePerUser: config.sessionsPerUser)),
            members: MemberService(
                database: database, invitations: InvitationService(database: database, settings: emailSettings, mailer: mailer)),
            projects: ProjectService(database: database),
            tokens: APITokenService(database: database), reports: ReportService(database: database),
            dashboards: DashboardService(database: database), authenticator: Authenticator(database: database, sessions: sessions),
            access: TenantAccess(database: database))
    }

    /// `IV_JWT_KEYS` is required with `DATABASE_URL`: several servers on one database must share the keys.
    static func checkSessionKeys(config: AppConfig) throws {
        if config.databaseURL != nil && config.jwtKeys == nil {
            throw ConfigError("IV_JWT_KEYS is required when DATABASE_URL is set (kid:base64secret,...; `openssl rand -base64 32`)")
        }
    }
}
