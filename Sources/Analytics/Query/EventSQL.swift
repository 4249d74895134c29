/// SQL fragments over the `events` table (alias `e`) that every report shares, so that the reports, the explorer and
/// the rollups agree on what a user, a project and a property value are.
enum EventSQL {
    /// `FROM events e LEFT JOIN person_distinct_ids pd …`: `pd.person_id` is the person after identity merges.
    static let fromEventsWithPersons: SQLText = """
        FROM events e LEFT JOIN person_distinct_ids pd
          ON pd.org_id = e.org_id AND pd.project_id = e.project_id AND pd.distinct_id = e.distinct_id
        """

    /// A user (docs/reports.md): the person after merges, or the distinct id itself when it was never merged.
    static let person: SQLText = "COALESCE(pd.person_id::text, e.distinct_id)"

    /// The same user as `person`, by one index lookup per event instead of a join: for a few events (the open
    /// hours of today), where a hash join would spend its time reading all of `person_distinct_ids`.
    static let personLookup: SQLText = """
        COALESCE((SELECT pd.person_id::text FROM person_distinct_ids pd
                  WHERE pd.org_id = e.org_id AND pd.project_id = e.project_id AND pd.distinct_id = e.distinct_id), e.distinct_id)
        """

    /// The rollup user number of user key `key` (in a query over a subselect `s` with org_id and project_id), or NULL.
    /// `s` must not be flattened into the outer query (DISTINCT or OFFSET 0): with `key` a plain column the lookup
    /// is an index scan under row-level security; as an expression holding a sub-select it is not leakproof and
    /// PostgreSQL would filter the whole table instead.
    static func userNumber(_ key: SQLText) -> SQLText {
        """
        (SELECT i.idx FROM rollup_person_index i WHERE i.org_id = s.org_id AND i.project_id = s.project_id AND i.person_key = \(key))
        """
    }

    /// The project condition (both keys, so partition pruning and RLS see the tenant).
    static func project(_ scope: ReportScope, _ builder: inout SQLBuilder) -> SQLText {
        "e.org_id = \(builder.bind(scope.org.rawValue)) AND e.project_id = \(builder.bind(scope.project.rawValue))"
    }

    /// `AND`-joined filter conditions (empty text when none), so every report applies property filters alike.
    static func filters(_ filters: [PropertyFilter], _ builder: inout SQLBuilder) -> SQLText {
        filters.map { " AND \($0.sql(on: $0.source == .person ? personProperties : "e.properties", &builder))" }.joined()
    }

    /// The properties of the event's person after merges (`{}` when its distinct id has none), one index lookup each.
    static let personProperties: SQLText = """
        COALESCE((SELECT p.properties FROM person_distinct_ids pd2
                  JOIN persons p ON p.org_id = pd2.org_id AND p.person_id = pd2.person_id
                  WHERE pd2.org_id = e.org_id AND pd2.project_id = e.project_id AND pd2.distinct_id = e.distinct_id), '{}'::jsonb)
        """

    /// Whether any of `filters` reads person properties: rollups keep event properties only, so such a report reads
    /// raw events.
    static func readsPersons(_ filters: [PropertyFilter]) -> Bool {
        filters.contains { $0.source == .person }
    }

    /// A numeric property's value, NULL unless it is a JSON number (so text that looks like a number never counts).
    static func number(_ key: String, _ builder: inout SQLBuilder) -> SQLText {
        let key = builder.bind(key)
        return "(CASE WHEN jsonb_typeof(e.properties -> \(key)) = 'number' THEN (e.properties ->> \(key))::float8 END)"
    }

    /// Microseconds since the epoch of a timestamptz expression: PostgreSQL's exact precision, for cursors and
    /// funnel timing that must not go through floating point seconds.
    static func micros(_ expression: SQLText) -> SQLText {
        "(extract(epoch FROM \(expression)) * 1000000)::int8"
    }
}
