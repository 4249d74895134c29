import Analytics
import Foundation
import Models
import PostgresNIO
import Storage
import TestSupport

/// A project on a fresh test database with hand-made events, and the reports run as the application role.
struct ReportFixture {
    let database: TestDatabase
    let org: Org.ID
    let project: Project.ID
    let timezone: String

    static func make(timezone: String = "UTC") async throws -> ReportFixture {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Reports")
        _ = try await database.asOwner("UPDATE projects SET timezone = \(timezone) WHERE project_id = \(project.rawValue)")
        return ReportFixture(database: database, org: org, project: project, timezone: timezone)
    }

    /// Stores one event; `properties` is JSON text.
    func event(_ name: String, _ distinctID: String, _ time: String, _ properties: String = "{}", uuid: UUID = UUID()) async throws {
        _ = try await database.asOwner(
            """
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", properties)
            VALUES (\(org.rawValue), \(project.rawValue), \(uuid), \(name), \(distinctID), \(try date(time)), \(properties)::jsonb)
            """)
    }

    /// Merges two distinct ids into one person, as `$identify` does.
    func merge(keep: String, other: String) async throws {
        _ = try await database.asOwner(
            "SELECT iv_merge_distinct_ids(\(org.rawValue), \(project.rawValue), \(keep), \(other))")
    }

    var scope: ReportScope { ReportScope(org: org, project: project, timezone: timezone) }

    func run<T: Sendable>(_ body: @escaping @Sendable (TenantConnection, ReportScope) async throws -> T) async throws -> T {
        let (org, scope) = (org, scope)
        return try await database.withAppDatabase { db in try await db.withTenant(org) { try await body($0, scope) } }
    }

    func trends(_ query: TrendsQuery) async throws -> [TrendSeries] {
        try await run { try await Trends.run(query, scope: $1, on: $0) }
    }

    func funnel(_ query: FunnelQuery) async throws -> FunnelResult {
        try await run { try await Funnel.run(query, scope: $1, on: $0) }
    }

    func retention(_ query: RetentionQuery) async throws -> [RetentionCohort] {
        try await run { try await Retention.run(query, scope: $1, on: $0) }
    }

    func eventNames(limit: Int = 100) async throws -> [String] {
        try await run { try await EventExplorer.eventNames(limit: limit, scope: $1, on: $0) }
    }
}

func date(_ text: String) throws -> Date { try Date.ISO8601FormatStyle().parse(text) }

extension ReportFixture {
    /// Runs a rollup pass as the owner role, with every day up to `now` closed.
    @discardableResult
    func rollUp(now: Date) async throws -> Int {
        let (logger, scope) = (database.logger, scope)
        return try await database.withClient(database.owner) { client in
            try await RollupBuilder(database: Database(client: client, logger: logger)).refresh(scope, now: now)
        }
    }

    /// What the ingestion writer does for late events: marks their rolled-up days dirty.
    func markLate(_ times: [String]) async throws {
        let (org, project) = (org, project)
        let dates = try times.map(date)
        _ = try await database.withAppDatabase { db in
            try await db.withTenant(org) { tx in
                try await tx.query("SELECT iv_mark_rollup_days(\(org.rawValue), \(project.rawValue), \(dates)::timestamptz[])")
            }
        }
    }
}
