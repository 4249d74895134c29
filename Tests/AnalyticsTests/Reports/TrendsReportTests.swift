import Analytics
import Foundation
import Models
import Testing

/// Trends on hand-made events; every expected number was worked out by hand from docs/reports.md.
@Suite struct TrendsReportTests {
    @Test func dayBucketsFollowNewYorkAcrossTheSpringForwardDay() async throws {
        // 2026-03-08 is 23 hours long in New York: [05:00Z, next day 04:00Z).
        let f = try await ReportFixture.make(timezone: "America/New_York")
        try await f.event("view", "u1", "2026-03-07T04:59:59Z")  // before dateFrom
        try await f.event("view", "u1", "2026-03-07T05:00:00Z")  // exactly dateFrom: Mar 7
        try await f.event("view", "u1", "2026-03-08T04:59:59Z")  // Mar 7 23:59:59 EST
        try await f.event("view", "u2", "2026-03-08T05:00:00Z")  // Mar 8 00:00 EST
        try await f.event("view", "u2", "2026-03-09T03:59:59Z")  // Mar 8 23:59:59 EDT
        try await f.event("view", "u3", "2026-03-09T04:00:00Z")  // Mar 9 00:00 EDT
        try await f.event("view", "u3", "2026-03-10T04:00:00Z")  // exactly dateTo: excluded
        try await f.event("other", "u4", "2026-03-09T12:00:00Z")
        let series = try await f.trends(
            TrendsQuery(
                series: [.init(event: "view", math: .total), .init(event: "view", math: .uniqueUsers), .init(event: nil, math: .total)],
                from: try date("2026-03-07T05:00:00Z"), to: try date("2026-03-10T04:00:00Z")))
        let buckets = [try date("2026-03-07T05:00:00Z"), try date("2026-03-08T05:00:00Z"), try date("2026-03-09T04:00:00Z")]
        #expect(series.map { $0.points.map(\.bucket) } == [buckets, buckets, buckets])
        #expect(series[0].points.map(\.value) == [2, 2, 1])
        #expect(series[0].total == 5)
        #expect(series[1].points.map(\.value) == [1, 1, 1])
        #expect(series[1].total == 3)
        #expect(series[2].points.map(\.value) == [2, 2, 2])
        #expect(series[2].total == 6)
    }

    @Test func hourBucketsAcrossTheFallBackHourAreTwoRealHours() async throws {
        // 2026-11-01 01:00-02:00 happens twice in New York: 05:00Z (EDT) and 06:00Z (EST).
        let f = try await ReportFixture.make(timezone: "America/New_York")
        try await f.event("view", "u1", "2026-11-01T05:10:00Z")
        try await f.event("view", "u1", "2026-11-01T06:10:00Z")
        try await f.event("view", "u1", "2026-11-01T06:20:00Z")
        let series = try await f.trends(
            TrendsQuery(
                series: [.init(event: "view", math: .total)], from: try date("2026-11-01T05:00:00Z"),
                to: try date("2026-11-01T07:00:00Z"), interval: .hour))
        #expect(series[0].points.map(\.bucket) == [try date("2026-11-01T05:00:00Z"), try date("2026-11-01T06:00:00Z")])
        #expect(series[0].points.map(\.value) == [1, 2])
    }

    @Test func emptyRangesAreZeroFilledAndWeeksStartOnMonday() async throws {
        let f = try await ReportFixture.make(timezone: "America/New_York")
        // Wednesday 2026-03-04 to Thursday 2026-03-12: the weeks of Monday 03-02 and Monday 03-09 (local).
        let query = TrendsQuery(
            series: [.init(event: "view", math: .uniqueUsers), .init(event: "view", math: .p95, property: "amount")],
            from: try date("2026-03-04T05:00:00Z"), to: try date("2026-03-12T04:00:00Z"), interval: .week)
        let series = try await f.trends(query)
        #expect(series.count == 2)
        #expect(series[0].points.map(\.bucket) == [try date("2026-03-02T05:00:00Z"), try date("2026-03-09T04:00:00Z")])
        #expect(series.allSatisfy { $0.points.map(\.value) == [0, 0] && $0.total == 0 })
        var broken = query
        broken.breakdown = "browser"
        #expect(try await f.trends(broken).isEmpty)
    }

    @Test func numericMathsIgnoreNonNumbersAndPercentilesAreContinuous() async throws {
        let f = try await ReportFixture.make()
        for (i, amount) in ["10", "20", "30", "40", "\"50\"", "true", "null"].enumerated() {
            try await f.event("buy", "u\(i)", "2026-05-01T10:00:00Z", #"{"amount": \#(amount)}"#)
        }
        try await f.event("buy", "u9", "2026-05-01T11:00:00Z")
        let maths: [TrendMath] = [.sum, .avg, .min, .max, .median, .p90, .p95, .p99]
        let series = try await f.trends(
            TrendsQuery(
                series: maths.map { .init(event: "buy", math: $0, property: "amount") },
                from: try date("2026-05-01T00:00:00Z"), to: try date("2026-05-03T00:00:00Z")))
        let expected: [Double] = [100, 25, 10, 40, 25, 37, 38.5, 39.7]
        for (result, value) in zip(series, expected) {
            #expect(abs(result.points[0].value - value) < 1e-9, "\(result.math)")
            #expect(abs(result.total - value) < 1e-9, "\(result.math) total")
            #expect(result.points[1].value == 0, "\(result.math) empty day")
        }
    }

    @Test func breakdownKeepsTopValuesWithNullsLast() async throws {
        let f = try await ReportFixture.make()
        let browsers = [
            #"{"browser":"Chrome"}"#, #"{"browser":"Chrome"}"#, #"{"browser":"Chrome"}"#, #"{"browser":"Firefox"}"#,
            #"{"browser":"Firefox"}"#, "{}", "{}", #"{"browser":null}"#, #"{"browser":"Safari"}"#,
        ]
        for (i, properties) in browsers.enumerated() {
            try await f.event("view", "u\(i)", "2026-05-01T10:00:00Z", properties)
        }
        let query = TrendsQuery(
            series: [.init(event: "view", math: .total)], from: try date("2026-05-01T00:00:00Z"),
            to: try date("2026-05-02T00:00:00Z"), breakdown: "browser", breakdownLimit: 3)
        let series = try await f.trends(query)
        // Chrome 3 and null 3 (missing and JSON null) tie: value order puts null last; then Firefox 2; Safari cut.
        #expect(series.map(\.breakdownValue) == ["Chrome", nil, "Firefox"])
        #expect(series.map(\.total) == [3, 3, 2])
        #expect(series.map { $0.points[0].value } == [3, 3, 2])
    }

    @Test func mergesAfterTheFactApplyToPastEvents() async throws {
        let f = try await ReportFixture.make()
        try await f.event("view", "anon-1", "2026-05-01T10:00:00Z")
        try await f.event("view", "user-1", "2026-05-02T10:00:00Z")
        let query = TrendsQuery(
            series: [.init(event: "view", math: .uniqueUsers)], from: try date("2026-05-01T00:00:00Z"),
            to: try date("2026-05-03T00:00:00Z"))
        #expect(try await f.trends(query)[0].total == 2)
        try await f.merge(keep: "user-1", other: "anon-1")
        let after = try await f.trends(query)[0]
        #expect(after.total == 1)
        #expect(after.points.map(\.value) == [1, 1])
    }

    @Test func weeklyActiveLooksBackSevenDaysFromEachBucketEnd() async throws {
        let f = try await ReportFixture.make()
        try await f.event("view", "u1", "2026-03-01T12:00:00Z")
        try await f.event("view", "u2", "2026-03-05T12:00:00Z")
        try await f.event("view", "u3", "2026-03-09T12:00:00Z")
        try await f.event("view", "u4", "2026-03-10T00:00:00Z")  // at dateTo: never counted
        let series = try await f.trends(
            TrendsQuery(
                series: [.init(event: "view", math: .weeklyActive), .init(event: "view", math: .monthlyActive)],
                from: try date("2026-03-07T00:00:00Z"), to: try date("2026-03-10T00:00:00Z")))
        // Mar 7: [Mar 1, Mar 8) = u1 u2; Mar 8: [Mar 2, Mar 9) = u2; Mar 9: [Mar 3, Mar 10) = u2 u3.
        #expect(series[0].points.map(\.value) == [2, 1, 2])
        #expect(series[0].total == 2)
        #expect(series[1].points.map(\.value) == [2, 2, 3])
        #expect(series[1].total == 3)
    }

    @Test(arguments: [
        (PropertyFilter(key: "plan", op: .eq, value: .string("pro")), 1),
        (PropertyFilter(key: "plan", op: .neq, value: .string("pro")), 3),
        (PropertyFilter(key: "tag", op: .contains, value: .string("alp")), 1),
        (PropertyFilter(key: "tag", op: .notContains, value: .string("alp")), 3),
        (PropertyFilter(key: "plan", op: .regex, value: .string("^f")), 1),
        (PropertyFilter(key: "n", op: .gt, value: .int(4)), 1),
        (PropertyFilter(key: "n", op: .gte, value: .int(5)), 1),
        (PropertyFilter(key: "n", op: .lt, value: .double(5.5)), 1),
        (PropertyFilter(key: "n", op: .lte, value: .int(4)), 0),
        (PropertyFilter(key: "plan", op: .isSet), 3),
        (PropertyFilter(key: "plan", op: .isNotSet), 1),
        (PropertyFilter(key: "plan", op: .in, value: .array([.string("pro"), .string("free")])), 2),
        (PropertyFilter(key: "n", op: .eq, value: .int(5)), 1),
    ])
    func everyFilterOperator(filter: PropertyFilter, expected: Int) async throws {
        let f = try await ReportFixture.make()
        try await f.event("view", "u1", "2026-05-01T10:00:00Z", #"{"plan":"pro","n":5,"tag":"Alpha"}"#)
        try await f.event("view", "u2", "2026-05-01T10:00:00Z", #"{"plan":"free","n":"7"}"#)
        try await f.event("view", "u3", "2026-05-01T10:00:00Z", #"{"plan":null}"#)
        try await f.event("view", "u4", "2026-05-01T10:00:00Z")
        let series = try await f.trends(
            TrendsQuery(
                series: [.init(event: "view", math: .total)], from: try date("2026-05-01T00:00:00Z"),
                to: try date("2026-05-02T00:00:00Z"), filters: [filter]))
        #expect(series[0].total == Double(expected))
    }

    @Test func badInputsAreRefusedWithACode() async throws {
        let f = try await ReportFixture.make()
        let day = try date("2026-05-01T00:00:00Z")
        let cases: [TrendsQuery] = [
            TrendsQuery(series: [], from: day, to: day.addingTimeInterval(86_400)),
            TrendsQuery(series: [.init(event: nil, math: .total)], from: day, to: day),
            TrendsQuery(series: [.init(event: nil, math: .sum)], from: day, to: day.addingTimeInterval(86_400)),
            TrendsQuery(series: [.init(event: nil, math: .total)], from: day, to: day.addingTimeInterval(86_400 * 400), interval: .hour),
            TrendsQuery(
                series: [.init(event: nil, math: .total)], from: day, to: day.addingTimeInterval(86_400),
                filters: [PropertyFilter(key: "n", op: .gt, value: .string("x"))]),
        ]
        for query in cases {
            await #expect(throws: ServiceError.self) { try await f.trends(query) }
        }
    }
}
