@testable import Analytics
import Foundation
import Models
import Storage
import TestSupport
import Testing

/// The builder's limits: a day with more event names than a 16-bit code holds, and passes that stay fair when one
/// tenant has a long backlog.
@Suite struct RollupBuilderTests {
    /// The funnels and trends these tests compare between rollups and raw events.
    func reports(_ f: ReportFixture) async throws -> ([TrendSeries], [FunnelResult]) {
        let (from, to) = (try date("2026-03-01T00:00:00Z"), try date("2026-03-04T00:00:00Z"))
        let trends = try await f.trends(
            TrendsQuery(
                series: [
                    .init(event: nil, math: .total), .init(event: "purchase", math: .total), .init(event: "signup", math: .uniqueUsers),
                ],
                from: from, to: to))
        var funnels: [FunnelResult] = []
        for order in FunnelOrder.allCases {
            funnels.append(
                try await f.funnel(
                    FunnelQuery(
                        steps: [.init(event: "signup"), .init(event: "purchase")], from: from, to: to, windowSeconds: 86_400, order: order))
            )
        }
        return (trends, funnels)
    }

    @Test func aDayWithMoreEventNamesThanA16BitCodeHoldsAnswersExactly() async throws {
        let f = try await ReportFixture.make()
        // u0 signs up, sends 65,535 other names, then purchases: "purchase" is the day's 65,537th name (code 65,536).
        // u1 only purchases. With 16-bit codes "purchase" would read back as "signup".
        try await f.event("signup", "u0", "2026-03-02T09:00:00Z")
        _ = try await f.database.asOwner(
            """
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp")
            SELECT \(f.org.rawValue), \(f.project.rawValue), gen_random_uuid(), 'name-' || i, 'u0',
                   TIMESTAMPTZ '2026-03-02 10:00:00Z' + i * interval '1 millisecond'
            FROM generate_series(1, 65535) i
            """)
        try await f.event("purchase", "u0", "2026-03-02T12:00:00Z")
        try await f.event("purchase", "u1", "2026-03-02T13:00:00Z")
        let raw = try await reports(f)
        #expect(raw.1.map { $0.steps.map(\.count) } == [[1, 1], [1, 0], [2, 1]])
        #expect(raw.0.map(\.total) == [65_538, 2, 1])

        _ = try await f.rollUp(now: try date("2026-03-10T00:00:00Z"))
        let names = try await f.database.asOwner("SELECT cardinality(events) FROM rollup_timelines WHERE day = '2026-03-02'")
        #expect(try names.map { try $0.decode(Int.self) } == [65_537])
        let rolled = try await reports(f)
        #expect(rolled.0 == raw.0)
        #expect(rolled.1 == raw.1)
        // Without the raw events the same answers can only come from the rollups (the day's timeline included).
        _ = try await f.database.asOwner("DELETE FROM events")
        let rollupsOnly = try await reports(f)
        #expect(rollupsOnly.0 == raw.0)
        #expect(rollupsOnly.1 == raw.1)
    }
}

/// Passes share the builder between tenants: one project's long backlog never holds up another's current days.
@Suite struct RollupPassTests {
    /// Two tenants on one database; `first` sorts before `second`, so it takes the first turn of every round.
    struct Tenants {
        let database: TestDatabase
        let first: ReportFixture
        let second: ReportFixture

        static func make() async throws -> Tenants {
            let database = try await TestDatabase.create()
            var fixtures: [ReportFixture] = []
            for (n, name) in ["Backfilling", "Current"].enumerated() {
                let org = Org.ID(UUID(uuidString: "00000000-0000-0000-0000-00000000000\(n + 1)")!)
                let project = Project.ID(UUID(uuidString: "00000000-0000-0000-0001-00000000000\(n + 1)")!)
                _ = try await database.asOwner("INSERT INTO organizations (org_id, name) VALUES (\(org.rawValue), \(name))")
                _ = try await database.asOwner(
                    "INSERT INTO projects (org_id, project_id, name) VALUES (\(org.rawValue), \(project.rawValue), \(name))")
                fixtures.append(ReportFixture(database: database, org: org, project: project, timezone: "UTC"))
            }
            return Tenants(database: database, first: fixtures[0], second: fixtures[1])
        }

        /// One pass over every project with at most `maxDaysPerProject` days each. The open day's prefix moves by the
        /// hour here, so a pass at 01:30 builds none (its cut, 23:00, is before the open day): the days counted below
        /// are closed days only.
        func pass(
            now: String, maxDaysPerProject: Int = 100, statementTimeout: Duration = .seconds(600),
            deferringDirtyDays: @escaping @Sendable (Project.ID) -> Bool = { _ in false }
        ) async throws -> RollupBuilder.Pass {
            let logger = database.logger
            let now = try date(now)
            var configuration = RollupBuilder.Configuration(maxDaysPerProject: maxDaysPerProject)
            configuration.prefixStep = 3_600
            configuration.statementTimeout = statementTimeout
            return try await database.withClient(database.owner) { [configuration] client in
                try await RollupBuilder(database: Database(client: client, logger: logger), configuration: configuration).refreshAll(
                    now: now, deferringDirtyDays: deferringDirtyDays)
            }
        }

        /// A trigger that runs `action` (PL/pgSQL) before each timeline of a project listed in the table `<name>s`
        /// is stored, as PostgreSQL would refuse or stall a day it cannot store; the table starts with `project`.
        func onTimelines(of project: Project.ID, _ name: String, do action: String) async throws {
            _ = try await database.asOwner("CREATE TABLE \(unescaped: name)s (project_id uuid PRIMARY KEY)")
            _ = try await database.asOwner("INSERT INTO \(unescaped: name)s VALUES (\(project.rawValue))")
            _ = try await database.asOwner(
                """
                CREATE FUNCTION \(unescaped: name)_timelines() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM \(unescaped: name)s WHERE project_id = NEW.project_id) THEN
                        \(unescaped: action);
                    END IF;
                    RETURN NEW;
                END
                $$
                """)
            _ = try await database.asOwner(
                """
                CREATE TRIGGER \(unescaped: name) BEFORE INSERT ON rollup_timelines
                FOR EACH ROW EXECUTE FUNCTION \(unescaped: name)_timelines()
                """)
        }
    }

    func day(_ f: ReportFixture, _ day: String) -> RollupBuilder.Pass.Day {
        RollupBuilder.Pass.Day(org: f.org, project: f.project, day: day)
    }

    @Test func aTenantsBackfillOfThousandsOfDaysDoesNotHoldUpAnotherTenantsCurrentDay() async throws {
        let t = try await Tenants.make()
        let (a, b) = (t.first, t.second)
        // A backfilled one event on each of 2,000 past days (2020-09-17 .. 2026-03-09); B has one event yesterday.
        _ = try await t.database.asOwner(
            """
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp")
            SELECT \(a.org.rawValue), \(a.project.rawValue), gen_random_uuid(), 'view', 'u' || (i % 7),
                   TIMESTAMPTZ '2026-03-09 12:00:00Z' - (i - 1) * interval '1 day'
            FROM generate_series(1, 2000) i
            """)
        try await b.event("view", "b-user", "2026-03-09T12:00:00Z")
        let range = TrendsQuery(
            series: [.init(event: nil, math: .total), .init(event: "view", math: .uniqueUsers)], from: try date("2020-09-01T00:00:00Z"),
            to: try date("2026-03-12T00:00:00Z"), interval: .month)
        let raw = try await a.trends(range)
        #expect(raw[0].total == 2_000)

        // The first pass: B's day comes in the first round (right after A's newest day); A builds its 100 newest.
        let first = try await t.pass(now: "2026-03-10T01:30:00Z")
        #expect(Array(first.days.prefix(2)) == [day(a, "2026-03-09"), day(b, "2026-03-09")])
        #expect(first.days.count == 101)
        #expect(first.days.filter { $0.project == a.project }.last == day(a, "2025-11-30"))
        #expect(first.unfinished)

        // A day later B has a new day: it is built in the next pass's first round, ahead of A's backlog.
        try await b.event("view", "b-user", "2026-03-10T12:00:00Z")
        let second = try await t.pass(now: "2026-03-11T01:30:00Z")
        #expect(Array(second.days.prefix(2)) == [day(a, "2026-03-10"), day(b, "2026-03-10")])
        #expect(second.days.count == 101)

        // Later passes finish A's backlog: 1,801 days left, 100 a pass.
        var passes = 2
        var last = second
        while last.unfinished {
            last = try await t.pass(now: "2026-03-11T01:30:00Z")
            passes += 1
            #expect(last.days.allSatisfy { $0.project == a.project })
        }
        #expect(passes == 21)
        #expect(last.days.last == day(a, "2020-09-17"))
        let state = try await t.database.asOwner(
            "SELECT built_from::text, built_through::text FROM rollup_state WHERE project_id = \(a.project.rawValue)")
        #expect(try state.map { try $0.decode((String, String).self) }.map { "\($0.0) \($0.1)" } == ["2020-09-17 2026-03-11"])
        #expect(try await t.pass(now: "2026-03-11T01:30:00Z").days.isEmpty)

        // Every day of A's history is now answered from the rollups alone.
        #expect(try await a.trends(range) == raw)
        _ = try await t.database.asOwner("DELETE FROM events WHERE project_id = \(a.project.rawValue)")
        #expect(try await a.trends(range) == raw)
    }

    @Test func aProjectWhoseBuildFailsDoesNotStopOtherTenantsRollups() async throws {
        let t = try await Tenants.make()
        let (a, b) = (t.first, t.second)
        try await a.event("view", "a-user", "2026-03-09T12:00:00Z")
        try await b.event("view", "b-user", "2026-03-09T12:00:00Z")
        // PostgreSQL refuses A's timelines (as it would a day it cannot store).
        try await t.onTimelines(of: a.project, "refused_project", do: "RAISE EXCEPTION 'refused'")

        let pass = try await t.pass(now: "2026-03-10T01:30:00Z")
        #expect(pass.days == [day(b, "2026-03-09")])
        #expect(pass.failed == [a.project])
        // Once A's day can be stored, the next pass builds it.
        _ = try await t.database.asOwner("DELETE FROM refused_projects")
        let next = try await t.pass(now: "2026-03-10T01:30:00Z")
        #expect(next.days == [day(a, "2026-03-09")])
        #expect(next.failed.isEmpty)

        // Late events make both days dirty; A's rebuild fails again: its day stays dirty (read raw), B's is rebuilt.
        let query = TrendsQuery(
            series: [.init(event: nil, math: .total)], from: try date("2026-03-09T00:00:00Z"), to: try date("2026-03-10T00:00:00Z"))
        for f in [a, b] {
            try await f.event("view", "late", "2026-03-09T13:00:00Z")
            try await f.markLate(["2026-03-09T13:00:00Z"])
        }
        _ = try await t.database.asOwner("INSERT INTO refused_projects VALUES (\(a.project.rawValue))")
        let again = try await t.pass(now: "2026-03-10T01:30:00Z")
        #expect(again.days == [day(b, "2026-03-09")])
        #expect(again.failed == [a.project])
        let dirty = try await t.database.asOwner("SELECT project_id, day::text FROM rollup_dirty")
        #expect(try dirty.map { try $0.decode((UUID, String).self) }.map { "\($0.0) \($0.1)" } == ["\(a.project.rawValue) 2026-03-09"])
        #expect(try await a.trends(query).map(\.total) == [2])
        #expect(try await b.trends(query).map(\.total) == [2])
    }

    @Test func aBuildPastTheStatementTimeoutIsCancelledAndALaterPassBuildsTheDay() async throws {
        let t = try await Tenants.make()
        let (a, b) = (t.first, t.second)
        try await a.event("view", "a-user", "2026-03-09T12:00:00Z")
        try await b.event("view", "b-user", "2026-03-09T12:00:00Z")
        // Storing A's timeline takes 3 s (as a plan made on statistics from before a bulk load can take minutes).
        try await t.onTimelines(of: a.project, "slow_project", do: "PERFORM pg_sleep(3)")

        // With a 1 s statement timeout A's build is cancelled; B's day is built all the same.
        let pass = try await t.pass(now: "2026-03-10T01:30:00Z", statementTimeout: .seconds(1))
        #expect(pass.days == [day(b, "2026-03-09")])
        #expect(pass.failed == [a.project])
        // The next pass, with the default timeout, waits out the slow statement and builds A's day: what failed
        // before was the timeout, not the statement.
        let next = try await t.pass(now: "2026-03-10T01:30:00Z")
        #expect(next.days == [day(a, "2026-03-09")])
        #expect(next.failed.isEmpty)
    }

    @Test func deferredDirtyDaysStayDirtyAndAreReadRawWhileOtherDaysAreBuilt() async throws {
        let t = try await Tenants.make()
        let (a, b) = (t.first, t.second)
        for f in [a, b] { try await f.event("view", "user", "2026-03-08T12:00:00Z") }
        #expect(try await t.pass(now: "2026-03-09T01:30:00Z").days.count == 2)
        // A backfill into A's and B's closed day, while A also gets a new day: A's rebuild is deferred (its backfill
        // goes on), its new day is built; B's dirty day is rebuilt.
        for f in [a, b] {
            try await f.event("view", "late", "2026-03-08T13:00:00Z")
            try await f.markLate(["2026-03-08T13:00:00Z"])
        }
        try await a.event("view", "user", "2026-03-09T12:00:00Z")
        let deferring = a.project
        let pass = try await t.pass(now: "2026-03-10T01:30:00Z", deferringDirtyDays: { $0 == deferring })
        #expect(pass.days.contains(day(a, "2026-03-09")) && pass.days.contains(day(b, "2026-03-08")))
        #expect(!pass.days.contains(day(a, "2026-03-08")))
        let dirty = try await t.database.asOwner("SELECT project_id, day::text FROM rollup_dirty")
        #expect(try dirty.map { try $0.decode((UUID, String).self) }.map { "\($0.0) \($0.1)" } == ["\(a.project.rawValue) 2026-03-08"])
        // Meanwhile the day's reports are exact (read raw), and once the backfill pauses the next pass rebuilds it.
        let query = TrendsQuery(
            series: [.init(event: nil, math: .total)], from: try date("2026-03-08T00:00:00Z"), to: try date("2026-03-09T00:00:00Z"))
        #expect(try await a.trends(query).map(\.total) == [2])
        #expect(try await t.pass(now: "2026-03-10T01:30:00Z").days == [day(a, "2026-03-08")])
        #expect(try await t.database.asOwner("SELECT 1 FROM rollup_dirty").isEmpty)
        #expect(try await a.trends(query).map(\.total) == [2])
    }
}
