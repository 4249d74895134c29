import Foundation
import Models
import Testing

@testable import Analytics

/// Report input values never reach SQL text: every string a request carries (event names, property keys, filter
/// operands, breakdown keys) is bound as a parameter, so a hostile value is data, whatever it holds.
@Suite struct SQLBuilderTests {
    /// A value that would break out of a quoted SQL string and run a statement, if it were ever written into SQL.
    static let marker = "x'); DROP TABLE events; --marker"
    /// The marker as a regular expression that matches it (the marker alone is not a valid pattern).
    static let markerPattern = "x'\\); DROP TABLE events; --marker"
    /// A numeric property's key, also carrying the marker.
    static let numberKey = marker + " n"
    /// The second event name of funnels and retention.
    static let returnEvent = marker + " 2"

    /// A project that only the SQL-text tests use (they never run their statements).
    static let scope = ReportScope(org: Org.ID(UUID()), project: Project.ID(UUID()), timezone: "Europe/Berlin")

    /// Every filter operator, each with the marker in its key and, where it takes one, its operand.
    static var everyFilter: [PropertyFilter] {
        [
            PropertyFilter(key: marker, op: .eq, value: .string(marker)),
            PropertyFilter(key: marker, op: .neq, value: .string(marker + "!")),
            PropertyFilter(key: marker, op: .contains, value: .string("DROP TABLE EVENTS; --MARKER")),
            PropertyFilter(key: marker, op: .notContains, value: .string(marker + "!")),
            PropertyFilter(key: marker, op: .regex, value: .string(markerPattern)),
            PropertyFilter(key: numberKey, op: .gt, value: .int(2)),
            PropertyFilter(key: numberKey, op: .gte, value: .int(3)),
            PropertyFilter(key: numberKey, op: .lt, value: .int(10)),
            PropertyFilter(key: numberKey, op: .lte, value: .int(4)),
            PropertyFilter(key: marker, op: .isSet),
            PropertyFilter(key: marker + " absent", op: .isNotSet),
            PropertyFilter(key: marker, op: .in, value: .array([.string(marker), .string(marker + "?")])),
        ]
    }

    /// A trends query with the marker in every series' event and property, the breakdown and every filter.
    static func trendsQuery(breakdown: Bool) throws -> TrendsQuery {
        TrendsQuery(
            series: [
                .init(event: marker, math: .total), .init(event: marker, math: .uniqueUsers),
                .init(event: marker, math: .weeklyActive), .init(event: marker, math: .sum, property: numberKey),
                .init(event: nil, math: .median, property: numberKey),
            ],
            from: try date("2026-01-05T00:00:00Z"), to: try date("2026-01-08T00:00:00Z"), interval: .day,
            breakdown: breakdown ? marker : nil, filters: everyFilter)
    }

    /// A funnel with the marker in both steps' events and filters and in the breakdown.
    static func funnelQuery(order: FunnelOrder) throws -> FunnelQuery {
        FunnelQuery(
            steps: [.init(event: marker, filters: everyFilter), .init(event: returnEvent, filters: [everyFilter[0]])],
            from: try date("2026-01-05T00:00:00Z"), to: try date("2026-01-08T00:00:00Z"), windowSeconds: 2 * 86_400,
            order: order, breakdown: marker)
    }

    /// A retention with the marker in both events.
    static func retentionQuery(mode: RetentionMode) throws -> RetentionQuery {
        RetentionQuery(
            startEvent: marker, returnEvent: returnEvent, period: .day, periods: 2, from: try date("2026-01-05T00:00:00Z"),
            to: try date("2026-01-07T00:00:00Z"), mode: mode)
    }

    /// Checks one statement: it binds values, and no part of the marker is in its text.
    func expectClean(_ statement: SQLBuilder, _ what: String) {
        #expect(statement.bindings.count > 0, "\(what) binds nothing")
        for piece in [Self.marker, "marker", "DROP", "x'"] {
            #expect(!statement.text.contains(piece), "\(what) has \(piece) in its SQL text: \(statement.text)")
        }
    }

    @Test func trendsBindEveryValue() throws {
        for breakdown in [false, true] {
            let query = try Self.trendsQuery(breakdown: breakdown)
            try Trends.validate(query)
            let starts = query.interval.buckets(from: query.from, to: query.to, in: Self.scope.timeZone)
            let bounds = starts + [query.interval.nextBucket(after: starts.last!, in: Self.scope.timeZone)]
            for series in query.series {
                let statement =
                    if let days = series.math.activeWindowDays {
                        Trends.activeUsersSQL(series, days: days, bounds: bounds, query: query, scope: Self.scope)
                    } else {
                        Trends.bucketedSQL(series, bounds: bounds, query: query, scope: Self.scope)
                    }
                expectClean(statement, "trends \(series.math) breakdown \(breakdown)")
            }
        }
    }

    @Test func funnelsBindEveryValue() throws {
        for order in FunnelOrder.allCases {
            let query = try Self.funnelQuery(order: order)
            try Funnel.validate(query)
            expectClean(Funnel.sql(query, scope: Self.scope), "funnel \(order)")
        }
    }

    @Test func retentionBindsEveryValue() throws {
        for mode in RetentionMode.allCases {
            let query = try Self.retentionQuery(mode: mode)
            try Retention.validate(query)
            let starts = Retention.cohortStarts(query, in: Self.scope.timeZone)
            let grid = Retention.grid(query, cohortStarts: starts, in: Self.scope.timeZone)
            expectClean(Retention.sql(query, cohorts: starts.count, grid: grid, scope: Self.scope), "retention \(mode)")
        }
    }

    /// The same statements run on PostgreSQL and match the marker as an ordinary value: the three marker events pass
    /// every filter, "other" has none of the properties.
    @Test func markerStatementsRunAndMatchTheMarkerAsData() async throws {
        let f = try await ReportFixture.make(timezone: "UTC")
        let marker = Self.marker
        let properties = { (n: Int) in
            String(data: try JSONSerialization.data(withJSONObject: [marker: marker, Self.numberKey: n]), encoding: .utf8)!
        }
        try await f.event(marker, "u1", "2026-01-05T10:00:00Z", try properties(3))
        try await f.event(Self.returnEvent, "u1", "2026-01-06T11:00:00Z", try properties(3))
        try await f.event(marker, "u2", "2026-01-06T10:00:00Z", try properties(4))
        try await f.event("other", "u2", "2026-01-06T12:00:00Z")

        // Days 01-05, 01-06, 01-07. Weekly actives: u1, then u1 and u2. The median has every event: 3, then 3 and 4.
        let trends = try await f.trends(try Self.trendsQuery(breakdown: true))
        #expect(trends.map(\.breakdownValue) == [marker, marker, marker, marker, marker])
        #expect(trends[0].points.map(\.value) == [1, 1, 0])
        #expect(trends[1].total == 2)
        #expect(trends[2].points.map(\.value) == [1, 2, 2])
        #expect(trends[3].total == 7)
        #expect(trends[4].points.map(\.value) == [3, 3.5, 0])

        // u1 reaches the second step 25 hours after entering (window 2 days); u2 only enters.
        let funnel = try await f.funnel(try Self.funnelQuery(order: .ordered))
        #expect(funnel.steps.map(\.count) == [2, 1])
        #expect(funnel.breakdowns.map(\.value) == [marker])
        #expect(funnel.breakdowns.first?.steps.map(\.count) == [2, 1])

        // Cohort 01-05 is u1, back on 01-06; cohort 01-06 is u2.
        let retention = try await f.retention(try Self.retentionQuery(mode: .recurring))
        #expect(retention.map(\.values) == [[1, 1], [1, 0]])

        let events = try await f.run { tx, scope in
            try await EventExplorer.page(EventFilter(properties: Self.everyFilter), first: 10, after: nil, scope: scope, on: tx)
        }
        #expect(events.events.count == 3)
        #expect(events.events.allSatisfy { [marker, Self.returnEvent].contains($0.event.event) })
    }
}
