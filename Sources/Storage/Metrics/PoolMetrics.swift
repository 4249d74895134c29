import Metrics
import PostgresNIO

/// The connection-pool metrics of one pool (`insightvault_db_pool_*{pool}`): connections leased now, and how long
/// each lease waited for its connection. postgres-nio keeps its pool's counts to itself, so they are taken where this
/// project leases connections (`Database`); `PostgresClient.query` calls outside it are not counted.
public struct PoolMetrics: Sendable {
    /// The `pool` label: `app`, `reports` or `owner`.
    public let name: String
    private let inUse: Meter
    private let wait: Metrics.Timer

    /// The metrics of the pool called `name`, created with the process's metrics factory (no-op when metrics are off).
    public init(name: String) {
        self.name = name
        self.inUse = Meter(label: "insightvault_db_pool_connections_in_use", dimensions: [("pool", name)])
        self.wait = Metrics.Timer(label: "insightvault_db_pool_wait_seconds", dimensions: [("pool", name)])
    }

    /// Runs `body` on a connection of `client`, counting the lease and recording the wait for it.
    public func leasing<Result: Sendable>(
        _ client: PostgresClient, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let requested = ContinuousClock.now
        return try await client.withConnection { connection in
            wait.record(since: requested)
            inUse.increment()
            defer { inUse.decrement() }
            return try await body(connection)
        }
    }
}

extension Metrics.Timer {
    /// Records the time from `start` until now.
    public func record(since start: ContinuousClock.Instant) {
        record(duration: start.duration(to: .now))
    }
}
