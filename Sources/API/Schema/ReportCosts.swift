import Analytics
import Foundation
import GraphQL

/// What the report fields of `schema.graphql` weigh in the GraphQL cost limit (`IV_GRAPHQL_MAX_COST`), estimated
/// from their arguments (docs/reports.md, "Limits"). Every other field costs 1, and selections below list fields are
/// multiplied as the engine does; these weights are each report field's own cost on top.
///
/// The unit is one plain field. A report runs one or more SQL statements over a range of events, so it weighs what
/// its answer and its scan are likely to cost: trends by points (series × breakdown values × buckets), funnels by
/// steps × weeks scanned, retention by cohorts × periods, each more when it has to read raw events instead of the
/// daily rollups. An argument given as a variable whose value is not known counts at its worst case. One report
/// weighs at most `maxReportWeight`, so that any single report the limits of `ReportLimits` allow still runs under
/// the default limit: the cost limit bounds how much work one request may bundle, `ReportLimits` how big one
/// report may be.
enum ReportCosts {
    /// The most one report field weighs (its selections not counted): with the default limit of 5,000 a request
    /// holds at most two reports of the heaviest kind.
    static let maxReportWeight = 2_000
    /// What one trends series weighs at least: each series is a statement of its own.
    static let trendsSeriesWeight = 5
    /// Trends points per unit of weight.
    static let trendsPointsPerUnit = 10
    /// The least a funnel or a retention weighs: both read every relevant event of the range per person.
    static let funnelBaseWeight = 100
    /// The least a retention weighs.
    static let retentionBaseWeight = 100
    /// Retention values (cohorts × periods) per unit of weight.
    static let retentionValuesPerUnit = 20
    /// How much more a report weighs when it reads raw events instead of rollups (trends, retention).
    static let rawFactor = 2
    /// How much more a funnel weighs with step filters or a breakdown (raw events, and per-value matching).
    static let rawFunnelFactor = 3
    /// `eventNames` groups every event of the project.
    static let eventNamesWeight = 50
    /// `propertyKeys` reads the newest 10,000 events; `personPropertyKeys` the 10,000 most recently changed persons.
    static let propertyKeysWeight = 20
    /// `persons` groups the newest 10,000 events, or with `search` reads every distinct id of the project.
    static let personsWeight = 50
    /// `person` looks one distinct id up and its person's last event.
    static let personWeight = 10

    /// The weights, for `GraphQLEngineOptions.fieldCosts`.
    static let fieldCosts: FieldCosts = {
        var costs = FieldCosts()
        costs.set("Query", "trends", .estimate(trends))
        costs.set("Query", "funnel", .estimate(funnel))
        costs.set("Query", "retention", .estimate(retention))
        costs.set("Query", "events", .estimate(events))
        costs.set("Query", "liveEvents", .estimate(liveEvents))
        costs.set("Query", "eventNames", .weight(eventNamesWeight))
        costs.set("Query", "propertyKeys", .weight(propertyKeysWeight))
        costs.set("Query", "personPropertyKeys", .weight(propertyKeysWeight))
        costs.set("Query", "persons", .weight(personsWeight))
        costs.set("Query", "person", .weight(personWeight))
        // A shared dashboard runs every report on it (up to 100) whatever is selected of their answers: it weighs what
        // the heaviest report does, selections included.
        costs.set("Query", "sharedDashboard", .total(maxReportWeight))
        return costs
    }()

    /// `trends`: `(5 × series + points / 10)`, doubled for raw events (hourly buckets, filters, numeric maths, a
    /// breakdown of anything but `TOTAL`) and again with `compareToPrevious`, at least 10.
    static func trends(_ arguments: FieldCostArguments) -> Int {
        let input = arguments["input"]?.objectValue
        let seriesItems = input?["series"]?.listValue
        let series = clamp(seriesItems?.count ?? ReportLimits.maxSeries, 1, ReportLimits.maxSeries)
        let interval = input.map { $0["interval"] } ?? nil
        let buckets = bucketCount(span(input), length: intervalSeconds(interval))
        let breakdown = input.map { $0["breakdown"] } ?? nil
        let hasBreakdown = breakdown.map { !$0.isNull } ?? true
        let limit = input?["breakdownLimit"].map { $0.isNull ? 25 : ($0.intValue ?? ReportLimits.maxBreakdownLimit) }
        let values = hasBreakdown ? clamp(limit ?? ReportLimits.maxBreakdownLimit, 1, ReportLimits.maxBreakdownLimit) : 1
        let maths = seriesItems?.map { $0["math"]?.stringValue }
        let rollupMaths: Set<String?> = ["TOTAL", "UNIQUE_USERS", "WEEKLY_ACTIVE", "MONTHLY_ACTIVE"]
        let raw =
            interval?.stringValue == "HOUR" || interval == nil || !isEmptyList(input?["filters"])
            || maths.map { !$0.allSatisfy(rollupMaths.contains) } ?? true
            || (hasBreakdown && (maths.map { !$0.allSatisfy { $0 == "TOTAL" } } ?? true))
        let points = series * values * buckets
        let weight = (trendsSeriesWeight * series + divideRoundingUp(points, trendsPointsPerUnit)) * (raw ? rawFactor : 1) * runs(input)
        return clamp(weight, 10, maxReportWeight)
    }

    /// `funnel`: `100 + steps × weeks` (range plus window, in weeks rounded up), the weeks tripled with step filters
    /// or a breakdown.
    static func funnel(_ arguments: FieldCostArguments) -> Int {
        let input = arguments["input"]?.objectValue
        let stepItems = input?["steps"]?.listValue
        let steps = clamp(stepItems?.count ?? ReportLimits.maxFunnelSteps, 2, ReportLimits.maxFunnelSteps)
        let window = input?["windowSeconds"]?.intValue ?? 366 * 86_400
        let days = daysSpanned(span(input), extra: window)
        let breakdown = input.map { $0["breakdown"] } ?? nil
        let raw = breakdown.map { !$0.isNull } ?? true || stepItems.map { $0.contains { !isEmptyList($0["filters"]) } } ?? true
        let weight = funnelBaseWeight + steps * divideRoundingUp(days, 7) * (raw ? rawFunnelFactor : 1)
        return clamp(weight * runs(input), funnelBaseWeight, maxReportWeight)
    }

    /// `retention`: `100 + cohorts × periods / 20`, the second term doubled for `FIRST_TIME` (raw events).
    static func retention(_ arguments: FieldCostArguments) -> Int {
        let input = arguments["input"]?.objectValue
        let period = input.map { $0["period"] } ?? nil
        let cohorts = bucketCount(span(input), length: intervalSeconds(period ?? .string("DAY")))
        let periods = clamp(input?["periods"]?.intValue ?? ReportLimits.maxRetentionPeriods, 1, ReportLimits.maxRetentionPeriods)
        let firstTime = (input.map { $0["mode"] } ?? nil).map { $0.stringValue == "FIRST_TIME" } ?? true
        let weight = retentionBaseWeight + divideRoundingUp(cohorts * periods, retentionValuesPerUnit) * (firstTime ? rawFactor : 1)
        return clamp(weight, retentionBaseWeight, maxReportWeight)
    }

    /// `events`: `10 + first / 10`, doubled with property filters (raw events, possibly many read per match).
    static func events(_ arguments: FieldCostArguments) -> Int {
        let first = clamp(arguments["first"]?.intValue ?? EventExplorer.maxPageSize, 1, EventExplorer.maxPageSize)
        let filter = arguments.values["filter"]
        let filtered = filter.map { !isEmptyList($0["properties"]) && !$0.isNull } ?? true
        return (10 + divideRoundingUp(first, 10)) * (filtered ? 2 : 1)
    }

    /// `liveEvents`: `5 + limit / 10` (an index range on receive time).
    static func liveEvents(_ arguments: FieldCostArguments) -> Int {
        5 + divideRoundingUp(clamp(arguments["limit"]?.intValue ?? EventExplorer.maxPageSize, 1, EventExplorer.maxPageSize), 10)
    }

    // MARK: Estimates

    /// A report input's range: `dateFrom` and `dateTo`, or `range` resolved now in UTC (the project's zone moves
    /// it by hours at most); nil when not known (a variable, or not valid: the resolver refuses it).
    static func span(_ input: OrderedObject?) -> (from: Date, to: Date)? {
        guard let input, let range = try? ReportInputs.range(input) else { return nil }
        return range.resolve(now: Date(), in: .gmt)
    }

    /// Buckets of `length` seconds in `[from, to)`, one more for the partial bucket alignment adds; the most a
    /// report may have (plus one) when the range is not known.
    static func bucketCount(_ span: (from: Date, to: Date)?, length: Double) -> Int {
        guard let (from, to) = span else { return ReportLimits.maxBuckets + 1 }
        guard from < to else { return 1 }
        let count = (to.timeIntervalSince(from) / length).rounded(.up) + 1
        return Int(min(count, Double(ReportLimits.maxBuckets + 1)))
    }

    /// Whole days from `from` to `to` plus `extra` seconds (a funnel's window); 10 years when the range is not known.
    static func daysSpanned(_ span: (from: Date, to: Date)?, extra: Int) -> Int {
        guard let (from, to) = span else { return 3_660 }
        guard from < to else { return 1 }
        let days = (to.timeIntervalSince(from) + Double(max(0, extra))) / 86_400
        return Int(min(days.rounded(.up), 3_660))
    }

    /// The shortest length of an interval's buckets (so the count is not underestimated); an hour when unknown.
    static func intervalSeconds(_ interval: Value?) -> Double {
        switch interval?.stringValue {
        case "DAY": return 86_400
        case "WEEK": return 7 * 86_400
        case "MONTH": return 28 * 86_400
        default: return interval?.isNull == true ? 86_400 : 3_600
        }
    }

    /// True for null and `[]`; false for a non-empty list and for an unknown value (nil).
    /// 2 when the report also runs over the previous period (`compareToPrevious`; an unknown input counts as
    /// comparing), else 1.
    static func runs(_ input: OrderedObject?) -> Int {
        input?["compareToPrevious"].map { $0.boolValue == true ? 2 : 1 } ?? 2
    }

    static func isEmptyList(_ value: Value?) -> Bool {
        guard let value else { return false }
        return value.isNull || value.listValue?.isEmpty == true
    }

    static func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int { min(max(value, low), high) }

    static func divideRoundingUp(_ value: Int, _ divisor: Int) -> Int { (value + divisor - 1) / divisor }
}
