import Foundation
import Models
import PostgresNIO
import Storage
import TestSupport
import Testing

/// Tenant isolation as the application role, on every tenant table.
@Suite struct RowLevelSecurityTests {
    /// Every table that carries org_id, plus partitions addressed by name.
    static let tenantTables = [
        "organizations", "memberships", "projects", "api_tokens", "persons", "person_distinct_ids", "reports",
        "dashboards", "dashboard_items", "events",
    ]

    /// Two organizations with a row in every tenant table, and events in two monthly partitions and the default one.
    static func seed(_ database: TestDatabase) async throws -> (
        a: (org: Org.ID, project: Project.ID), b: (org: Org.ID, project: Project.ID)
    ) {
        _ = try await database.asOwner(
            "SELECT iv_ensure_event_partition('2025-06-01T00:00:00Z'), iv_ensure_event_partition('2025-07-01T00:00:00Z')")
        let a = try await database.seedOrg(name: "Org A")
        let b = try await database.seedOrg(name: "Org B")
        for (org, project) in [a, b] {
            let user = UUID()
            let person = UUID()
            let report = UUID()
            let dashboard = UUID()
            _ = try await database.asOwner(
                "INSERT INTO users (user_id, email, password_hash) VALUES (\(user), \(user.uuidString + "@example.com"), 'x')")
            _ = try await database.asOwner("INSERT INTO memberships (org_id, user_id, role) VALUES (\(org.rawValue), \(user), 'OWNER')")
            _ = try await database.asOwner(
                """
                INSERT INTO api_tokens (org_id, token_id, kind, name, project_id, prefix, token_hash)
                VALUES (\(org.rawValue), \(UUID()), 'INGEST', 'sdk', \(project.rawValue), 'iv_ing_ab', sha256(\(UUID().uuidString)::bytea))
                """)
            _ = try await database.asOwner(
                "INSERT INTO persons (org_id, project_id, person_id) VALUES (\(org.rawValue), \(project.rawValue), \(person))")
            _ = try await database.asOwner(
                """
                INSERT INTO person_distinct_ids (org_id, project_id, distinct_id, person_id)
                VALUES (\(org.rawValue), \(project.rawValue), 'user-1', \(person))
                """)
            _ = try await database.asOwner(
                """
                INSERT INTO reports (org_id, report_id, project_id, name, kind, definition)
                VALUES (\(org.rawValue), \(report), \(project.rawValue), 'DAU', 'TRENDS', '{}')
                """)
            _ = try await database.asOwner(
                "INSERT INTO dashboards (org_id, dashboard_id, project_id, name) VALUES (\(org.rawValue), \(dashboard), \(project.rawValue), 'Main')"
            )
            _ = try await database.asOwner(
                "INSERT INTO dashboard_items (org_id, dashboard_id, report_id) VALUES (\(org.rawValue), \(dashboard), \(report))")
            for instant in ["2025-06-15T12:00:00Z", "2025-07-01T00:00:00Z", "2019-03-01T00:00:00Z"] {
                try await database.seedEvent(org: org, project: project, at: Date.at(instant))
            }
        }
        return (a, b)
    }

    static func count(_ table: String, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        precondition(table.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "table names come from a closed list")
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"), logger: logger).collect()
        return try rows.first!.decode(Int.self)
    }

    @Test func withoutATenantEveryTenantTableIsEmpty() async throws {
        let database = try await TestDatabase.create()
        _ = try await Self.seed(database)
        try await database.withAppDatabase { db in
            try await db.withGlobalTransaction { connection in
                for table in Self.tenantTables + ["events_default", "events_p202506", "events_p202507"] {
                    let rows = try await Self.count(table, on: connection, logger: db.logger)
                    #expect(rows == 0, "\(table) leaked rows")
                }
            }
        }
    }

    @Test func aTenantSeesOnlyItsOwnRowsEverywhereIncludingPartitionsByName() async throws {
        let database = try await TestDatabase.create()
        let (a, _) = try await Self.seed(database)
        try await database.withAppDatabase { db in
            try await db.withTenant(a.org) { tenant in
                for table in Self.tenantTables where table != "events" {
                    let rows = try await Self.count(table, on: tenant.connection, logger: db.logger)
                    #expect(rows == 1, "\(table)")
                }
                #expect(try await Self.count("events", on: tenant.connection, logger: db.logger) == 3)
                #expect(try await Self.count("events_p202506", on: tenant.connection, logger: db.logger) == 1)
                #expect(try await Self.count("events_p202507", on: tenant.connection, logger: db.logger) == 1)
                #expect(try await Self.count("events_default", on: tenant.connection, logger: db.logger) == 1)
                let orgs = try await tenant.query("SELECT DISTINCT org_id FROM events").collect()
                #expect(try orgs.map { try $0.decode(UUID.self) } == [a.org.rawValue])
            }
        }
    }

    @Test func writingAnotherTenantsRowFails() async throws {
        let database = try await TestDatabase.create()
        let (a, b) = try await Self.seed(database)
        try await database.withAppDatabase { db in
            let error = await #expect(throws: PSQLError.self) {
                try await db.withTenant(a.org) { tenant in
                    try await tenant.query(
                        """
                        INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp")
                        VALUES (\(b.org.rawValue), \(b.project.rawValue), \(UUID()), 'x', 'u', now())
                        """)
                }
            }
            #expect(error?.serverInfo?[.sqlState] == "42501")
            // Updating across tenants silently touches nothing.
            let updated = try await db.withTenant(a.org) { tenant in
                try await tenant.query("UPDATE projects SET name = 'stolen' WHERE project_id = \(b.project.rawValue) RETURNING 1")
                    .collect().count
            }
            #expect(updated == 0)
        }
    }

    @Test func withTenantRollsBackWhenTheBodyThrows() async throws {
        struct Boom: Error {}
        let database = try await TestDatabase.create()
        let (a, _) = try await Self.seed(database)
        try await database.withAppDatabase { db in
            await #expect(throws: Boom.self) {
                try await db.withTenant(a.org) { tenant in
                    try await tenant.query("UPDATE organizations SET name = 'renamed'")
                    throw Boom()
                }
            }
            let name = try await db.withTenant(a.org) { tenant in
                try await tenant.query("SELECT name FROM organizations").collect().first!.decode(String.self)
            }
            #expect(name == "Org A")
        }
    }

    @Test func theTenantSettingDoesNotLeakToTheNextTransactionOnAPooledConnection() async throws {
        let database = try await TestDatabase.create()
        let (a, _) = try await Self.seed(database)
        try await database.withClient(database.app, maxConnections: 1) { client in
            let db = Database(client: client, logger: database.logger)
            _ = try await db.withTenant(a.org) { try await $0.query("SELECT 1").collect() }
            // A single-connection pool: the next transaction reuses the same session.
            try await db.withGlobalTransaction { connection in
                let rows = try await Self.count("projects", on: connection, logger: db.logger)
                #expect(rows == 0)
            }
        }
    }

    @Test func theAppRoleIsNeitherOwnerNorSuperuserButTheOwnerIsRefused() async throws {
        let database = try await TestDatabase.create()
        try await database.app.withConnection(logger: database.logger) { try await AppRoleCheck.verify(on: $0, logger: database.logger) }
        let error = await #expect(throws: StorageError.self) {
            try await database.owner.withConnection(logger: database.logger) {
                try await AppRoleCheck.verify(on: $0, logger: database.logger)
            }
        }
        #expect(error?.code == .unsafeAppRole)
    }
}
