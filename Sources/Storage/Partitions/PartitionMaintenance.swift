import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Keeps the `events` partitions in shape, at start-up and then every `interval`:
/// creates monthly partitions ahead of time, gives rows that landed in the default partition a partition of their
/// own (moving them in one transaction, so nothing is lost), and applies each project's data retention.
/// Runs as the owner role; the SQL lives in `migrations/0003_events.sql`.
public struct PartitionMaintenance: Service {
    /// What one maintenance pass did.
    public struct Report: Sendable, Equatable {
        /// Partitions created, e.g. `events_p202612`.
        public var created: [String] = []
        /// Partitions dropped by retention.
        public var dropped: [String] = []
    }

    let client: PostgresClient
    let monthsAhead: Int
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    /// - Parameters:
    ///   - client: a pool connected as the owner role.
    ///   - monthsAhead: how many months after the current one get partitions in advance.
    ///   - interval: time between passes (a day by default).
    ///   - now: the clock, injectable for tests.
    public init(
        client: PostgresClient,
        monthsAhead: Int = 3,
        interval: Duration = .seconds(86_400),
        now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger
    ) {
        self.client = client
        self.monthsAhead = monthsAhead
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    /// Runs a pass at start, then one per `interval` until graceful shutdown. A failed pass is logged and retried
    /// at the next interval; it never stops the server.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let report = try await runOnce()
                Self.counted(outcome: "success")
                if !report.created.isEmpty || !report.dropped.isEmpty {
                    logger.info(
                        "partition maintenance",
                        metadata: ["created": "\(report.created)", "dropped": "\(report.dropped)"])
                }
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                Self.counted(outcome: "failure")
                logger.error("partition maintenance failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// Counts a pass of `run` (`insightvault_partition_maintenance_runs_total{outcome}`: `success` or `failure`).
    static func counted(outcome: String) {
        Counter(label: "insightvault_partition_maintenance_runs_total", dimensions: [("outcome", outcome)]).increment()
    }

    /// One maintenance pass.
    @discardableResult
    public func runOnce() async throws -> Report {
        var report = Report()
        let current = now()
        var months: [Date] = []
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for offset in -1...monthsAhead {
            if let month = calendar.date(byAdding: .month, value: offset, to: current) { months.append(month) }
        }
        let stranded = try await client.query(
            """
            SELECT DISTINCT date_trunc('month', "timestamp" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM events_default
            """, logger: logger
        ).collect()
        for row in stranded { months.append(try row.decode(Date.self)) }

        for month in months {
            let rows = try await client.query(
                "SELECT iv_event_partition_name(\(month)), iv_ensure_event_partition(\(month))", logger: logger
            ).collect()
            if let row = rows.first {
                let (name, created) = try row.decode((String, Bool).self)
                if created { report.created.append(name) }
            }
        }
        for row in try await client.query("SELECT iv_apply_retention(\(current))", logger: logger).collect() {
            report.dropped.append(try row.decode(String.self))
        }
        return report
    }
}
