import Foundation
import Models
import PostgresNIO
import Storage
import TestSupport
import Testing

/// The bounded tenant transaction ingestion uses: it gives up waiting for a connection when the database cannot be
/// reached (instead of waiting for the pool's minute of retries), and closes the connection of a transaction that
/// runs past its timeout (instead of waiting forever on a connection whose server died).
@Suite struct DatabaseWaitTests {
    struct Unavailable: Error {}

    @Test func aTransactionThatGetsNoConnectionThrowsTheCallersErrorAfterTheWait() async throws {
        let database = try await TestDatabase.create()
        // Nothing listens on a port just freed.
        var unreachable = database.app
        unreachable.port = try unusedLocalPort()
        try await database.withClient(unreachable) { client in
            let db = Database(client: client, logger: database.logger)
            await #expect(throws: Unavailable.self) {
                try await db.withTenant(
                    Org.ID.random(), connectionWait: .milliseconds(300), timeout: .seconds(30), unavailable: { Unavailable() }
                ) { _ in Issue.record("the body ran without a connection") }
            }
        }
    }

    /// The caller gets its answer when the limit passes, not when the statement ends. (What happens to the statement
    /// itself is up to the connection's close: on a live server a running statement can keep its connection busy
    /// until it ends; see docs/reliability.md.)
    @Test func aTransactionPastItsTimeoutIsGivenUpAtOnce() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Hung")
        try await database.withClient(database.app) { client in
            let db = Database(client: client, logger: database.logger)
            do {
                try await db.withTenant(org, connectionWait: .seconds(5), timeout: .milliseconds(300), unavailable: { Unavailable() }) {
                    tx in
                    try await tx.query("UPDATE projects SET name = 'renamed' WHERE project_id = \(project.rawValue)")
                    _ = try await tx.query("SELECT pg_sleep(5)").collect()
                }
                Issue.record("a 5 s statement outlived its transaction's 300 ms timeout")
            } catch is DatabaseWait.TransactionTimedOut {
                // The transaction was given up and its connection closed.
            } catch is PSQLError {
                // The statement failed first, because its connection was closed.
            }
        }
    }
}
