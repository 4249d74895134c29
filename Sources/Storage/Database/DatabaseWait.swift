import Logging
import Models
import PostgresNIO
import Synchronization

/// Bounds for work that must answer while PostgreSQL is down or restarting (ingestion).
///
/// While the database is down, the connection pool keeps requests queued as it retries to connect (for a minute
/// before it fails them); and a statement sent on a connection whose server was killed under it can wait forever.
/// `run` bounds the wait for a connection; `watching` bounds a transaction once it holds one, by closing the
/// connection, which fails the statement in flight.
public enum DatabaseWait {
    enum Phase { case waiting, connected, expired }

    /// The phase, shared by the operation and the timer.
    final class State: Sendable {
        let phase = Mutex(Phase.waiting)
    }

    /// Runs `operation`, throwing `unavailable` when it has not called `connected()` within `limit`. `operation`
    /// calls `connected()` as soon as it holds its connection; if the bound passes first, it is cancelled while still
    /// waiting for one (the pool drops the request), so nothing of it ran.
    public static func run<Result: Sendable>(
        within limit: Duration, unavailable: @escaping @Sendable () -> any Error,
        _ operation: @escaping @Sendable (_ connected: @escaping @Sendable () throws -> Void) async throws -> Result
    ) async throws -> Result {
        let state = State()
        let connected: @Sendable () throws -> Void = {
            let expired = state.phase.withLock { phase -> Bool in
                if phase == .expired { return true }
                phase = .connected
                return false
            }
            if expired { throw unavailable() }
        }
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await operation(connected) }
            group.addTask {
                try? await Task.sleep(for: limit)
                let expired = state.phase.withLock { phase -> Bool in
                    guard phase == .waiting else { return false }
                    phase = .expired
                    return true
                }
                if expired { throw unavailable() }
                return nil
            }
            while let next = try await group.next() {
                if let result = next {
                    group.cancelAll()
                    return result
                }
            }
            throw unavailable()
        }
    }

    /// Runs `operation` on `connection`; if it has not finished within `limit`, closes the connection, which fails
    /// the statement in flight (and the transaction: nothing of it is committed unless its `COMMIT` already was).
    public static func watching<Result: Sendable>(
        _ connection: PostgresConnection, within limit: Duration, logger: Logger,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                // Cancelled when the operation ended first: then no close.
                try await Task.sleep(for: limit)
                logger.error("a database transaction hung; closing its connection", metadata: ["limit": "\(limit)"])
                try? await connection.close()
                return nil
            }
            while let next = try await group.next() {
                if let result = next {
                    group.cancelAll()
                    return result
                }
            }
            throw CancellationError()
        }
    }
}

extension Database {
    /// `withTenant(org)` for ingestion, bounded: waits at most `connectionWait` for a pooled connection (then throws
    /// `unavailable()`), and closes the connection when the transaction, `BEGIN` to `COMMIT`, takes longer than
    /// `timeout`, so that a transaction whose server died under it fails instead of waiting forever.
    public func withTenant<Result: Sendable>(
        _ org: Org.ID, connectionWait: Duration, timeout: Duration, unavailable: @escaping @Sendable () -> any Error,
        _ body: @escaping @Sendable (TenantConnection) async throws -> Result
    ) async throws -> Result {
        onTransaction?(.tenant)
        let (client, logger) = (self.client, self.logger)
        return try await DatabaseWait.run(within: connectionWait, unavailable: unavailable) { connected in
            try await client.withConnection { connection in
                try connected()
                return try await DatabaseWait.watching(connection, within: timeout, logger: logger) {
                    try await Self.inTransaction(on: connection, logger: logger) {
                        try await connection.query("SELECT set_config('app.org_id', \(org.description), true)", logger: logger)
                        return try await body(TenantConnection(org: org, connection: connection, logger: logger))
                    }
                }
            }
        }
    }
}
