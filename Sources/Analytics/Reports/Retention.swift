import Foundation
import Models
import PostgresNIO
import Storage

/// Who joins a retention cohort (docs/reports.md, "Retention"); the raw values are the GraphQL enum's.
public enum RetentionMode: String, Sendable, CaseIterable {
    /// Everyone doing the start event in the period.
    case recurring = "RECURRING"
    /// Only persons whose first start event ever is in the period.
    case firstTime = "FIRST_TIME"
}

/// A retention request (`RetentionInput`).
public struct RetentionQuery: Sendable {
    /// The event that puts a user into a cohort.
    public var startEvent: String
    /// The event that counts a cohort user as returning.
    public var returnEvent: String
    /// DAY, WEEK or MONTH.
    public var period: Interval
    /// Length of each cohort's `values`.
    public var periods: Int
    /// Cohorts are the periods starting at or after this.
    public var from: Date
    /// Cohorts are the periods starting before this.
    public var to: Date
    /// Who joins a cohort.
    public var mode: RetentionMode
    /// Conditions both the start and the return events meet.
    public var filters: [PropertyFilter]

    /// Creates a request with the GraphQL defaults (day periods, recurring).
    public init(
        startEvent: String, returnEvent: String, period: Interval = .day, periods: Int, from: Date, to: Date,
        mode: RetentionMode = .recurring, filters: [PropertyFilter] = []
    ) {
        self.startEvent = startEvent
        self.returnEvent = returnEvent
        self.period = period
        self.periods = periods
        self.from = from
        self.to = to
        self.mode = mode
        self.filters = filters
    }
}

/// One cohort: its period's start, size and the persons returning in each following period.
public struct RetentionCohort: Sendable, Equatable {
    /// The cohort period's start.
    public var start: Date
    /// The users in the cohort.
    public var size: Int
    /// `values[0]` is the size; `values[i]` the cohort persons with the return event in period start + i.
    public var values: [Int]
}

/// Retention cohorts for every period starting inside the range.
public enum Retention {
    /// Runs the query inside the tenant transaction `tx`.
    public static func run(_ query: RetentionQuery, scope: ReportScope, on tx: TenantConnection) async throws -> [RetentionCohort] {
        try validate(query)
        try ReportLimits.checkBucketCount(query.period, from: query.from, to: query.to, what: "periods")
        let cohortStarts = Self.cohortStarts(query, in: scope.timeZone)
        guard !cohortStarts.isEmpty else { return [] }
        guard cohortStarts.count <= ReportLimits.maxBuckets else {
            throw ServiceError.badInput("the range has more than \(ReportLimits.maxBuckets) periods; at most \(ReportLimits.maxBuckets)")
        }
        let grid = Self.grid(query, cohortStarts: cohortStarts, in: scope.timeZone)
        // Rollups keep event properties only: a filter on person properties reads raw events.
        if !EventSQL.readsPersons(query.filters),
            let rolledUp = try await RollupReports.retention(query, cohortStarts: cohortStarts, grid: grid, scope: scope, on: tx)
        {
            return rolledUp
        }
        let statement = sql(query, cohorts: cohortStarts.count, grid: grid, scope: scope)
        var result = cohortStarts.map { RetentionCohort(start: $0, size: 0, values: Array(repeating: 0, count: query.periods)) }
        for try await (cohort, offset, count) in try await tx.query(statement.query).decode((Int32, Int32, Int64).self) {
            result[Int(cohort) - 1].values[Int(offset)] = Int(count)
            if offset == 0 { result[Int(cohort) - 1].size = Int(count) }
        }
        return result
    }

    /// Checks the query's shape and limits before any SQL runs.
    static func validate(_ query: RetentionQuery) throws(ServiceError) {
        guard query.period != .hour else { throw .badInput("retention periods are DAY, WEEK or MONTH") }
        guard (1...ReportLimits.maxRetentionPeriods).contains(query.periods) else {
            throw .badInput("periods must be 1 to \(ReportLimits.maxRetentionPeriods)")
        }
        try ReportLimits.check(from: query.from, to: query.to)
        try ReportLimits.check(query.filters)
        guard !query.startEvent.isEmpty, !query.returnEvent.isEmpty else {
            throw .badInput("startEvent and returnEvent are required")
        }
    }

    /// The starts of the periods that begin inside the range: one cohort each.
    static func cohortStarts(_ query: RetentionQuery, in timeZone: TimeZone) -> [Date] {
        // One bucket more than the limit: the first may start before `from` and be filtered out.
        query.period.buckets(from: query.from, to: query.to, in: timeZone, limit: ReportLimits.maxBuckets + 1).filter { $0 >= query.from }
    }

    /// The period bounds from the first cohort's start to the end of the last cohort's last period: cohorts plus
    /// `periods` bounds and one more, so that every period is a half-open `[grid[i], grid[i + 1])`.
    static func grid(_ query: RetentionQuery, cohortStarts: [Date], in timeZone: TimeZone) -> [Date] {
        var grid = cohortStarts
        while grid.count < cohortStarts.count + query.periods {
            grid.append(query.period.nextBucket(after: grid.last!, in: timeZone))
        }
        grid.append(query.period.nextBucket(after: grid.last!, in: timeZone))
        return grid
    }

    /// The statement counting each cohort's size (offset 0) and its persons returning `offset` periods later; the
    /// event names are bound.
    static func sql(_ query: RetentionQuery, cohorts: Int, grid: [Date], scope: ReportScope) -> SQLBuilder {
        let cohortEnd = grid[cohorts]
        var b = SQLBuilder()
        let gridParameter = b.bind(grid)
        let project = EventSQL.project(scope, &b)
        let start = b.bind(query.startEvent)
        let returning = b.bind(query.returnEvent)
        let cohortCount = b.bind(Int32(cohorts))
        let periods = b.bind(Int32(query.periods))
        let filters = EventSQL.filters(query.filters, &b)
        let startsSQL: SQLText
        switch query.mode {
        case .recurring:
            startsSQL = """
                SELECT DISTINCT \(EventSQL.person) AS person, width_bucket(e."timestamp", \(gridParameter)::timestamptz[]) AS p
                \(EventSQL.fromEventsWithPersons)
                WHERE \(project) AND e.event = \(start) AND e."timestamp" >= \(b.bind(grid[0])) AND e."timestamp" < \(b.bind(cohortEnd))\(filters)
                """
        case .firstTime:
            startsSQL = """
                SELECT person, width_bucket(first, \(gridParameter)::timestamptz[]) AS p FROM (
                  SELECT \(EventSQL.person) AS person, min(e."timestamp") AS first
                  \(EventSQL.fromEventsWithPersons)
                  WHERE \(project) AND e.event = \(start) AND e."timestamp" < \(b.bind(cohortEnd))\(filters)
                  GROUP BY 1) f
                WHERE first >= \(b.bind(grid[0]))
                """
        }
        b.append(
            """
            WITH starts AS (\(startsSQL)),
            returns AS (
              SELECT DISTINCT \(EventSQL.person) AS person, width_bucket(e."timestamp", \(gridParameter)::timestamptz[]) AS p
              \(EventSQL.fromEventsWithPersons)
              WHERE \(project) AND e.event = \(returning)
                AND e."timestamp" >= \(b.bind(grid[1])) AND e."timestamp" < \(b.bind(grid.last!))\(filters))
            SELECT p, 0, count(*)::int8 FROM starts WHERE p BETWEEN 1 AND \(cohortCount) GROUP BY p
            UNION ALL
            SELECT s.p, r.p - s.p, count(*)::int8 FROM starts s JOIN returns r
              ON r.person = s.person AND r.p > s.p AND r.p < s.p + \(periods)
            WHERE s.p BETWEEN 1 AND \(cohortCount)
            GROUP BY s.p, r.p - s.p
            """)
        return b
    }
}
