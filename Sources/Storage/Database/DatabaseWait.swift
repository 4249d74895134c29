import Logging
import Models
import NIOCore
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

    /// Thrown by `watching` when the transaction did not finish within its limit (its connection was closed).
    public struct TransactionTimedOut: Error, CustomStringConvertible {
        /// The limit that passed.
        public let limit: Duration
        /// For logs.
        public var description: String { "the database transaction did not finish within \(limit); its connection was closed" }
    }

    /// One answer for `watching`: the operation's, or the timer's, whichever comes first.
    final class Race<Result: Sendable>: Sendable {
        let continuation = Mutex<CheckedContinuation<Result, any Error>?>(nil)
        /// The task running the operation.
        let work = Mutex<Task<Void, Never>?>(nil)

        /// Resumes the waiting caller once; false when it was resumed already.
        @discardableResult
        func finish(_ result: Swift.Result<Result, any Error>) -> Bool {
            guard let waiting = continuation.withLock({ $0.take() }) else { return false }
            waiting.resume(with: result)
            return true
        }
    }

    /// Runs `operation` on `connection`; if it has not finished within `limit`, closes the connection (which fails
    /// the statement in flight, and the transaction: nothing of it is committed unless its `COMMIT` already was) and
    /// throws `TransactionTimedOut` at once. The caller does not wait for the operation to notice: a statement on a
    /// connection whose server died can stay unanswered even after the close, so the operation runs on in an
    /// unstructured task until it fails by itself.
    public static func watching<Result: Sendable>(
        _ connection: PostgresConnection, within limit: Duration, logger: Logger,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let race = Race<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.continuation.withLock { $0 = continuation }
                let timer = Task {
                    // Cancelled when the operation ended first: then no close.
                    guard (try? await Task.sleep(for: limit)) != nil else { return }
                    logger.error("a database transaction hung; closing its connection", metadata: ["limit": "\(limit)"])
                    race.work.withLock { $0 }?.cancel()
                    // Answer once the connection is closed (so the pool does not hand it out again), or after a
                    // short bound when even the close does not finish.
                    let closing: EventLoopFuture<Void> = connection.close()
                    closing.whenComplete { _ in race.finish(.failure(TransactionTimedOut(limit: limit))) }
                    try? await Task.sleep(for: .seconds(2))
                    race.finish(.failure(TransactionTimedOut(limit: limit)))
                }
                let task = Task {
                    let result: Swift.Result<Result, any Error>
                    do { result = .success(try await operation()) } catch { result = .failure(error) }
                    timer.cancel()
                    race.finish(result)
                }
                race.work.withLock { $0 = task }
            }
        } onCancel: {
            race.work.withLock { $0 }?.cancel()
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
        let (client, logger, pool) = (self.client, self.logger, self.pool)
        return try await DatabaseWait.run(within: connectionWait, unavailable: unavailable) { connected in
            try await pool.leasing(client) { connection in
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
