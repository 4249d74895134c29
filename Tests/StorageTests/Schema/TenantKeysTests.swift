import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

/// The schema checks behind docs/scaling.md's path to Citus, on a database with every migration applied: tenant
/// tables (those with an `org_id` column) are distributed by `org_id`, so their keys must start with it; global tables
/// they point at become reference tables; and every unique key without `org_id` in front is one the plan lists, with
/// what replaces it.
@Suite struct TenantKeysTests {
    /// Tenant tables without a primary key, and why (docs/scaling.md names each).
    static let withoutPrimaryKey: Set<String> = ["events", "rollup_property_days"]
    /// Global tables that tenant tables may reference: reference tables in the plan.
    static let referenceTables: Set<String> = ["users"]
    /// Unique keys of tenant tables that do not start with `org_id`: global lookups by an id or a token hash, which
    /// the plan moves to a reference table (docs/scaling.md names each).
    static let globalLookups: Set<String> = [
        "api_tokens_hash_key", "api_tokens_id_key", "dashboard_shares_id_key", "dashboard_shares_token_key",
        "dashboards_id_key", "invitations_id_key", "invitations_token_key", "projects_id_key", "reports_id_key",
    ]

    /// Tenant tables (ordinary or partitioned parents, not partitions) in `public`.
    static let tenantTables = """
        SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)
        """

    @Test func everyTenantKeyStartsWithOrgIDAndEveryExceptionIsListed() async throws {
        let database = try await TestDatabase.create()
        let tables = try await database.asOwner(
            PostgresQuery(unsafeSQL: "SELECT c.relname::text FROM pg_class c WHERE c.oid IN (\(Self.tenantTables)) ORDER BY 1")
        ).map { try $0.decode(String.self) }
        #expect(tables.count >= 20 && tables.contains("events") && tables.contains("event_keys"))

        // Primary keys start with org_id; the tables without one are the listed ones.
        let primaryKeys = try await database.asOwner(
            PostgresQuery(
                unsafeSQL: """
                    SELECT c.relname::text, (SELECT a.attname::text FROM pg_attribute a
                                             WHERE a.attrelid = c.oid AND a.attnum = x.conkey[1])
                    FROM pg_class c LEFT JOIN pg_constraint x ON x.conrelid = c.oid AND x.contype = 'p'
                    WHERE c.oid IN (\(Self.tenantTables))
                    """)
        ).map { try $0.decode((String, String?).self) }
        #expect(Set(primaryKeys.filter { $0.1 == nil }.map(\.0)) == Self.withoutPrimaryKey)
        #expect(primaryKeys.filter { $0.1 != nil && $0.1 != "org_id" }.map(\.0) == [])

        // Foreign keys between tenant tables start with org_id on both sides; the others point at reference tables.
        let foreignKeys = try await database.asOwner(
            PostgresQuery(
                unsafeSQL: """
                    SELECT x.conname::text, x.confrelid::regclass::text, x.confrelid IN (\(Self.tenantTables)),
                           (SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = x.conrelid AND a.attnum = x.conkey[1]),
                           (SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = x.confrelid AND a.attnum = x.confkey[1])
                    FROM pg_constraint x WHERE x.contype = 'f' AND x.conrelid IN (\(Self.tenantTables))
                    """)
        ).map { try $0.decode((String, String, Bool, String, String).self) }
        #expect(foreignKeys.count >= 20)
        let badTenantReferences = foreignKeys.filter { $0.2 && ($0.3 != "org_id" || $0.4 != "org_id") }.map(\.0)
        #expect(badTenantReferences == [])
        #expect(Set(foreignKeys.filter { !$0.2 }.map(\.1)) == Self.referenceTables)

        // Unique keys without org_id in front are exactly the listed global lookups.
        let unique = try await database.asOwner(
            PostgresQuery(
                unsafeSQL: """
                    SELECT i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                    WHERE x.indisunique AND x.indrelid IN (\(Self.tenantTables))
                      AND (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = x.indrelid AND a.attnum = x.indkey[0]) <> 'org_id'
                    """)
        ).map { try $0.decode(String.self) }
        #expect(Set(unique) == Self.globalLookups)
    }

    /// docs/scaling.md names every exception the schema test allows, so the plan and the schema cannot drift apart.
    @Test func theScalingPlanNamesEveryException() throws {
        let plan = try String(
            contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("docs/scaling.md"), encoding: .utf8)
        for name in Self.withoutPrimaryKey.union(Self.referenceTables).union(Self.globalLookups) {
            #expect(plan.contains("`\(name)`"), "docs/scaling.md does not name \(name)")
        }
    }
}
