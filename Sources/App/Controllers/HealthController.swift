import Hummingbird
import Logging
import PostgresNIO
import Storage

/// `GET /healthz` (the process is up) and `GET /readyz` (the database answers and every migration is applied).
/// Load balancers and Kubernetes probes use these; neither needs authentication.
public struct HealthController<Context: RequestContext>: Sendable {
    /// Body of both endpoints.
    public struct Status: ResponseEncodable, Decodable, Equatable {
        /// `ok`, `ready` or `unavailable`.
        public var status: String
        /// Why the server is not ready, when it is not.
        public var reason: String?
    }

    let client: PostgresClient
    let migrator: Migrator
    let timeout: Duration

    /// - Parameters:
    ///   - client: the application-role pool to probe.
    ///   - migrator: knows which migrations this build expects.
    ///   - timeout: how long `/readyz` waits for the database before answering 503.
    public init(client: PostgresClient, migrator: Migrator, timeout: Duration = .seconds(2)) {
        self.client = client
        self.migrator = migrator
        self.timeout = timeout
    }

    /// The two routes.
    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("healthz", use: health)
        routes.get("readyz", use: ready)
        return routes
    }

    @Sendable func health(request: Request, context: Context) async throws -> Status {
        Status(status: "ok")
    }

    @Sendable func ready(request: Request, context: Context) async throws -> EditedResponse<Status> {
        guard let reason = await Self.unreadiness(client: client, migrator: migrator, timeout: timeout, logger: context.logger) else {
            return EditedResponse(status: .ok, response: Status(status: "ready"))
        }
        return EditedResponse(status: .serviceUnavailable, response: Status(status: "unavailable", reason: reason))
    }

    /// Why the server is not ready (pending migrations, migrations of a newer build that this one cannot work with, or
    /// no answer from the database within `timeout`), or nil when it is: `/readyz`, the schema guard
    /// (`SchemaGuard`) and the `insightvault_database_ready` gauge ask the same question.
    static func unreadiness(client: PostgresClient, migrator: Migrator, timeout: Duration, logger: Logger) async -> String? {
        do {
            return try await withTimeout(timeout) { try await migrator.status(client: client) }.refusal
        } catch {
            logger.warning("readiness check failed", metadata: ["error": "\(String(reflecting: error))"])
            return "database unreachable"
        }
    }
}

/// Runs `operation`, throwing `DATABASE_TIMEOUT` if it takes longer than `limit` (the operation is cancelled).
func withTimeout<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw StorageError(.timeout, "no answer within \(limit)")
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
