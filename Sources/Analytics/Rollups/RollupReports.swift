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
    static func trends(_ query: TrendsQuery, reader: RollupReader) async throws -> [TrendSeries]? {
        guard query.interval != .hour, query.filters.isEmpty,
            query.series.allSatisfy({ [.total, .uniqueUsers, .weeklyActive, .monthlyActive].contains($0.math) }),
            query.breakdown == nil || query.series.allSatisfy({ $0.math == .total })
        else { return nil }
        let scope = reader.scope
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

    /// Retention from the rollups: per-day user bitmaps without filters, the day segments with filters. `FIRST_TIME`
    /// cohorts drop users who did the start event in an earlier period or before the range, back to the project's
    /// first start event. Nil without rollups, or when too many days would be read raw.
    static func retention(
        _ query: RetentionQuery, cohortStarts: [Date], grid: [Date], scope: ReportScope, on tx: TenantConnection
    ) async throws -> [RetentionCohort]? {
        let reader = try await RollupReader.load(scope, tx)
        guard reader.builtThrough != nil else { return nil }
        let periodDays = zip(grid, grid.dropFirst()).map { reader.days(from: $0, to: $1) }
        let all = periodDays.flatMap { $0 }
        guard all.contains(where: reader.isRolledUp) else { return nil }
        // FIRST_TIME: the days before the first cohort since the project's first start event.
        var before: [LocalDay] = []
        if query.mode == .firstTime {
            // The first day with a start event: from the rolled-up days, and from raw events (one index lookup).
            let firstRow = try await tx.query(
                """
                SELECT (SELECT min(e."timestamp") FROM events e
                        WHERE e.org_id = \(scope.org.rawValue) AND e.project_id = \(scope.project.rawValue)
                          AND e.event = \(query.startEvent) AND e."timestamp" < \(grid[0])),
                       (SELECT min(d.day) - DATE '1970-01-01' FROM rollup_days d
                        WHERE d.org_id = \(scope.org.rawValue) AND d.project_id = \(scope.project.rawValue) AND d.event = \(query.startEvent))
                """
            ).collect()
            let (firstTime, firstRolled) = try firstRow[0].decode((Date?, Int32?).self)
            let days = [firstTime.map { LocalDay($0, reader.calendar) }, firstRolled.map { LocalDay(number: $0) }].compactMap { $0 }
            if let firstDay = days.min() {
                let firstCohortDay = LocalDay(grid[0], reader.calendar)
                if firstDay < firstCohortDay { before = (firstDay.number..<firstCohortDay.number).map { LocalDay(number: $0) } }
            }
        }
        var starts: [PersonSet]
        var returning: [PersonSet]
        var earlier = PersonSet()
        if query.filters.isEmpty {
            if let day = before.first, try await !fewRawEvents(reader, from: reader.date(of: day), to: grid[0]) { return nil }
            let startSets = try await reader.userSets(event: query.startEvent, days: before + all)
            let returnSets =
                query.returnEvent == query.startEvent ? startSets : try await reader.userSets(event: query.returnEvent, days: all)
            starts = periodDays.map { PersonSet.union($0.compactMap { startSets[$0] }) }
            returning = periodDays.map { PersonSet.union($0.compactMap { returnSets[$0] }) }
            earlier = PersonSet.union(before.compactMap { startSets[$0] })
        } else {
            let readFrom = before.first.map { reader.date(of: $0) } ?? grid[0]
            guard try await fewRawEvents(reader, from: readFrom, to: grid.last!) else { return nil }
            let bounds = grid.map(\.micros)
            var needs = SegmentNeeds()
            needs.names = [query.startEvent, query.returnEvent]
            needs.groups = [query.filters]
            var source = SegmentSource(reader: reader)
            // Per period (index 0: before the first cohort), the start and the return users as slots.
            var startSlots: [[Int32]] = Array(repeating: [], count: grid.count)
            var returnSlots: [[Int32]] = Array(repeating: [], count: grid.count)
            try await source.forEach(from: readFrom, to: grid.last!, needs: needs) { segment in
                let isStart = segment.names.map { $0 == query.startEvent }
                let isReturn = segment.names.map { $0 == query.returnEvent }
                for i in 0..<segment.count where segment.groups[0][i] {
                    let time = segment.times[i]
                    let period = time < bounds[0] ? 0 : (bounds.lastIndex { $0 <= time } ?? 0) + 1
                    let code = Int(segment.nameCodes[i])
                    if isStart[code], startSlots[period].last != segment.users[i] { startSlots[period].append(segment.users[i]) }
                    if isReturn[code], returnSlots[period].last != segment.users[i] { returnSlots[period].append(segment.users[i]) }
                }
            }
            func sets(_ slots: [[Int32]]) -> [PersonSet] {
                slots.map { list in
                    var set = PersonSet()
                    for slot in list { source.insert(slot, into: &set) }
                    return set
                }
            }
            let startPeriods = sets(startSlots)
            earlier = startPeriods[0]
            starts = Array(startPeriods[1..<grid.count])
            returning = Array(sets(returnSlots)[1..<grid.count])
        }
        if query.mode == .firstTime {
            var seen = earlier
            for j in starts.indices {
                let all = starts[j]
                starts[j] = all.subtracting(seen)
                seen.formUnion(all)
            }
        }
        return cohortStarts.indices.map { j in
            let cohort = starts[j]
            var values = [cohort.count]
            for i in 1..<max(query.periods, 1) { values.append(cohort.intersection(returning[j + i]).count) }
            return RetentionCohort(start: cohortStarts[j], size: cohort.count, values: Array(values.prefix(query.periods)))
        }
    }
}
