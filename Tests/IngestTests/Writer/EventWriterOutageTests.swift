import Foundation
import Ingest
import Models
import PostgresNIO
import Storage
import TestSupport
import Testing

/// The writer while PostgreSQL cannot be reached: requests are answered with `DATABASE_UNAVAILABLE` (503 with
/// Retry-After over HTTP) after the connection wait, instead of waiting for the pool's minute of retries.
@Suite struct EventWriterOutageTests {
    @Test func requestsGetDatabaseUnavailableWhenNoConnectionComes() async throws {
        let database = try await TestDatabase.create()
        var unreachable = database.app
        unreachable.port = try unusedLocalPort()
        try await database.withClient(unreachable) { client in
            var configuration = EventWriter.Configuration()
            configuration.databaseWait = .milliseconds(300)
            configuration.concurrentWriters = 1
            let writer = EventWriter(
                database: Database(client: client, logger: database.logger), configuration: configuration, logger: database.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                // Several requests: the first round waits in vain, the ones queued behind it get the same answer.
                let codes = try await withThrowingTaskGroup(of: IngestError.Code?.self) { requests in
                    for n in 0..<5 {
                        requests.addTask {
                            let event = EventWriterTests.event("e", "u\(n)")
                            do {
                                try await writer.submit(
                                    IngestBatch(org: Org.ID.random(), project: Project.ID.random(), events: [event], identity: []))
                                return nil
                            } catch let error as IngestError {
                                return error.code
                            }
                        }
                    }
                    return try await requests.reduce(into: [IngestError.Code?]()) { $0.append($1) }
                }
                #expect(codes == Array(repeating: .databaseUnavailable, count: 5))
                #expect(writer.queuedEvents == 0)
                group.cancelAll()
            }
        }
    }
}
