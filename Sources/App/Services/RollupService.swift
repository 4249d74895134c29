import Analytics
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Storage

/// Keeps the report rollups current: a pass at start, then one every `interval` until graceful shutdown. A failed
/// pass is logged and retried next time; reports stay exact without rollups (they read raw events instead).
struct RollupService: Service {
    let builder: RollupBuilder
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let started = ContinuousClock.now
                // Shutdown cancels a pass between two days, so stopping never waits for a whole backlog.
                let days = try await cancelWhenGracefulShutdown { try await builder.refreshAll() }
                if days > 0 {
                    logger.info("rollups built", metadata: ["days": "\(days)", "duration": "\(started.duration(to: .now))"])
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                logger.error("rollup pass failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}

/// `insightvault rollups refresh`: one rollup pass over every project, against the database `serve` would use.
public func refreshRollups(config: AppConfig, logger: Logger) async throws -> Int {
    try await DatabaseEndpoints.using(config: config, logger: logger) { endpoints in
        let client = PostgresClient(configuration: endpoints.owner.clientConfiguration(maxConnections: 2), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await RollupBuilder(database: Database(client: client, logger: logger)).refreshAll()
        }
    }
}
