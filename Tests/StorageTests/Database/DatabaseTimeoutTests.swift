import Foundation
import Models
import PostgresNIO
import Storage
import TestSupport
import Testing

/// The timeouts that keep one request from holding a connection: report (snapshot) statements are cancelled after
/// their timeout, and every pool's sessions end a transaction left idle.
@Suite struct DatabaseTimeoutTests {
    @Test func aReportStatementOverItsTimeoutIsStoppedWithDatabaseTimeout() async throws {
        let database = try await TestDatabase.create()
        let (org, _) = try await database.seedOrg(name: "Slow")
        try await database.withClient(database.app) { client in
            let db = Database(client: client, logger: database.logger, snapshotStatementTimeoutMilliseconds: 100)
            do {
                try await db.withTenant(org, snapshot: true) { tx in _ = try await tx.query("SELECT pg_sleep(2)").collect() }
                Issue.record("a 2 s report statement ran past its 100 ms timeout")
            } catch let error as StorageError {
                #expect(error.code == .timeout)
            }
            // Writes and other transactions have no statement timeout.
            try await db.withTenant(org) { tx in _ = try await tx.query("SELECT pg_sleep(0.3)").collect() }
            // The connection is usable again afterwards.
            let rows = try await db.withTenant(org, snapshot: true) { tx in try await tx.query("SELECT 1").collect() }
            #expect(try rows[0].decode(Int.self) == 1)
        }
    }

    @Test func cancellingTheTaskCancelsTheRunningStatementOfAReportOrOfACancellableHandle() async throws {
        let database = try await TestDatabase.create()
        let (org, _) = try await database.seedOrg(name: "Cancelled")
        try await database.withClient(database.app) { client in
            let report = Database(client: client, logger: database.logger)
            let background = Database(cancellingStatementsOn: client, logger: database.logger)
            let runs: [@Sendable () async throws -> Void] = [
                { try await report.withTenant(org, snapshot: true) { tx in _ = try await tx.query("SELECT pg_sleep(60)").collect() } },
                { try await background.withTenant(org) { tx in _ = try await tx.query("SELECT pg_sleep(60)").collect() } },
            ]
            for run in runs {
                let task = Task { try await run() }
                // Cancel once the statement runs (the transaction wears its tag while it does).
                for _ in 0..<400 {
                    let rows = try await client.query(
                        "SELECT count(*)::int FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'",
                        logger: database.logger
                    ).collect()
                    if try rows[0].decode(Int.self) == 1 { break }
                    try await Task.sleep(for: .milliseconds(25))
                }
                task.cancel()
                await #expect(throws: CancellationError.self) { try await task.value }
            }
            // Plain handles' transactions are not cancellable mid-statement: writes finish what they started.
            let rows = try await Database(client: client, logger: database.logger).withTenant(org) { tx in
                try await tx.query("SELECT 1").collect()
            }
            #expect(try rows[0].decode(Int.self) == 1)
        }
    }

    @Test func poolSessionsEndTransactionsLeftIdle() async throws {
        let database = try await TestDatabase.create()
        let configuration = database.app.clientConfiguration(maxConnections: 1, idleInTransactionTimeoutMilliseconds: 1_234)
        let client = PostgresClient(configuration: configuration, backgroundLogger: database.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let rows = try await client.query("SHOW idle_in_transaction_session_timeout", logger: database.logger).collect()
            #expect(try rows[0].decode(String.self) == "1234ms")
        }
        let defaults = try await database.withClient(database.app) { client in
            try await client.query("SHOW idle_in_transaction_session_timeout", logger: database.logger).collect()[0].decode(String.self)
        }
        #expect(defaults == "1min")
    }
}
