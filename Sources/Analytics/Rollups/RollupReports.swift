import Foundation
import Models
import NIOCore
import PostgresNIO
import Storage

/// The reports the rollups answer: trends of TOTAL, UNIQUE_USERS, WEEKLY_ACTIVE and MONTHLY_ACTIVE without filters
/// over whole local days (TOTAL also with a breakdown), and RECURRING retention. Each returns nil when the query
/// is outside that shape or no day is rolled up, and the raw SQL path answers instead; results are the same.
enum RollupReports {
    /// Trends from the rollups, or nil when the query is not of a shape they answer (filters, hours, numeric maths,
    /// ranges not on local midnights) or no day of the range is rolled up.
    static func trends(_ query: TrendsQuery, scope: ReportScope, on tx: TenantConnection) async throws -> [TrendSeries]? {
        guard query.interval != .hour, query.filters.isEmpty,
            query.series.allSatisfy({ [.total, .uniqueUsers, .weeklyActive, .monthlyActive].contains($0.math) }),
            query.breakdown == nil || query.series.allSatisfy({ $0.math == .total })
        else { return nil }
        let reader = try await RollupReader.load(scope, tx)
        guard reader.builtThrough != nil, reader.isMidnight(query.from), reader.isMidnight(query.to) else { return nil }
        let days = reader.days(from: query.from, to: query.to)
        guard days.contains(where: reader.isRolledUp) else { return nil }
        let starts = query.interval.buckets(from: query.from, to: query.to, in: scope.timeZone)
        let bounds = starts + [query.interval.nextBucket(after: starts.last!, in: scope.timeZone)]
        func bucket(of day: LocalDay) -> Int {
            let date = reader.date(of: day)
            return bounds.lastIndex { $0 <= date }!
        }
        var results: [TrendSeries] = []
        for series in query.series {
            func make(_ value: String?, _ points: [Double], _ total: Double) -> TrendSeries {
                TrendSeries(
                    label: Trends.label(series), event: series.event, math: series.math, breakdownValue: value, total: total,
                    points: zip(starts, points).map { TrendPoint(bucket: $0, value: $1) })
            }
            switch series.math {
            case .total:
                if let key = query.breakdown {
                    guard let counts = try await reader.valueCounts(event: series.event, key: key, days: days) else { return nil }
                    var groups: [String?: [Double]] = [:]
                    for (day, values) in counts {
                        for (value, count) in values {
                            groups[value, default: Array(repeating: 0, count: starts.count)][bucket(of: day)] += Double(count)
                        }
                    }
                    let sorted = Trends.sortedBreakdown(
                        groups.map { Trends.Group(value: $0.key, total: $0.value.reduce(0, +), values: [:]) }, limit: query.breakdownLimit)
                    results += sorted.map { make($0.value, groups[$0.value]!, $0.total) }
                } else {
                    let counts = try await reader.eventCounts(event: series.event, days: days)
                    var points = Array(repeating: 0.0, count: starts.count)
                    for (day, count) in counts { points[bucket(of: day)] += Double(count) }
                    results.append(make(nil, points, points.reduce(0, +)))
                }
            case .uniqueUsers:
                let sets = try await reader.userSets(event: series.event, days: days)
                var perBucket = Array(repeating: PersonSet(), count: starts.count)
                for (day, set) in sets { perBucket[bucket(of: day)].formUnion(set) }
                let total = PersonSet.union(perBucket).count
                results.append(make(nil, perBucket.map { Double($0.count) }, Double(total)))
            case .weeklyActive, .monthlyActive:
                let window = series.math.activeWindowDays!
                let calendar = reader.calendar
                let ends = bounds.dropFirst().map { min($0, query.to) }
                let lows = bounds.dropFirst().map { calendar.date(byAdding: .day, value: -window, to: $0)! }
                let all = reader.days(from: lows.min()!, to: query.to)
                let sets = try await reader.userSets(event: series.event, days: all)
                let points = zip(lows, ends).map { low, end -> Double in
                    guard low < end else { return 0 }
                    return Double(PersonSet.union(reader.days(from: low, to: end).compactMap { sets[$0] }).count)
                }
                results.append(make(nil, points, points.last ?? 0))
            default:
                return nil
            }
        }
        return results
    }

    /// Recurring retention from the per-day user sets, or nil for first-time retention or without rolled-up days.
    static func retention(
        _ query: RetentionQuery, cohortStarts: [Date], grid: [Date], scope: ReportScope, on tx: TenantConnection
    ) async throws -> [RetentionCohort]? {
        guard query.mode == .recurring else { return nil }
        let reader = try await RollupReader.load(scope, tx)
        guard reader.builtThrough != nil else { return nil }
        let periodDays = zip(grid, grid.dropFirst()).map { reader.days(from: $0, to: $1) }
        let all = periodDays.flatMap { $0 }
        guard all.contains(where: reader.isRolledUp) else { return nil }
        let starts = try await reader.userSets(event: query.startEvent, days: all)
        let returns = query.returnEvent == query.startEvent ? starts : try await reader.userSets(event: query.returnEvent, days: all)
        let returning = periodDays.map { PersonSet.union($0.compactMap { returns[$0] }) }
        return cohortStarts.indices.map { j in
            let cohort = PersonSet.union(periodDays[j].compactMap { starts[$0] })
            var values = [cohort.count]
            for i in 1..<max(query.periods, 1) { values.append(cohort.intersection(returning[j + i]).count) }
            return RetentionCohort(start: cohortStarts[j], size: cohort.count, values: Array(values.prefix(query.periods)))
        }
    }
}

extension RollupReports {
    /// Funnels without step filters or breakdown, over the day timelines (raw events for days not rolled up).
    static func funnel(_ query: FunnelQuery, scope: ReportScope, on tx: TenantConnection) async throws -> FunnelResult? {
        guard query.breakdown == nil, query.steps.allSatisfy({ $0.filters.isEmpty }) else { return nil }
        let reader = try await RollupReader.load(scope, tx)
        guard reader.builtThrough != nil else { return nil }
        let first = LocalDay(query.from, reader.calendar)
        let last = LocalDay(query.to.addingTimeInterval(TimeInterval(query.windowSeconds)), reader.calendar)
        let days = (first.number...last.number).map { LocalDay(number: $0) }
        let (rolled, raw) = reader.split(days)
        guard !rolled.isEmpty else { return nil }
        let strict = query.order == .strict
        func mask(_ name: String) -> Int32 {
            var mask: Int32 = 0
            for (k, step) in query.steps.enumerated() where step.event == name { mask |= 1 << k }
            return mask
        }
        // Per user slot: events as (time, mask), gathered day by day (days ascending, each in user/time/uuid order).
        var users: [Int32] = []
        var times: [Int64] = []
        var masks: [Int32] = []
        var extraSlots: [String: Int32] = [:]
        var highest: Int32 = -1
        let rows = try await tx.query(
            """
            SELECT day - DATE '1970-01-01', events, data, code_bytes FROM rollup_timelines
            WHERE org_id = \(scope.org.rawValue) AND project_id = \(scope.project.rawValue)
              AND day BETWEEN DATE '1970-01-01' + \(rolled.first!.number)::int4 AND DATE '1970-01-01' + \(rolled.last!.number)::int4
            ORDER BY day
            """)
        let wanted = Set(rolled)
        var stored: [LocalDay: ([String], ByteBuffer, Int16)] = [:]
        for try await (number, names, data, codeBytes) in rows.decode((Int32, [String], ByteBuffer, Int16).self)
        where wanted.contains(LocalDay(number: number)) {
            stored[LocalDay(number: number)] = (names, data, codeBytes)
        }
        var rawRows: [LocalDay: [(Int32, String?, Int64, String)]] = [:]
        if !raw.isEmpty {
            var b = SQLBuilder()
            var conditions = EventSQL.project(scope, &b)
            let start = reader.date(of: raw.first!)
            let end = Interval.day.nextBucket(after: reader.date(of: raw.last!), in: scope.timeZone)
            conditions += " AND e.\"timestamp\" >= \(b.bind(start)) AND e.\"timestamp\" < \(b.bind(end))"
            if !strict { conditions += " AND e.event = ANY(\(b.bind(Array(Set(query.steps.map(\.event))))))" }
            let localDay: SQLText = "((e.\"timestamp\" AT TIME ZONE \(b.bind(scope.timeZone.identifier)))::date - DATE '1970-01-01')"
            conditions += " AND \(localDay) = ANY(\(b.bind(raw.map(\.number)))::int4[])"
            if let prefix = reader.prefix, raw.contains(prefix.day) {
                conditions +=
                    " AND (e.\"timestamp\" >= \(b.bind(prefix.through)) OR e.\"timestamp\" < \(b.bind(reader.date(of: prefix.day))))"
            }
            if reader.isSmall(raw) {
                b.append(
                    """
                    SELECT d, COALESCE(\(EventSQL.userNumber("s.k")), -1) AS n, k, ts, event FROM (
                      SELECT \(localDay) AS d, \(EventSQL.personLookup) AS k, \(EventSQL.micros("e.\"timestamp\"")) AS ts,
                             e.event, e."timestamp" AS t, e.uuid, e.org_id, e.project_id
                      FROM events e WHERE \(conditions) OFFSET 0) s
                    ORDER BY d, n, k, t, uuid
                    """)
            } else {
                b.append(
                    """
                    SELECT \(localDay), COALESCE(i.idx, -1), \(EventSQL.person),
                           \(EventSQL.micros("e.\"timestamp\"")), e.event
                    \(EventSQL.fromEventsWithPersons)
                    LEFT JOIN rollup_person_index i ON i.org_id = e.org_id AND i.project_id = e.project_id
                      AND i.person_key = \(EventSQL.person)
                    WHERE \(conditions)
                    ORDER BY 1, 2, 3, e."timestamp", e.uuid
                    """)
            }
            let rawEvents = try await tx.query(b.query).decode((Int32, Int32, String?, Int64, String).self)
            for try await (number, index, key, micros, event) in rawEvents {
                rawRows[LocalDay(number: number), default: []].append((index, key, micros, event))
            }
        }
        for day in days {
            if let (names, data, codeBytes) = stored[day] {
                let codes = names.map(mask)
                RollupTimeline.forEach(in: data, codeBytes: Int(codeBytes)) { index, micros, code in
                    let bits = codes[code]
                    guard strict || bits != 0 else { return }
                    users.append(index)
                    times.append(micros)
                    masks.append(bits)
                    highest = max(highest, index)
                }
            }
            if let rows = rawRows[day] {
                for (index, key, micros, event) in rows {
                    var slot = index
                    if index < 0, let key {
                        if let known = extraSlots[key] {
                            slot = known
                        } else {
                            slot = -2 - Int32(extraSlots.count)
                            extraSlots[key] = slot
                        }
                    }
                    users.append(slot)
                    times.append(micros)
                    masks.append(mask(event))
                    highest = max(highest, slot)
                }
            }
        }
        // Counting sort by user slot (numbered users first, then users without a number), keeping order.
        let slotCount = Int(highest + 1) + extraSlots.count
        func slot(_ user: Int32) -> Int { user >= 0 ? Int(user) : Int(highest + 1) + Int(-2 - user) }
        var offsets = Array(repeating: 0, count: slotCount + 1)
        for user in users { offsets[slot(user) + 1] += 1 }
        for i in 0..<slotCount { offsets[i + 1] += offsets[i] }
        var cursor = offsets
        var sortedTimes = Array(repeating: Int64(0), count: users.count)
        var sortedMasks = Array(repeating: Int32(0), count: users.count)
        for (i, user) in users.enumerated() {
            let at = cursor[slot(user)]
            sortedTimes[at] = times[i]
            sortedMasks[at] = masks[i]
            cursor[slot(user)] += 1
        }
        var overall = Funnel.Tally(steps: query.steps.count)
        var matcher = Funnel.Matcher(
            order: query.order, steps: query.steps.count, window: Int64(query.windowSeconds) * 1_000_000, from: query.from.micros,
            to: query.to.micros)
        for s in 0..<slotCount where offsets[s + 1] > offsets[s] {
            let range = offsets[s]..<offsets[s + 1]
            matcher.load(times: sortedTimes[range], masks: sortedMasks[range])
            if let best = matcher.best(value: .any) { overall.add(best) }
        }
        return FunnelResult(steps: overall.results(query.steps, value: nil), breakdowns: [])
    }
}
