import Foundation
import Models
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite struct PartitionMaintenanceTests {
    static func partitions(_ database: TestDatabase) async throws -> [String] {
        try await database.asOwner("SELECT name FROM iv_event_partitions()").map { try $0.decode(String.self) }
    }

    static func maintenance(_ database: TestDatabase, client: PostgresClient, now: String) -> PartitionMaintenance {
        PartitionMaintenance(client: client, monthsAhead: 2, now: { Date.at(now) }, logger: database.logger)
    }

    @Test func createsMonthsAroundNowAndIsIdempotent() async throws {
        let database = try await TestDatabase.create()
        let report = try await database.withClient(database.owner) { client in
            let maintenance = Self.maintenance(database, client: client, now: "2026-01-15T00:00:00Z")
            let first = try await maintenance.runOnce()
            let second = try await maintenance.runOnce()
            #expect(second.created.isEmpty)
            return first
        }
        #expect(report.created == ["events_p202512", "events_p202601", "events_p202602", "events_p202603"])
        #expect(try await Self.partitions(database) == report.created)
    }

    @Test func rowsInTheDefaultPartitionMoveToANewPartitionWithoutLoss() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Backfill")
        for instant in ["2003-02-01T00:00:00Z", "2003-02-28T23:59:59.999Z", "2003-03-01T00:00:00Z", "2026-01-10T00:00:00Z"] {
            try await database.seedEvent(org: org, project: project, at: Date.at(instant))
        }
        let before = try await database.asOwner("SELECT count(*)::int FROM events_default")
        #expect(try before.first?.decode(Int.self) == 4)

        let report = try await database.withClient(database.owner) { client in
            try await Self.maintenance(database, client: client, now: "2026-01-15T00:00:00Z").runOnce()
        }
        #expect(report.created.contains("events_p200302"))
        #expect(report.created.contains("events_p200303"))
        let counts = try await database.asOwner(
            """
            SELECT (SELECT count(*) FROM events)::int, (SELECT count(*) FROM events_default)::int,
                   (SELECT count(*) FROM events_p200302)::int, (SELECT count(*) FROM events_p200303)::int,
                   (SELECT count(*) FROM events_p202601)::int
            """)
        let countsValues = try #require(counts.first).decode((Int, Int, Int, Int, Int).self)
        #expect(countsValues == (4, 0, 2, 1, 1))
    }

    @Test func newPartitionsAreAsIsolatedAsTheParent() async throws {
        let database = try await TestDatabase.create()
        let a = try await database.seedOrg(name: "A")
        let b = try await database.seedOrg(name: "B")
        try await database.seedEvent(org: a.org, project: a.project, at: Date.at("2004-05-05T00:00:00Z"))
        try await database.seedEvent(org: b.org, project: b.project, at: Date.at("2004-05-06T00:00:00Z"))
        _ = try await database.withClient(database.owner) { client in
            try await Self.maintenance(database, client: client, now: "2026-01-15T00:00:00Z").runOnce()
        }
        let flags = try await database.asOwner(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'events_p200405'")
        let flagsValues = try #require(flags.first).decode((Bool, Bool).self)
        #expect(flagsValues == (true, true))
        try await database.withAppDatabase { db in
            let seen = try await db.withTenant(a.org) { tenant in
                try await tenant.query("SELECT org_id FROM events_p200405").collect().map { try $0.decode(UUID.self) }
            }
            #expect(seen == [a.org.rawValue])
        }
    }

    @Test func retentionDeletesOldEventsAndDropsPartitionsNoProjectKeeps() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Short memory")
        _ = try await database.asOwner("UPDATE projects SET retention_days = 30 WHERE project_id = \(project.rawValue)")
        for instant in ["2025-10-10T00:00:00Z", "2025-12-20T00:00:00Z", "2026-01-10T00:00:00Z"] {
            try await database.seedEvent(org: org, project: project, at: Date.at(instant))
        }
        let report = try await database.withClient(database.owner) { client in
            try await Self.maintenance(database, client: client, now: "2026-01-15T00:00:00Z").runOnce()
        }
        #expect(report.dropped == ["events_p202510"])
        let remaining = try await database.asOwner("SELECT \"timestamp\" FROM events ORDER BY 1").map { try $0.decode(Date.self) }
        #expect(remaining == [Date.at("2025-12-20T00:00:00Z"), Date.at("2026-01-10T00:00:00Z")])
    }

    @Test func aProjectWithoutRetentionKeepsEveryPartition() async throws {
        let database = try await TestDatabase.create()
        let keeper = try await database.seedOrg(name: "Keeps everything")
        let short = try await database.seedOrg(name: "Short")
        _ = try await database.asOwner("UPDATE projects SET retention_days = 1 WHERE project_id = \(short.project.rawValue)")
        try await database.seedEvent(org: keeper.org, project: keeper.project, at: Date.at("2024-01-10T00:00:00Z"))
        try await database.seedEvent(org: short.org, project: short.project, at: Date.at("2024-01-11T00:00:00Z"))
        let report = try await database.withClient(database.owner) { client in
            try await Self.maintenance(database, client: client, now: "2026-01-15T00:00:00Z").runOnce()
        }
        #expect(report.dropped.isEmpty)
        let left = try await database.asOwner("SELECT project_id FROM events").map { try $0.decode(UUID.self) }
        #expect(left == [keeper.project.rawValue])
    }
}
