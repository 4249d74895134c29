import Foundation
import Ingest
import Logging
import Models
import PostgresNIO
import Storage

/// What `insightvault seed-demo` does.
public struct DemoSeedOptions: Sendable {
    /// An INGEST token of the project to fill.
    public var token: String
    /// The generator's options.
    public var generator: DemoGenerator.Options
    /// Events per submitted batch (default 5,000).
    public var batchSize = 5_000
    /// Batches normalised or being written at once while the next ones are generated (default 4).
    public var inFlight = 4

    /// Creates options.
    public init(token: String, generator: DemoGenerator.Options) {
        self.token = token
        self.generator = generator
    }
}

/// The outcome of a seeding run.
public struct DemoSeedResult: Sendable {
    /// The project filled.
    public var project: Project.ID
    /// Events written.
    public var events: Int
    /// Wall time in seconds.
    public var seconds: Double
}

/// Seeds demo events through the ingestion path, in process: resolves the database like `serve` (DATABASE_URL or the
/// embedded cluster, migrating when enabled), resolves the ingest token to its project, runs an `EventWriter`, and
/// feeds it `DemoGenerator` batches normalised by `EventNormalizer`, with at most `inFlight` batches outstanding.
/// Stops the writer (after it drained) and an embedded cluster it started before returning.
public func seedDemo(
    config: AppConfig, options: DemoSeedOptions, logger: Logger, progress: @escaping @Sendable (Int) -> Void
) async throws -> DemoSeedResult {
    let generator = try DemoGenerator(options: options.generator)
    return try await DatabaseEndpoints.using(config: config, logger: logger) { endpoints in
        try await seed(generator, endpoints: endpoints, config: config, options: options, logger: logger, progress: progress)
    }
}

private func seed(
    _ generator: DemoGenerator, endpoints: DatabaseEndpoints, config: AppConfig, options: DemoSeedOptions, logger: Logger,
    progress: @escaping @Sendable (Int) -> Void
) async throws -> DemoSeedResult {
    var generator = generator
    if config.autoMigrate {
        let migrator = Migrator(files: try Migrator.loadFiles(from: config.resolvedMigrationsDirectory()), logger: logger)
        _ = try await migrator.migrate(url: endpoints.owner)
    }
    let client = PostgresClient(
        configuration: endpoints.app.clientConfiguration(maxConnections: max(4, options.inFlight + 2)), backgroundLogger: logger)
    var writerConfiguration = config.ingestWriter
    writerConfiguration.batchSize = max(writerConfiguration.batchSize, options.batchSize)
    writerConfiguration.queueCapacity = max(writerConfiguration.queueCapacity, options.batchSize * (options.inFlight + 1))
    let writer = EventWriter(database: Database(client: client, logger: logger), configuration: writerConfiguration, logger: logger)
    let batchSize = max(1, options.batchSize)
    let inFlight = max(1, options.inFlight)

    return try await withThrowingTaskGroup(of: Void.self) { services in
        services.addTask { await client.run() }
        services.addTask { try await writer.run() }
        defer { services.cancelAll() }
        let target = try await TokenResolver(client: client, logger: logger).resolve(options.token)
        let started = ContinuousClock.now
        let receivedAt = Date()
        let projectKey = target.project.description
        var written = 0
        try await withThrowingTaskGroup(of: Int.self) { batches in
            var outstanding = 0
            while let batch = generator.nextBatch(size: batchSize) {
                if outstanding >= inFlight, let done = try await batches.next() {
                    written += done
                    outstanding -= 1
                    progress(written)
                }
                batches.addTask {
                    let normalizer = EventNormalizer(
                        limits: config.ingestLimits, receivedAt: receivedAt, sentAt: nil, projectKey: projectKey)
                    let events = try batch.drafts.map { try normalizer.normalize($0) }
                    try await writer.submit(
                        IngestBatch(org: target.org, project: target.project, events: events, identity: batch.identity))
                    return events.count
                }
                outstanding += 1
            }
            while let done = try await batches.next() {
                written += done
                progress(written)
            }
        }
        return DemoSeedResult(project: target.project, events: written, seconds: started.duration(to: .now).inSeconds)
    }
}
