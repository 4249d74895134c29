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
    /// Where snapshot (report) transactions run; nil: on `client`, without a gate (tests, command-line tools).
    public let reports: ReportPool?
    /// Every transaction's statements are cancelled with its task, not only reports' (background work that must stop
    /// at shutdown: rollups).
    let cancelsEveryTransaction: Bool
    /// Leases of `client`'s connections, counted and timed (`insightvault_db_pool_*`).
    let pool: PoolMetrics

    /// The pool and the gate of report (snapshot) transactions (see `ReportGate`).
    public struct ReportPool: Sendable {
        /// Connections of the application role used only by reports; as many as the gate admits at once.
        public let client: PostgresClient
        /// Admission per organization.
        public let gate: ReportGate
        /// Its leases, counted and timed (`pool="reports"`).
        let metrics = PoolMetrics(name: "reports")
        /// A streaming replica that reports prefer while it is fit (`READ_DATABASE_URL`).
        public let replica: ReadReplica?

        /// A report pool: `client` should have `gate.configuration.concurrency` connections.
        public init(client: PostgresClient, gate: ReportGate, replica: ReadReplica? = nil) {
            self.client = client
            self.gate = gate
            self.replica = replica
        }
    }

    /// What kind of transaction `onTransaction` reports.
    public enum TransactionKind: Sendable, Equatable {
        /// A transaction scoped to one organization (`withTenant`).
        case tenant
        /// A transaction scoped to no organization (`withGlobalTransaction`).
        case global
    }

    /// Wraps a pool that connects as the application role; `onTransaction` observes every transaction opened.
    /// Statements of snapshot (report) transactions are cancelled after `snapshotStatementTimeoutMilliseconds`
    /// (0: never) and the transaction fails with `DATABASE_TIMEOUT`. With `reports`, snapshot transactions wait for
    /// a slot of their organization at its gate and run on its pool, never on `client`.
    public init(
        client: PostgresClient, logger: Logger, snapshotStatementTimeoutMilliseconds: Int = 60_000,
        reports: ReportPool? = nil, onTransaction: (@Sendable (TransactionKind) -> Void)? = nil
    ) {
        self.client = client
        self.logger = logger
        self.snapshotStatementTimeoutMilliseconds = snapshotStatementTimeoutMilliseconds
        self.reports = reports
        self.onTransaction = onTransaction
        self.cancelsEveryTransaction = false
        self.pool = PoolMetrics(name: "app")
    }

    /// A handle whose transactions all stop when their task is cancelled, the running statement included (see
    /// `withTenant`'s reports): for background work that shutdown must be able to interrupt, such as rollups.
    public init(cancellingStatementsOn client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        self.snapshotStatementTimeoutMilliseconds = 0
        self.reports = nil
        self.onTransaction = nil
        self.cancelsEveryTransaction = true
        self.pool = PoolMetrics(name: "owner")
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
        if snapshot {
            return try await report(org) { connection in
                try await enter(org, snapshot: true, on: connection)
                return try await body(TenantConnection(org: org, connection: connection, logger: logger, cancellable: true))
            }
        }
        return try await transaction(.tenant) { connection in
            try await enter(org, snapshot: false, on: connection)
            return try await body(TenantConnection(org: org, connection: connection, logger: logger, cancellable: cancelsEveryTransaction))
        }
    }

    /// Runs `body` inside the tenant transaction of the organization that owns `object`, found in the same
    /// transaction with one lookup (`iv_object_org`, which returns nothing but the organization's ID). Returns `nil`
    /// without calling `body` when no organization owns such an object. Callers check the principal's membership
    /// inside `body`, so an object of another organization can answer exactly like an unknown one. A snapshot (report)
    /// looks the organization up first, on `client`, because its gate admits it by organization.
    public func withTenant<Result: Sendable>(
        owning object: OwnedObject,
        snapshot: Bool = false,
        _ body: (TenantConnection) async throws -> Result?
    ) async throws -> Result? {
        if snapshot {
            let rows = try await client.query("SELECT iv_object_org(\(object.kind), \(object.id))", logger: logger).collect()
            guard let owner = try rows.first?.decode(UUID?.self) else {
                // An unknown object costs what another organization's does (a slot and a transaction): both answer alike.
                return try await report(Org.ID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))) { _ in nil }
            }
            return try await withTenant(Org.ID(owner), snapshot: true, body)
        }
        return try await transaction(.tenant) { connection in
            let rows = try await connection.query("SELECT iv_object_org(\(object.kind), \(object.id))", logger: logger).collect()
            guard let owner = try rows.first?.decode(UUID?.self) else { return nil }
            let org = Org.ID(owner)
            try await enter(org, snapshot: false, on: connection)
            return try await body(TenantConnection(org: org, connection: connection, logger: logger))
        }
    }

    /// Reports the transaction to `onTransaction`, then runs `body` on a pooled connection inside `BEGIN` … `COMMIT`.
    private func transaction<Result: Sendable>(
        _ kind: TransactionKind, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        onTransaction?(kind)
        guard cancelsEveryTransaction else {
            return try await pool.leasing(client) { connection in
                try await Self.inTransaction(on: connection, logger: logger) { try await body(connection) }
            }
        }
        do {
            return try await pool.leasing(client) { connection in
                try await Self.inTransaction(on: connection, logger: logger) {
                    try await cancellable(on: connection) { try await body(connection) }
                }
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "57014" && Task.isCancelled {
            throw CancellationError()
        }
    }

    /// A report's transaction: once `org` has a slot at the report gate, on a connection of the report pool, inside
    /// `REPEATABLE READ READ ONLY`; its statement timeout is reported as `DATABASE_TIMEOUT`, and cancelling the task
    /// (its client left) cancels the statement running in PostgreSQL.
    private func report<Result: Sendable>(
        _ org: Org.ID, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        onTransaction?(.tenant)
        let (reportClient, reportLeases) = reports.map { ($0.client, $0.metrics) } ?? (client, pool)
        func transaction(on connection: PostgresConnection, cancellingFrom canceller: PostgresClient) async throws -> Result {
            try await Self.inTransaction(on: connection, logger: logger, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try await cancellable(on: connection, from: canceller) { try await body(connection) }
            }
        }
        func run() async throws -> Result {
            if !Self.readsPrimary, let replica = reports?.replica, replica.isUsable {
                do {
                    return try await timingOut {
                        try await onReplica(replica) { try await transaction(on: $0, cancellingFrom: replica.client) }
                    }
                } catch let error where error is PSQLError || error is ReplicaUnavailable {
                    if Task.isCancelled { throw CancellationError() }
                    // The replica went down or cancelled the statement (a recovery conflict): the primary answers.
                    replica.failed()
                    logger.warning("a report failed on the read replica; answering from the primary", metadata: ["error": "\(error)"])
                }
            }
            return try await timingOut {
                try await reportLeases.leasing(reportClient) { try await transaction(on: $0, cancellingFrom: client) }
            }
        }
        guard let gate = reports?.gate else { return try await run() }
        return try await gate.withSlot(org) { try await run() }
    }

    /// Runs `body` on a connection of `replica`, waiting at most its `connectionWait` for one (a replica that went
    /// down leaves the pool retrying to connect).
    private func onReplica<Result: Sendable>(
        _ replica: ReadReplica, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        // DatabaseWait runs the lease in a child task, which needs a sendable closure; `body` runs once, in that task,
        // and not after `run` returns (a task group awaits its children), so it does not really escape.
        try await withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            return try await DatabaseWait.run(within: replica.connectionWait, unavailable: { ReplicaUnavailable() }) { connected in
                try await replica.metrics.leasing(replica.client) { connection in
                    try connected()
                    return try await work.value(connection)
                }
            }
        }
    }

    /// Reports of the current task run on the primary even when a read replica is usable (the live tail).
    @TaskLocal public static var readsPrimary = false

    /// Runs `body` (a report's statements on `connection`, inside its transaction) so that cancelling the task
    /// cancels them: postgres-nio does not cancel a running statement, so the transaction wears a unique
    /// `application_name` and a cancellation asks PostgreSQL, from `client`, to cancel the backend wearing it
    /// (`pg_cancel_backend`; the application role may cancel its own sessions). Between statements,
    /// `TenantConnection.query` checks for cancellation itself.
    private func cancellable<Result>(
        on connection: PostgresConnection, from canceller: PostgresClient? = nil, _ body: () async throws -> Result
    ) async throws -> Result {
        let tag = "\(Self.reportApplicationName) \(UUID().uuidString.lowercased())"
        try await connection.query("SELECT set_config('application_name', \(tag), true)", logger: logger)
        let (client, logger) = (canceller ?? self.client, self.logger)
        return try await withTaskCancellationHandler {
            try Task.checkCancellation()
            return try await body()
        } onCancel: {
            Task {
                _ = try? await client.query(
                    "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = \(tag)", logger: logger)
            }
        }
    }

    /// The `application_name` prefix a running report (or other cancellable) transaction shows in `pg_stat_activity`.
    public static let reportApplicationName = "insightvault report"

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
            // Also what a cancelled statement says (`cancellable`): then the task was cancelled.
            if Task.isCancelled { throw CancellationError() }
            throw StorageError(.timeout, "the report took longer than \(snapshotStatementTimeoutMilliseconds) ms and was stopped")
        }
    }

    /// Runs `body` in a transaction that is not scoped to any organization: only global tables (users) and
    /// functions are usable; every tenant table reads as empty and refuses writes.
    public func withGlobalTransaction<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await transaction(.global, body)
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
    /// A report's connection: a cancelled task runs no further statement.
    let cancellable: Bool

    /// A tenant connection; `cancellable` for reports (see `Database.withTenant`).
    init(org: Org.ID, connection: PostgresConnection, logger: Logger, cancellable: Bool = false) {
        self.org = org
        self.connection = connection
        self.logger = logger
        self.cancellable = cancellable
    }

    /// Runs one query in the tenant transaction (in a report's, only while its task is not cancelled).
    @discardableResult
    public func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        if cancellable { try Task.checkCancellation() }
        return try await connection.query(query, logger: logger, file: file, line: line)
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
    /// A dashboard's read-only link.
    case share(DashboardShare.ID)

    /// The kind's name, as `iv_object_org` expects it and as `NOT_FOUND` messages say it.
    public var kind: String {
        switch self {
        case .project: "project"
        case .report: "report"
        case .dashboard: "dashboard"
        case .token: "token"
        case .share: "share"
        }
    }

    /// The object's ID.
    public var id: UUID {
        switch self {
        case .project(let id): id.rawValue
        case .report(let id): id.rawValue
        case .dashboard(let id): id.rawValue
        case .token(let id): id.rawValue
        case .share(let id): id.rawValue
        }
    }
}

/// A value passed to a child task that uses it alone, once (`Database.onReplica`).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
