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
        await repeatUntilShutdown(every: interval) { [replica, primary, logger] in
            _ = try? await withTimeout(.seconds(5)) { await replica.check(primary: primary, logger: logger) }
        }
    }
}
