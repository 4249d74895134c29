import Foundation
import Logging
import Models
import NIOCore
import PostgresNIO
import Storage

/// Builds the rollups of migrations/0008_rollups.sql and 0013: for every project, each local day that ended more
/// than `closeAfter` ago is rolled up once, in one short transaction after its dirty mark was cleared in another
/// (late events and merges then either are in the build or mark the day dirty again); dirty days are rebuilt. Writers
/// never wait for a build. Passes share the work fairly between tenants (`RollupBuilder+Passes.swift`). Runs as the
/// owner role.
public struct RollupBuilder: Sendable {
    /// Settings: when days count as closed, how much of a day's property values is kept, how much a pass builds.
    public struct Configuration: Sendable {
        /// How long after its end a day is rolled up.
        public var closeAfter: TimeInterval = 3_600
        /// The open day's prefix ends on a multiple of this (since 1970), at least two of them before now: it is
        /// rebuilt every ten minutes and reports read the 20-30 minutes after it raw. Events arriving later than
        /// that mark the day dirty (`EventWriter.lateEventSeconds` stays below twice this).
        public var prefixStep: TimeInterval = 600
        /// A property key with more distinct values than this on a day is not rolled up for that day.
        public var maxPropertyValues = 200
        /// A property key with more distinct values than this on a day is not kept as a column for that day
        /// (`rollup_columns`); reports that filter, break down or aggregate by it read that day raw.
        public var maxColumnValues = 50_000
        /// An event's (or all events') numeric values of one key on one day are kept sorted (`rollup_numbers`)
        /// when there are at most this many; beyond, numeric maths read that day's columns.
        public var maxNumberValues = 100_000
        /// The most days one project builds in one pass (`IV_ROLLUP_MAX_DAYS_PER_PROJECT`): a longer backlog is
        /// spread over later passes, so every other project gets its turn in between.
        public var maxDaysPerProject = 10
        /// The longest one statement of a day's build may run (its transaction's `statement_timeout`, default 10
        /// minutes; a day of 170,000 events builds in about 3 s). Past it PostgreSQL cancels the statement, the build
        /// fails like any other (the project is skipped in that pass, a dirty day stays dirty, reports read the day
        /// raw) and a later pass plans it again. It ends builds planned on statistics taken before a bulk load: at 10M
        /// prefilled events, one pass planned the day's person numbering while the partition was still loading and ran
        /// for more than 17 minutes, holding the project's builder lock (docs/rollups.md, "Fair passes").
        public var statementTimeout: Duration = .seconds(600)

        /// The defaults: days close an hour after they end; the open day's prefix moves every 10 minutes; 200 values per key and day; 10 days per project and pass.
        public init(maxDaysPerProject: Int = 10) {
            self.maxDaysPerProject = max(1, maxDaysPerProject)
        }
    }

    /// The database, as the owner role (the builder writes every project's rollups).
    let database: Database
    /// The settings.
    let configuration: Configuration

    /// Creates a builder; it does nothing until `refresh` or `refreshAll` is called.
    public init(database: Database, configuration: Configuration = .init()) {
        self.database = database
        self.configuration = configuration
    }

    /// What a build does to the project's rolled-up range `[built_from, built_through)` besides writing the day.
    enum Extend {
        /// Nothing: the day is rebuilt (a dirty day, the open day's prefix).
        case none
        /// The day is `built_through`: it moves past the day.
        case through
        /// The day is just before `built_from`: it moves down to the day.
        case from
    }

    /// Rolls up one local day in one transaction and extends the rolled-up range by it as `extend` says. With
    /// `through`, only the day's events before that instant (the open day's prefix). Returns false when there was
    /// nothing to do: another builder rolled the day up first, or the day no longer borders the range.
    @discardableResult
    func build(_ day: LocalDay, scope: ReportScope, extend: Extend, through cut: Date? = nil) async throws -> Bool {
        let (org, project) = (scope.org.rawValue, scope.project.rawValue)
        // First clear the day's dirty mark and commit: a later event or merge marks it again (see
        // iv_mark_rollup_days), so whatever the build's snapshot below misses leaves the day dirty.
        let wasDirty = try await database.withTenant(scope.org) { tx in
            try await !tx.query(
                """
                DELETE FROM rollup_dirty WHERE org_id = \(org) AND project_id = \(project) AND day = DATE '1970-01-01' + \(day.number)::int4
                RETURNING 1
                """
            ).collect().isEmpty
        }
        do {
            return try await write(day, scope: scope, extend: extend, through: cut, wasDirty: wasDirty)
        } catch {
            // The build did not happen: a day that was dirty must stay so, or its old rollups would answer again.
            if wasDirty {
                _ = try? await database.withTenant(scope.org) { tx in
                    try await tx.query(
                        """
                        INSERT INTO rollup_dirty (org_id, project_id, day)
                        VALUES (\(org), \(project), DATE '1970-01-01' + \(day.number)::int4) ON CONFLICT DO NOTHING
                        """)
                }
            }
            throw error
        }
    }

    /// The transaction of `build`, after the dirty mark (`wasDirty`) was cleared.
    private func write(_ day: LocalDay, scope: ReportScope, extend: Extend, through cut: Date?, wasDirty: Bool) async throws -> Bool {
        let zone = scope.timeZone.identifier
        let (org, project) = (scope.org.rawValue, scope.project.rawValue)
        let maxValues = configuration.maxPropertyValues
        let timeoutMilliseconds = String(max(1, configuration.statementTimeout.wholeMilliseconds))
        return try await database.withTenant(scope.org) { tx in
            try await tx.query("SELECT set_config('statement_timeout', \(timeoutMilliseconds), true)")
            // One builder per project at a time (several `serve` processes may run).
            let locked = try await tx.query(
                """
                SELECT built_from - DATE '1970-01-01', built_through - DATE '1970-01-01' FROM rollup_state
                WHERE org_id = \(org) AND project_id = \(project)
                FOR UPDATE
                """
            ).collect()
            guard let (from, through) = try locked.first?.decode((Int32?, Int32).self) else { return false }
            var extend = extend
            // Already in the range: another builder rolled the day up while we waited for the lock. Rebuild it only
            // if it changed since (its mark was just cleared); a day not next to the range waits for a later pass.
            let inRange = day.number < through && (from.map { $0 <= day.number } ?? true)
            switch extend {
            case .none: break
            case .through where inRange, .from where inRange:
                guard wasDirty else { return false }
                extend = .none
            case .through:
                guard day.number == through else { return false }
            case .from:
                guard let from, day.number == from - 1 else { return false }
            }
            for table in RollupTable.dayContents {
                var delete = SQLBuilder()
                delete.append(
                    """
                    DELETE FROM \(SQLText(trusted: table))
                    WHERE org_id = \(delete.bind(org)) AND project_id = \(delete.bind(project))
                      AND day = DATE '1970-01-01' + \(delete.bind(day.number))::int4
                    """)
                try await tx.query(delete.query)
            }
            // The day's events: `dayEvents` binds the project, the day, its zone and the cut once; each statement
            // over those events below starts from a copy of it.
            var dayEvents = SQLBuilder()
            let (orgID, projectID) = (dayEvents.bind(org), dayEvents.bind(project))
            let dayNumber = dayEvents.bind(day.number)
            let zoneName = dayEvents.bind(zone)
            let cutTime = dayEvents.bind(cut)
            let range: SQLText = """
                e.org_id = \(orgID) AND e.project_id = \(projectID)
                AND e."timestamp" >= ((DATE '1970-01-01' + \(dayNumber)::int4)::timestamp AT TIME ZONE \(zoneName))
                AND e."timestamp" < ((DATE '1970-01-01' + \(dayNumber)::int4 + 1)::timestamp AT TIME ZONE \(zoneName))
                AND (\(cutTime)::timestamptz IS NULL OR e."timestamp" < \(cutTime)::timestamptz)
                """
            // Number the users first seen today.
            var numbering = dayEvents
            numbering.append(
                """
                INSERT INTO rollup_person_index (org_id, project_id, person_key, idx)
                SELECT \(orgID), \(projectID), k, (SELECT COALESCE(max(idx) + 1, 0) FROM rollup_person_index
                                   WHERE org_id = \(orgID) AND project_id = \(projectID)) + row_number() OVER (ORDER BY k) - 1
                FROM (SELECT DISTINCT \(EventSQL.person) AS k \(EventSQL.fromEventsWithPersons) WHERE \(range)) s
                WHERE NOT EXISTS (SELECT 1 FROM rollup_person_index i
                                  WHERE i.org_id = \(orgID) AND i.project_id = \(projectID) AND i.person_key = s.k)
                """)
            try await tx.query(numbering.query)
            // Every event in (user, timestamp, uuid) order: the day's timeline, users and counts per event. The person
            // keys are computed first (a fenced CTE): joined in one level, a planner without statistics yet (a freshly
            // loaded partition) paired every event with every user before resolving persons, for seconds a day.
            var sets: [String: PersonSet] = ["": PersonSet()]
            var counts: [String: Int64] = ["": 0]
            var timeline = RollupTimeline()
            var columns = RollupColumns(maxValues: configuration.maxColumnValues)
            var timelineSQL = dayEvents
            timelineSQL.append(
                """
                WITH x AS MATERIALIZED (
                    SELECT e."timestamp", e.uuid, e.event, e.properties, \(EventSQL.person) AS k
                    \(EventSQL.fromEventsWithPersons) WHERE \(range)
                )
                SELECT i.idx, \(EventSQL.micros("x.\"timestamp\"")), x.event, x.properties::text FROM x
                JOIN rollup_person_index i ON i.org_id = \(orgID) AND i.project_id = \(projectID) AND i.person_key = x.k
                ORDER BY i.idx, x."timestamp", x.uuid
                """)
            let events = try await tx.query(timelineSQL.query)
            for try await (index, micros, event, properties) in events.decode((Int32, Int64, String, String).self) {
                sets[event, default: PersonSet()].insert(Int(index))
                sets[""]!.insert(Int(index))
                counts[event, default: 0] += 1
                counts[""]! += 1
                timeline.append(user: index, micros: micros, event: event)
                columns.append(properties: properties)
            }
            guard counts[""]! > 0 || cut != nil else {
                try await Self.extend(tx, org, project, day, extend)
                return true
            }
            // Property values per event and for every event (''), for keys with few values that day.
            var overflow: [String: [String]] = [:]
            var propertyEvents: [String] = []
            var propertyKeys: [String] = []
            var propertyValues: [String?] = []
            var propertyCounts: [Int64] = []
            var valuesSQL = dayEvents
            let most = valuesSQL.bind(Int64(maxValues))
            valuesSQL.append(
                """
                WITH counted AS (
                  SELECT COALESCE(e.event, '') AS event, k.key, e.properties ->> k.key AS value, count(*) AS n,
                         count(*) OVER (PARTITION BY grouping(e.event), e.event, k.key) AS cardinality
                  FROM events e, jsonb_object_keys(e.properties) k(key)
                  WHERE \(range)
                  GROUP BY GROUPING SETS ((e.event, k.key, e.properties ->> k.key), (k.key, e.properties ->> k.key)))
                SELECT event, key, value, n, cardinality > \(most) FROM counted
                WHERE cardinality <= \(most)
                UNION ALL
                SELECT DISTINCT event, key, NULL, 0, true FROM counted WHERE cardinality > \(most)
                """)
            let values = try await tx.query(valuesSQL.query)
            for try await (event, key, value, count, overflowed) in values.decode((String, String, String?, Int64, Bool).self) {
                if overflowed {
                    overflow[event, default: []].append(key)
                } else {
                    propertyEvents.append(event)
                    propertyKeys.append(key)
                    propertyValues.append(value)
                    propertyCounts.append(count)
                }
            }
            // One statement for all of the day's event names (a day may have very many).
            let dayNames = Array(sets.keys)
            let overflowPairs = overflow.flatMap { event, keys in keys.map { (event, $0) } }
            try await tx.query(
                """
                INSERT INTO rollup_days (org_id, project_id, day, event, events, persons, person_bits, overflow_keys, through)
                SELECT \(org), \(project), DATE '1970-01-01' + \(day.number)::int4, x.ev, x.n, x.p, x.bits,
                       COALESCE(o.keys, '{}'), \(cut)::timestamptz
                FROM unnest(\(dayNames)::text[], \(dayNames.map { counts[$0] ?? 0 })::int8[],
                            \(dayNames.map { Int32(sets[$0]!.count) })::int4[], \(dayNames.map { sets[$0]!.storedBits })::bytea[])
                     AS x(ev, n, p, bits)
                LEFT JOIN (SELECT ev, array_agg(k ORDER BY i) AS keys
                           FROM unnest(\(overflowPairs.map { $0.0 })::text[], \(overflowPairs.map { $0.1 })::text[]) WITH ORDINALITY AS y(ev, k, i)
                           GROUP BY ev) o ON o.ev = x.ev
                """)
            let rare = timeline.rareEvents(counts: counts, total: counts[""]!)
            try await tx.query(
                """
                INSERT INTO rollup_timelines (org_id, project_id, day, events, data, code_bytes, through, column_overflow, rare_events)
                VALUES (\(org), \(project), DATE '1970-01-01' + \(day.number)::int4, \(timeline.names), \(timeline.data),
                        \(Int16(timeline.codeBytes)), \(cut), \(columns.overflow.sorted()), \(rare.map(\.name)))
                """)
            if !rare.isEmpty {
                try await tx.query(
                    """
                    INSERT INTO rollup_event_timelines (org_id, project_id, day, event, data)
                    SELECT \(org), \(project), DATE '1970-01-01' + \(day.number)::int4, x.event, x.data
                    FROM unnest(\(rare.map(\.name))::text[], \(rare.map(\.data))::bytea[]) AS x(event, data)
                    """)
                let gathered = rare.flatMap { event in columns.gathered(at: event.positions).map { (event: event.name, column: $0) } }
                if !gathered.isEmpty {
                    try await tx.query(
                        """
                        INSERT INTO rollup_event_columns (org_id, project_id, day, event, key, codes, code_bytes)
                        SELECT \(org), \(project), DATE '1970-01-01' + \(day.number)::int4, x.event, x.key, x.codes, x.code_bytes
                        FROM unnest(\(gathered.map(\.event))::text[], \(gathered.map(\.column.key))::text[],
                                    \(gathered.map(\.column.codes))::bytea[], \(gathered.map(\.column.codeBytes))::int2[])
                             AS x(event, key, codes, code_bytes)
                        """)
                }
            }
            for column in columns.packed() {
                try await tx.query(
                    """
                    INSERT INTO rollup_columns (org_id, project_id, day, key, dict, codes, code_bytes)
                    VALUES (\(org), \(project), DATE '1970-01-01' + \(day.number)::int4, \(column.key), \(column.dict), \(column.codes),
                            \(column.codeBytes))
                    """)
            }
            if !propertyEvents.isEmpty {
                try await tx.query(
                    """
                    INSERT INTO rollup_property_days (org_id, project_id, day, event, key, value, events, through)
                    SELECT \(org), \(project), DATE '1970-01-01' + \(day.number)::int4, ev, k, CASE WHEN is_null THEN NULL ELSE v END, n,
                           \(cut)::timestamptz
                    FROM unnest(\(propertyEvents)::text[], \(propertyKeys)::text[], \(propertyValues.map { $0 ?? "" })::text[],
                                \(propertyValues.map { $0 == nil })::bool[], \(propertyCounts)::int8[]) AS x(ev, k, v, is_null, n)
                    """)
            }
            // Numeric values per event and for every event (''), sorted; NULL beyond the bound.
            var numbersSQL = dayEvents
            let mostNumbers = numbersSQL.bind(Int64(configuration.maxNumberValues))
            numbersSQL.append(
                """
                INSERT INTO rollup_numbers (org_id, project_id, day, event, key, vals)
                SELECT \(orgID), \(projectID), DATE '1970-01-01' + \(dayNumber)::int4, COALESCE(event, ''), key,
                       CASE WHEN count(*) <= \(mostNumbers) THEN array_agg(v ORDER BY v) END
                FROM (SELECT e.event, k.key, (k.value #>> '{}')::float8 AS v
                      FROM events e, jsonb_each(e.properties) k(key, value)
                      WHERE \(range) AND jsonb_typeof(k.value) = 'number') s
                GROUP BY GROUPING SETS ((event, key), (key))
                """)
            try await tx.query(numbersSQL.query)
            try await Self.extend(tx, org, project, day, extend)
            return true
        }
    }

    /// Adds `day` to the project's rolled-up range: `built_through` moves past it, or `built_from` down to it (the
    /// caller holds the state row's lock and checked that the day borders the range).
    static func extend(_ tx: TenantConnection, _ org: UUID, _ project: UUID, _ day: LocalDay, _ extend: Extend) async throws {
        switch extend {
        case .none:
            return
        case .through:
            try await tx.query(
                """
                UPDATE rollup_state SET built_through = DATE '1970-01-01' + \(day.number + 1)::int4, updated_at = now()
                WHERE org_id = \(org) AND project_id = \(project) AND built_through = DATE '1970-01-01' + \(day.number)::int4
                """)
        case .from:
            try await tx.query(
                """
                UPDATE rollup_state SET built_from = DATE '1970-01-01' + \(day.number)::int4, updated_at = now()
                WHERE org_id = \(org) AND project_id = \(project) AND built_from = DATE '1970-01-01' + \(day.number + 1)::int4
                """)
        }
    }
}

/// The per-day rollup tables that a change of the project's time zone clears (the days were cut in the old zone;
/// `rollup_person_index` stays: user numbers do not depend on the zone). Table names cannot be bind parameters, so
/// the reset writes them into its statements with `SQLText(trusted:)`: that is safe because this closed enum is the
/// only source of those names and every one is written here, in the source.
enum RollupTable: String, CaseIterable {
    /// Users and event counts per day and event name.
    case days = "rollup_days"
    /// Event counts per day, event name, property key and value.
    case propertyDays = "rollup_property_days"
    /// Each day's events per user, for funnels.
    case timelines = "rollup_timelines"
    /// The property codes of each day's rare events.
    case eventColumns = "rollup_event_columns"
    /// Each day's rare events apart, next to the timelines.
    case eventTimelines = "rollup_event_timelines"
    /// Each day's property values per event, next to the timelines.
    case columns = "rollup_columns"
    /// Each day's numeric values per event and key, sorted.
    case numbers = "rollup_numbers"
    /// Days changed after they were rolled up.
    case dirty = "rollup_dirty"
    /// How far the project's days are rolled up, and in which zone.
    case state = "rollup_state"

    /// The tables that hold a day's rollup: all of the day's rows are replaced when it is built again.
    static let dayContents: [RollupTable] = [.days, .propertyDays, .timelines, .eventColumns, .eventTimelines, .columns, .numbers]
}
