import Foundation
import Models
import PostgresNIO
import Storage

/// Who joins a retention cohort (CONTRACT.md §3).
public enum RetentionMode: String, Sendable, CaseIterable {
    /// Everyone doing the start event in the period.
    case recurring = "RECURRING"
    /// Only persons whose first start event ever is in the period.
    case firstTime = "FIRST_TIME"
}

/// A retention request (`RetentionInput`).
public struct RetentionQuery: Sendable {
    public var startEvent: String
    public var returnEvent: String
    /// DAY, WEEK or MONTH.
    public var period: Interval
    /// Length of each cohort's `values`.
    public var periods: Int
    public var from: Date
    public var to: Date
    public var mode: RetentionMode

    public init(
        startEvent: String, returnEvent: String, period: Interval = .day, periods: Int, from: Date, to: Date,
        mode: RetentionMode = .recurring
    ) {
        self.startEvent = startEvent
        self.returnEvent = returnEvent
        self.period = period
        self.periods = periods
        self.from = from
        self.to = to
        self.mode = mode
    }
}

/// One cohort: its period's start, size and the persons returning in each following period.
public struct RetentionCohort: Sendable, Equatable {
    public var start: Date
    public var size: Int
    /// `values[0]` is the size; `values[i]` the cohort persons with the return event in period start + i.
    public var values: [Int]
}

/// Retention cohorts for every period starting inside the range.
public enum Retention {
    /// Runs the query inside the tenant transaction `tx`.
    public static func run(_ query: RetentionQuery, scope: ReportScope, on tx: TenantConnection) async throws -> [RetentionCohort] {
        guard query.period != .hour else { throw ServiceError.badInput("retention periods are DAY, WEEK or MONTH") }
        guard (1...ReportLimits.maxRetentionPeriods).contains(query.periods) else {
            throw ServiceError.badInput("periods must be 1 to \(ReportLimits.maxRetentionPeriods)")
        }
        try ReportLimits.check(from: query.from, to: query.to)
        guard !query.startEvent.isEmpty, !query.returnEvent.isEmpty else {
            throw ServiceError.badInput("startEvent and returnEvent are required")
        }
        let cohortStarts = query.period.buckets(from: query.from, to: query.to, in: scope.timeZone).filter { $0 >= query.from }
        guard !cohortStarts.isEmpty else { return [] }
        guard cohortStarts.count <= ReportLimits.maxBuckets else {
            throw ServiceError.badInput("the range has \(cohortStarts.count) periods; at most \(ReportLimits.maxBuckets)")
        }
        var grid = cohortStarts
        while grid.count < cohortStarts.count + query.periods {
            grid.append(query.period.nextBucket(after: grid.last!, in: scope.timeZone))
        }
        grid.append(query.period.nextBucket(after: grid.last!, in: scope.timeZone))
        let cohortEnd = grid[cohortStarts.count]
        if let rolledUp = try await RollupReports.retention(query, cohortStarts: cohortStarts, grid: grid, scope: scope, on: tx) {
            return rolledUp
        }

        var b = SQLBuilder()
        let gridParameter = b.bind(grid)
        let project = EventSQL.project(scope, &b)
        let start = b.bind(query.startEvent)
        let returning = b.bind(query.returnEvent)
        let cohorts = b.bind(Int32(cohortStarts.count))
        let periods = b.bind(Int32(query.periods))
        let startsSQL: String
        switch query.mode {
        case .recurring:
            startsSQL = """
                SELECT DISTINCT \(EventSQL.person) AS person, width_bucket(e."timestamp", \(gridParameter)::timestamptz[]) AS p
                \(EventSQL.fromEventsWithPersons)
                WHERE \(project) AND e.event = \(start) AND e."timestamp" >= \(b.bind(grid[0])) AND e."timestamp" < \(b.bind(cohortEnd))
                """
        case .firstTime:
            startsSQL = """
                SELECT person, width_bucket(first, \(gridParameter)::timestamptz[]) AS p FROM (
                  SELECT \(EventSQL.person) AS person, min(e."timestamp") AS first
                  \(EventSQL.fromEventsWithPersons)
                  WHERE \(project) AND e.event = \(start) AND e."timestamp" < \(b.bind(cohortEnd))
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
                AND e."timestamp" >= \(b.bind(grid[1])) AND e."timestamp" < \(b.bind(grid.last!)))
            SELECT p, 0, count(*)::int8 FROM starts WHERE p BETWEEN 1 AND \(cohorts) GROUP BY p
            UNION ALL
            SELECT s.p, r.p - s.p, count(*)::int8 FROM starts s JOIN returns r
              ON r.person = s.person AND r.p > s.p AND r.p < s.p + \(periods)
            WHERE s.p BETWEEN 1 AND \(cohorts)
            GROUP BY s.p, r.p - s.p
            """)
        var result = cohortStarts.map { RetentionCohort(start: $0, size: 0, values: Array(repeating: 0, count: query.periods)) }
        for try await (cohort, offset, count) in try await tx.query(b.query).decode((Int32, Int32, Int64).self) {
            result[Int(cohort) - 1].values[Int(offset)] = Int(count)
            if offset == 0 { result[Int(cohort) - 1].size = Int(count) }
        }
        return result
    }
}
