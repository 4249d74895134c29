import Foundation
import Hummingbird
import Ingest
import Logging
import Metrics
import NIOCore
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Storage
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The process's Prometheus metrics. `bootstrap()` points swift-metrics at one registry, so every layer records with
/// the plain swift-metrics API (`Counter`, `Timer`, `Recorder`, `Meter`); what is cheaper to read than to keep up to
/// date (the write buffer, the report gate, readiness, rollup lag, the process) is read when `/metrics` is scraped.
/// Without `bootstrap()` (metrics off, tests) swift-metrics records nothing. docs/observability.md lists every family.
public final class ServerMetrics: Sendable {
    /// Where every metric is kept.
    public let registry: PrometheusCollectorRegistry
    /// When the process started (seconds since 1970).
    let startedAt: Double

    private init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.startedAt = Date().timeIntervalSince1970
    }

    /// Makes swift-metrics record into a new Prometheus registry, with the project's histogram buckets. Call it once
    /// per process, before anything records (swift-metrics allows one bootstrap).
    public static func bootstrap() -> ServerMetrics {
        let metrics = ServerMetrics(registry: PrometheusCollectorRegistry())
        var factory = PrometheusMetricsFactory(registry: metrics.registry)
        factory.valueHistogramBuckets["insightvault_write_batch_events"] = [1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000]
        MetricsSystem.bootstrap(factory)
        metrics.declareFamilies()
        return metrics
    }

    /// Creates the series whose label values are known in advance, at zero, so that every family is in the first
    /// scrape and `rate()` of a counter that never moved is 0 rather than empty.
    private func declareFamilies() {
        let kinds = ["native", "posthog", "segment", "mixpanel"]
        for kind in kinds {
            _ = Counter(label: "insightvault_ingest_events_total", dimensions: [("kind", kind)])
            for code in IngestError.Code.allCases {
                let reason = code.rawValue.lowercased()
                _ = Counter(label: "insightvault_ingest_requests_refused_total", dimensions: [("kind", kind), ("reason", reason)])
                _ = Counter(label: "insightvault_ingest_events_dropped_total", dimensions: [("kind", kind), ("reason", reason)])
            }
        }
        _ = Metrics.Timer(label: "insightvault_write_commit_duration_seconds")
        _ = Recorder(label: "insightvault_write_batch_events")
        for pool in ["app", "reports", "owner"] {
            _ = Meter(label: "insightvault_db_pool_connections_in_use", dimensions: [("pool", pool)])
            _ = Metrics.Timer(label: "insightvault_db_pool_wait_seconds", dimensions: [("pool", pool)])
        }
        for type in ["query", "mutation"] {
            let labels = [("type", type), ("operation", "other")]
            _ = Counter(label: "insightvault_graphql_operations_total", dimensions: labels)
            _ = Counter(label: "insightvault_graphql_errors_total", dimensions: labels)
            _ = Metrics.Timer(label: "insightvault_graphql_operation_duration_seconds", dimensions: labels)
        }
        for kind in ["trends", "funnel", "retention", "events"] {
            _ = Metrics.Timer(label: "insightvault_report_duration_seconds", dimensions: [("kind", kind)])
        }
        _ = Metrics.Timer(label: "insightvault_report_admission_wait_seconds")
        for reason in ["queue_full", "queue_timeout"] {
            _ = Counter(label: "insightvault_report_admission_refused_total", dimensions: [("reason", reason)])
        }
        for outcome in ["success", "failure"] {
            _ = Counter(label: "insightvault_rollup_passes_total", dimensions: [("outcome", outcome)])
            _ = Counter(label: "insightvault_partition_maintenance_runs_total", dimensions: [("outcome", outcome)])
        }
        for reason in ["bad_credentials", "throttled"] {
            _ = Counter(label: "insightvault_login_failures_total", dimensions: [("reason", reason)])
        }
        registry.makeGauge(name: "insightvault_build_info", labels: [("version", insightVaultVersion)], help: "The running build.")
            .set(to: 1)
    }

    /// The text of one scrape: the values read now (see `Readings`), then every family.
    func scrape(_ readings: Readings) -> [UInt8] {
        func gauge(_ name: String, _ help: String, _ value: Double, labels: [(String, String)] = []) {
            registry.makeGauge(name: name, labels: labels, help: help).set(to: value)
        }
        gauge("insightvault_write_buffer_events", "Events waiting in the group-commit buffer.", Double(readings.bufferedEvents))
        gauge("insightvault_write_buffer_capacity_events", "Events the group-commit buffer holds at most.", Double(readings.bufferCapacity))
        for (pool, size) in readings.poolSizes {
            gauge("insightvault_db_pool_connections_max", "Connections a pool opens at most.", Double(size), labels: [("pool", pool)])
        }
        gauge("insightvault_reports_running", "Reports running now.", Double(readings.reportsRunning))
        gauge("insightvault_reports_waiting", "Reports waiting for a slot at the report gate.", Double(readings.reportsWaiting))
        gauge(
            "insightvault_rollup_lag_seconds", "Seconds since the last successful rollup pass started (0 with rollups off).",
            readings.rollupLagSeconds)
        if let replica = readings.replica {
            gauge(
                "insightvault_replica_lag_seconds", "The read replica's lag at its last check (-1: it did not answer).",
                replica.lag ?? -1)
            gauge("insightvault_replica_in_use", "1 while reports read the replica, 0 while they read the primary.", replica.inUse ? 1 : 0)
        }
        gauge(
            "insightvault_database_ready", "1 when the database answers with the schema this build needs, else 0.",
            readings.databaseReady ? 1 : 0)
        let now = Date().timeIntervalSince1970
        gauge("insightvault_uptime_seconds", "Seconds since the process started.", now - startedAt)
        gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", startedAt)
        let process = ProcessReadings.current()
        gauge("process_resident_memory_bytes", "Resident memory size in bytes.", Double(process.residentBytes))
        gauge("process_open_fds", "Number of open file descriptors.", Double(process.openFDs))
        gauge("process_max_fds", "Maximum number of open file descriptors.", Double(process.maxFDs))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 * 1_024)
        registry.emit(into: &buffer)
        return buffer
    }

    /// What a scrape reads from the running server.
    struct Readings {
        var bufferedEvents = 0
        var bufferCapacity = 0
        var poolSizes: [(String, Int)] = []
        var reportsRunning = 0
        var reportsWaiting = 0
        var rollupLagSeconds = 0.0
        var databaseReady = false
        /// The read replica's lag and whether reports use it, when one is configured.
        var replica: (lag: Double?, inUse: Bool)?
    }
}

/// The process's resident memory and file descriptors, from `/proc/self` (Linux).
struct ProcessReadings {
    var residentBytes = 0
    var openFDs = 0
    var maxFDs = 0

    static func current() -> ProcessReadings {
        var readings = ProcessReadings()
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Int(fields[1]) { readings.residentBytes = pages * Int(sysconf(Int32(_SC_PAGESIZE))) }
        }
        readings.openFDs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { readings.maxFDs = Int(limit.rlim_cur) }
        return readings
    }
}

/// When the last successful rollup pass started (`insightvault_rollup_lag_seconds`), shared by `RollupService` and
/// the scrape.
public final class RollupProgress: Sendable {
    private let lastSuccess = Mutex<ContinuousClock.Instant?>(nil)
    private let created = ContinuousClock.now

    /// No pass yet.
    public init() {}

    /// A pass that started at `start` succeeded.
    func succeeded(startedAt start: ContinuousClock.Instant) {
        lastSuccess.withLock { $0 = max($0 ?? start, start) }
    }

    /// Seconds since the last successful pass started, or since this object was made when none has succeeded yet.
    var lagSeconds: Double {
        (lastSuccess.withLock { $0 } ?? created).duration(to: .now).inSeconds
    }
}

/// The metrics listener: `GET /metrics` in Prometheus' text format on its own address (`IV_METRICS_ADDRESS`,
/// 127.0.0.1:9464 by default), so that metrics are not reachable through the public port or the ingress.
struct MetricsEndpoint {
    let metrics: ServerMetrics
    let services: Services
    let config: AppConfig
    let rollups: RollupProgress

    /// The listener as a lifecycle service.
    func application(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("metrics") { _, context in
            let body = await scrape(logger: context.logger)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "InsightVault metrics"),
            onServerRunning: { channel in
                logger.info("metrics listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger)
    }

    /// Reads the running server and renders every family.
    func scrape(logger: Logger) async -> [UInt8] {
        var readings = ServerMetrics.Readings()
        readings.bufferedEvents = services.writer.queuedEvents
        readings.bufferCapacity = config.ingestWriter.queueCapacity
        let gate = services.database.reports?.gate
        readings.poolSizes = [
            ("app", config.databasePoolSize), ("reports", gate?.configuration.concurrency ?? 0), ("owner", Services.ownerPoolSize),
        ]
        if services.replica != nil { readings.poolSizes.append(("replica", gate?.configuration.concurrency ?? 0)) }
        if let snapshot = gate?.snapshot {
            readings.reportsRunning = snapshot.running.values.reduce(0, +)
            readings.reportsWaiting = snapshot.waiting.values.reduce(0, +)
        }
        readings.rollupLagSeconds = config.rollupIntervalSeconds > 0 ? rollups.lagSeconds : 0
        readings.replica = services.replica.map { ($0.lagSeconds, $0.isUsable) }
        readings.databaseReady =
            await HealthController<AppRequestContext>.unreadiness(
                client: services.appClient, migrator: services.migrator, timeout: .seconds(2), logger: logger) == nil
        return metrics.scrape(readings)
    }
}
