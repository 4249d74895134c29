import App
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Storage
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Reports run behind their own gate and pool (`ReportGate`), over real sockets against a live server. To keep
/// reports running as long as a test needs, the database owner holds an ACCESS EXCLUSIVE lock on the January 2020
/// partition of `events`, which every report over January 2020 must read: those reports wait inside PostgreSQL,
/// holding their report slot and connection, as slow reports would. Ingestion (writing into this month's
/// partition) and health checks need neither. No timings: the tests wait (bounded) for states in
/// `pg_stat_activity`, read as the superuser.
@Suite struct ReportIsolationTests {
    /// A report that reads the locked partition.
    static let blockedReport = """
        query($p: ID!) { trends(projectId: $p, input: {series: [{math: TOTAL}], dateFrom: "2020-01-01T00:00:00Z",
          dateTo: "2020-01-31T00:00:00Z"}) { series { total } } }
        """

    /// Two organizations with a project each (and an ingest token for the first), on a live server admitting two
    /// reports at once and one per organization, while the owner holds the lock; `body` runs with the lock held.
    static func withBlockedReports(
        _ body: @escaping @Sendable (_ setup: Setup) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create()
        // Partitions exist before the server starts, so its partition maintenance takes no lock on `events`.
        _ = try await database.asOwner(
            """
            SELECT iv_ensure_event_partition('2020-01-15'),
                   iv_ensure_event_partition(m) FROM generate_series(now() - interval '1 month', now() + interval '4 months',
                                                                      interval '1 month') m
            """)
        let config = try GraphQLTestApp.config(
            database,
            extra: ["IV_REPORT_CONCURRENCY": "2", "IV_REPORT_ORG_CONCURRENCY": "1", "IV_ROLLUP_INTERVAL_SECONDS": "0"])
        let app = try await buildApplication(config: config, logger: database.logger)
        try await app.test(.live) { client in
            let api = GraphQLClient(client: client)
            let first = try await api.signUp("busy")
            let second = try await api.signUp("other")
            let firstProject = try await api.createProject(first.orgID, token: first.token)
            let secondProject = try await api.createProject(second.orgID, token: second.token)
            let ingestToken = try await api.createToken(firstProject, kind: "INGEST", token: first.token).secret
            try await database.owner.withConnection(logger: database.logger) { lock in
                try await lock.query("BEGIN", logger: database.logger)
                try await lock.query("LOCK TABLE events_p202001 IN ACCESS EXCLUSIVE MODE", logger: database.logger)
                try await TestDatabase.superuserURL().withConnection(logger: database.logger) { monitor in
                    let setup = Setup(
                        api: api, port: try #require(client.port), first: first, firstProject: firstProject, second: second,
                        secondProject: secondProject, ingestToken: ingestToken, lock: lock, monitor: monitor,
                        databaseName: database.owner.database, logger: database.logger)
                    try await body(setup)
                }
                try await lock.query("COMMIT", logger: database.logger)
            }
        }
    }

    struct Setup: Sendable {
        let api: GraphQLClient
        let port: Int
        let first: GraphQLClient.Account
        let firstProject: String
        let second: GraphQLClient.Account
        let secondProject: String
        let ingestToken: String
        /// The owner's connection holding the partition lock.
        let lock: PostgresConnection
        /// A superuser connection: `pg_stat_activity` shows it every session.
        let monitor: PostgresConnection
        let databaseName: String
        let logger: Logger

        /// Ends the lock's transaction: the waiting reports go on.
        func release() async throws {
            try await lock.query("COMMIT", logger: logger)
        }

        /// Backends of this server's report transactions waiting for a lock (the held partition lock).
        func blockedReports() async throws -> Int {
            try await count(
                "application_name LIKE '\(Database.reportApplicationName) %' AND wait_event_type = 'Lock'")
        }

        /// Backends of the main (non-report) pool waiting for a lock.
        func blockedMainPool() async throws -> Int {
            try await count("application_name = 'insightvault' AND wait_event_type = 'Lock'")
        }

        func count(_ condition: String) async throws -> Int {
            let rows = try await monitor.query(
                PostgresQuery(
                    unsafeSQL: "SELECT count(*)::int FROM pg_stat_activity WHERE datname = '\(databaseName)' AND \(condition)"),
                logger: logger
            ).collect()
            return try rows[0].decode(Int.self)
        }

        /// Waits (at most about 20 s, polling) until `condition` holds; records an issue if it never does.
        func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
            for _ in 0..<400 {
                if try await condition() { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("never happened: \(what)")
            throw CancellationError()
        }

        /// Posts the blocked report on a connection of its own (the test client has one connection, which a
        /// waiting report would hold).
        func report(_ project: String, token: String) async throws -> GraphQLReply {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/graphql")!)
            request.httpMethod = "POST"
            request.timeoutInterval = 120
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.httpBody = try JSONSerialization.data(
                withJSONObject: ["query": ReportIsolationTests.blockedReport, "variables": ["p": project]])
            let configuration = URLSessionConfiguration.ephemeral
            configuration.httpMaximumConnectionsPerHost = 1
            let session = URLSession(configuration: configuration)
            defer { session.finishTasksAndInvalidate() }
            let (data, response) = try await session.data(for: request)
            let status = HTTPResponse.Status(code: (response as? HTTPURLResponse)?.statusCode ?? 0)
            return GraphQLReply(status: status, headers: [:], body: String(decoding: data, as: UTF8.self))
        }
    }

    @Test func oneOrganizationsReportsDelayNeitherIngestionNorHealthChecksNorOtherOrganizationsReports() async throws {
        try await Self.withBlockedReports { setup in
            // Three reports of the first organization: one runs (and waits for the lock), two wait at the gate.
            let busy = (0..<3).map { _ in Task { try await setup.report(setup.firstProject, token: setup.first.token) } }
            try await setup.eventually("a report of the first organization waits in PostgreSQL") {
                try await setup.blockedReports() == 1
            }

            // Ingestion and health checks are answered meanwhile, and none of the main pool's sessions waits.
            let ingest = try await setup.api.raw(
                "/v1/events", headers: [.contentType: "application/json", .authorization: "Bearer \(setup.ingestToken)"],
                body: #"{"event": "signed_up", "distinct_id": "u1"}"#)
            #expect(ingest.status == .ok, "\(ingest.body)")
            let ready = try await setup.api.raw("/readyz", method: .get)
            #expect(ready.status == .ok, "\(ready.body)")
            let login = try await setup.api.post(
                "mutation($i: LogInInput!) { logIn(input: $i) { token } }",
                ["i": ["email": setup.second.email, "password": GraphQLClient.password]])
            #expect(login.string("logIn.token") != nil, "\(login.body)")
            #expect(try await setup.blockedMainPool() == 0)

            // The second organization's report is admitted ahead of the first organization's waiting ones.
            let other = Task { try await setup.report(setup.secondProject, token: setup.second.token) }
            try await setup.eventually("the second organization's report runs") { try await setup.blockedReports() == 2 }
            #expect(try await setup.blockedMainPool() == 0)

            // Released, every report completes.
            try await setup.release()
            for task in busy + [other] {
                let reply = try await task.value
                #expect(reply.codes.isEmpty, "\(reply.body)")
                #expect(reply.list("trends.series").count == 1, "\(reply.body)")
            }
        }
    }

    @Test func aReportWhoseClientDisconnectsStopsAndFreesItsSlot() async throws {
        try await Self.withBlockedReports { setup in
            let body = try JSONSerialization.data(
                withJSONObject: ["query": Self.blockedReport, "variables": ["p": setup.firstProject]])
            let socket = try RawHTTPClient(port: setup.port)
            try socket.send(
                "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer \(setup.first.token)\r\nContent-Length: \(body.count)\r\n\r\n"
                    + String(decoding: body, as: UTF8.self))
            try await setup.eventually("the report waits in PostgreSQL") { try await setup.blockedReports() == 1 }

            socket.close()
            // Its statement is cancelled and its transaction ends while the lock is still held.
            try await setup.eventually("the report's statement is cancelled") { try await setup.blockedReports() == 0 }

            // Its slot is free again: the organization's next report is admitted (and waits for the lock).
            let next = Task { try await setup.report(setup.firstProject, token: setup.first.token) }
            try await setup.eventually("the next report runs") { try await setup.blockedReports() == 1 }
            try await setup.release()
            let reply = try await next.value
            #expect(reply.codes.isEmpty, "\(reply.body)")
        }
    }
}

/// A bare HTTP/1.1 client socket, to leave in the middle of a request.
final class RawHTTPClient: Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard descriptor >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
    }

    func close() { _ = Glibc.close(descriptor) }
}
