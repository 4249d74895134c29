import Foundation
import Models

/// The size limits of a report request (docs/reports.md, "Limits"): they bound the work and the answer of a single
/// request, so that one request cannot hold a database connection or the server's memory for long. A request over
/// a limit is refused with `BAD_USER_INPUT` naming it, before any SQL runs.
public enum ReportLimits {
    /// Most buckets a trend may have (and most cohorts a retention may have). Each bucket is a point of every
    /// result series and an element of the bucket bounds array sent to PostgreSQL; 5,000 hours are about 208 days,
    /// 5,000 days about 13 years.
    public static let maxBuckets = 5_000
    /// Most series in one trends query: each series is a query of its own over the range, so the count bounds the
    /// number of statements one request runs.
    public static let maxSeries = 20
    /// Most breakdown values a trends query may ask for (`breakdownLimit`): each value is one more result series per
    /// query series, with a point per bucket.
    public static let maxBreakdownLimit = 1_000
    /// Most property filters per list (a query's filters, or one funnel step's): each filter is a condition evaluated
    /// on every candidate event and adds bind parameters, so the count bounds the statement's size and per-row work.
    public static let maxFilters = 50
    /// Most funnel steps: each step is one bit of a 32-bit step mask per event, and the step matching looks for each
    /// step from every entry, so the count bounds both.
    public static let maxFunnelSteps = 20
    /// Most events of one person a funnel matches: the person's earliest ones, by (timestamp, uuid), of the events the
    /// funnel reads (those of its steps; with `STRICT` all of the person's events, since any other event breaks a
    /// step); later ones are left out as if they had not happened. The matching keeps a few values per event and
    /// evaluates every entry, so this bounds the memory and the time one person (a bot, a load test) can take;
    /// people do not produce 10,000 funnel events in a range.
    public static let maxFunnelEventsPerPerson = 10_000
    /// Most points a trends answer may hold: series × breakdown values × buckets. Each point is built in memory and
    /// serialised; without this cap 20 series × 1,000 breakdown values × 5,000 buckets would be 100 million points.
    public static let maxPoints = 500_000
    /// Most retention periods per cohort: each cohort returns this many values, and the period grid (cohorts plus
    /// periods) grows with it; 400 covers more than a year of daily retention.
    public static let maxRetentionPeriods = 400

    /// Checks a filter list: at most `maxFilters`, each one's operand fitting its operator.
    static func check(_ filters: [PropertyFilter]) throws(ServiceError) {
        guard filters.count <= maxFilters else { throw .badInput("at most \(maxFilters) property filters") }
        for filter in filters { try filter.validate() }
    }

    /// Checks by arithmetic alone, before any bucket is built, that `[from, to)` cannot hold more than `maxBuckets`
    /// buckets of `interval`: the span divided by the longest a bucket can last (DST and half-hour zone changes
    /// included) is a lower bound of the count. `Interval.buckets(limit:)` then builds at most one bucket more.
    static func checkBucketCount(_ interval: Interval, from: Date, to: Date, what: String) throws(ServiceError) {
        let longest: TimeInterval
        switch interval {
        case .hour: longest = 2 * 3_600
        case .day: longest = 26 * 3_600
        case .week: longest = (7 * 24 + 2) * 3_600
        case .month: longest = (31 * 24 + 2) * 3_600
        }
        let atLeast = (to.timeIntervalSince(from) / longest).rounded(.down)
        guard atLeast <= Double(maxBuckets) else {
            throw .badInput("the range has more than \(maxBuckets) \(what); at most \(maxBuckets)")
        }
    }

    /// Checks a report range is not empty or reversed (every report's range is the half-open `[from, to)`).
    static func check(from: Date, to: Date) throws(ServiceError) {
        guard from < to else { throw .badInput("dateFrom must be before dateTo") }
    }
}
