import Foundation
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
    /// Called once for every transaction this handle opens (tests count tenant transactions with it).
    let onTransaction: (@Sendable (TransactionKind) -> Void)?
    /// `statement_timeout` of snapshot (report) transactions in milliseconds; 0 is none.
    let snapshotStatementTimeoutMilliseconds: Int

    /// What kind of transaction `onTransaction` reports.
    public enum TransactionKind: Sendable, Equatable {
        /// A transaction scoped to one organization (`withTenant`).
        case tenant
        /// A transaction scoped to no organization (`withGlobalTransaction`).
        case global
    }

    /// Wraps a pool that connects as the application role; `onTransaction` observes every transaction opened.
    /// Statements of snapshot (report) transactions are cancelled after `snapshotStatementTimeoutMilliseconds`
    /// (0: never) and the transaction fails with `DATABASE_TIMEOUT`.
    public init(
        client: PostgresClient, logger: Logger, snapshotStatementTimeoutMilliseconds: Int = 60_000,
        onTransaction: (@Sendable (TransactionKind) -> Void)? = nil
    ) {
        self.client = client
        self.logger = logger
        self.snapshotStatementTimeoutMilliseconds = snapshotStatementTimeoutMilliseconds
        self.onTransaction = onTransaction
    }

    /// Runs `body` inside a transaction whose `app.org_id` is `org`, so RLS shows and accepts only that
    /// organization's rows. Commits when `body` returns, rolls back and rethrows `body`'s own error when it throws.
    /// With `snapshot`, the transaction is `REPEATABLE READ READ ONLY` (reports that combine rollups with raw events
    /// read both as of one instant), JIT compilation is off and statements time out (`DATABASE_TIMEOUT`).
    public func withTenant<Result: Sendable>(
        _ org: Org.ID,
        snapshot: Bool = false,
        _ body: (TenantConnection) async throws -> Result
    ) async throws -> Result {
        try await transaction(.tenant, snapshot: snapshot) { connection in
            try await enter(org, snapshot: snapshot, on: connection)
            return try await body(TenantConnection(org: org, connection: connection, logger: logger))
        }
    }

    /// Runs `body` inside the tenant transaction of the organization that owns `object`, found in the same
    /// transaction with one lookup (`iv_object_org`, which returns nothing but the organization's ID). Returns `nil`
    /// without calling `body` when no organization owns such an object. Callers check the principal's membership
    /// inside `body`, so an object of another organization can answer exactly like an unknown one.
    public func withTenant<Result: Sendable>(
        owning object: OwnedObject,
        snapshot: Bool = false,
        _ body: (TenantConnection) async throws -> Result?
    ) async throws -> Result? {
        try await transaction(.tenant, snapshot: snapshot) { connection in
            let rows = try await connection.query("SELECT iv_object_org(\(object.kind), \(object.id))", logger: logger).collect()
            guard let owner = try rows.first?.decode(UUID?.self) else { return nil }
            let org = Org.ID(owner)
            try await enter(org, snapshot: snapshot, on: connection)
            return try await body(TenantConnection(org: org, connection: connection, logger: logger))
        }
    }

    /// Reports the transaction to `onTransaction`, then runs `body` on a pooled connection inside `BEGIN` … `COMMIT`
    /// (`REPEATABLE READ READ ONLY` for snapshots, whose statement timeout is reported as `DATABASE_TIMEOUT`).
    private func transaction<Result: Sendable>(
        _ kind: TransactionKind, snapshot: Bool, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        onTransaction?(kind)
        guard snapshot else {
            return try await client.withConnection { connection in
                try await Self.inTransaction(on: connection, logger: logger) { try await body(connection) }
            }
        }
        return try await timingOut {
            try await client.withConnection { connection in
                try await Self.inTransaction(on: connection, logger: logger, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                    try await body(connection)
                }
            }
        }
    }

    /// Scopes the open transaction to `org` for row-level security; snapshot (report) transactions also get their
    /// statement timeout.
    private func enter(_ org: Org.ID, snapshot: Bool, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT set_config('app.org_id', \(org.description), true)", logger: logger)
        if snapshot {
            // Report queries: PostgreSQL's JIT compiles for ~250 ms whenever an estimate is large, which costs more
            // than it saves on these plans.
            try await connection.query("SET LOCAL jit = off", logger: logger)
            let timeout = String(snapshotStatementTimeoutMilliseconds)
            try await connection.query("SELECT set_config('statement_timeout', \(timeout), true)", logger: logger)
        }
    }

    /// `body`, with a statement cancelled by `statement_timeout` (SQLSTATE 57014) reported as `DATABASE_TIMEOUT`.
    private func timingOut<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "57014" {
            throw StorageError(.timeout, "the report took longer than \(snapshotStatementTimeoutMilliseconds) ms and was stopped")
        }
    }

    /// Runs `body` in a transaction that is not scoped to any organization: only global tables (users) and
    /// functions are usable; every tenant table reads as empty and refuses writes.
    public func withGlobalTransaction<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await transaction(.global, snapshot: false, body)
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

/// An object whose organization `Database.withTenant(owning:)` can look up by ID alone: the kinds API requests name.
public enum OwnedObject: Sendable, Hashable {
    /// A project.
    case project(Project.ID)
    /// A saved report.
    case report(Report.ID)
    /// A dashboard.
    case dashboard(Dashboard.ID)
    /// An API token (ingest or personal).
    case token(APIToken.ID)

    /// The kind's name, as `iv_object_org` expects it and as `NOT_FOUND` messages say it.
    public var kind: String {
        switch self {
        case .project: "project"
        case .report: "report"
        case .dashboard: "dashboard"
        case .token: "token"
        }
    }

    /// The object's ID.
    public var id: UUID {
        switch self {
        case .project(let id): id.rawValue
        case .report(let id): id.rawValue
        case .dashboard(let id): id.rawValue
        case .token(let id): id.rawValue
        }
    }
}
