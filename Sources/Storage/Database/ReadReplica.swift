import Logging
import Metrics
import Models
import PostgresNIO
import Synchronization

/// A streaming replica of the primary, for reports (`READ_DATABASE_URL`). Report (snapshot) transactions run on it
/// while it is usable: it answered the last check, is in recovery (a replica, not a promoted copy) and has replayed the
/// primary's WAL up to at most `maxLagSeconds` ago. Otherwise, and whenever a report fails on it for a reason of the
/// replica's (it went down, cancelled the statement for a recovery conflict), the report runs on the primary. Writes,
/// sessions and everything but snapshot transactions stay on the primary, and so does whatever runs with
/// `Database.readsPrimary` (the live tail, whose cursors must never skip an event a lagging replica lacks).
public final class ReadReplica: Sendable {
    /// Connections to the replica as the application role; as many as the report gate admits at once.
    public let client: PostgresClient
    /// The lag beyond which reports go to the primary.
    public let maxLagSeconds: Double
    /// How long a report waits for a replica connection before it runs on the primary.
    let connectionWait: Duration
    /// Leases of the replica's connections (`pool="replica"`).
    let metrics = PoolMetrics(name: "replica")
    private let state = Mutex<(usable: Bool, lag: Double?)>((false, nil))

    /// A replica reached through `client`; unusable until the first `check` finds it fit.
    public init(client: PostgresClient, maxLagSeconds: Double, connectionWait: Duration = .seconds(2)) {
        self.client = client
        self.maxLagSeconds = maxLagSeconds
        self.connectionWait = connectionWait
    }

    /// Whether reports go to the replica now.
    public var isUsable: Bool { state.withLock { $0.usable } }

    /// The replica's lag at the last check (seconds), or nil when it did not answer.
    public var lagSeconds: Double? { state.withLock { $0.lag } }

    /// A report failed on the replica for a reason of the replica's: the next reports go to the primary until a
    /// check finds it fit again.
    func failed() { state.withLock { $0.usable = false } }

    /// Measures the lag: 0 when the replica has replayed everything the primary has written, else the time since the
    /// last transaction it replayed (a replica whose replay is paused, or behind, falls further back every second; an
    /// idle primary does not make a caught-up replica look late). Updates `isUsable`.
    @discardableResult
    public func check(primary: PostgresClient, logger: Logger) async -> Double? {
        let lag: Double?
        do {
            let primaryLSN = try await primary.query("SELECT pg_current_wal_lsn()::text", logger: logger)
                .collect().first?.decode(String.self)
            let rows = try await client.query(
                """
                SELECT pg_is_in_recovery(),
                       CASE WHEN pg_wal_lsn_diff(\(primaryLSN ?? "0/0")::pg_lsn, pg_last_wal_replay_lsn()) <= 0 THEN 0
                            ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 1e9)
                       END::float8
                """, logger: logger
            ).collect()
            let (inRecovery, seconds) = try rows.first?.decode((Bool, Double).self) ?? (false, 1e9)
            lag = inRecovery ? seconds : nil
        } catch {
            lag = nil
        }
        let usable = lag.map { $0 <= maxLagSeconds } ?? false
        let before = state.withLock { state -> Bool in
            defer { state = (usable, lag) }
            return state.usable
        }
        if before != usable {
            if usable {
                logger.info("reports go to the read replica", metadata: ["lagSeconds": "\(lag ?? -1)"])
            } else {
                logger.warning(
                    "reports go to the primary: the read replica is down, not a replica, or lags",
                    metadata: ["lagSeconds": "\(lag.map { "\($0)" } ?? "unknown")", "maxLagSeconds": "\(maxLagSeconds)"])
            }
        }
        return lag
    }
}

/// The replica did not give a connection within `ReadReplica.connectionWait`.
struct ReplicaUnavailable: Error {}
