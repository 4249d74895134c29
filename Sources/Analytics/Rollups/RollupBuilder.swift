import Foundation
import Logging
import Models
import NIOCore
import PostgresNIO
import Storage

/// Builds the rollups of migrations/0008_rollups.sql: for every project, each local day that ended more than
/// `closeAfter` ago is rolled up once, in one short transaction after its dirty mark was cleared in another (late
/// events and merges then either are in the build or mark the day dirty again); dirty days are rebuilt. Writers
/// never wait for a build. Runs as the owner role.
public struct RollupBuilder: Sendable {
    /// Settings: when days count as closed and how much of a day's property values is kept.
    public struct Configuration: Sendable {
        /// How long after its end a day is rolled up.
        public var closeAfter: TimeInterval = 3_600
        /// A property key with more distinct values than this on a day is not rolled up for that day.
        public var maxPropertyValues = 200

        /// The defaults: days close an hour after they end; 200 values per key and day.
        public init() {}
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

    /// Brings every project's rollups up to date; returns how many days were built. Stops between days when the task
    /// is cancelled (`CancellationError`).
    @discardableResult
    public func refreshAll(now: Date = Date()) async throws -> Int {
        let rows = try await database.client.query(
            "SELECT org_id, project_id, timezone FROM projects ORDER BY org_id, project_id", logger: database.logger
        ).collect()
        var built = 0
        for row in rows {
            let (org, project, timezone) = try row.decode((UUID, UUID, String).self)
            built += try await refresh(ReportScope(org: Org.ID(org), project: Project.ID(project), timezone: timezone), now: now)
        }
        return built
    }

    /// Brings one project's rollups up to date; returns how many days were built.
    @discardableResult
    public func refresh(_ scope: ReportScope, now: Date = Date()) async throws -> Int {
        let zone = scope.timeZone.identifier
        let calendar = Interval.calendar(scope.timeZone)
        // The first day not closed yet: days before it ended at least `closeAfter` ago.
        let open = LocalDay(now.addingTimeInterval(-configuration.closeAfter), calendar)
        let start: Int32? = try await database.withTenant(scope.org) { tx in
            let state = try await tx.query(
                """
                SELECT timezone, built_through - DATE '1970-01-01' FROM rollup_state
                WHERE org_id = \(scope.org.rawValue) AND project_id = \(scope.project.rawValue)
                """
            ).collect()
            if let row = state.first {
                let (timezone, through) = try row.decode((String, Int32).self)
                if timezone == zone { return through }
                // The project's time zone changed: the days were cut differently; start again.
                for table in RollupTable.allCases {
                    var delete = SQLBuilder()
                    delete.append(
                        """
                        DELETE FROM \(SQLText(trusted: table))
                        WHERE org_id = \(delete.bind(scope.org.rawValue)) AND project_id = \(delete.bind(scope.project.rawValue))
                        """)
                    try await tx.query(delete.query)
                }
            }
            let first = try await tx.query(
                """
                SELECT (min(e."timestamp") AT TIME ZONE \(zone))::date - DATE '1970-01-01' FROM events e
                WHERE e.org_id = \(scope.org.rawValue) AND e.project_id = \(scope.project.rawValue)
                """
            ).collect()
            guard let day = try first[0].decode(Int32?.self) else { return nil }
            try await tx.query(
                """
                INSERT INTO rollup_state (org_id, project_id, timezone, built_through)
                VALUES (\(scope.org.rawValue), \(scope.project.rawValue), \(zone), DATE '1970-01-01' + \(day)::int4)
                ON CONFLICT DO NOTHING
                """)
            return day
        }
        guard var day = start else { return 0 }
        var built = 0
        while day < open.number {
            try Task.checkCancellation()
            try await build(LocalDay(number: day), scope: scope, advance: true)
            day += 1
            built += 1
        }
        let dirty = try await database.withTenant(scope.org) { tx in
            try await tx.query(
                """
                SELECT d.day - DATE '1970-01-01' FROM rollup_dirty d JOIN rollup_state s USING (org_id, project_id)
                WHERE d.org_id = \(scope.org.rawValue) AND d.project_id = \(scope.project.rawValue) AND d.day < s.built_through
                ORDER BY d.day
                """
            ).collect().map { try $0.decode(Int32.self) }
        }
        for day in dirty {
            try Task.checkCancellation()
            try await build(LocalDay(number: day), scope: scope, advance: false)
            built += 1
        }
        // The open day's prefix: its events before the start of the hour that began an hour ago, rebuilt when that
        // hour moves on or the day is dirty. Events older than that arrive at least an hour late and mark the day.
        let cut = Interval.hour.bucketStart(of: now.addingTimeInterval(-3_600), in: scope.timeZone)
        let openStart = Interval.day.bucketStart(of: now.addingTimeInterval(-configuration.closeAfter), in: scope.timeZone)
        if cut > openStart {
            let current = try await database.withTenant(scope.org) { tx in
                try await tx.query(
                    """
                    SELECT (SELECT through FROM rollup_days WHERE org_id = s.org_id AND project_id = s.project_id
                              AND day = s.built_through AND event = ''),
                           EXISTS (SELECT 1 FROM rollup_dirty WHERE org_id = s.org_id AND project_id = s.project_id
                                     AND day = s.built_through),
                           s.built_through - DATE '1970-01-01'
                    FROM rollup_state s WHERE s.org_id = \(scope.org.rawValue) AND s.project_id = \(scope.project.rawValue)
                    """
                ).collect().first.map { try $0.decode((Date?, Bool, Int32).self) }
            }
            if let (through, dirty, day) = current, day == open.number, dirty || through != cut {
                try await build(open, scope: scope, advance: false, through: cut)
                built += 1
            }
        }
        return built
    }

    /// Rolls up one local day in one transaction; `advance` moves `built_through` past it. With `through`, only the
    /// day's events before that instant (the open day's prefix).
    func build(_ day: LocalDay, scope: ReportScope, advance: Bool, through cut: Date? = nil) async throws {
        let zone = scope.timeZone.identifier
        let (org, project) = (scope.org.rawValue, scope.project.rawValue)
        let maxValues = configuration.maxPropertyValues
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
        try await database.withTenant(scope.org) { tx in
            // One builder per project at a time (several `serve` processes may run).
            let locked = try await tx.query(
                """
                SELECT built_through - DATE '1970-01-01' FROM rollup_state WHERE org_id = \(org) AND project_id = \(project)
                FOR UPDATE
                """
            ).collect()
            guard let through = try locked.first?.decode(Int32.self) else { return }
            // Another builder already rolled this day up while we waited for the lock (and nothing changed since).
            if advance && through > day.number && !wasDirty { return }
            try await tx.query(
                "DELETE FROM rollup_days WHERE org_id = \(org) AND project_id = \(project) AND day = DATE '1970-01-01' + \(day.number)::int4"
            )
            try await tx.query(
                """
                DELETE FROM rollup_property_days
                WHERE org_id = \(org) AND project_id = \(project) AND day = DATE '1970-01-01' + \(day.number)::int4
                """)
            try await tx.query(
                "DELETE FROM rollup_timelines WHERE org_id = \(org) AND project_id = \(project) AND day = DATE '1970-01-01' + \(day.number)::int4"
            )
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
            // Every event in (user, timestamp, uuid) order: the day's timeline, users and counts per event.
            var sets: [String: PersonSet] = ["": PersonSet()]
            var counts: [String: Int64] = ["": 0]
            var names: [String: UInt16] = [:]
            var timeline = ByteBuffer()
            var timelineSQL = dayEvents
            timelineSQL.append(
                """
                SELECT i.idx, \(EventSQL.micros("e.\"timestamp\"")), e.event \(EventSQL.fromEventsWithPersons)
                JOIN rollup_person_index i ON i.org_id = e.org_id AND i.project_id = e.project_id
                  AND i.person_key = \(EventSQL.person)
                WHERE \(range) ORDER BY i.idx, e."timestamp", e.uuid
                """)
            let events = try await tx.query(timelineSQL.query)
            for try await (index, micros, event) in events.decode((Int32, Int64, String).self) {
                sets[event, default: PersonSet()].insert(Int(index))
                sets[""]!.insert(Int(index))
                counts[event, default: 0] += 1
                counts[""]! += 1
                let code: UInt16
                if let known = names[event] {
                    code = known
                } else {
                    code = UInt16(truncatingIfNeeded: names.count)
                    names[event] = code
                }
                timeline.writeInteger(index, endianness: .little)
                timeline.writeInteger(micros, endianness: .little)
                timeline.writeInteger(code, endianness: .little)
            }
            guard counts[""]! > 0 || cut != nil else {
                if advance { try await Self.advance(tx, org, project, day) }
                return
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
            for (event, set) in sets {
                try await tx.query(
                    """
                    INSERT INTO rollup_days (org_id, project_id, day, event, events, persons, person_bits, overflow_keys, through)
                    VALUES (\(org), \(project), DATE '1970-01-01' + \(day.number)::int4, \(event), \(counts[event] ?? 0),
                            \(Int32(set.count)), \(set.storedBits), \(overflow[event] ?? []), \(cut))
                    """)
            }
            let dictionary = names.sorted { $0.value < $1.value }.map(\.key)
            try await tx.query(
                """
                INSERT INTO rollup_timelines (org_id, project_id, day, events, data, through)
                VALUES (\(org), \(project), DATE '1970-01-01' + \(day.number)::int4, \(dictionary), \(timeline), \(cut))
                """)
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
            if advance { try await Self.advance(tx, org, project, day) }
        }
    }

    /// Moves the project's `built_through` past `day`, unless another builder already moved it further.
    static func advance(_ tx: TenantConnection, _ org: UUID, _ project: UUID, _ day: LocalDay) async throws {
        try await tx.query(
            """
            UPDATE rollup_state SET built_through = DATE '1970-01-01' + \(day.number + 1)::int4, updated_at = now()
            WHERE org_id = \(org) AND project_id = \(project) AND built_through <= DATE '1970-01-01' + \(day.number)::int4
            """)
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
    /// Days changed after they were rolled up.
    case dirty = "rollup_dirty"
    /// How far the project's days are rolled up, and in which zone.
    case state = "rollup_state"
}
