import Analytics
import Foundation
import Ingest
import Logging
import Metrics
import Models
import PostgresNIO
import ServiceLifecycle
import Storage

/// Keeps the report rollups current: a pass at start, then one every `interval` until graceful shutdown. A pass that
/// stopped at the per-project bound (`IV_ROLLUP_MAX_DAYS_PER_PROJECT`) is followed by the next one at once, so a
/// backlog is worked off quickly while every tenant's new days still get a turn in each pass. A failed pass is logged
/// and retried next time; reports stay exact without rollups (they read raw events instead).
struct RollupService: Service {
    let builder: RollupBuilder
    let interval: Duration
    /// Learns when a pass succeeded (`insightvault_rollup_lag_seconds`).
    let progress: RollupProgress
    /// The projects this server's writer is backfilling: their dirty days wait until the late events pause.
    let lateWrites: LateWrites
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var more = false
            do {
                let started = ContinuousClock.now
                // Shutdown cancels a pass between two days, so stopping never waits for a whole pass.
                let pass = try await cancelWhenGracefulShutdown {
                    try await builder.refreshAll(deferringDirtyDays: { [lateWrites] in
                        lateWrites.defersRebuilds(of: $0.rawValue, at: Date())
                    })
                }
                Self.counted(outcome: pass.failed.isEmpty ? "success" : "failure")
                if pass.failed.isEmpty { progress.succeeded(startedAt: started) }
                if !pass.days.isEmpty {
                    logger.info(
                        "rollups built",
                        metadata: [
                            "days": "\(pass.days.count)", "duration": "\(started.duration(to: .now))", "unfinished": "\(pass.unfinished)",
                        ])
                }
                if !pass.failed.isEmpty {
                    logger.warning("rollup pass skipped failing projects", metadata: ["projects": "\(pass.failed)"])
                }
                more = pass.unfinished && !pass.days.isEmpty
            } catch is CancellationError {
                return
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                Self.counted(outcome: "failure")
                logger.error("rollup pass failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            if more { continue }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}

extension RollupService {
    /// Counts a pass (`insightvault_rollup_passes_total{outcome}`: `success`, or `failure` when it failed or skipped a
    /// failing project).
    static func counted(outcome: String) {
        Counter(label: "insightvault_rollup_passes_total", dimensions: [("outcome", outcome)]).increment()
    }
}

/// `insightvault rollups refresh`: rollup passes over every project, against the database `serve` would use, until
/// none is left unfinished; returns the days built, the passes run and the ids of projects that failed (logged).
public func refreshRollups(config: AppConfig, logger: Logger) async throws -> (days: Int, passes: Int, failed: [String]) {
    try await DatabaseEndpoints.using(config: config, logger: logger) { endpoints in
        let client = PostgresClient(configuration: endpoints.owner.clientConfiguration(maxConnections: 2), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let builder = RollupBuilder(
                database: Database(client: client, logger: logger),
                configuration: .init(maxDaysPerProject: config.rollupMaxDaysPerProject))
            var (days, passes, failed) = (0, 0, Set<Project.ID>())
            while true {
                let pass = try await builder.refreshAll()
                days += pass.days.count
                passes += 1
                failed.formUnion(pass.failed)
                if !pass.unfinished || pass.days.isEmpty { return (days, passes, failed.map(\.description).sorted()) }
            }
        }
    }
}
