import Foundation
import Logging

/// A private PostgreSQL 15 cluster under the data directory (`.insightvault/` by default), used when no
/// `DATABASE_URL` is configured. It listens on 127.0.0.1 only, on a port chosen once from the free ones, with
/// password (SCRAM) authentication; the generated passwords live in `secrets.json` with mode 0600, in a data
/// directory of mode 0700 (`PrivateFiles`). When InsightVault runs as root, PostgreSQL runs as an unprivileged OS user
/// (`postgres` by default) and the data directory is 0710 with that user's group, so that it can reach `pgdata/`.
/// `fsync` and `synchronous_commit` stay on: a 2xx from ingestion means the data is on disk.
public struct EmbeddedPostgres: Sendable {
    /// Where and how the cluster lives.
    public struct Configuration: Sendable {
        /// The data directory; the cluster is in its `pgdata/` subdirectory.
        public var directory: String
        /// Directory holding `initdb`, `pg_ctl` and `postgres`.
        public var binDirectory: String
        /// OS account that runs PostgreSQL when InsightVault runs as root.
        public var osUser: String
        /// Extra `postgresql.conf` settings written at creation (tests turn fsync off; shipped defaults never do).
        public var extraSettings: [String: String]
        /// `shared_buffers` in MB given at every start (`IV_PG_SHARED_BUFFERS_MB`); nil: the cluster's own setting
        /// (256 MB, written at creation, or what `ALTER SYSTEM` made of it).
        public var sharedBuffersMB: Int?

        /// Creates a configuration; `binDirectory` defaults to Debian's PostgreSQL 15 location.
        public init(
            directory: String,
            binDirectory: String = "/usr/lib/postgresql/15/bin",
            osUser: String = "postgres",
            extraSettings: [String: String] = [:],
            sharedBuffersMB: Int? = nil
        ) {
            self.directory = directory
            self.binDirectory = binDirectory
            self.osUser = osUser
            self.extraSettings = extraSettings
            self.sharedBuffersMB = sharedBuffersMB
        }
    }

    /// Passwords generated at creation.
    public struct Secrets: Codable, Sendable {
        /// Password of the initdb superuser (`iv_admin`).
        public var superuserPassword: String
        /// Password of the owner role that runs migrations.
        public var ownerPassword: String
        /// Password of the application role the server connects as.
        public var appPassword: String
    }

    /// Whether the cluster exists and runs.
    public enum Status: Sendable, Equatable {
        /// No cluster has been created in the directory yet.
        case notInitialized
        /// The cluster exists and is stopped.
        case stopped
        /// The cluster is running and listens on this port.
        case running(port: Int)
    }

    /// Who started a running cluster: `serve` stops at exit only what it started itself.
    public enum Starter: String, Codable, Sendable {
        /// Started by `insightvault serve` (stopped again when that process exits).
        case serve
        /// Started by `insightvault db start` (runs until `insightvault db stop`).
        case command
    }

    struct State: Codable {
        var port: Int
        var startedBy: Starter?
    }

    /// Name of the superuser role created by initdb.
    public static let superuser = "iv_admin"
    /// Name of the database the server uses.
    public static let databaseName = "insightvault"

    /// The configuration this cluster was made with.
    public let configuration: Configuration
    let logger: Logger

    /// A handle on the cluster in `configuration.directory`; nothing happens until a method is called.
    public init(configuration: Configuration, logger: Logger) {
        var configuration = configuration
        configuration.directory = URL(fileURLWithPath: configuration.directory).standardizedFileURL.path
        self.configuration = configuration
        self.logger = logger
    }

    var pgdata: String { configuration.directory + "/pgdata" }
    var secretsPath: String { configuration.directory + "/secrets.json" }
    var statePath: String { configuration.directory + "/postgres.json" }
    var serverLog: String { pgdata + "/server.log" }
    /// The OS user to run PostgreSQL as: nil when not root (run as ourselves).
    var runAs: String? { POSIX.isRoot ? configuration.osUser : nil }

    /// Creates the data directory 0700 (0710 with the PostgreSQL OS user's group when running as root), or takes
    /// away what an existing one grants beyond that, with a warning in the log. Every start calls it.
    public func prepareDataDirectory() throws {
        let groupSearch = runAs.flatMap(POSIX.account).map { PrivateFiles.GroupSearch.granted($0.gid) } ?? .denied
        if let previous = try PrivateFiles.prepareDirectory(configuration.directory, groupSearch: groupSearch) {
            logger.warning(
                "the data directory was open to other users; restricted it to its owner",
                metadata: ["directory": "\(configuration.directory)", "previous_mode": "\(PrivateFiles.octal(previous))"])
        }
    }

    /// Creates the cluster when it does not exist yet. Safe to call every start.
    public func initializeIfNeeded() async throws {
        let fileManager = FileManager.default
        try prepareDataDirectory()
        if fileManager.fileExists(atPath: pgdata + "/PG_VERSION") { return }
        if let leftovers = try? fileManager.contentsOfDirectory(atPath: pgdata), !leftovers.isEmpty {
            throw StorageError(
                .embeddedPostgres,
                "\(pgdata) exists but holds no PostgreSQL cluster (an interrupted first start?); move it away and start again")
        }
        try fileManager.createDirectory(atPath: pgdata, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let account = try runAs.map { user in
            guard let account = POSIX.account(user) else {
                throw StorageError(
                    .embeddedPostgres,
                    "running as root, the embedded PostgreSQL needs the unprivileged OS user '\(user)', which does not exist "
                        + "(install postgresql-15, or set IV_PG_OS_USER)")
            }
            return account
        }
        if let account, let user = runAs {
            try POSIX.chown(pgdata, to: account)
            let reachable = try await ProcessRunner.run("/usr/bin/test", ["-w", pgdata], asUser: user)
            guard reachable.status == 0 else {
                throw StorageError(
                    .embeddedPostgres,
                    "the OS user '\(user)' that runs PostgreSQL cannot reach \(pgdata) (a parent directory is not searchable "
                        + "by it, e.g. /root); set IV_DATA_DIR to a directory outside it")
            }
        }

        let secrets = try loadOrCreateSecrets()
        let passwordFile = configuration.directory + "/.initdb-password"
        try PrivateFiles.write(Data((secrets.superuserPassword + "\n").utf8), to: passwordFile, owner: account)
        defer { try? fileManager.removeItem(atPath: passwordFile) }

        logger.info("creating embedded PostgreSQL cluster", metadata: ["pgdata": "\(pgdata)"])
        let initdb = try await ProcessRunner.run(
            configuration.binDirectory + "/initdb",
            [
                "-D", pgdata, "-U", Self.superuser, "--pwfile=\(passwordFile)", "--auth=scram-sha-256",
                "--encoding=UTF8", "--no-locale",
            ],
            asUser: runAs)
        guard initdb.status == 0 else {
            throw StorageError(.embeddedPostgres, "initdb failed (exit \(initdb.status)): \(initdb.output.suffix(2_000))")
        }

        var settings: [String: String] = [
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": "''",
            "password_encryption": "'scram-sha-256'",
            "fsync": "on",
            "synchronous_commit": "on",
            "full_page_writes": "on",
            // Full-page images of the random-uuid indexes after each checkpoint were most of ingestion's WAL at
            // 10M events (docs/benchmarks.md): compress them, and checkpoint less often (crash recovery then replays
            // at most about 2 GB of WAL).
            "wal_compression": "lz4",
            "max_wal_size": "'2GB'",
            "checkpoint_timeout": "'15min'",
            // Backends that evict dirty pages ask the kernel to write them out after every 256 kB, as the
            // checkpointer and background writer already do by default. Left alone, those pages gathered in the page
            // cache (over 1 GB under ingestion) and the kernel wrote them in bursts, during which commits took
            // 100-200 ms instead of 10 (docs/benchmarks.md, "Write-back stalls").
            "backend_flush_after": "'256kB'",
            // The background writer cleans up to 1,000 buffers every 20 ms ahead of need (by default 100 every
            // 200 ms, far below what ingestion dirties), so backends rarely write out a dirty buffer before they can
            // reuse it: in the paced backfill benchmark a round's transaction p50 went from 14-15 to 9-13 ms
            // (docs/benchmarks.md, "Background writer").
            "bgwriter_delay": "'20ms'",
            "bgwriter_lru_maxpages": "1000",
            "bgwriter_lru_multiplier": "4",
            "max_connections": "100",
            "shared_buffers": "'256MB'",
            "log_timezone": "'UTC'",
            "timezone": "'UTC'",
        ]
        settings.merge(configuration.extraSettings) { _, new in new }
        let block = settings.keys.sorted().map { "\($0) = \(settings[$0]!)" }.joined(separator: "\n")
        let confPath = pgdata + "/postgresql.conf"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: confPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n# Added by InsightVault (embedded mode)\n\(block)\n".utf8))
        try handle.close()
    }

    /// The cluster's current status.
    public func status() async throws -> Status {
        guard FileManager.default.fileExists(atPath: pgdata + "/PG_VERSION") else { return .notInitialized }
        let outcome = try await ProcessRunner.run(configuration.binDirectory + "/pg_ctl", ["status", "-D", pgdata], asUser: runAs)
        switch outcome.status {
        case 0: return .running(port: try readState()?.port ?? 0)
        case 4: return .notInitialized
        default: return .stopped
        }
    }

    /// Starts the cluster if it is not running. Returns `true` when this call started it.
    @discardableResult
    public func start(by starter: Starter) async throws -> Bool {
        try prepareDataDirectory()
        if case .running = try await status() { return false }
        var state = try readState() ?? State(port: try POSIX.freePort(), startedBy: nil)
        if !POSIX.isPortFree(state.port) {
            let previous = state.port
            state.port = try POSIX.freePort()
            logger.warning("embedded PostgreSQL port is taken, moving", metadata: ["old": "\(previous)", "new": "\(state.port)"])
        }
        state.startedBy = starter
        try writeState(state)
        logger.info("starting embedded PostgreSQL", metadata: ["port": "\(state.port)"])
        let outcome = try await ProcessRunner.run(
            configuration.binDirectory + "/pg_ctl",
            [
                "start", "-D", pgdata, "-l", serverLog, "-w", "-t", "60",
                "-o", Self.startOptions(port: state.port, configuration: configuration),
            ],
            asUser: runAs)
        guard outcome.status == 0 else {
            let log = (try? String(contentsOfFile: serverLog, encoding: .utf8)).map { String($0.suffix(1_500)) } ?? ""
            throw StorageError(.embeddedPostgres, "pg_ctl start failed (exit \(outcome.status)): \(outcome.output) \(log)")
        }
        return true
    }

    /// The `postgres` options of a start: the port, and `shared_buffers` when the configuration sets it (a command-line
    /// setting wins over `postgresql.conf` and `ALTER SYSTEM`, so the variable holds for an existing cluster too).
    static func startOptions(port: Int, configuration: Configuration) -> String {
        guard let megabytes = configuration.sharedBuffersMB else { return "-p \(port)" }
        return "-p \(port) -c shared_buffers=\(megabytes)MB"
    }

    /// Stops the cluster (fast shutdown: running transactions are rolled back, committed data is safe).
    public func stop() async throws {
        guard case .running = try await status() else { return }
        logger.info("stopping embedded PostgreSQL")
        let outcome = try await ProcessRunner.run(
            configuration.binDirectory + "/pg_ctl", ["stop", "-D", pgdata, "-m", "fast", "-w", "-t", "60"], asUser: runAs)
        guard outcome.status == 0 else {
            throw StorageError(.embeddedPostgres, "pg_ctl stop failed (exit \(outcome.status)): \(outcome.output)")
        }
    }

    /// Who started the running cluster, as recorded at start.
    public func startedBy() throws -> Starter? { try readState()?.startedBy }

    /// Creates the owner and application roles and the `insightvault` database (idempotent). The cluster must run.
    public func provision() async throws {
        let secrets = try loadOrCreateSecrets()
        try await RoleProvisioner.provision(
            superuser: try superuserURL(), database: Self.databaseName,
            ownerPassword: secrets.ownerPassword, appPassword: secrets.appPassword, logger: logger)
    }

    /// Connection string for the superuser (maintenance database `postgres`).
    public func superuserURL() throws -> DatabaseURL {
        let secrets = try loadOrCreateSecrets()
        return DatabaseURL(
            host: "127.0.0.1", port: try port(), username: Self.superuser, password: secrets.superuserPassword, database: "postgres")
    }

    /// Connection string for the owner role, which runs migrations and partition maintenance.
    public func ownerURL() throws -> DatabaseURL {
        let secrets = try loadOrCreateSecrets()
        return DatabaseURL(
            host: "127.0.0.1", port: try port(), username: RoleProvisioner.ownerRole, password: secrets.ownerPassword,
            database: Self.databaseName)
    }

    /// Connection string for the application role the server uses.
    public func appURL() throws -> DatabaseURL {
        let secrets = try loadOrCreateSecrets()
        return DatabaseURL(
            host: "127.0.0.1", port: try port(), username: RoleProvisioner.appRole, password: secrets.appPassword,
            database: Self.databaseName)
    }

    private func port() throws -> Int {
        guard let state = try readState() else {
            throw StorageError(.embeddedPostgres, "the embedded PostgreSQL in \(configuration.directory) has never been started")
        }
        return state.port
    }

    func loadOrCreateSecrets() throws -> Secrets {
        if let secrets = try readSecrets() { return secrets }
        let secrets = Secrets(
            superuserPassword: POSIX.randomHex(bytes: 24), ownerPassword: POSIX.randomHex(bytes: 24),
            appPassword: POSIX.randomHex(bytes: 24))
        try prepareDataDirectory()
        // Never replaces a file another process wrote meanwhile: whoever comes second reads the first one's.
        try PrivateFiles.write(try JSONEncoder().encode(secrets), to: secretsPath, replacing: false)
        guard let stored = try readSecrets() else { throw StorageError(.dataDirectory, "\(secretsPath) vanished while starting") }
        return stored
    }

    private func readSecrets() throws -> Secrets? {
        guard let data = try PrivateFiles.read(secretsPath) else { return nil }
        do {
            return try JSONDecoder().decode(Secrets.self, from: data)
        } catch {
            throw StorageError(.embeddedPostgres, "\(secretsPath) is unreadable: \(error)")
        }
    }

    private func readState() throws -> State? {
        guard let data = FileManager.default.contents(atPath: statePath) else { return nil }
        return try JSONDecoder().decode(State.self, from: data)
    }

    private func writeState(_ state: State) throws {
        try PrivateFiles.write(try JSONEncoder().encode(state), to: statePath)
    }
}
