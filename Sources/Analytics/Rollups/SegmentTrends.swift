import Foundation
import Models
import PostgresNIO
import Storage

/// Trends from the day segments (`DaySegments.swift`): every math, filters, breakdowns and hourly buckets, over ranges
/// that start or end anywhere. Whole clean days of unfiltered counts and users still come from the per-day counts and
/// bitmaps (`RollupReader`); the segments answer the rest, reading raw events only where a day is not rolled up.
extension RollupReports {
    /// The most raw events (of days not rolled up) the rollup paths read into memory; beyond (a project whose
    /// rollups are still being built, a backfill that dirtied many days) the raw SQL path answers instead.
    static let maxRawEvents = 200_000

    /// Whether the days of `[from, to)` that are not rolled up (the open day's prefix counts as rolled up) hold at
    /// most `maxRawEvents` events: counted with a bounded index scan.
    static func fewRawEvents(_ reader: RollupReader, from: Date, to: Date) async throws -> Bool {
        guard from < to else { return true }
        let first = LocalDay(from, reader.calendar)
        let last = LocalDay(to.addingTimeInterval(-0.000_001), reader.calendar)
        let raw = (first.number...last.number).map { LocalDay(number: $0) }.filter { !reader.isRolledUp($0) && $0 != reader.prefix?.day }
        guard raw.count > 1 else { return true }
        var b = SQLBuilder()
        let start = max(from, reader.date(of: raw.first!))
        let end = min(to, Interval.day.nextBucket(after: reader.date(of: raw.last!), in: reader.scope.timeZone))
        b.append(
            """
            SELECT count(*) FROM (SELECT 1 FROM events e
              WHERE \(EventSQL.project(reader.scope, &b)) AND e."timestamp" >= \(b.bind(start)) AND e."timestamp" < \(b.bind(end))
                AND ((e."timestamp" AT TIME ZONE \(b.bind(reader.scope.timeZone.identifier)))::date - DATE '1970-01-01')
                    = ANY(\(b.bind(raw.map(\.number)))::int4[])
              LIMIT \(b.bind(Int64(maxRawEvents + 1)))) s
            """)
        let rows = try await reader.tx.query(b.query).collect()
        return try rows[0].decode(Int64.self) <= maxRawEvents
    }

    /// Trends from the segments, or nil when the rollups cannot help (none yet, or too many days to read raw).
    static func segmentTrends(
        _ query: TrendsQuery, starts: [Date], reader: RollupReader
    ) async throws -> [TrendSeries]? {
        let (scope, tx) = (reader.scope, reader.tx)
        guard reader.builtThrough != nil else { return nil }
        let zone = scope.timeZone
        let calendar = reader.calendar
        let bounds = starts + [query.interval.nextBucket(after: starts.last!, in: zone)]
        let rolling = query.series.contains { $0.math.activeWindowDays != nil }
        if rolling, query.interval == .hour || query.breakdown != nil { return nil }
        let lookback = query.series.compactMap { $0.math.activeWindowDays }.max() ?? 0
        let readFrom = min(query.from, calendar.date(byAdding: .day, value: -lookback, to: bounds[1])!)
        let last = LocalDay(query.to.addingTimeInterval(-0.000_001), calendar)
        guard try await fewRawEvents(reader, from: readFrom, to: query.to) else { return nil }

        let hybrid = query.filters.isEmpty && query.breakdown == nil && query.interval != .hour
        var source = SegmentSource(reader: reader)
        let boundMicros = bounds.map(\.micros)
        let fromMicros = query.from.micros
        let hourly = query.interval == .hour
        func bucket(of day: LocalDay) -> Int { max(0, bounds.lastIndex { $0 <= reader.date(of: day) } ?? 0) }
        func bucket(ofMicros micros: Int64) -> Int {
            var (low, high) = (0, boundMicros.count - 1)
            while high - low > 1 {
                let middle = (low + high) / 2
                if boundMicros[middle] <= micros { low = middle } else { high = middle }
            }
            return low
        }

        // Per series and breakdown value: counts, users and numbers per bucket.
        struct Accumulator {
            var counts: [Int64]
            var users: [[Int32]]
            var numbers: [[Double]]
            var events = 0
            init(buckets: Int) {
                counts = Array(repeating: 0, count: buckets)
                users = Array(repeating: [], count: buckets)
                numbers = Array(repeating: [], count: buckets)
            }
        }
        let bucketCount = starts.count
        // Breakdown values get dense ids (the same across days), accumulators are kept per series and value id.
        var breakdownValues = Interner<String?>()
        var accumulators: [[Accumulator]] = Array(repeating: [], count: query.series.count)
        // Rolling maths: each series' users per local day (events before `to`).
        var daySlots: [[LocalDay: [Int32]]] = Array(repeating: [:], count: query.series.count)

        var needs = SegmentNeeds()
        needs.names = query.series.contains { $0.event == nil } ? nil : Set(query.series.compactMap(\.event))
        if !query.filters.isEmpty { needs.groups = [query.filters] }
        if let breakdown = query.breakdown { needs.textKeys = [breakdown] }
        let numberKeys = Array(Set(query.series.compactMap { $0.math.needsProperty ? $0.property : nil })).sorted()
        needs.numberKeys = numberKeys

        /// Reads the segments of `[from, to)` into the accumulators of the series in `only` (nil: every series).
        func scan(from: Date, to: Date, only: Int? = nil) async throws {
            try await source.forEach(from: from, to: to, needs: needs) { segment in
                let names = segment.names
                let dayBucket = hourly ? 0 : bucket(of: segment.day)
                let nilID = Int(breakdownValues.number(nil))
                let valueOfCode = segment.textValues.first.map { $0.map { Int(breakdownValues.number($0)) } } ?? []
                for (s, series) in query.series.enumerated() where only == nil || only == s {
                    let nameMatches = names.map { series.event == nil || $0 == series.event }
                    let numberIndex = series.math.needsProperty ? numberKeys.firstIndex(of: series.property!) : nil
                    if series.math.activeWindowDays != nil {
                        var slots = daySlots[s].removeValue(forKey: segment.day) ?? []
                        for i in 0..<segment.count where nameMatches[Int(segment.nameCodes[i])] {
                            if !segment.groups.isEmpty && !segment.groups[0][i] { continue }
                            if slots.last != segment.users[i] { slots.append(segment.users[i]) }
                        }
                        daySlots[s][segment.day] = slots
                        continue
                    }
                    while accumulators[s].count < breakdownValues.values.count { accumulators[s].append(Accumulator(buckets: bucketCount)) }
                    for i in 0..<segment.count where nameMatches[Int(segment.nameCodes[i])] {
                        let time = segment.times[i]
                        guard time >= fromMicros else { continue }
                        if !segment.groups.isEmpty && !segment.groups[0][i] { continue }
                        var number = 0.0
                        if let numberIndex {
                            number = segment.numbers[numberIndex][i]
                            if number.isNaN { continue }
                        }
                        let code = segment.texts.isEmpty ? -1 : Int(segment.texts[0][i])
                        let v = code < 0 ? nilID : valueOfCode[code]
                        let b = hourly ? bucket(ofMicros: time) : dayBucket
                        accumulators[s][v].events += 1
                        switch series.math {
                        case .total:
                            accumulators[s][v].counts[b] += 1
                        case .uniqueUsers:
                            let user = segment.users[i]
                            if accumulators[s][v].users[b].last != user { accumulators[s][v].users[b].append(user) }
                        default:
                            accumulators[s][v].numbers[b].append(number)
                        }
                    }
                }
            }
        }

        // Hybrid: whole days from the per-day counts and bitmaps, partial days (the range's edges) from segments.
        // The bucketed maths count `[from, to)`, the rolling ones look back from `readFrom`: each has its whole days.
        // The partial days of both are scanned once; a rolling series may see an event twice (a union: harmless).
        var wholeDays: [LocalDay] = []
        var wholeDaysRolling: [LocalDay] = []
        var wholeNumbers: [Int: [LocalDay: [Double]]] = [:]
        if hybrid {
            var partial: [(Date, Date)] = []
            for (low, whole) in [(query.from, false), (readFrom, true)] where !whole || rolling {
                var day = LocalDay(low, calendar)
                while day <= last {
                    let start = reader.date(of: day)
                    let end = Interval.day.nextBucket(after: start, in: zone)
                    let (begin, finish) = (max(start, low), min(end, query.to))
                    if begin == start && finish == end {
                        if whole { wholeDaysRolling.append(day) } else { wholeDays.append(day) }
                    } else if begin < finish, !partial.contains(where: { $0 == (begin, finish) }) {
                        partial.append((begin, finish))
                    }
                    day = LocalDay(number: day.number + 1)
                }
            }
            for (low, high) in partial { try await scan(from: low, to: high) }
            // Numeric maths: whole rolled-up days from their sorted values; the others from their segments.
            for (s, series) in query.series.enumerated() where series.math.needsProperty && !wholeDays.isEmpty {
                let rolledUp = wholeDays.filter(reader.isRolledUp)
                var found: [LocalDay: [Double]] = [:]
                if let low = rolledUp.first, let high = rolledUp.last {
                    let rows = try await tx.query(
                        """
                        SELECT day - DATE '1970-01-01', vals FROM rollup_numbers
                        WHERE org_id = \(scope.org.rawValue) AND project_id = \(scope.project.rawValue)
                          AND event = \(series.event ?? "") AND key = \(series.property!)
                          AND day BETWEEN DATE '1970-01-01' + \(low.number)::int4 AND DATE '1970-01-01' + \(high.number)::int4
                        """)
                    let wanted = Set(rolledUp)
                    var missing: Set<LocalDay> = []
                    for try await (number, values) in rows.decode((Int32, [Double]?).self) where wanted.contains(LocalDay(number: number)) {
                        if let values { found[LocalDay(number: number)] = values } else { missing.insert(LocalDay(number: number)) }
                    }
                    for day in rolledUp where !missing.contains(day) && found[day] == nil { found[day] = [] }
                }
                wholeNumbers[s] = found
                for day in wholeDays where found[day] == nil {
                    let start = reader.date(of: day)
                    try await scan(from: start, to: Interval.day.nextBucket(after: start, in: zone), only: s)
                }
            }
        } else {
            try await scan(from: readFrom, to: query.to)
        }

        var results: [TrendSeries] = []
        for (s, series) in query.series.enumerated() {
            func make(_ value: String?, _ points: [Double], _ total: Double) -> TrendSeries {
                TrendSeries(
                    label: Trends.label(series), event: series.event, math: series.math, breakdownValue: value, total: total,
                    points: zip(starts, points).map { TrendPoint(bucket: $0, value: $1) })
            }
            if let window = series.math.activeWindowDays {
                var sets: [LocalDay: PersonSet] = [:]
                for (day, slots) in daySlots[s] {
                    var set = PersonSet()
                    for slot in slots { source.insert(slot, into: &set) }
                    sets[day] = set
                }
                if hybrid {
                    for (day, set) in try await reader.userSets(event: series.event, days: wholeDaysRolling) {
                        sets[day, default: PersonSet()].formUnion(set)
                    }
                }
                let ends = bounds.dropFirst().map { min($0, query.to) }
                let lows = bounds.dropFirst().map { calendar.date(byAdding: .day, value: -window, to: $0)! }
                let points = zip(lows, ends).map { low, end -> Double in
                    guard low < end else { return 0 }
                    let days = (LocalDay(low, calendar).number...LocalDay(end.addingTimeInterval(-0.000_001), calendar).number)
                    return Double(PersonSet.union(days.compactMap { sets[LocalDay(number: $0)] }).count)
                }
                results.append(make(nil, points, points.last ?? 0))
                continue
            }
            var groups: [String?: Accumulator] = [:]
            for (v, accumulator) in accumulators[s].enumerated() where accumulator.events > 0 {
                groups[breakdownValues.values[v]] = accumulator
            }
            if hybrid, !wholeDays.isEmpty {
                var accumulator = groups[nil] ?? Accumulator(buckets: bucketCount)
                if series.math.needsProperty {
                    for (day, values) in wholeNumbers[s] ?? [:] { accumulator.numbers[bucket(of: day)] += values }
                } else if series.math == .total {
                    for (day, count) in try await reader.eventCounts(event: series.event, days: wholeDays) {
                        accumulator.counts[bucket(of: day)] += count
                    }
                } else {
                    var perBucket = Array(repeating: PersonSet(), count: bucketCount)
                    for (day, set) in try await reader.userSets(event: series.event, days: wholeDays) {
                        perBucket[bucket(of: day)].formUnion(set)
                    }
                    // Users of the partial days join as slots: make them sets too.
                    var totalSet = PersonSet()
                    var points: [Double] = []
                    for b in 0..<bucketCount {
                        var set = perBucket[b]
                        for user in accumulator.users[b] { source.insert(user, into: &set) }
                        points.append(Double(set.count))
                        totalSet.formUnion(set)
                    }
                    results.append(make(nil, points, Double(totalSet.count)))
                    continue
                }
                groups[nil] = accumulator
            }
            if query.breakdown == nil, groups[nil] == nil { groups[nil] = Accumulator(buckets: bucketCount) }
            var made: [(value: String?, points: [Double], total: Double)] = []
            for (value, accumulator) in groups {
                switch series.math {
                case .total:
                    let points = accumulator.counts.map(Double.init)
                    made.append((value, points, points.reduce(0, +)))
                case .uniqueUsers:
                    let points = accumulator.users.map { Double(Self.distinctCount($0)) }
                    made.append((value, points, Double(Self.distinctCount(accumulator.users.flatMap { $0 }))))
                default:
                    let points = accumulator.numbers.map { Self.aggregate(series.math, $0) }
                    made.append((value, points, Self.aggregate(series.math, accumulator.numbers.flatMap { $0 })))
                }
            }
            if query.breakdown == nil {
                results += made.map { make($0.value, $0.points, $0.total) }
            } else {
                let byValue = Dictionary(uniqueKeysWithValues: made.map { ($0.value, $0) })
                let sorted = Trends.sortedBreakdown(
                    made.map { Trends.Group(value: $0.value, total: $0.total, values: [:]) }, limit: query.breakdownLimit)
                results += sorted.map { make($0.value, byValue[$0.value]!.points, $0.total) }
            }
        }
        return results
    }

    /// The number of distinct users in a list of slots.
    static func distinctCount(_ users: [Int32]) -> Int {
        guard users.count > 1 else { return users.count }
        let sorted = users.sorted()
        var count = 1
        for i in 1..<sorted.count where sorted[i] != sorted[i - 1] { count += 1 }
        return count
    }

    /// A numeric math over a bucket's values as PostgreSQL computes it (`COALESCE(agg, 0)`; continuous percentiles
    /// like `percentile_cont`).
    static func aggregate(_ math: TrendMath, _ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        switch math {
        case .sum: return values.reduce(0, +)
        case .avg: return values.reduce(0, +) / Double(values.count)
        case .min: return values.min()!
        case .max: return values.max()!
        case .median, .p90, .p95, .p99:
            let fraction: Double =
                switch math {
                case .median: 0.5
                case .p90: 0.9
                case .p95: 0.95
                default: 0.99
                }
            let sorted = values.sorted()
            let position = fraction * Double(sorted.count - 1)
            let low = Int(position.rounded(.down))
            let high = Int(position.rounded(.up))
            guard low != high else { return sorted[low] }
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        default:
            return Double(values.count)
        }
    }
}
