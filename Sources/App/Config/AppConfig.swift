import API
import Accounts
import Tenancy
import Foundation
import Ingest
import Logging
import Storage

/// Every setting of the server, from one place. Precedence: command line, environment, `.env`, defaults.
/// The README's configuration table lists the same names and defaults.
public struct AppConfig: Sendable {
    /// Address the HTTP server binds (`IV_HOST`, default `127.0.0.1`).
    public var host = "127.0.0.1"
    /// Port the HTTP server binds (`IV_PORT`, default 8080; 0 picks a free port).
    public var port = 8080
    /// Seconds within which a request must arrive completely, headers and body, from its first byte; a slower one's
    /// connection is closed, after a 408 when its headers were incomplete (`IV_HTTP_READ_TIMEOUT_SECONDS`, default 30;
    /// 0 turns it off).
    public var httpReadTimeoutSeconds = 30
    /// Seconds a connection may stay idle (nothing read or written, no request being answered) before it is closed
    /// (`IV_HTTP_IDLE_TIMEOUT_SECONDS`, default 60; 0 turns it off).
    public var httpIdleTimeoutSeconds = 60
    /// Owner-role connection used for migrations and maintenance (`DATABASE_URL`); nil means embedded PostgreSQL.
    public var databaseURL: DatabaseURL?
    /// Application-role connection the server queries with (`APP_DATABASE_URL`); required with `DATABASE_URL`.
    public var appDatabaseURL: DatabaseURL?
    /// A streaming replica that reports read from while it is fit (`READ_DATABASE_URL`, the application role on the
    /// replica; unset: reports read the primary).
    public var readDatabaseURL: DatabaseURL?
    /// The replica lag beyond which reports read the primary (`IV_READ_MAX_LAG_SECONDS`, default 10).
    public var readMaxLagSeconds = 10
    /// Seconds between checks of the replica's lag and health (`IV_READ_CHECK_SECONDS`, default 2).
    public var readCheckSeconds = 2
    /// Directory for the embedded cluster and generated secrets (`IV_DATA_DIR`, default `.insightvault`).
    public var dataDirectory = ".insightvault"
    /// PostgreSQL 15 binaries for embedded mode (`IV_PG_BIN`, default `/usr/lib/postgresql/15/bin`).
    public var postgresBinDirectory = "/usr/lib/postgresql/15/bin"
    /// OS user that runs the embedded cluster when started as root (`IV_PG_OS_USER`, default `postgres`).
    public var postgresOSUser = "postgres"
    /// The embedded cluster's `shared_buffers` in MB, given at every start (`IV_PG_SHARED_BUFFERS_MB`); nil: the
    /// cluster's own setting (256 MB from its creation).
    public var postgresSharedBuffersMB: Int?
    /// Where the `NNNN_name.sql` migrations are (`IV_MIGRATIONS_DIR`; default `./migrations`, else next to the binary).
    public var migrationsDirectory: String?
    /// Apply pending migrations when `serve` starts (`IV_AUTO_MIGRATE`, default true).
    public var autoMigrate = true
    /// Maximum connections in each pool (`IV_DB_POOL_SIZE`, default 20).
    public var databasePoolSize = 20
    /// PostgreSQL ends a session left idle inside a transaction this long, so a stuck request cannot hold a pool's
    /// connection and its locks (`IV_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS`, default 60000; 0 turns it off).
    public var idleInTransactionTimeoutMilliseconds = 60_000
    /// Longest one report statement may run before PostgreSQL cancels it and the report answers `DATABASE_TIMEOUT`
    /// (`IV_REPORT_STATEMENT_TIMEOUT_MS`, default 60000; 0 turns it off).
    public var reportStatementTimeoutMilliseconds = 60_000
    /// Report admission (`ReportGate`): `IV_REPORT_CONCURRENCY` reports at once on their own pool (default 4),
    /// `IV_REPORT_ORG_CONCURRENCY` of one organization (2), `IV_REPORT_QUEUE_LIMIT` waiting per organization (32),
    /// `IV_REPORT_QUEUE_TIMEOUT_MS` longest wait (30000); beyond the last two a report answers `RATE_LIMITED`.
    public var reportGate = ReportGate.Configuration()
    /// Months after the current one that get event partitions in advance (`IV_PARTITION_MONTHS_AHEAD`, default 3).
    public var partitionMonthsAhead = 3
    /// Seconds between partition maintenance passes (`IV_PARTITION_INTERVAL_SECONDS`, default 86400).
    public var partitionIntervalSeconds = 86_400
    /// Seconds between report rollup passes; 0 turns rollups off (`IV_ROLLUP_INTERVAL_SECONDS`, default 60).
    public var rollupIntervalSeconds = 60
    /// Most days one project rolls up in one pass; a longer backlog waits for the next passes, which follow at once
    /// (`IV_ROLLUP_MAX_DAYS_PER_PROJECT`, default 10).
    public var rollupMaxDaysPerProject = 10
    /// Seconds without late events after which a project's dirty days are rebuilt; while its backfill goes on they wait
    /// (at most 15 minutes in a row), as they do for this long after the server starts; 0 rebuilds them at every pass
    /// (`IV_ROLLUP_BACKFILL_QUIET_SECONDS`, default 120).
    public var rollupBackfillQuietSeconds = 120
    /// Ingestion limits: `IV_INGEST_MAX_BODY_BYTES` (5 MB decompressed), `IV_INGEST_MAX_BATCH` (10,000 events).
    public var ingestLimits = IngestLimits()
    /// Group commit: `IV_INGEST_BATCH_SIZE` (5,000), `IV_INGEST_FLUSH_MS` (2), `IV_INGEST_QUEUE_CAPACITY` (100,000),
    /// `IV_INGEST_WRITERS` (2 rounds in flight), `IV_INGEST_DATABASE_WAIT_MS` (5,000: the longest a round or a token
    /// lookup waits for a database connection before 503 `DATABASE_UNAVAILABLE`), `IV_INGEST_ROUND_TIMEOUT_MS` (30,000:
    /// the longest a round's statements may take before its connection is closed and its requests get 503).
    public var ingestWriter = EventWriter.Configuration()
    /// Seconds an ingest-token lookup is cached; a revoked token works at most this long (`IV_TOKEN_CACHE_SECONDS`, 5).
    public var tokenCacheSeconds = 5
    /// Bytes of cached ingest-token lookups (tokens plus a fixed overhead each; unknown tokens get a quarter), least
    /// recently used evicted first (`IV_TOKEN_CACHE_BYTES`, default 4 MiB; 0 turns the cache off).
    public var tokenCacheBytes = TokenResolver.defaultCacheBytes
    /// Session JWT keys (`IV_JWT_KEYS`: `kid:base64secret,...`, the first signs); required with `DATABASE_URL`,
    /// generated once under the data directory in embedded mode.
    public var jwtKeys: (signing: SessionKey, verification: [SessionKey])?
    /// Hours a session JWT lasts (`IV_SESSION_HOURS`, default 12).
    public var sessionHours = 12
    /// The log-in and sign-up throttle (kept in PostgreSQL): failures per account from one address before growing
    /// delays (`IV_LOGIN_MAX_FAILURES_PER_ACCOUNT` 5) up to `IV_LOGIN_MAX_DELAY_SECONDS` (900), failures per address
    /// (`IV_LOGIN_MAX_FAILURES_PER_IP` 20) per `IV_LOGIN_THROTTLE_WINDOW_SECONDS` (900), sign-ups per address
    /// (`IV_SIGNUP_MAX_PER_ADDRESS_PER_HOUR` 10, 0 = no limit).
    public var loginThrottle = LoginThrottle.Limits()
    /// Most live sessions per user; one more revokes the oldest (`IV_SESSIONS_MAX_PER_USER`, default 100).
    public var sessionsPerUser = SessionStore.defaultMaxLivePerUser
    /// The externally visible base URL that invitation, verification and reset links start with (`IV_PUBLIC_URL`;
    /// default `http://<IV_HOST>:<IV_PORT>`).
    public var publicURL: String?
    /// Outgoing mail (`IV_SMTP_URL`, `IV_SMTP_FROM`, `IV_SMTP_TIMEOUT_SECONDS`); nil: no mail, so no email
    /// verification or password reset, and invitations only as links for the inviter.
    public var smtp: SMTPSettings?
    /// Invitation and mailed-token lifetimes and limits: `IV_INVITATION_DAYS` (7), `IV_MAX_PENDING_INVITATIONS`
    /// (1,000), `IV_EMAIL_VERIFICATION_HOURS` (48), `IV_PASSWORD_RESET_MINUTES` (60), `IV_EMAIL_TOKENS_PER_HOUR` (3).
    /// Its `publicURL` is replaced by `resolvedPublicURL()` when services are built.
    public var accountEmail = AccountEmailSettings(publicURL: "")
    /// GraphQL settings: `IV_GRAPHQL_INTROSPECTION` (authenticated), `IV_GRAPHQL_MAX_DEPTH` (15), `IV_GRAPHQL_MAX_ALIASES` (30),
    /// `IV_GRAPHQL_MAX_COST` (5,000), `IV_GRAPHQL_MAX_TOKENS` (15,000), `IV_GRAPHQL_DOCUMENT_CACHE_BYTES` (16 MiB),
    /// `IV_GRAPHQL_PERSISTED_QUERY_CACHE_BYTES` (4 MiB).
    public var graphQL = APIOptions()
    /// Largest `/graphql` request body in bytes (`IV_GRAPHQL_MAX_BODY_BYTES`, default 1 MB; 413 beyond).
    public var graphQLMaxBodyBytes = 1_048_576
    /// Proxies whose `X-Forwarded-For` is believed: the client is the right-most untrusted hop
    /// (`IV_TRUSTED_PROXIES`, comma-separated addresses and CIDR ranges; default none: the socket's peer).
    public var trustedProxies = TrustedProxies()
    /// Where `schema.graphql` is (`IV_SCHEMA_PATH`; default `./schema.graphql`, else next to the binary).
    public var schemaPath: String?
    /// The built dashboard served at `/` (`IV_WEB_DIR`, default `web/dist`, relative to the working directory).
    public var webDirectory = "web/dist"
    /// Log level (`LOG_LEVEL`: trace, debug, info, notice, warning, error, critical; default info).
    public var logLevel: Logger.Level = .info
    /// Log format (`IV_LOG_FORMAT`: json or text; default json).
    public var logFormat: LogFormat = .json
    /// Seconds between checks that the schema still fits this build (`IV_SCHEMA_CHECK_SECONDS`, default 5): a newer
    /// build's incompatible migration stops this server's requests within that time (`SchemaGuard`).
    public var schemaCheckSeconds = 5
    /// Where `GET /metrics` listens (`IV_METRICS_ADDRESS`: `host:port`, default `127.0.0.1:9464`; `off`: no metrics
    /// are recorded or served). A port of its own keeps metrics off the public port and the ingress.
    public var metricsAddress: (host: String, port: Int)? = ("127.0.0.1", 9464)

    /// Output format of the logs.
    public enum LogFormat: String, Sendable {
        /// One JSON object per line.
        case json
        /// Human-readable lines.
        case text
    }

    /// All defaults; embedded PostgreSQL.
    public init() {}

    /// Reads the environment, with `.env` (in the working directory) filling in what the environment lacks.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvPath: String = ".env"
    ) throws -> AppConfig {
        let values = DotEnv.load(path: dotEnvPath).merging(environment) { _, fromEnvironment in fromEnvironment }
        return try AppConfig(values: values)
    }

    /// Builds a configuration from a dictionary of variables (environment names); unknown names are ignored.
    public init(values: [String: String]) throws {
        func string(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
        func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let text = string(key) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigError("\(key) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
            }
            return value
        }
        func bool(_ key: String) throws -> Bool? {
            guard let text = string(key)?.lowercased() else { return nil }
            switch text {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ConfigError("\(key) must be true or false, got '\(text)'")
            }
        }

        if let host = string("IV_HOST") { self.host = host }
        if let port = try int("IV_PORT", in: 0...65_535) { self.port = port }
        if let seconds = try int("IV_HTTP_READ_TIMEOUT_SECONDS", in: 0...86_400) { self.httpReadTimeoutSeconds = seconds }
        if let seconds = try int("IV_HTTP_IDLE_TIMEOUT_SECONDS", in: 0...86_400) { self.httpIdleTimeoutSeconds = seconds }
        if let url = string("DATABASE_URL") { self.databaseURL = try Self.parseURL(url, name: "DATABASE_URL") }
        if let url = string("APP_DATABASE_URL") { self.appDatabaseURL = try Self.parseURL(url, name: "APP_DATABASE_URL") }
        if let url = string("READ_DATABASE_URL") { self.readDatabaseURL = try Self.parseURL(url, name: "READ_DATABASE_URL") }
        if let seconds = try int("IV_READ_MAX_LAG_SECONDS", in: 0...86_400) { self.readMaxLagSeconds = seconds }
        if let seconds = try int("IV_READ_CHECK_SECONDS", in: 1...3_600) { self.readCheckSeconds = seconds }
        if let directory = string("IV_DATA_DIR") { self.dataDirectory = directory }
        if let directory = string("IV_PG_BIN") { self.postgresBinDirectory = directory }
        if let user = string("IV_PG_OS_USER") { self.postgresOSUser = user }
        if let megabytes = try int("IV_PG_SHARED_BUFFERS_MB", in: 16...1_048_576) { self.postgresSharedBuffersMB = megabytes }
        if let directory = string("IV_MIGRATIONS_DIR") { self.migrationsDirectory = directory }
        if let flag = try bool("IV_AUTO_MIGRATE") { self.autoMigrate = flag }
        if let size = try int("IV_DB_POOL_SIZE", in: 1...1_000) { self.databasePoolSize = size }
        if let millis = try int("IV_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", in: 0...86_400_000) {
            self.idleInTransactionTimeoutMilliseconds = millis
        }
        if let millis = try int("IV_REPORT_STATEMENT_TIMEOUT_MS", in: 0...86_400_000) { self.reportStatementTimeoutMilliseconds = millis }
        if let count = try int("IV_REPORT_CONCURRENCY", in: 1...1_000) { self.reportGate.concurrency = count }
        if let count = try int("IV_REPORT_ORG_CONCURRENCY", in: 1...1_000) { self.reportGate.perOrganization = count }
        if let count = try int("IV_REPORT_QUEUE_LIMIT", in: 0...100_000) { self.reportGate.queuePerOrganization = count }
        if let millis = try int("IV_REPORT_QUEUE_TIMEOUT_MS", in: 1...3_600_000) { self.reportGate.queueTimeout = .milliseconds(millis) }
        if let months = try int("IV_PARTITION_MONTHS_AHEAD", in: 0...120) { self.partitionMonthsAhead = months }
        if let seconds = try int("IV_PARTITION_INTERVAL_SECONDS", in: 1...(86_400 * 31)) { self.partitionIntervalSeconds = seconds }
        if let seconds = try int("IV_ROLLUP_INTERVAL_SECONDS", in: 0...86_400) { self.rollupIntervalSeconds = seconds }
        if let days = try int("IV_ROLLUP_MAX_DAYS_PER_PROJECT", in: 1...100_000) { self.rollupMaxDaysPerProject = days }
        if let seconds = try int("IV_ROLLUP_BACKFILL_QUIET_SECONDS", in: 0...3_600) { self.rollupBackfillQuietSeconds = seconds }
        if let bytes = try int("IV_INGEST_MAX_BODY_BYTES", in: 1_024...(512 * 1_024 * 1_024)) { self.ingestLimits.maxBodyBytes = bytes }
        if let events = try int("IV_INGEST_MAX_BATCH", in: 1...1_000_000) { self.ingestLimits.maxBatchEvents = events }
        if let size = try int("IV_INGEST_BATCH_SIZE", in: 1...100_000) { self.ingestWriter.batchSize = size }
        if let millis = try int("IV_INGEST_FLUSH_MS", in: 0...10_000) { self.ingestWriter.maxDelay = .milliseconds(millis) }
        if let capacity = try int("IV_INGEST_QUEUE_CAPACITY", in: 1...10_000_000) { self.ingestWriter.queueCapacity = capacity }
        if let writers = try int("IV_INGEST_WRITERS", in: 1...16) { self.ingestWriter.concurrentWriters = writers }
        if let millis = try int("IV_INGEST_DATABASE_WAIT_MS", in: 100...120_000) { self.ingestWriter.databaseWait = .milliseconds(millis) }
        if let millis = try int("IV_INGEST_ROUND_TIMEOUT_MS", in: 1_000...600_000) {
            self.ingestWriter.roundTimeout = .milliseconds(millis)
        }
        if let seconds = try int("IV_TOKEN_CACHE_SECONDS", in: 0...3_600) { self.tokenCacheSeconds = seconds }
        if let bytes = try int("IV_TOKEN_CACHE_BYTES", in: 0...(1_024 * 1_048_576)) { self.tokenCacheBytes = bytes }
        if let keys = string("IV_JWT_KEYS") {
            do {
                self.jwtKeys = try SessionKey.parseList(keys)
            } catch {
                throw ConfigError("IV_JWT_KEYS: \(error.message)")
            }
        }
        if let hours = try int("IV_SESSION_HOURS", in: 1...8_760) { self.sessionHours = hours }
        if let count = try int("IV_LOGIN_MAX_FAILURES_PER_ACCOUNT", in: 1...1_000) { self.loginThrottle.perAccount = count }
        if let count = try int("IV_LOGIN_MAX_FAILURES_PER_IP", in: 1...100_000) { self.loginThrottle.perIP = count }
        if let seconds = try int("IV_LOGIN_THROTTLE_WINDOW_SECONDS", in: 1...86_400) { self.loginThrottle.window = TimeInterval(seconds) }
        if let seconds = try int("IV_LOGIN_MAX_DELAY_SECONDS", in: 1...86_400) { self.loginThrottle.maxDelay = TimeInterval(seconds) }
        if let count = try int("IV_SIGNUP_MAX_PER_ADDRESS_PER_HOUR", in: 0...1_000_000) { self.loginThrottle.signUpsPerHour = count }
        if let count = try int("IV_SESSIONS_MAX_PER_USER", in: 1...10_000) { self.sessionsPerUser = count }
        try parseAccountEmail(string: string, int: int)
        if let text = string("IV_GRAPHQL_INTROSPECTION") {
            guard let access = APIOptions.IntrospectionAccess(setting: text) else {
                throw ConfigError("IV_GRAPHQL_INTROSPECTION must be authenticated, public or off (true/false: public/off), got '\(text)'")
            }
            self.graphQL.introspection = access
        }
        if let depth = try int("IV_GRAPHQL_MAX_DEPTH", in: 1...1_000) { self.graphQL.maxDepth = depth }
        if let aliases = try int("IV_GRAPHQL_MAX_ALIASES", in: 1...100_000) { self.graphQL.maxAliases = aliases }
        if let cost = try int("IV_GRAPHQL_MAX_COST", in: 1...100_000_000) { self.graphQL.maxCost = cost }
        if let tokens = try int("IV_GRAPHQL_MAX_TOKENS", in: 100...10_000_000) { self.graphQL.maxTokens = tokens }
        if let bytes = try int("IV_GRAPHQL_DOCUMENT_CACHE_BYTES", in: 0...(1_024 * 1_048_576)) { self.graphQL.documentCacheBytes = bytes }
        if let bytes = try int("IV_GRAPHQL_PERSISTED_QUERY_CACHE_BYTES", in: 0...(1_024 * 1_048_576)) {
            self.graphQL.persistedQueryCacheBytes = bytes
        }
        if let bytes = try int("IV_GRAPHQL_MAX_BODY_BYTES", in: 1_024...(512 * 1_024 * 1_024)) { self.graphQLMaxBodyBytes = bytes }
        if string("IV_TRUST_PROXY") != nil {
            throw ConfigError(
                "IV_TRUST_PROXY is no longer supported: list your proxies' addresses or CIDR ranges in IV_TRUSTED_PROXIES "
                    + "(e.g. IV_TRUSTED_PROXIES=10.0.0.0/8); the client is then the right-most X-Forwarded-For hop that is not one of them")
        }
        if let proxies = string("IV_TRUSTED_PROXIES") { self.trustedProxies = try TrustedProxies.parse(proxies) }
        if let path = string("IV_SCHEMA_PATH") { self.schemaPath = path }
        if let path = string("IV_WEB_DIR") { self.webDirectory = path }
        if let level = string("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigError("LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical; got '\(level)'")
            }
            self.logLevel = parsed
        }
        if let seconds = try int("IV_SCHEMA_CHECK_SECONDS", in: 1...3_600) { self.schemaCheckSeconds = seconds }
        if let address = string("IV_METRICS_ADDRESS") { self.metricsAddress = try Self.parseMetricsAddress(address) }
        if let format = string("IV_LOG_FORMAT") {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw ConfigError("IV_LOG_FORMAT must be json or text, got '\(format)'")
            }
            self.logFormat = parsed
        }
        try validate()
    }

    /// `IV_METRICS_ADDRESS`: `off`, or `host:port` (`[v6]:port` for an IPv6 address) with a port in 0...65535.
    static func parseMetricsAddress(_ text: String) throws -> (host: String, port: Int)? {
        if ["off", "false", "0", "no"].contains(text.lowercased()) { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port)
        else {
            throw ConfigError("IV_METRICS_ADDRESS must be host:port (e.g. 127.0.0.1:9464 or 0.0.0.0:9464) or off, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ConfigError("IV_METRICS_ADDRESS needs a host before the port, got '\(text)'") }
        return (host, port)
    }

    /// `IV_PUBLIC_URL`, `IV_SMTP_*` and the invitation and mailed-token settings.
    private mutating func parseAccountEmail(
        string: (String) -> String?, int: (String, ClosedRange<Int>) throws -> Int?
    ) throws {
        if let url = string("IV_PUBLIC_URL") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
                parsed.query == nil
            else { throw ConfigError("IV_PUBLIC_URL must be an http(s) URL such as https://analytics.example.com, got '\(url)'") }
            self.publicURL = url
        }
        if let url = string("IV_SMTP_URL") {
            let timeout = try int("IV_SMTP_TIMEOUT_SECONDS", 1...600) ?? 30
            do {
                self.smtp = try SMTPSettings(url: url, from: string("IV_SMTP_FROM") ?? SMTPSettings.defaultFrom, timeoutSeconds: timeout)
            } catch {
                throw ConfigError(error.message)
            }
        }
        if let days = try int("IV_INVITATION_DAYS", 1...365) { self.accountEmail.invitationDays = days }
        if let count = try int("IV_MAX_PENDING_INVITATIONS", 1...1_000_000) { self.accountEmail.maxPendingInvitations = count }
        if let hours = try int("IV_EMAIL_VERIFICATION_HOURS", 1...8_760) { self.accountEmail.verificationHours = hours }
        if let minutes = try int("IV_PASSWORD_RESET_MINUTES", 5...1_440) { self.accountEmail.passwordResetMinutes = minutes }
        if let count = try int("IV_EMAIL_TOKENS_PER_HOUR", 1...100) { self.accountEmail.tokensPerHour = count }
    }

    /// `IV_PUBLIC_URL`, or `http://<IV_HOST>:<IV_PORT>` (IPv6 hosts in brackets).
    public func resolvedPublicURL() -> String {
        if let publicURL { return publicURL }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }

    /// The invitation and mailed-token settings with links starting with `resolvedPublicURL()`.
    public func resolvedAccountEmail() -> AccountEmailSettings {
        var settings = AccountEmailSettings(publicURL: resolvedPublicURL())
        settings.invitationDays = accountEmail.invitationDays
        settings.maxPendingInvitations = accountEmail.maxPendingInvitations
        settings.verificationHours = accountEmail.verificationHours
        settings.passwordResetMinutes = accountEmail.passwordResetMinutes
        settings.tokensPerHour = accountEmail.tokensPerHour
        return settings
    }

    /// Checks combinations of settings.
    public func validate() throws {
        if databaseURL != nil && appDatabaseURL == nil {
            throw ConfigError(
                "APP_DATABASE_URL is required when DATABASE_URL is set: the server must query as the application role "
                    + "(insightvault_app), which is neither owner nor superuser; see README, 'Using your own PostgreSQL'")
        }
        if databaseURL == nil && appDatabaseURL != nil {
            throw ConfigError("APP_DATABASE_URL is set but DATABASE_URL is not; set both, or neither for embedded PostgreSQL")
        }
        if readDatabaseURL != nil && databaseURL == nil {
            throw ConfigError("READ_DATABASE_URL needs DATABASE_URL and APP_DATABASE_URL: a replica of your own PostgreSQL")
        }
    }

    /// The migrations directory to use: the configured one, `./migrations`, or `../share/insightvault/migrations`
    /// next to the executable.
    public func resolvedMigrationsDirectory() -> String {
        if let migrationsDirectory { return migrationsDirectory }
        let local = FileManager.default.currentDirectoryPath + "/migrations"
        if FileManager.default.fileExists(atPath: local) { return local }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("../share/insightvault/migrations").standardized.path
    }

    /// The schema file to use: the configured one, `./schema.graphql`, or `../share/insightvault/schema.graphql`
    /// next to the executable.
    public func resolvedSchemaPath() -> String {
        if let schemaPath { return schemaPath }
        let local = FileManager.default.currentDirectoryPath + "/" + SchemaSource.fileName
        if FileManager.default.fileExists(atPath: local) { return local }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("../share/insightvault/" + SchemaSource.fileName)
            .standardized.path
    }

    private static func parseURL(_ text: String, name: String) throws -> DatabaseURL {
        do {
            return try DatabaseURL(string: text)
        } catch let error as StorageError {
            throw ConfigError("\(name): \(error.message)")
        }
    }
}

/// A configuration value is missing or malformed. The message names the setting.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// What is wrong and how to fix it.
    public let message: String
    /// Wraps a message.
    public init(_ message: String) { self.message = message }
    /// The message, for people.
    public var description: String { "configuration error: \(message)" }
}
