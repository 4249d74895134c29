import App
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import TestSupport
import Testing

@Suite struct HealthControllerTests {
    static func config(for database: TestDatabase) throws -> AppConfig {
        var config = try AppConfig(values: [
            "DATABASE_URL": database.owner.urlString, "APP_DATABASE_URL": database.app.urlString,
            "IV_MIGRATIONS_DIR": TestDatabase.repositoryRoot.appendingPathComponent("migrations").path,
            "IV_JWT_KEYS": "test:" + String(repeating: "A", count: 44),
        ])
        config.port = 0
        return config
    }

    /// `/readyz`'s answer once the database answered it. The first probe opens the pool's first connection, and with
    /// the whole suite running on two cores that can take longer than the probe's 2 s: the probe then answers 503
    /// "database unreachable", as it should, and this asks again a second later, as Kubernetes does, up to 15 times.
    static func readiness(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, String) {
        try await readinessOnceReachable(client, attempts: 15, interval: .seconds(1))
    }

    @Test func healthAndReadinessAnswerOnAMigratedDatabase() async throws {
        let database = try await TestDatabase.create(migrate: false)
        let app = try await buildApplication(config: try Self.config(for: database), logger: database.logger)
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"ok\""))
            }
            let (status, body) = try await Self.readiness(client)
            #expect(status == .ok)
            #expect(body.contains("\"ready\""))
        }
    }

    @Test func readinessIs503WhileMigrationsArePending() async throws {
        let database = try await TestDatabase.create(migrate: false)
        var config = try Self.config(for: database)
        // Migrate only the first two files, then serve without auto-migration.
        let files = Array(try TestDatabase.migrationFiles().prefix(2))
        try await Migrator(files: files, logger: database.logger).migrate(url: database.owner)
        config.autoMigrate = false
        let app = try await buildApplication(config: config, logger: database.logger)
        try await app.test(.router) { client in
            let (status, body) = try await Self.readiness(client)
            #expect(status == .serviceUnavailable)
            #expect(body.contains("pending migrations"))
        }
    }

    @Test func serverRefusesToQueryAsTheOwnerRole() async throws {
        let database = try await TestDatabase.create(migrate: false)
        var config = try Self.config(for: database)
        config.appDatabaseURL = database.owner
        await #expect(throws: StorageError.self) {
            _ = try await buildApplication(config: config, logger: database.logger)
        }
    }
}

/// The embedded cluster as `serve` uses it, in a temporary data directory, over a real socket.
@Suite(.serialized) struct EmbeddedReadinessTests {
    @Test func readinessFollowsTheDatabaseGoingDownAndComingBack() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iv-embedded-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = try AppConfig(values: [
            "IV_DATA_DIR": directory,
            "IV_MIGRATIONS_DIR": TestDatabase.repositoryRoot.appendingPathComponent("migrations").path,
        ])
        config.port = 0
        let cluster = DatabaseEndpoints.embeddedCluster(config: config, logger: logger)
        let app = try await buildApplication(config: config, logger: logger)
        try await app.test(.live) { client in
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await cluster.stop()
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await cluster.start(by: .serve)
            let (status, _) = try await readinessOnceReachable(client, attempts: 30, interval: .milliseconds(300))
            #expect(status == .ok)
        }
        // The service group stopped the cluster it owned on shutdown.
        #expect(try await cluster.status() == .stopped)
    }
}

/// `/readyz`'s status and body, asked again `interval` apart, at most `attempts` times, while it answers "database
/// unreachable" (no connection, or none within the probe's timeout); any other answer is returned at once.
func readinessOnceReachable(
    _ client: some TestClientProtocol, attempts: Int, interval: Duration
) async throws -> (HTTPResponse.Status, String) {
    var answer: (HTTPResponse.Status, String) = (.serviceUnavailable, "")
    for attempt in 1...attempts {
        answer = try await client.execute(uri: "/readyz", method: .get) { ($0.status, String(buffer: $0.body)) }
        guard answer.1.contains("database unreachable"), attempt < attempts else { break }
        try await Task.sleep(for: interval)
    }
    return answer
}
