import Logging
import PostgresNIO
import ServiceLifecycle
import Storage

/// Checks the read replica's health and lag every `interval`, so that reports go to it only while it is fit
/// (`ReadReplica`).
struct ReplicaWatch: Service {
    let replica: ReadReplica
    let primary: PostgresClient
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            _ = try? await withTimeout(.seconds(5)) { [replica, primary, logger] in
                await replica.check(primary: primary, logger: logger)
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
