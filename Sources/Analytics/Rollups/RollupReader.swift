import Foundation
import Models
import NIOCore
import PostgresNIO
import Storage

/// Reads per-day user sets and counts for reports: from the rollups for closed, clean days, from raw events for
/// the others (open days, dirty days, days before the rollups start), so the answer is exact either way.
struct RollupReader {
    /// The project.
    let scope: ReportScope
    /// The report's tenant transaction (one snapshot for rollups and raw events).
    let tx: TenantConnection
    /// The project's calendar (its time zone, Monday weeks).
    let calendar: Calendar
    /// Days before this are rolled up (unless dirty); nil without usable rollups.
    let builtThrough: LocalDay?
    /// Days before this are not rolled up (yet): the project's history is built backwards; nil: no such bound.
    let builtFrom: LocalDay?
    /// Rolled-up days that changed since: read raw.
    let dirty: Set<LocalDay>
    /// The local day retention cuts into; it and older days are read raw.
    let retentionHorizon: LocalDay?
    /// The open day (`builtThrough`) rolled up before this instant, when clean.
    let prefixThrough: Date?

    /// Loads the project's rollup state (nil rollups when none exist or they were cut in another time zone).
    static func load(_ scope: ReportScope, _ tx: TenantConnection) async throws -> RollupReader {
        let (org, project) = (scope.org.rawValue, scope.project.rawValue)
        // Days at or before the retention horizon (events deleted by retention) are always read raw.
        let state = try await tx.query(
            """
            SELECT s.timezone, s.built_through - DATE '1970-01-01', s.built_from - DATE '1970-01-01',
                   ((now() - make_interval(days => p.retention_days)) AT TIME ZONE p.timezone)::date - DATE '1970-01-01',
                   (SELECT through FROM rollup_days d WHERE d.org_id = s.org_id AND d.project_id = s.project_id
                      AND d.day = s.built_through AND d.event = '')
            FROM rollup_state s JOIN projects p USING (org_id, project_id)
            WHERE s.org_id = \(org) AND s.project_id = \(project)
            """
        ).collect()
        var through: LocalDay?
        var from: LocalDay?
        var dirty: Set<LocalDay> = []
        var horizon: LocalDay?
        var prefix: Date?
        if let row = state.first {
            let (timezone, day, first, retained, prefixEnd) = try row.decode((String, Int32, Int32?, Int32?, Date?).self)
            horizon = retained.map { LocalDay(number: $0) }
            prefix = prefixEnd
            if timezone == scope.timeZone.identifier {
                through = LocalDay(number: day)
                from = first.map { LocalDay(number: $0) }
                let rows = try await tx.query(
                    "SELECT day - DATE '1970-01-01' FROM rollup_dirty WHERE org_id = \(org) AND project_id = \(project)"
                ).collect()
                dirty = Set(try rows.map { LocalDay(number: try $0.decode(Int32.self)) })
            }
        }
        return RollupReader(
            scope: scope, tx: tx, calendar: Interval.calendar(scope.timeZone), builtThrough: through, builtFrom: from, dirty: dirty,
            retentionHorizon: horizon,
            prefixThrough: through.flatMap { through in
                guard let prefix, !dirty.contains(through), horizon.map({ through > $0 }) ?? true else { return nil }
                return prefix
            })
    }

    /// The open day whose prefix is rolled up, and the instant it ends.
    var prefix: (day: LocalDay, through: Date)? {
        guard let builtThrough, let prefixThrough else { return nil }
        return (builtThrough, prefixThrough)
    }

    /// Whether `day` can be read from the rollups.
    func isRolledUp(_ day: LocalDay) -> Bool {
        guard let builtThrough else { return false }
        if let retentionHorizon, day <= retentionHorizon { return false }
        if let builtFrom, day < builtFrom { return false }
        return day < builtThrough && !dirty.contains(day)
    }

    /// The local days of `[from, to)`, which must start and end at local midnights.
    func days(from: Date, to: Date) -> [LocalDay] {
        Interval.day.buckets(from: from, to: to, in: scope.timeZone).map { LocalDay($0, calendar) }
    }

    /// Whether `date` is a local midnight.
    func isMidnight(_ date: Date) -> Bool { Interval.day.bucketStart(of: date, in: scope.timeZone) == date }

    /// The users of `event` (nil: any event) on each of `days`.
    func userSets(event: String?, days: [LocalDay]) async throws -> [LocalDay: PersonSet] {
        var result: [LocalDay: PersonSet] = [:]
        for day in days { result[day] = PersonSet() }
        let (rolled, raw) = split(days)
        if !rolled.isEmpty {
            let rows = try await tx.query(
                """
                SELECT day - DATE '1970-01-01', person_bits FROM rollup_days
                WHERE org_id = \(scope.org.rawValue) AND project_id = \(scope.project.rawValue) AND event = \(event ?? "")
                  AND day BETWEEN DATE '1970-01-01' + \(rolled.first!.number)::int4 AND DATE '1970-01-01' + \(rolled.last!.number)::int4
                """)
            let wanted = Set(rolled)
            for try await (number, bits) in rows.decode((Int32, ByteBuffer).self) where wanted.contains(LocalDay(number: number)) {
                result[LocalDay(number: number)] = PersonSet(stored: bits)
            }
        }
        guard !raw.isEmpty else { return result }
        var b = SQLBuilder()
        let conditions = rawConditions(event: event, days: raw, &b)
        if isSmall(raw) {
            b.append(
                """
                SELECT d, \(EventSQL.userNumber("s.k")) AS n, k FROM (
                  SELECT DISTINCT \(localDay(&b)) AS d, \(EventSQL.personLookup) AS k, e.org_id, e.project_id
                  FROM events e WHERE \(conditions)) s
                """)
        } else {
            b.append(
                """
                SELECT DISTINCT \(localDay(&b)), i.idx, CASE WHEN i.idx IS NULL THEN \(EventSQL.person) END
                \(EventSQL.fromEventsWithPersons)
                LEFT JOIN rollup_person_index i ON i.org_id = e.org_id AND i.project_id = e.project_id AND i.person_key = \(EventSQL.person)
                WHERE \(conditions)
                """)
        }
        for try await (number, index, key) in try await tx.query(b.query).decode((Int32, Int32?, String?).self) {
            let day = LocalDay(number: number)
            if let index {
                result[day, default: PersonSet()].insert(Int(index))
            } else if let key {
                result[day, default: PersonSet()].extra.insert(key)
            }
        }
        return result
    }

    /// Event counts of `event` (nil: any) on each of `days`.
    func eventCounts(event: String?, days: [LocalDay]) async throws -> [LocalDay: Int64] {
        var result: [LocalDay: Int64] = [:]
        for day in days { result[day] = 0 }
        let (rolled, raw) = split(days)
        if !rolled.isEmpty {
            let rows = try await tx.query(
                """
                SELECT day - DATE '1970-01-01', events FROM rollup_days
                WHERE org_id = \(scope.org.rawValue) AND project_id = \(scope.project.rawValue) AND event = \(event ?? "")
                  AND day BETWEEN DATE '1970-01-01' + \(rolled.first!.number)::int4 AND DATE '1970-01-01' + \(rolled.last!.number)::int4
                """)
            let wanted = Set(rolled)
            for try await (number, count) in rows.decode((Int32, Int64).self) where wanted.contains(LocalDay(number: number)) {
                result[LocalDay(number: number)] = count
            }
        }
        guard !raw.isEmpty else { return result }
        var b = SQLBuilder()
        let conditions = rawConditions(event: event, days: raw, &b)
        b.append("SELECT \(localDay(&b)) AS d, count(*) FROM events e WHERE \(conditions) GROUP BY d")
        for try await (number, count) in try await tx.query(b.query).decode((Int32, Int64).self) {
            result[LocalDay(number: number), default: 0] += count
        }
        return result
    }

    /// Event counts of `event` by the text value of property `key` (nil value: missing or JSON null) on each of
    /// `days`; nil when a rolled-up day did not keep that key (too many values).
    func valueCounts(event: String?, key: String, days: [LocalDay]) async throws -> [LocalDay: [String?: Int64]]? {
        var result: [LocalDay: [String?: Int64]] = [:]
        for day in days { result[day] = [:] }
        let (rolled, raw) = split(days)
        if !rolled.isEmpty {
            let (org, project) = (scope.org.rawValue, scope.project.rawValue)
            let (low, high) = (rolled.first!.number, rolled.last!.number)
            let wanted = Set(rolled)
            let totals = try await tx.query(
                """
                SELECT day - DATE '1970-01-01', events, \(key) = ANY(overflow_keys) FROM rollup_days
                WHERE org_id = \(org) AND project_id = \(project) AND event = \(event ?? "")
                  AND day BETWEEN DATE '1970-01-01' + \(low)::int4 AND DATE '1970-01-01' + \(high)::int4
                """)
            var missing: [LocalDay: Int64] = [:]
            for try await (number, events, overflowed) in totals.decode((Int32, Int64, Bool).self) {
                let day = LocalDay(number: number)
                guard wanted.contains(day) else { continue }
                if overflowed { return nil }
                missing[day] = events
            }
            let rows = try await tx.query(
                """
                SELECT day - DATE '1970-01-01', value, events FROM rollup_property_days
                WHERE org_id = \(org) AND project_id = \(project) AND key = \(key) AND event = \(event ?? "")
                  AND day BETWEEN DATE '1970-01-01' + \(low)::int4 AND DATE '1970-01-01' + \(high)::int4
                """)
            for try await (number, value, count) in rows.decode((Int32, String?, Int64).self) {
                let day = LocalDay(number: number)
                guard wanted.contains(day) else { continue }
                result[day]![value, default: 0] += count
                missing[day]! -= count
            }
            for (day, count) in missing where count > 0 { result[day]![nil, default: 0] += count }
        }
        guard !raw.isEmpty else { return result }
        var b = SQLBuilder()
        let conditions = rawConditions(event: event, days: raw, &b)
        b.append(
            "SELECT \(localDay(&b)) AS d, e.properties ->> \(b.bind(key)) AS v, count(*) FROM events e WHERE \(conditions) GROUP BY d, v")
        for try await (number, value, count) in try await tx.query(b.query).decode((Int32, String?, Int64).self) {
            result[LocalDay(number: number), default: [:]][value, default: 0] += count
        }
        return result
    }

    /// Whether the raw part is only the open day after its rolled-up prefix (at most about two hours of events):
    /// then per-event index lookups beat joins that read whole tables.
    func isSmall(_ raw: [LocalDay]) -> Bool {
        guard let prefix else { return false }
        return raw.allSatisfy { $0 >= prefix.day }
    }

    /// Days read from rollups (whole days, and the open day's prefix) and days read raw (the open day's prefix
    /// day also: after its prefix).
    func split(_ days: [LocalDay]) -> (rolled: [LocalDay], raw: [LocalDay]) {
        let sorted = days.sorted()
        return (sorted.filter { isRolledUp($0) || $0 == prefix?.day }, sorted.filter { !isRolledUp($0) })
    }

    /// The local day number of an event.
    private func localDay(_ b: inout SQLBuilder) -> SQLText {
        "((e.\"timestamp\" AT TIME ZONE \(b.bind(scope.timeZone.identifier)))::date - DATE '1970-01-01')"
    }

    /// Project, event and the raw days (a covering time range for partition pruning, then the exact days).
    private func rawConditions(event: String?, days: [LocalDay], _ b: inout SQLBuilder) -> SQLText {
        var sql = EventSQL.project(scope, &b)
        let start = date(of: days.first!)
        let end = Interval.day.nextBucket(after: date(of: days.last!), in: scope.timeZone)
        sql += " AND e.\"timestamp\" >= \(b.bind(start)) AND e.\"timestamp\" < \(b.bind(end))"
        if let event { sql += " AND e.event = \(b.bind(event))" }
        if days.count < Int(days.last!.number - days.first!.number) + 1 {
            sql += " AND \(localDay(&b)) = ANY(\(b.bind(days.map(\.number)))::int4[])"
        }
        if let prefix, days.contains(prefix.day) {
            // The open day's rolled-up prefix is not read again.
            sql += " AND (e.\"timestamp\" >= \(b.bind(prefix.through)) OR e.\"timestamp\" < \(b.bind(date(of: prefix.day))))"
        }
        return sql
    }

    /// The local midnight starting `day`.
    func date(of day: LocalDay) -> Date {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day.number) * 86_400))
        return calendar.startOfDay(
            for: calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: 12))!)
    }
}
