import Foundation
import Models
import PostgresNIO
import Storage

/// Someone behind a project's events: a person after identity merges, or a distinct id that was never merged.
public struct PersonRecord: Sendable, Equatable {
    /// The person's id after merges, as text; the distinct id itself when it was never merged.
    public var id: String
    /// Every distinct id of the person (just the one when never merged), sorted.
    public var distinctIDs: [String]
    /// The person's properties as JSON text (`{}` when none were set).
    public var propertiesJSON: String
    /// The newest event's timestamp, when it has events.
    public var lastSeen: Date?
}

/// Finding persons: the most recently seen, or those whose distinct id or properties contain a text; one person by
/// a distinct id. Every query runs in the project's tenant transaction.
public enum PersonDirectory {
    /// How many of a project's newest events the unfiltered list looks at for the most recently seen persons.
    public static let recentSample = 10_000
    /// Longest search text.
    public static let maxSearchLength = 200

    /// Persons most recently seen first: without `search`, those behind the newest `recentSample` events; with it,
    /// those with a distinct id or a property value containing it (case-insensitive).
    public static func search(_ search: String?, limit: Int, scope: ReportScope, on tx: TenantConnection) async throws
        -> [PersonRecord]
    {
        guard (1...EventExplorer.maxPageSize).contains(limit) else {
            throw ServiceError.badInput("limit must be 1 to \(EventExplorer.maxPageSize)")
        }
        let text = search?.trimmingCharacters(in: .whitespaces) ?? ""
        guard text.count <= maxSearchLength else { throw ServiceError.badInput("search is longer than \(maxSearchLength)") }
        var b = SQLBuilder()
        let project = EventSQL.project(scope, &b)
        if text.isEmpty {
            b.append(
                """
                SELECT \(EventSQL.person) AS who, max(e."timestamp") AS last_seen
                FROM (SELECT e.org_id, e.project_id, e.distinct_id, e."timestamp" FROM events e WHERE \(project)
                      ORDER BY e."timestamp" DESC LIMIT \(b.bind(recentSample))) e
                LEFT JOIN person_distinct_ids pd
                  ON pd.org_id = e.org_id AND pd.project_id = e.project_id AND pd.distinct_id = e.distinct_id
                GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT \(b.bind(limit))
                """)
        } else {
            let needle = b.bind(text.lowercased())
            b.append(
                """
                SELECT who, max(last_seen) AS last_seen FROM (
                  SELECT COALESCE(pd.person_id::text, d.distinct_id) AS who, d.last_seen
                  FROM (SELECT e.org_id, e.project_id, e.distinct_id, max(e."timestamp") AS last_seen FROM events e
                        WHERE \(project) AND strpos(lower(e.distinct_id), \(needle)) > 0
                        GROUP BY e.org_id, e.project_id, e.distinct_id) d
                  LEFT JOIN person_distinct_ids pd
                    ON pd.org_id = d.org_id AND pd.project_id = d.project_id AND pd.distinct_id = d.distinct_id
                  UNION ALL
                  SELECT p.person_id::text, NULL FROM persons p
                  WHERE p.org_id = \(b.bind(scope.org.rawValue)) AND p.project_id = \(b.bind(scope.project.rawValue))
                    AND strpos(lower(p.properties::text), \(needle)) > 0
                ) found GROUP BY who ORDER BY 2 DESC NULLS LAST, 1 LIMIT \(b.bind(limit))
                """)
        }
        var found: [(String, Date?)] = []
        for try await row in try await tx.query(b.query).decode((String, Date?).self) { found.append(row) }
        // The last-seen of a person found by a property comes from `details`: newest first again.
        return try await details(found, scope: scope, on: tx).enumerated()
            .sorted { ($0.element.lastSeen ?? .distantPast, -$0.offset) > ($1.element.lastSeen ?? .distantPast, -$1.offset) }
            .map(\.element)
    }

    /// The person a distinct id belongs to (after merges), or nil when no event or merge names it.
    public static func person(distinctID: String, scope: ReportScope, on tx: TenantConnection) async throws -> PersonRecord? {
        var b = SQLBuilder()
        let project = EventSQL.project(scope, &b)
        let id = b.bind(distinctID)
        b.append(
            """
            SELECT COALESCE((SELECT pd.person_id::text FROM person_distinct_ids pd
                             WHERE pd.org_id = \(b.bind(scope.org.rawValue)) AND pd.project_id = \(b.bind(scope.project.rawValue))
                               AND pd.distinct_id = \(id)),
                            (SELECT e.distinct_id FROM events e WHERE \(project) AND e.distinct_id = \(id) LIMIT 1))
            """)
        let rows = try await tx.query(b.query).collect()
        guard let who = try rows.first?.decode(String?.self) else { return nil }
        return try await details([(who, nil)], scope: scope, on: tx).first
    }

    /// The distinct ids, properties and last event of each `who` (a person id or an unmerged distinct id).
    static func details(_ found: [(String, Date?)], scope: ReportScope, on tx: TenantConnection) async throws -> [PersonRecord] {
        guard !found.isEmpty else { return [] }
        var b = SQLBuilder()
        let whos = b.bind(found.map(\.0))
        let project = EventSQL.project(scope, &b)
        b.append(
            """
            SELECT w.who, COALESCE(p.properties::text, '{}'), ids.ids,
                   (SELECT max(e."timestamp") FROM events e WHERE \(project) AND e.distinct_id = ANY(ids.ids))
            FROM unnest(\(whos)::text[]) WITH ORDINALITY AS w(who, n)
            LEFT JOIN persons p ON p.org_id = \(b.bind(scope.org.rawValue)) AND p.project_id = \(b.bind(scope.project.rawValue))
              AND p.person_id::text = w.who
            CROSS JOIN LATERAL (
              SELECT COALESCE((SELECT array_agg(pd.distinct_id ORDER BY pd.distinct_id) FROM person_distinct_ids pd
                               WHERE pd.org_id = p.org_id AND pd.project_id = p.project_id AND pd.person_id = p.person_id),
                              ARRAY[w.who]) AS ids) ids
            ORDER BY w.n
            """)
        var records: [PersonRecord] = []
        for try await (who, properties, ids, lastSeen) in try await tx.query(b.query).decode((String, String, [String], Date?).self) {
            records.append(PersonRecord(id: who, distinctIDs: ids, propertiesJSON: properties, lastSeen: lastSeen))
        }
        return records
    }

    /// Property keys of up to `recentSample` of the project's persons (the most recently changed), most frequent
    /// first: what person-property filters can name.
    public static func propertyKeys(limit: Int, scope: ReportScope, on tx: TenantConnection) async throws -> [String] {
        guard (1...EventExplorer.maxPageSize).contains(limit) else {
            throw ServiceError.badInput("limit must be 1 to \(EventExplorer.maxPageSize)")
        }
        var b = SQLBuilder()
        b.append(
            """
            SELECT key FROM (SELECT p.properties FROM persons p
                             WHERE p.org_id = \(b.bind(scope.org.rawValue)) AND p.project_id = \(b.bind(scope.project.rawValue))
                             ORDER BY p.updated_at DESC LIMIT \(b.bind(recentSample))) recent, jsonb_object_keys(recent.properties) key
            GROUP BY key ORDER BY count(*) DESC, key COLLATE "C" LIMIT \(b.bind(limit))
            """)
        return try await tx.query(b.query).collect().map { try $0.decode(String.self) }
    }
}
