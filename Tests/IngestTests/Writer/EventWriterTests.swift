import Foundation
@testable import Ingest
import Models
import PostgresNIO
import Storage
import TestSupport
import Testing

/// Group commit against a real PostgreSQL as the application role.
@Suite struct EventWriterTests {
    static func event(_ name: String, _ distinctID: String, uuid: UUID = UUID(), at: String = "2025-07-18T10:00:00Z") -> IngestEvent {
        IngestEvent(uuid: uuid, event: name, distinctID: distinctID, timestamp: Date.at(at), receivedAt: Date(), propertiesJSON: "{}")
    }

    static func withWriter(_ database: TestDatabase, _ body: @Sendable (EventWriter) async throws -> Void) async throws {
        try await database.withAppDatabase { db in
            let writer = EventWriter(database: db, logger: database.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                try await body(writer)
                group.cancelAll()
            }
        }
    }

    @Test func concurrentRequestsCommitTogetherAndDuplicatesAreStoredOnce() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Writer")
        let shared = UUID()
        try await Self.withWriter(database) { writer in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        let events = [Self.event("e", "u\(n)"), Self.event("dup", "u", uuid: shared)]
                        try await writer.submit(IngestBatch(org: org, project: project, events: events, identity: []))
                    }
                }
                try await group.waitForAll()
            }
        }
        let counts = try await database.asOwner("SELECT count(*)::int, count(*) FILTER (WHERE event = 'dup')::int FROM events")
        let values = try #require(counts.first).decode((Int, Int).self)
        #expect(values == (21, 1))
    }

    @Test func identityOperationsMergePersonsAcrossPastEvents() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "People")
        try await Self.withWriter(database) { writer in
            try await writer.submit(
                IngestBatch(
                    org: org, project: project, events: [Self.event("view", "anon")],
                    identity: [
                        .setProperties(distinctID: "anon", set: #"{"plan":"free","seen":1}"#, setOnce: nil)
                    ]))
            try await writer.submit(
                IngestBatch(
                    org: org, project: project, events: [Self.event("buy", "user")],
                    identity: [
                        .setProperties(distinctID: "user", set: #"{"plan":"pro"}"#, setOnce: #"{"first":"x","plan":"never"}"#),
                        .merge(keep: "user", other: "anon"),
                    ]))
        }
        let rows = try await database.asOwner(
            """
            SELECT count(DISTINCT p.person_id)::int, (SELECT count(*) FROM persons)::int,
                   (SELECT properties::text FROM persons LIMIT 1)
            FROM events e JOIN person_distinct_ids p ON p.project_id = e.project_id AND p.distinct_id = e.distinct_id
            """)
        let (people, personRows, properties) = try #require(rows.first).decode((Int, Int, String).self)
        #expect(people == 1)
        #expect(personRows == 1)
        #expect(properties == #"{"plan": "pro", "seen": 1, "first": "x"}"#)
    }

    @Test func concurrentRoundsTouchingTheSamePersonsAllSucceed() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Busy people")
        try await Self.withWriter(database) { writer in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        let identity: [IdentityOperation] = [
                            .setProperties(distinctID: "shared", set: #"{"n":\#(n)}"#, setOnce: nil),
                            .merge(keep: "shared", other: "alias-\(n % 5)"),
                        ]
                        try await writer.submit(
                            IngestBatch(org: org, project: project, events: [Self.event("e", "shared")], identity: identity))
                    }
                }
                try await group.waitForAll()
            }
        }
        let rows = try await database.asOwner("SELECT count(DISTINCT person_id)::int, count(*)::int FROM person_distinct_ids")
        let values = try #require(rows.first).decode((Int, Int).self)
        #expect(values == (1, 6))
    }

    @Test func aFailingOrganisationFailsOnlyItsOwnRequests() async throws {
        let database = try await TestDatabase.create()
        let good = try await database.seedOrg(name: "Good")
        let missingProject = Project.ID.random()
        try await Self.withWriter(database) { writer in
            let other = try await database.seedOrg(name: "Other")
            let bad = Task {
                try await writer.submit(IngestBatch(org: good.org, project: missingProject, events: [Self.event("x", "u")], identity: []))
            }
            let fine = Task {
                try await writer.submit(IngestBatch(org: other.org, project: other.project, events: [Self.event("y", "u")], identity: []))
            }
            await #expect(throws: IngestError.self) { try await bad.value }
            try await fine.value
        }
        let stored = try await database.asOwner("SELECT event FROM events").map { try $0.decode(String.self) }
        #expect(stored == ["y"])
    }

    @Test func aRequestRefusedByTheDatabaseFailsAloneAndTheRestOfItsRoundIsCommitted() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Shared")
        let missingProject = Project.ID.random()
        try await database.withAppDatabase { db in
            let writer = EventWriter(database: db, logger: database.logger)
            // The writer loop is not running yet, so all three requests of the organization queue into one round.
            let before = Task {
                try await writer.submit(IngestBatch(org: org, project: project, events: [Self.event("before", "u")], identity: []))
            }
            let bad = Task {
                try await writer.submit(IngestBatch(org: org, project: missingProject, events: [Self.event("x", "u")], identity: []))
            }
            let after = Task {
                try await writer.submit(IngestBatch(org: org, project: project, events: [Self.event("after", "u")], identity: []))
            }
            try await Task.sleep(for: .milliseconds(200))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                await #expect(throws: IngestError.self) { try await bad.value }
                try await before.value
                try await after.value
                group.cancelAll()
            }
        }
        let stored = try await database.asOwner("SELECT event FROM events ORDER BY event").map { try $0.decode(String.self) }
        #expect(stored == ["after", "before"])
    }

    @Test func aResentEventIsStoredOnceWhenItsCorrectedTimestampCrossesMidnightIntoAnotherPartition() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Retries")
        let uuid = UUID()
        try await database.asOwner("SELECT iv_ensure_event_partition('2025-07-15'), iv_ensure_event_partition('2025-08-15')")
        try await Self.withWriter(database) { writer in
            // The first attempt's skew-corrected time is just before midnight at the end of July; the retry's is
            // after it (a later arrival with a new sent_at), in the August partition; the third repeats the first.
            for at in ["2025-07-31T23:59:59.900Z", "2025-08-01T00:00:00.400Z", "2025-07-31T23:59:59.900Z"] {
                try await writer.submit(
                    IngestBatch(org: org, project: project, events: [Self.event("x", "u", uuid: uuid, at: at)], identity: []))
            }
            // Twice in one batch with two times: the first copy wins.
            let twice = UUID()
            try await writer.submit(
                IngestBatch(
                    org: org, project: project,
                    events: [Self.event("y", "u", uuid: twice, at: "2025-07-20T10:00:00Z"), Self.event("y", "u", uuid: twice)],
                    identity: []))
        }
        let rows = try await database.asOwner(
            "SELECT event, \"timestamp\", tableoid::regclass::text FROM events ORDER BY event")
        let stored = try rows.map { try $0.decode((String, Date, String).self) }
        #expect(stored.map(\.0) == ["x", "y"])
        #expect(stored[0].1 == Date.at("2025-07-31T23:59:59.900Z") && stored[0].2 == "events_p202507")
        #expect(stored[1].1 == Date.at("2025-07-20T10:00:00Z"))
        let keys = try await database.asOwner("SELECT count(*)::int FROM event_keys")
        #expect(try keys[0].decode(Int.self) == 2)
        // Deleting the project deletes its keys with its events.
        try await database.asOwner("DELETE FROM projects WHERE project_id = \(project.rawValue)")
        let left = try await database.asOwner("SELECT (SELECT count(*)::int FROM event_keys), (SELECT count(*)::int FROM events)")
        #expect(try left[0].decode((Int, Int).self) == (0, 0))
    }

    /// Keys are grouped by the UTC day of the stored timestamp (migrations/0019_event_keys_by_day.sql): a uuid the
    /// project stored on the same day, the day before or the day after is a duplicate; two days away it is a new event.
    @Test func aUUIDIsADuplicateWithinADayEitherSideOfItsStoredDayAndANewEventFurther() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Days")
        let (other, otherProject) = try await database.seedOrg(name: "Other days")
        let uuid = UUID()
        try await Self.withWriter(database) { writer in
            // Stored on the 20th; the 19th and 21st (either side, early and late in the day) are the same event.
            for at in [
                "2025-07-20T12:00:00Z", "2025-07-21T23:59:59Z", "2025-07-19T00:00:00Z", "2025-07-20T01:00:00Z",
            ] {
                try await writer.submit(
                    IngestBatch(org: org, project: project, events: [Self.event("a", "u", uuid: uuid, at: at)], identity: []))
            }
            // Two days away: a new event, and from then on a key of its own day.
            for at in ["2025-07-22T00:00:00Z", "2025-07-23T10:00:00Z", "2025-07-18T23:59:59Z"] {
                try await writer.submit(
                    IngestBatch(org: org, project: project, events: [Self.event("b", "u", uuid: uuid, at: at)], identity: []))
            }
            // Another organization's project with the same uuid on the same day is not a duplicate.
            try await writer.submit(
                IngestBatch(
                    org: other, project: otherProject, events: [Self.event("c", "u", uuid: uuid, at: "2025-07-20T12:00:00Z")],
                    identity: []))
        }
        let rows = try await database.asOwner(
            "SELECT event, \"timestamp\" FROM events WHERE uuid = \(uuid) ORDER BY \"timestamp\", event")
        let stored = try rows.map { try $0.decode((String, Date).self) }
        #expect(stored.map(\.0) == ["b", "a", "c", "b"])
        #expect(
            stored.map(\.1) == [
                Date.at("2025-07-18T23:59:59Z"), Date.at("2025-07-20T12:00:00Z"), Date.at("2025-07-20T12:00:00Z"),
                Date.at("2025-07-22T00:00:00Z"),
            ])
        let keys = try await database.asOwner(
            "SELECT day::text FROM event_keys WHERE uuid = \(uuid) ORDER BY day, org_id = \(org.rawValue)")
        #expect(try keys.map { try $0.decode(String.self) } == ["2025-07-18", "2025-07-20", "2025-07-20", "2025-07-22"])
    }

    /// The duplicate lookup runs as the application role, under row-level security, where PostgreSQL turns a
    /// condition into an index condition only when its functions are leakproof. With hash and merge joins and
    /// sequential scans off, the lookup must probe the key's four columns; with the neighbour days computed inside
    /// it, `day` was only a filter and each event read every key of its project.
    @Test func theDuplicateLookupProbesTheWholeKeyUnderRowLevelSecurity() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Plan")
        // Enough keys (analyzed) that probing one key is cheaper than reading them all.
        _ = try await database.asOwner(
            """
            INSERT INTO event_keys (org_id, project_id, uuid, "timestamp")
            SELECT \(org.rawValue), \(project.rawValue), gen_random_uuid(), now() - i * interval '1 minute'
            FROM generate_series(1, 20000) i
            """)
        _ = try await database.asOwner("ANALYZE event_keys")
        let rows = EventRows([IngestBatch(org: org, project: project, events: [Self.event("a", "u")], identity: [])])
        let query = EventWriter.insertQuery(rows, org: org)
        let plan = try await database.withAppDatabase { db in
            try await db.withTenant(org) { tenant in
                for setting in ["enable_hashjoin", "enable_mergejoin", "enable_seqscan", "enable_bitmapscan"] {
                    _ = try await tenant.query("SELECT set_config(\(setting), 'off', true)").collect()
                }
                let explain = PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT JSON) " + query.sql, binds: query.binds)
                return try await tenant.query(explain).collect().first?.decode(String.self)
            }
        }
        let text = try #require(plan)
        let conditions = try Self.indexConditions(on: "event_keys", in: text)
        #expect(conditions.count == 1, "\(text)")
        #expect(
            conditions.allSatisfy {
                $0.contains("org_id =") && $0.contains("project_id =") && $0.contains("day = ANY") && $0.contains("uuid =")
            })
    }

    /// The `Index Cond` of every index scan of `table` in a JSON plan.
    static func indexConditions(on table: String, in plan: String) throws -> [String] {
        func walk(_ node: Any) -> [String] {
            if let list = node as? [Any] { return list.flatMap(walk) }
            guard let object = node as? [String: Any] else { return [] }
            var found: [String] = []
            if object["Relation Name"] as? String == table, let condition = object["Index Cond"] as? String {
                found.append(condition)
            }
            return found + object.values.flatMap(walk)
        }
        return walk(try JSONSerialization.jsonObject(with: Data(plan.utf8)))
    }

    @Test func anEventPostgreSQLRefusesIsKeptAsADeadLetterAndTheRestOfItsRequestIsStored() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Poison")
        // jsonb cannot hold 1e1000000 (SQLSTATE 22003): the whole transaction would be refused.
        var poison = Self.event("poison", "u")
        poison.propertiesJSON = #"{"n": 1e1000000}"#
        let events = (0..<9).map { Self.event("ok-\($0)", "u") } + [poison] + (9..<17).map { Self.event("ok-\($0)", "u") }
        try await Self.withWriter(database) { writer in
            async let other = writer.submit(IngestBatch(org: org, project: project, events: [Self.event("other", "v")], identity: []))
            try await writer.submit(
                IngestBatch(
                    org: org, project: project, events: events,
                    identity: [
                        .setProperties(distinctID: "u", set: #"{"plan": "pro"}"#, setOnce: nil),
                        .setProperties(distinctID: "u", set: #"{"big": 1e1000000}"#, setOnce: nil),
                    ]))
            try await other
        }
        let stored = try await database.asOwner("SELECT count(*)::int FROM events WHERE event <> 'poison'")
        #expect(try stored[0].decode(Int.self) == 18)
        let letters = try await database.asOwner("SELECT kind, code, payload FROM dead_letters ORDER BY kind")
        let values = try letters.map { try $0.decode((String, String, String).self) }
        #expect(values.map(\.0) == ["event", "person"])
        #expect(values.allSatisfy { $0.1 == "22003" })
        #expect(values[0].2.contains(#""event":"poison""#) && values[0].2.contains("1e1000000"))
        let plan = try await database.asOwner("SELECT properties->>'plan' FROM persons")
        #expect(try plan[0].decode(String.self) == "pro")
    }

    @Test func aPersonsPropertiesStopGrowingAt256KB() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Grow")
        let chunk = String(repeating: "y", count: 60_000)
        try await Self.withWriter(database) { writer in
            // Five updates of 60 KB with new keys: the fifth would pass 256 KB and leaves the properties as they were.
            for key in 1...5 {
                let set = #"{"k\#(key)": "\#(chunk)"}"#
                try await writer.submit(
                    IngestBatch(org: org, project: project, events: [], identity: [.setProperties(distinctID: "p", set: set, setOnce: nil)])
                )
            }
            // A small change to a key it has still applies.
            try await writer.submit(
                IngestBatch(
                    org: org, project: project, events: [],
                    identity: [.setProperties(distinctID: "p", set: #"{"k1": "short"}"#, setOnce: nil)]))
        }
        let rows = try await database.asOwner("SELECT properties::text FROM persons")
        let properties = try rows[0].decode(String.self)
        #expect(properties.utf8.count <= 262_144)
        #expect(properties.contains(#""k4""#) && !properties.contains(#""k5""#))
        #expect(properties.contains(#""k1": "short""#))
    }

    /// A round waits for others to join it only while another round is being written: with every writer idle a
    /// request is written at once, however long `maxDelay` is (a paced client's latency is its own round's).
    @Test func aRequestThatFindsEveryWriterIdleIsWrittenWithoutWaitingForOthers() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Idle")
        try await database.withAppDatabase { db in
            var configuration = EventWriter.Configuration()
            configuration.maxDelay = .seconds(120)
            let writer = EventWriter(database: db, configuration: configuration, logger: database.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                for n in 0..<3 {
                    let started = ContinuousClock.now
                    try await writer.submit(IngestBatch(org: org, project: project, events: [Self.event("e", "u\(n)")], identity: []))
                    #expect(ContinuousClock.now - started < .seconds(60))
                }
                group.cancelAll()
            }
        }
        let counts = try await database.asOwner("SELECT count(*)::int FROM events")
        #expect(try #require(counts.first).decode(Int.self) == 3)
    }

    /// The fill delay counts from the oldest request's arrival: a request that waited while every writer was busy
    /// is taken as soon as one is free, not held back another `maxDelay`.
    @Test func theRoundFillDelayCountsFromTheOldestRequest() throws {
        var configuration = EventWriter.Configuration()
        configuration.maxDelay = .milliseconds(5)
        configuration.batchSize = 1_000
        let queued = ContinuousClock.now
        #expect(
            EventWriter.fillDeadline(oldest: queued, queuedEvents: 100, inFlight: 1, configuration: configuration)
                == queued + .milliseconds(5))
        // Queued 20 ms ago (both writers were busy): the deadline has passed, the round is taken at once.
        let waited = queued - .milliseconds(20)
        let deadline = try #require(
            EventWriter.fillDeadline(oldest: waited, queuedEvents: 100, inFlight: 1, configuration: configuration))
        #expect(deadline < queued)
        // No round in flight, a full round queued, or nothing queued: no wait.
        #expect(EventWriter.fillDeadline(oldest: queued, queuedEvents: 100, inFlight: 0, configuration: configuration) == nil)
        #expect(EventWriter.fillDeadline(oldest: queued, queuedEvents: 1_000, inFlight: 1, configuration: configuration) == nil)
        #expect(EventWriter.fillDeadline(oldest: nil, queuedEvents: 0, inFlight: 1, configuration: configuration) == nil)
    }

    @Test func aFullQueueRefusesInsteadOfGrowing() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Busy")
        try await database.withAppDatabase { db in
            var configuration = EventWriter.Configuration()
            configuration.queueCapacity = 3
            let writer = EventWriter(database: db, configuration: configuration, logger: database.logger)
            // The writer loop is not running, so the first submission stays queued.
            let first = Task {
                try await writer.submit(
                    IngestBatch(org: org, project: project, events: [Self.event("a", "u"), Self.event("b", "u")], identity: []))
            }
            while writer.queuedEvents == 0 { try await Task.sleep(for: .milliseconds(5)) }
            await #expect(throws: IngestError(.overloaded, "the ingestion queue is full; retry shortly")) {
                try await writer.submit(
                    IngestBatch(org: org, project: project, events: [Self.event("c", "u"), Self.event("d", "u")], identity: []))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                try await first.value
                group.cancelAll()
            }
        }
    }
}
