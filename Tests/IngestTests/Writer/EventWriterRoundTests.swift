import Foundation
import Ingest
import Models
import Testing
import TestSupport

/// A round of many requests costs the statements of one: an insert for all its events and a dirty-mark call per
/// project, with the same outcome as writing the requests one by one.
@Suite struct EventWriterRoundTests {
    static func event(_ distinctID: String, uuid: UUID = UUID(), at: Date) -> IngestEvent {
        IngestEvent(uuid: uuid, event: "view", distinctID: distinctID, timestamp: at, receivedAt: Date(), propertiesJSON: "{}")
    }

    @Test func aRoundOfRequestsForTwoProjectsIsOneInsertAndOneDirtyMarkPerProject() async throws {
        let database = try await TestDatabase.create()
        let (org, web) = try await database.seedOrg(name: "Rounds")
        let app = Project.ID.random()
        _ = try await database.asOwner(
            """
            INSERT INTO projects (org_id, project_id, name, timezone)
            VALUES (\(org.rawValue), \(app.rawValue), 'Rounds app', 'Asia/Kathmandu')
            """)
        // Statement-level triggers count the statements that insert event keys and dirty marks.
        _ = try await database.asOwner("CREATE TABLE statement_log (table_name text NOT NULL)")
        _ = try await database.asOwner(
            """
            CREATE FUNCTION log_statement() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            AS $$ BEGIN INSERT INTO statement_log VALUES (TG_TABLE_NAME); RETURN NULL; END $$
            """)
        for table in ["event_keys", "rollup_dirty"] {
            _ = try await database.asOwner(
                "CREATE TRIGGER \(unescaped: table)_statements AFTER INSERT ON \(unescaped: table) FOR EACH STATEMENT EXECUTE FUNCTION log_statement()"
            )
        }
        // Kathmandu is UTC+05:45: its July 19 starts at 18:15Z on July 18. The app's events fall on both sides of
        // that midnight, down to the millisecond; the web project's (UTC) all on July 18.
        let midnight = Date.at("2025-07-18T18:15:00Z")
        let shared = UUID()
        try await database.withAppDatabase { db in
            let writer = EventWriter(database: db, logger: database.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await withThrowingTaskGroup(of: Void.self) { requests in
                        for n in 0..<20 {
                            requests.addTask {
                                let project = n.isMultiple(of: 2) ? web : app
                                let time = midnight.addingTimeInterval(n < 10 ? -0.001 - Double(n) * 7 : Double(n - 10) * 7)
                                let events = [Self.event("u\(n)", at: time), Self.event("u", uuid: shared, at: time)]
                                try await writer.submit(IngestBatch(org: org, project: project, events: events, identity: []))
                            }
                        }
                        try await requests.waitForAll()
                    }
                }
                // Every request is queued before the writer starts, so its first round holds all of them.
                while writer.queuedEvents < 40 { try await Task.sleep(for: .milliseconds(2)) }
                group.addTask { try await writer.run() }
                try await group.next()
                group.cancelAll()
            }
        }
        let statements = try await database.asOwner(
            "SELECT table_name, count(*)::int FROM statement_log GROUP BY table_name ORDER BY table_name"
        ).map { try $0.decode((String, Int).self) }
        #expect(statements.map(\.0) == ["event_keys", "rollup_dirty"])
        #expect(statements.map(\.1) == [1, 2])
        // The uuid sent in every request is stored once per project; every other event once.
        let stored = try await database.asOwner(
            "SELECT count(*)::int, count(*) FILTER (WHERE uuid = \(shared))::int, count(DISTINCT project_id)::int FROM events")
        #expect(try stored[0].decode((Int, Int, Int).self) == (22, 2, 2))
        let days = try await database.asOwner(
            "SELECT project_id = \(app.rawValue), day::text FROM rollup_dirty ORDER BY 1, 2"
        ).map { try $0.decode((Bool, String).self) }
        #expect(days.map(\.0) == [false, true, true])
        #expect(days.map(\.1) == ["2025-07-18", "2025-07-18", "2025-07-19"])
    }

    @Test func epochMillisecondTimestampsAreStoredToTheExactMicrosecond() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Micros")
        let times = [1_764_784_649_222.0, 1_764_784_649_001.0, 1_764_784_643_373.0].map { EventTimestamp.parse(epoch: $0)! }
        try await database.withAppDatabase { db in
            let writer = EventWriter(database: db, logger: database.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let events = times.enumerated().map { Self.event("u\($0.offset)", at: $0.element) }
                    try await writer.submit(IngestBatch(org: org, project: project, events: events, identity: []))
                }
                group.addTask { try await writer.run() }
                try await group.next()
                group.cancelAll()
            }
        }
        let stored = try await database.asOwner(
            #"SELECT (extract(epoch FROM "timestamp") * 1000000)::int8 FROM events ORDER BY 1"#
        ).map { try $0.decode(Int64.self) }
        #expect(stored == [1_764_784_643_373_000, 1_764_784_649_001_000, 1_764_784_649_222_000])
    }
}
