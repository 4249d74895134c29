import Foundation
import Models
import PostgresNIO
import Storage

/// What a trend series aggregates (docs/reports.md, "Trends"); the raw values are the GraphQL enum's.
public enum TrendMath: String, Sendable, CaseIterable {
    /// Events per bucket.
    case total = "TOTAL"
    /// Distinct users per bucket (daily active users with day buckets).
    case uniqueUsers = "UNIQUE_USERS"
    /// Distinct users in the 7 local days ending at each bucket's end.
    case weeklyActive = "WEEKLY_ACTIVE"
    /// Distinct users in the 30 local days ending at each bucket's end.
    case monthlyActive = "MONTHLY_ACTIVE"
    /// Sum of a numeric property.
    case sum = "SUM"
    /// Mean of a numeric property.
    case avg = "AVG"
    /// Smallest value of a numeric property.
    case min = "MIN"
    /// Largest value of a numeric property.
    case max = "MAX"
    /// Continuous median of a numeric property.
    case median = "MEDIAN"
    /// Continuous 90th percentile of a numeric property.
    case p90 = "P90"
    /// Continuous 95th percentile of a numeric property.
    case p95 = "P95"
    /// Continuous 99th percentile of a numeric property.
    case p99 = "P99"

    /// Whether it aggregates a numeric property (and so needs `Series.property`).
    var needsProperty: Bool { ![.total, .uniqueUsers, .weeklyActive, .monthlyActive].contains(self) }

    /// The rolling window of the active-users maths, in days (nil for the bucket-local maths).
    var activeWindowDays: Int? {
        switch self {
        case .weeklyActive: 7
        case .monthlyActive: 30
        default: nil
        }
    }

    /// The SQL aggregate over `v` (the numeric value) and `person`: literals only, chosen by the closed enum.
    var aggregate: SQLText {
        switch self {
        case .total: "count(*)::float8"
        case .uniqueUsers, .weeklyActive, .monthlyActive: "count(DISTINCT person)::float8"
        case .sum: "COALESCE(sum(v), 0)"
        case .avg: "COALESCE(avg(v), 0)"
        case .min: "COALESCE(min(v), 0)"
        case .max: "COALESCE(max(v), 0)"
        case .median: "COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY v), 0)"
        case .p90: "COALESCE(percentile_cont(0.9) WITHIN GROUP (ORDER BY v), 0)"
        case .p95: "COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY v), 0)"
        case .p99: "COALESCE(percentile_cont(0.99) WITHIN GROUP (ORDER BY v), 0)"
        }
    }
}

/// A trends request (`TrendsInput`).
public struct TrendsQuery: Sendable {
    /// One series: which events, aggregated how.
    public struct Series: Sendable {
        /// The event name; nil counts every event.
        public var event: String?
        /// The aggregation.
        public var math: TrendMath
        /// The numeric property `SUM`…`P99` aggregate.
        public var property: String?

        /// Creates a series; `property` is needed by the numeric maths only.
        public init(event: String?, math: TrendMath, property: String? = nil) {
            self.event = event
            self.math = math
            self.property = property
        }
    }

    /// The series, 1 to `ReportLimits.maxSeries`; the result has them in this order.
    public var series: [Series]
    /// The range's start (inclusive).
    public var from: Date
    /// The range's end (exclusive).
    public var to: Date
    /// The bucket size.
    public var interval: Interval
    /// The event property to group by.
    public var breakdown: String?
    /// How many breakdown values to keep (top by total).
    public var breakdownLimit: Int
    /// Conditions every counted event meets.
    public var filters: [PropertyFilter]

    /// Creates a request with the GraphQL defaults (day buckets, 25 breakdown values, no filters).
    public init(
        series: [Series], from: Date, to: Date, interval: Interval = .day, breakdown: String? = nil, breakdownLimit: Int = 25,
        filters: [PropertyFilter] = []
    ) {
        self.series = series
        self.from = from
        self.to = to
        self.interval = interval
        self.breakdown = breakdown
        self.breakdownLimit = breakdownLimit
        self.filters = filters
    }
}

/// One result series: a request series, or one breakdown value of it.
public struct TrendSeries: Sendable, Equatable {
    /// The display name: the event (or "All events") and, for other maths, what it computes.
    public var label: String
    /// The series' event name (nil: every event).
    public var event: String?
    /// The series' aggregation.
    public var math: TrendMath
    /// The breakdown property's text value (nil: missing or JSON null, or no breakdown).
    public var breakdownValue: String?
    /// The math over the whole range as one bucket (the last bucket's value for the rolling actives).
    public var total: Double
    /// Bucket starts and values, oldest first, every bucket of the range.
    public var points: [TrendPoint]
}

/// One bucket of a series.
public struct TrendPoint: Sendable, Equatable {
    /// The bucket's start.
    public var bucket: Date
    /// The series' math over the bucket (0 when it is empty).
    public var value: Double
}

/// Trends: counts, unique users, rolling actives and numeric aggregates per time bucket (docs/reports.md).
public enum Trends {
    /// Runs the query inside the tenant transaction `tx`.
    public static func run(_ query: TrendsQuery, scope: ReportScope, on tx: TenantConnection) async throws -> [TrendSeries] {
        try validate(query)
        let starts = try buckets(query, in: scope.timeZone)
        // The rollup state is read once for both rollup paths. Rollups keep event properties only: a filter on person
        // properties reads raw events.
        if !EventSQL.readsPersons(query.filters) {
            let reader = try await RollupReader.load(scope, tx)
            if let rolledUp = try await RollupReports.trends(query, reader: reader) { return rolledUp }
            if let segments = try await RollupReports.segmentTrends(query, starts: starts, reader: reader) { return segments }
        }
        let bounds = starts + [query.interval.nextBucket(after: starts.last!, in: scope.timeZone)]
        var results: [TrendSeries] = []
        for series in query.series {
            let groups: [Group]
            if let days = series.math.activeWindowDays {
                groups = try await activeUsers(series, days: days, bounds: bounds, query: query, scope: scope, tx: tx)
            } else {
                groups = try await bucketed(series, bounds: bounds, query: query, scope: scope, tx: tx)
            }
            results += groups.map { group in
                TrendSeries(
                    label: label(series), event: series.event, math: series.math, breakdownValue: group.value,
                    total: group.total,
                    points: starts.enumerated().map { TrendPoint(bucket: $1, value: group.values[$0 + 1] ?? 0) })
            }
        }
        return results
    }

    /// The query's bucket starts after the limits on buckets and points: checked by arithmetic before any bucket is
    /// built, then on the (bounded) list itself.
    static func buckets(_ query: TrendsQuery, in timeZone: TimeZone) throws(ServiceError) -> [Date] {
        try ReportLimits.checkBucketCount(query.interval, from: query.from, to: query.to, what: "buckets")
        let starts = query.interval.buckets(from: query.from, to: query.to, in: timeZone)
        guard starts.count <= ReportLimits.maxBuckets else {
            throw .badInput("the range has more than \(ReportLimits.maxBuckets) buckets; at most \(ReportLimits.maxBuckets)")
        }
        let values = query.breakdown == nil ? 1 : query.breakdownLimit
        let points = query.series.count * values * starts.count
        guard points <= ReportLimits.maxPoints else {
            throw .badInput(
                "the answer would have \(points) points (series × breakdownLimit × buckets); at most \(ReportLimits.maxPoints)")
        }
        return starts
    }

    /// Checks the query's shape and limits before any SQL runs.
    static func validate(_ query: TrendsQuery) throws(ServiceError) {
        guard !query.series.isEmpty, query.series.count <= ReportLimits.maxSeries else {
            throw .badInput("give 1 to \(ReportLimits.maxSeries) series")
        }
        try ReportLimits.check(from: query.from, to: query.to)
        try ReportLimits.check(query.filters)
        guard (1...ReportLimits.maxBreakdownLimit).contains(query.breakdownLimit) else {
            throw .badInput("breakdownLimit must be 1 to \(ReportLimits.maxBreakdownLimit)")
        }
        if let breakdown = query.breakdown, breakdown.isEmpty || breakdown.utf8.count > 200 {
            throw .badInput("breakdown must be a property key of 1 to 200 bytes")
        }
        for series in query.series where series.math.needsProperty {
            guard let property = series.property, !property.isEmpty else {
                throw .badInput("\(series.math.rawValue) needs a numeric `property`")
            }
        }
    }

    /// The series' display label (shared by the raw and the rollup paths, so both answer alike).
    static func label(_ series: TrendsQuery.Series) -> String {
        let name = series.event ?? "All events"
        switch series.math {
        case .total: return name
        case .uniqueUsers: return "\(name) (unique users)"
        case .weeklyActive: return "\(name) (weekly active)"
        case .monthlyActive: return "\(name) (monthly active)"
        default: return "\(name) (\(series.math.rawValue.lowercased()) of \(series.property ?? ""))"
        }
    }

    /// One output series before zero-filling: values by 1-based bucket index.
    struct Group {
        /// The breakdown value (nil: the null group, or no breakdown).
        var value: String?
        /// The series' total for this value.
        var total: Double
        /// Values by 1-based bucket index; missing buckets are 0.
        var values: [Int: Double]
    }

    /// The `WHERE` of a series: project, range, event, filters.
    static func conditions(
        _ series: TrendsQuery.Series, from: Date, to: Date, filters: [PropertyFilter], scope: ReportScope,
        _ builder: inout SQLBuilder
    ) -> SQLText {
        var sql = EventSQL.project(scope, &builder)
        sql += " AND e.\"timestamp\" >= \(builder.bind(from)) AND e.\"timestamp\" < \(builder.bind(to))"
        if let event = series.event { sql += " AND e.event = \(builder.bind(event))" }
        return sql + EventSQL.filters(filters, &builder)
    }

    /// Bucket-local maths (everything but the rolling actives), with the total as a grouping set.
    static func bucketed(
        _ series: TrendsQuery.Series, bounds: [Date], query: TrendsQuery, scope: ReportScope, tx: TenantConnection
    ) async throws -> [Group] {
        let statement = bucketedSQL(series, bounds: bounds, query: query, scope: scope)
        var groups: [String?: Group] = [:]
        var order: [String?] = []
        let rows = try await tx.query(statement.query).decode((String?, Int?, Double, Int32).self)
        for try await (value, bucket, aggregate, isTotal) in rows {
            if groups[value] == nil {
                groups[value] = Group(value: value, total: 0, values: [:])
                order.append(value)
            }
            if isTotal == 1 { groups[value]!.total = aggregate } else if let bucket { groups[value]!.values[bucket] = aggregate }
        }
        if query.breakdown == nil {
            return [groups[nil] ?? Group(value: nil, total: 0, values: [:])]
        }
        return sortedBreakdown(order.map { groups[$0]! }, limit: query.breakdownLimit)
    }

    /// Weekly/monthly active users: distinct persons in the `days` local days ending at each bucket's end (never
    /// counting events at or after `dateTo`). Persons are first reduced to distinct (unit, person) pairs, where a
    /// unit is a local hour for hourly trends and a local day otherwise; each bucket's window is a range of units.
    static func activeUsers(
        _ series: TrendsQuery.Series, days: Int, bounds: [Date], query: TrendsQuery, scope: ReportScope,
        tx: TenantConnection
    ) async throws -> [Group] {
        let statement = activeUsersSQL(series, days: days, bounds: bounds, query: query, scope: scope)
        var groups: [String?: Group] = [:]
        var order: [String?] = []
        for try await (value, bucket, count) in try await tx.query(statement.query).decode((String?, Int64, Double).self) {
            if groups[value] == nil {
                groups[value] = Group(value: value, total: 0, values: [:])
                order.append(value)
            }
            groups[value]!.values[Int(bucket)] = count
        }
        let last = bounds.count - 1
        var all = order.map { value -> Group in
            var group = groups[value]!
            group.total = group.values[last] ?? 0
            return group
        }
        if query.breakdown == nil {
            return [all.first ?? Group(value: nil, total: 0, values: [:])]
        }
        all = sortedBreakdown(all, limit: query.breakdownLimit)
        return all
    }

    /// The statement of `bucketed`: per breakdown value (NULL without a breakdown) and 1-based bucket the series'
    /// aggregate, plus each value's total over the range (last column 1); every name, key and filter is bound.
    static func bucketedSQL(_ series: TrendsQuery.Series, bounds: [Date], query: TrendsQuery, scope: ReportScope) -> SQLBuilder {
        var b = SQLBuilder()
        let needsPerson = series.math == .uniqueUsers
        b.append("WITH ev AS (SELECT width_bucket(e.\"timestamp\", \(b.bind(bounds))::timestamptz[]) AS bucket")
        b.append(needsPerson ? ", \(EventSQL.person) AS person" : "")
        if series.math.needsProperty { b.append(", \(EventSQL.number(series.property!, &b)) AS v") }
        if let breakdown = query.breakdown { b.append(", e.properties ->> \(b.bind(breakdown)) AS bv") }
        b.append(needsPerson ? " \(EventSQL.fromEventsWithPersons)" : " FROM events e")
        b.append(" WHERE \(conditions(series, from: query.from, to: query.to, filters: query.filters, scope: scope, &b)))")
        let aggregate = series.math.aggregate
        if query.breakdown == nil {
            b.append(" SELECT NULL::text, bucket, \(aggregate), grouping(bucket) FROM ev GROUP BY GROUPING SETS ((bucket), ())")
        } else {
            b.append(
                """
                , totals AS (SELECT bv, \(aggregate) AS total FROM ev GROUP BY bv),
                top AS (SELECT bv, total FROM totals ORDER BY total DESC, bv COLLATE "C" ASC NULLS LAST LIMIT \(b.bind(query.breakdownLimit)))
                SELECT top.bv, ev.bucket, \(aggregate), 0 FROM ev JOIN top ON ev.bv IS NOT DISTINCT FROM top.bv
                GROUP BY top.bv, ev.bucket
                UNION ALL SELECT bv, NULL::int4, total, 1 FROM top
                """)
        }
        return b
    }

    /// The statement of `activeUsers`: per breakdown value and 1-based bucket, the distinct persons of the window
    /// ending at the bucket's end; every name, key and filter is bound.
    static func activeUsersSQL(
        _ series: TrendsQuery.Series, days: Int, bounds: [Date], query: TrendsQuery, scope: ReportScope
    ) -> SQLBuilder {
        let calendar = Interval.calendar(scope.timeZone)
        let unit: Interval = query.interval == .hour ? .hour : .day
        let ends = bounds.dropFirst().map { min($0, query.to) }
        let lows = bounds.dropFirst().map { calendar.date(byAdding: .day, value: -days, to: $0)! }
        let first = lows.min()!
        var grid: [Date] = []
        var cursor = unit.bucketStart(of: first, in: scope.timeZone)
        while cursor < query.to {
            grid.append(cursor)
            cursor = unit.nextBucket(after: cursor, in: scope.timeZone)
        }
        grid.append(query.to)
        // width_bucket index of a grid point: 1-based position (events at grid[i] fall in unit i + 1).
        func index(_ date: Date) -> Int32 {
            var lo = 0
            var hi = grid.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if grid[mid] < date { lo = mid + 1 } else { hi = mid }
            }
            return Int32(lo + 1)
        }
        var b = SQLBuilder()
        b.append("WITH dp AS (SELECT DISTINCT width_bucket(e.\"timestamp\", \(b.bind(grid))::timestamptz[]) AS unit, ")
        b.append("\(EventSQL.person) AS person")
        if let breakdown = query.breakdown {
            b.append(", e.properties ->> \(b.bind(breakdown)) AS bv")
        } else {
            b.append(", NULL::text AS bv")
        }
        b.append(" \(EventSQL.fromEventsWithPersons) WHERE ")
        b.append("\(conditions(series, from: max(grid[0], first), to: query.to, filters: query.filters, scope: scope, &b)))")
        b.append(
            """
             SELECT dp.bv, w.i::int8, count(DISTINCT dp.person)::float8
            FROM unnest(\(b.bind(lows.map(index)))::int4[], \(b.bind(ends.map(index)))::int4[]) WITH ORDINALITY AS w(lo, hi, i)
            JOIN dp ON dp.unit >= w.lo AND dp.unit < w.hi
            GROUP BY dp.bv, w.i
            """)
        return b
    }

    /// Top `limit` by total descending, ties by value (byte order) with null last.
    static func sortedBreakdown(_ groups: [Group], limit: Int) -> [Group] {
        let sorted = groups.sorted { a, b in
            if a.total != b.total { return a.total > b.total }
            switch (a.value, b.value) {
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
            }
        }
        return Array(sorted.prefix(limit))
    }
}
