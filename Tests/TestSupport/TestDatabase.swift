import Foundation
import Logging
import Models
import PostgresNIO
import Storage

/// Test helper (not shipped). A fresh database on the throwaway cluster `make test` starts (`IV_TEST_DATABASE_URL`, a superuser URL), with the
/// owner and application roles provisioned exactly as in production and, by default, every migration applied.
public struct TestDatabase: Sendable {
    /// The owner role's password in test databases.
    public static let ownerPassword = "owner-test-password"
    /// The application role's password in test databases.
    public static let appPassword = "app-test-password"

    /// The database's name (unique per test).
    public let name: String
    /// Connects as the owner role (migrations, seeding, checks that bypass tenancy).
    public let owner: DatabaseURL
    /// Connects as the application role, as the server does.
    public let app: DatabaseURL
    /// A quiet logger for the pools.
    public let logger: Logger

    /// The superuser URL, or a failing error: these tests must never pass silently without PostgreSQL.
    public static func superuserURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["IV_TEST_DATABASE_URL"], !text.isEmpty else {
            throw StorageError(.invalidDatabaseURL, "IV_TEST_DATABASE_URL is not set: run the tests with `make test`")
        }
        return try DatabaseURL(string: text)
    }

    /// The repository's root folder (migrations, schema).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The repository's migration files.
    public static func migrationFiles() throws -> [MigrationFile] {
        try Migrator.loadFiles(from: repositoryRoot.appendingPathComponent("migrations").path)
    }

    /// A fresh database with both roles provisioned and, when `migrate`, every migration applied.
    public static func create(migrate: Bool = true) async throws -> TestDatabase {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let superuser = try superuserURL()
        let name = "ivtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await RoleProvisioner.provision(
            superuser: superuser, database: String(name), ownerPassword: ownerPassword, appPassword: appPassword, logger: logger)
        let database = TestDatabase(
            name: String(name),
            owner: superuser.with(database: String(name)).with(username: RoleProvisioner.ownerRole, password: ownerPassword),
            app: superuser.with(database: String(name)).with(username: RoleProvisioner.appRole, password: appPassword),
            logger: logger)
        if migrate {
            try await Migrator(files: try migrationFiles(), logger: logger).migrate(url: database.owner)
        }
        return database
    }

    /// Runs `body` with a running pool for `url`, shutting the pool down afterwards.
    public func withClient<T: Sendable>(
        _ url: DatabaseURL,
        maxConnections: Int = 4,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: url.clientConfiguration(maxConnections: maxConnections), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// `Database` (the application role) for `body`.
    public func withAppDatabase<T: Sendable>(_ body: @Sendable (Database) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await withClient(app) { try await body(Database(client: $0, logger: logger)) }
    }

    /// Runs SQL as the owner (who may see and write every tenant's rows).
    public func asOwner(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await owner.withConnection(logger: logger) { try await $0.query(query, logger: logger).collect() }
    }

    /// Creates an organization with one project as the owner role.
    @discardableResult
    public func seedOrg(name: String) async throws -> (org: Org.ID, project: Project.ID) {
        let org = Org.ID.random()
        let project = Project.ID.random()
        _ = try await asOwner("INSERT INTO organizations (org_id, name) VALUES (\(org.rawValue), \(name))")
        _ = try await asOwner(
            "INSERT INTO projects (org_id, project_id, name) VALUES (\(org.rawValue), \(project.rawValue), \(name + " web"))")
        return (org, project)
    }

    /// Inserts one event as the owner role.
    public func seedEvent(org: Org.ID, project: Project.ID, at timestamp: Date, name: String = "pageview") async throws {
        _ = try await asOwner(
            """
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp")
            VALUES (\(org.rawValue), \(project.rawValue), \(UUID()), \(name), 'user-1', \(timestamp))
            """)
    }
}

extension Date {
    /// Parses an RFC 3339 literal in tests.
    public static func at(_ text: String) -> Date {
        try! Date.ISO8601FormatStyle().parse(text)
    }
}
