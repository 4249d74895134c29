import Logging
import Models
import PostgresNIO

/// The application's handle on PostgreSQL as the application role. Every query that touches tenant data goes through
/// `withTenant(_:_:)`, which runs it in a transaction scoped to one organization by row-level security.
public struct Database: Sendable {
    /// The connection pool. It must be running (it is a ServiceLifecycle service) for queries to proceed.
    public let client: PostgresClient
    /// Logger used for query logging.
    public let logger: Logger

    /// Wraps a pool that connects as the application role.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Runs `body` inside a transaction whose `app.org_id` is `org`, so RLS shows and accepts only that
    /// organization's rows. Commits when `body` returns, rolls back and rethrows `body`'s own error when it throws.
    /// With `snapshot`, the transaction is `REPEATABLE READ READ ONLY` (reports that combine rollups with raw events
    /// read both as of one instant) and JIT compilation is off.
    public func withTenant<Result: Sendable>(
        _ org: Org.ID,
        snapshot: Bool = false,
        _ body: (TenantConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await Self.inTransaction(
                on: connection, logger: logger, begin: snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"
            ) {
                try await connection.query(
                    "SELECT set_config('app.org_id', \(org.description), true)", logger: logger)
                if snapshot {
                    // Report queries: PostgreSQL's JIT compiles for ~250 ms whenever an estimate is large, which
                    // costs more than it saves on these plans.
                    try await connection.query("SET LOCAL jit = off", logger: logger)
                }
                return try await body(TenantConnection(org: org, connection: connection, logger: logger))
            }
        }
    }

    /// Runs `body` in a transaction that is not scoped to any organization: only global tables (users) and
    /// functions are usable; every tenant table reads as empty and refuses writes.
    public func withGlobalTransaction<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await Self.inTransaction(on: connection, logger: logger) { try await body(connection) }
        }
    }

    /// `BEGIN`, `body`, `COMMIT`; on error `ROLLBACK` and rethrow the original error (postgres-nio's own
    /// `withTransaction` wraps it, which would hide our error types from the HTTP layer).
    nonisolated(nonsending) static func inTransaction<Result>(
        on connection: PostgresConnection,
        logger: Logger,
        begin: String = "BEGIN",
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await connection.query(PostgresQuery(unsafeSQL: begin), logger: logger)
        let result: Result
        do {
            result = try await body()
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return result
    }
}

/// A connection inside a tenant transaction (see `Database.withTenant`). Only valid inside that closure.
public struct TenantConnection: Sendable {
    /// The organization this transaction is scoped to.
    public let org: Org.ID
    /// The underlying connection; queries on it run inside the tenant transaction.
    public let connection: PostgresConnection
    /// Logger for queries.
    public let logger: Logger

    /// Runs one query in the tenant transaction.
    @discardableResult
    public func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try await connection.query(query, logger: logger, file: file, line: line)
    }
}
