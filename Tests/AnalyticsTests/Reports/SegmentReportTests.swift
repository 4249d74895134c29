import Analytics
import Foundation
import Models
import Testing

/// The rollup columns (`rollup_columns`) answer filtered, broken-down, numeric, hourly and partial-day reports exactly
/// as raw events do: before and after late events and merges, and with the raw events of rolled-up days deleted
/// (so the answers can only come from the rollups).
@Suite struct SegmentReportTests {
    /// Days in Berlin (UTC+2 in May): 2026-05-01 … 2026-05-10.
    static let timezone = "Europe/Berlin"
    /// Rollups are built as of this instant: May 1-9 are closed, May 10 has a prefix up to 14:40Z.
    static let now = "2026-05-10T15:00:00Z"

    func seed(_ f: ReportFixture) async throws {
        let countries: [String?] = ["US", "DE", "fr", nil, "US"]
        let plans = [#""pro""#, #""free""#, "null", #""Pro Plus""#, "12"]
        var n = 0
        for day in 0..<10 {
            for user in 0..<(5 + day % 3) {
                for hour in [1, 7, 13, 22] where (user + hour + day) % 3 != 0 {
                    n += 1
                    let time = try date("2026-05-01T00:00:00Z").addingTimeInterval(
                        Double(day * 86_400 + hour * 3_600 + user * 97 + n % 7))
                    var properties: [String] = []
                    if let country = countries[(user + day) % 5] { properties.append(#""country": "\#(country)""#) }
                    properties.append(#""plan": \#(plans[(user * 3 + hour) % 5])"#)
                    if n % 4 != 0 { properties.append(#""amount": \#(Double(n % 37) * 1.25 + 0.1)"#) }
                    if n % 9 == 0 { properties.append(#""amount": "17""#) }
                    if n % 5 == 0 { properties.append(#""beta": true"#) }
                    let name = ["view", "signup", "view", "buy", "share"][(n + user) % 5]
                    let json =
                        "{"
                        + Set(properties.map { String($0.prefix(while: { $0 != ":" })) }).sorted().compactMap { key in
                            properties.last { $0.hasPrefix(key + ":") }
                        }.joined(separator: ", ") + "}"
                    try await f.event(name, "u\(user)", ISO8601DateFormatter().string(from: time), json)
                }
            }
        }
    }

    /// Every shape the rollup columns serve.
    struct Answers {
        var trends: [[TrendSeries]] = []
        var funnels: [FunnelResult] = []
        var retention: [[RetentionCohort]] = []
        var eventNames: [String] = []
    }

    func answers(_ f: ReportFixture) async throws -> Answers {
        // Ranges starting and ending inside days, and one ending inside the open day's raw rest.
        let (from, to) = (try date("2026-05-02T05:37:00Z"), try date("2026-05-09T13:00:00Z"))
        let openTo = try date("2026-05-10T21:30:00Z")
        let filterSets: [[PropertyFilter]] = [
            [PropertyFilter(key: "country", op: .eq, value: .string("US"))],
            [PropertyFilter(key: "country", op: .neq, value: .string("US"))],
            [PropertyFilter(key: "plan", op: .in, value: .array([.string("pro"), .int(12)]))],
            [PropertyFilter(key: "plan", op: .contains, value: .string("PRO"))],
            [PropertyFilter(key: "plan", op: .notContains, value: .string("pro"))],
            [PropertyFilter(key: "amount", op: .gt, value: .int(20))],
            [PropertyFilter(key: "amount", op: .lte, value: .int(5))],
            [PropertyFilter(key: "beta", op: .isSet)],
            [PropertyFilter(key: "country", op: .isNotSet)],
            [PropertyFilter(key: "plan", op: .regex, value: .string("^P"))],
            [PropertyFilter(key: "missing", op: .eq, value: .string("x"))],
            [
                PropertyFilter(key: "country", op: .in, value: .array([.string("US"), .string("DE")])),
                PropertyFilter(key: "plan", op: .isSet), PropertyFilter(key: "amount", op: .gte, value: .int(3)),
            ],
        ]
        var result = Answers()
        for filters in filterSets {
            result.trends.append(
                try await f.trends(
                    TrendsQuery(
                        series: [.init(event: nil, math: .total), .init(event: "view", math: .uniqueUsers)], from: from, to: to,
                        filters: filters)))
        }
        result.trends.append(
            try await f.trends(
                TrendsQuery(
                    series: [.init(event: "view", math: .uniqueUsers), .init(event: nil, math: .total)], from: from, to: openTo,
                    breakdown: "plan", breakdownLimit: 4)))
        result.trends.append(
            try await f.trends(
                TrendsQuery(
                    series: [
                        .init(event: nil, math: .sum, property: "amount"), .init(event: "buy", math: .avg, property: "amount"),
                        .init(event: nil, math: .min, property: "amount"), .init(event: nil, math: .max, property: "amount"),
                        .init(event: nil, math: .median, property: "amount"), .init(event: nil, math: .p95, property: "amount"),
                    ], from: from, to: to, interval: .week)))
        result.trends.append(
            try await f.trends(
                TrendsQuery(
                    series: [.init(event: nil, math: .uniqueUsers), .init(event: "view", math: .total)],
                    from: try date("2026-05-08T09:15:00Z"), to: openTo, interval: .hour)))
        result.trends.append(
            try await f.trends(
                TrendsQuery(
                    series: [
                        .init(event: nil, math: .uniqueUsers), .init(event: nil, math: .total), .init(event: nil, math: .weeklyActive),
                        .init(event: "view", math: .monthlyActive),
                    ], from: from, to: openTo)))
        result.trends.append(
            try await f.trends(
                TrendsQuery(
                    series: [.init(event: nil, math: .weeklyActive)], from: from, to: to,
                    filters: [PropertyFilter(key: "country", op: .eq, value: .string("US"))])))
        for order in FunnelOrder.allCases {
            result.funnels.append(
                try await f.funnel(
                    FunnelQuery(
                        steps: [
                            .init(event: "view", filters: [PropertyFilter(key: "plan", op: .contains, value: .string("pro"))]),
                            .init(event: "signup"), .init(event: "buy", filters: [PropertyFilter(key: "amount", op: .gt, value: .int(2))]),
                        ], from: from, to: to, windowSeconds: 2 * 86_400, order: order)))
            result.funnels.append(
                try await f.funnel(
                    FunnelQuery(
                        steps: [.init(event: "view"), .init(event: "buy")], from: from, to: openTo, windowSeconds: 6 * 3_600,
                        order: order, breakdown: "country")))
        }
        for mode in RetentionMode.allCases {
            result.retention.append(
                try await f.retention(
                    RetentionQuery(
                        startEvent: "signup", returnEvent: "view", period: .day, periods: 4, from: try date("2026-05-03T22:00:00Z"),
                        to: try date("2026-05-08T22:00:00Z"), mode: mode)))
            result.retention.append(
                try await f.retention(
                    RetentionQuery(
                        startEvent: "view", returnEvent: "buy", period: .day, periods: 3, from: try date("2026-05-02T22:00:00Z"),
                        to: try date("2026-05-07T22:00:00Z"), mode: mode,
                        filters: [PropertyFilter(key: "country", op: .neq, value: .string("DE"))])))
            // Cohorts starting before the project's first event.
            result.retention.append(
                try await f.retention(
                    RetentionQuery(
                        startEvent: "signup", returnEvent: "view", period: .week, periods: 3, from: try date("2026-04-19T22:00:00Z"),
                        to: try date("2026-05-09T22:00:00Z"), mode: mode)))
        }
        result.eventNames = try await f.run { try await EventExplorer.eventNames(limit: 100, scope: $1, on: $0) }
        return result
    }

    /// Equal answers; numeric maths may differ in the last bits from the order of summation.
    func expectSame(_ a: Answers, _ b: Answers, _ stage: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.trends.count == b.trends.count)
        for (x, y) in zip(a.trends, b.trends) {
            let same =
                x.count == y.count
                && zip(x, y).allSatisfy { s, t in
                    s.label == t.label && s.breakdownValue == t.breakdownValue && close(s.total, t.total)
                        && s.points.map(\.bucket) == t.points.map(\.bucket)
                        && zip(s.points, t.points).allSatisfy { close($0.value, $1.value) }
                }
            #expect(same, "\(stage): \(x) vs \(y)", sourceLocation: sourceLocation)
        }
        #expect(a.funnels == b.funnels, "\(stage) funnels", sourceLocation: sourceLocation)
        #expect(a.retention == b.retention, "\(stage) retention", sourceLocation: sourceLocation)
        #expect(a.eventNames == b.eventNames, "\(stage) event names", sourceLocation: sourceLocation)
    }

    /// Rollup passes until one has nothing left to build.
    func rollUpEverything(_ f: ReportFixture) async throws {
        for _ in 0..<10 where try await f.rollUp(now: try date(Self.now)) > 0 {}
    }

    func close(_ a: Double, _ b: Double) -> Bool { a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b)) }

    @Test func columnsAnswerLikeRawEventsThroughLateEventsMergesAndDeletedRawEvents() async throws {
        let f = try await ReportFixture.make(timezone: Self.timezone)
        // Days behind the retention horizon are always read raw: keep these (past) days inside it.
        _ = try await f.database.asOwner("UPDATE projects SET retention_days = 3650")
        try await seed(f)
        let raw = try await answers(f)
        // The cases are not empty.
        #expect(
            raw.trends.map { $0.contains { $0.total > 0 } } == Array(repeating: true, count: 10) + [false]
                + Array(repeating: true, count: 6))
        #expect(raw.funnels.allSatisfy { $0.steps[1].count > 0 })
        #expect(raw.eventNames.count == 4)
        #expect(raw.retention.map { $0.contains { $0.size > 0 } } == [true, true, true, false, true, true])
        try await rollUpEverything(f)
        let columns = try await f.database.asOwner("SELECT count(DISTINCT day), count(DISTINCT key) FROM rollup_columns")
        #expect(try columns[0].decode((Int, Int).self) == (10, 4))
        let numbers = try await f.database.asOwner(
            "SELECT count(DISTINCT day), count(*) FILTER (WHERE event = '') FROM rollup_numbers WHERE key = 'amount' AND vals IS NOT NULL")
        #expect(try numbers[0].decode((Int, Int).self) == (10, 10))
        // The open day's prefix ends on the last ten minutes at least twenty minutes before now.
        let prefix = try await f.database.asOwner("SELECT through FROM rollup_timelines WHERE day = '2026-05-10'")
        #expect(try prefix.map { try $0.decode(Date.self) } == [try date("2026-05-10T14:40:00Z")])
        expectSame(try await answers(f), raw, "rolled up")

        // A late event and a merge: their days are read raw until rebuilt, then from the rebuilt columns.
        try await f.event("view", "late", "2026-05-04T10:00:00Z", #"{"country": "US", "plan": "pro", "amount": 99}"#)
        try await f.markLate(["2026-05-04T10:00:00Z"])
        try await f.merge(keep: "u1", other: "u2")
        let changed = try await answers(f)
        #expect(changed.trends[0][0].total == raw.trends[0][0].total + 1)
        try await rollUpEverything(f)
        // The open day (May 10) stays dirty from the merge until it closes; every closed day was rebuilt.
        #expect(try await f.database.asOwner("SELECT 1 FROM rollup_dirty WHERE day < '2026-05-10'").isEmpty)
        expectSame(try await answers(f), changed, "rebuilt")
        _ = try await f.database.asOwner("DELETE FROM rollup_state")
        expectSame(try await answers(f), changed, "raw after changes")
        try await rollUpEverything(f)
        let state = try await f.database.asOwner("SELECT built_from::text, built_through::text FROM rollup_state")
        #expect(try state[0].decode((String, String).self) == ("2026-05-01", "2026-05-10"))

        // Without the raw events of the closed days, only the rollups can give these answers.
        _ = try await f.database.asOwner(#"DELETE FROM events WHERE "timestamp" < '2026-05-09T22:00:00Z'"#)
        expectSame(try await answers(f), changed, "raw events deleted")
    }

    /// Reports on `refund` alone, a rare event (at most 1/16 of each day's events).
    func refundAnswers(_ f: ReportFixture) async throws -> Answers {
        let (from, to) = (try date("2026-05-02T05:37:00Z"), try date("2026-05-09T13:00:00Z"))
        var result = Answers()
        result.trends.append(
            try await f.trends(
                TrendsQuery(
                    series: [.init(event: "refund", math: .uniqueUsers), .init(event: "refund", math: .sum, property: "amount")],
                    from: from, to: to, filters: [PropertyFilter(key: "amount", op: .gt, value: .int(3))])))
        result.trends.append(
            try await f.trends(
                TrendsQuery(
                    series: [.init(event: "refund", math: .total)], from: from, to: try date("2026-05-10T21:30:00Z"),
                    interval: .hour, breakdown: "country")))
        result.funnels.append(
            try await f.funnel(
                FunnelQuery(
                    steps: [
                        .init(event: "refund"), .init(event: "refund", filters: [PropertyFilter(key: "amount", op: .gte, value: .int(4))]),
                    ],
                    from: from, to: to, windowSeconds: 3 * 86_400, order: .ordered, breakdown: "country")))
        result.retention.append(
            try await f.retention(
                RetentionQuery(
                    startEvent: "refund", returnEvent: "refund", period: .day, periods: 3, from: try date("2026-05-01T22:00:00Z"),
                    to: try date("2026-05-08T22:00:00Z"), mode: .recurring,
                    filters: [PropertyFilter(key: "country", op: .isSet)])))
        return result
    }

    @Test func rareEventsAreReadFromTheirOwnRowsWithoutTheDayTimeline() async throws {
        let f = try await ReportFixture.make(timezone: Self.timezone)
        _ = try await f.database.asOwner("UPDATE projects SET retention_days = 3650")
        try await seed(f)
        // Two or three refunds a day among 55-65 events.
        for day in 0..<10 {
            for n in 0..<40 {
                let time = try date("2026-05-01T00:00:00Z").addingTimeInterval(Double(day * 86_400 + n * 2_000 + 31))
                try await f.event("ping", "u\(n % 6)", ISO8601DateFormatter().string(from: time), #"{"country": "US"}"#)
            }
            for user in 0..<(2 + day % 2) {
                let time = try date("2026-05-01T00:00:00Z").addingTimeInterval(Double(day * 86_400 + 9 * 3_600 + user * 1_800))
                let country = user == 1 ? "" : #", "country": "\#(["US", "DE"][(day + user) % 2])""#
                try await f.event(
                    "refund", "u\(user + day % 3)", ISO8601DateFormatter().string(from: time), #"{"amount": \#(day + user)\#(country)}"#)
            }
        }
        let raw = try await refundAnswers(f)
        #expect(raw.trends.allSatisfy { $0.contains { $0.total > 0 } })
        #expect(raw.funnels[0].steps[1].count > 0)
        #expect(raw.retention[0].contains { $0.size > 0 })
        try await rollUpEverything(f)
        let kept = try await f.database.asOwner("SELECT DISTINCT event FROM rollup_event_timelines ORDER BY event")
        let keptNames = try kept.map { try $0.decode(String.self) }
        #expect(keptNames.contains("refund") && !keptNames.contains("ping"))
        expectSame(try await refundAnswers(f), raw, "rolled up")
        // Without the closed days' raw events and with their timelines and column codes emptied, only the refunds'
        // own rows (events and property codes) remain.
        _ = try await f.database.asOwner(#"DELETE FROM events WHERE "timestamp" < '2026-05-09T22:00:00Z'"#)
        _ = try await f.database.asOwner("UPDATE rollup_timelines SET data = ''::bytea WHERE day < '2026-05-10'")
        _ = try await f.database.asOwner("UPDATE rollup_columns SET codes = ''::bytea WHERE day < '2026-05-10'")
        expectSame(try await refundAnswers(f), raw, "timelines emptied")
        // The control: a report on a common event now misses those days.
        let views = try await f.trends(
            TrendsQuery(
                series: [.init(event: "view", math: .total)], from: try date("2026-05-02T05:37:00Z"), to: try date("2026-05-09T13:00:00Z"),
                filters: [PropertyFilter(key: "country", op: .isSet)]))
        #expect(views[0].total == 0)
    }
}
