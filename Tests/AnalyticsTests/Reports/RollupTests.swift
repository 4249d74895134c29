import Analytics
import Foundation
import Testing

/// Rollups answer exactly what raw events answer, before and after late events, merges and time-zone changes.
@Suite struct RollupTests {
    static let from = "2026-03-01T05:00:00Z"  // 2026-03-01 00:00 in New York
    static let to = "2026-03-11T04:00:00Z"  // 2026-03-11 00:00 EDT (after the spring-forward day)

    func seed(_ f: ReportFixture) async throws {
        var n = 0
        for day in 0..<12 {
            for user in 0..<(3 + day % 4) {
                n += 1
                let time = try date("2026-02-28T12:00:00Z").addingTimeInterval(Double(day * 86_400 + user * 1_800))
                let country = ["US", "DE", "FR"][user % 3]
                let properties = user == 2 ? #"{"n": \#(n)}"# : #"{"country": "\#(country)", "n": \#(n)}"#
                try await f.event(
                    user % 2 == 0 ? "view" : "buy", "u\(user + day % 3)", ISO8601DateFormatter().string(from: time), properties)
            }
        }
        try await f.event("view", "anon-7", "2026-03-02T15:00:00Z", #"{"country": "US"}"#)
    }

    func reports(_ f: ReportFixture) async throws -> ([TrendSeries], [TrendSeries], [RetentionCohort], [FunnelResult]) {
        let trends = try await f.trends(
            TrendsQuery(
                series: [
                    .init(event: nil, math: .total), .init(event: "view", math: .uniqueUsers), .init(event: nil, math: .uniqueUsers),
                    .init(event: nil, math: .weeklyActive), .init(event: "buy", math: .monthlyActive),
                ],
                from: try date(Self.from), to: try date(Self.to)))
        let weekly = try await f.trends(
            TrendsQuery(
                series: [.init(event: "view", math: .total)], from: try date(Self.from), to: try date(Self.to),
                interval: .week, breakdown: "country", breakdownLimit: 2))
        let retention = try await f.retention(
            RetentionQuery(
                startEvent: "view", returnEvent: "buy", period: .day, periods: 4, from: try date(Self.from), to: try date(Self.to)))
        var funnels: [FunnelResult] = []
        for order in FunnelOrder.allCases {
            // The range ends mid-day and the window reaches past the last rolled-up day.
            funnels.append(
                try await f.funnel(
                    FunnelQuery(
                        steps: [.init(event: "view"), .init(event: "buy"), .init(event: "view")], from: try date(Self.from),
                        to: try date("2026-03-09T17:00:00Z"), windowSeconds: 2 * 86_400, order: order)))
        }
        return (trends, weekly, retention, funnels)
    }

    func expectSame(
        _ a: ([TrendSeries], [TrendSeries], [RetentionCohort], [FunnelResult]),
        _ b: ([TrendSeries], [TrendSeries], [RetentionCohort], [FunnelResult]), _ stage: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(a.0 == b.0, "\(stage) trends", sourceLocation: sourceLocation)
        #expect(a.1 == b.1, "\(stage) breakdown", sourceLocation: sourceLocation)
        #expect(a.2 == b.2, "\(stage) retention", sourceLocation: sourceLocation)
        for (x, y) in zip(a.3, b.3) {
            #expect(x.steps.map(\.count) == y.steps.map(\.count), "\(stage) funnel", sourceLocation: sourceLocation)
        }
        #expect(a.3 == b.3, "\(stage) funnels", sourceLocation: sourceLocation)
    }

    @Test func rollupsMatchRawEventsThroughLateEventsMergesAndZoneChanges() async throws {
        let f = try await ReportFixture.make(timezone: "America/New_York")
        try await seed(f)
        let raw = try await reports(f)
        #expect(raw.0[0].total > 0)
        #expect(raw.3.allSatisfy { $0.steps[1].count > 0 })
        // Mid-day: Mar 1..8 (New York) are closed; Mar 9 gets a prefix up to 14:40Z.
        let built = try await f.rollUp(now: try date("2026-03-09T15:00:00Z"))
        #expect(built >= 8)
        let prefix = try await f.database.asOwner(
            "SELECT day::text, through, events FROM rollup_days WHERE event = '' AND through IS NOT NULL")
        #expect(
            try prefix.map { try $0.decode((String, Date, Int64).self) }.map { "\($0.0) \($0.1) \($0.2)" }
                == ["2026-03-09 \(try date("2026-03-09T14:40:00Z")) 4"])
        let days = try await f.database.asOwner("SELECT count(*) FROM rollup_days WHERE event = ''")
        #expect(try days[0].decode(Int.self) >= 8)
        expectSame(try await reports(f), raw)

        // A late event for a rolled-up day: the writer marks the day dirty; reports read it raw until rebuilt.
        try await f.event("view", "late-user", "2026-03-03T10:00:00Z", #"{"country": "DE"}"#)
        try await f.markLate(["2026-03-03T10:00:00Z"])
        let withLate = try await reports(f)
        #expect(withLate.0[0].total == raw.0[0].total + 1)
        _ = try await f.rollUp(now: try date("2026-03-09T15:00:00Z"))
        #expect(try await f.database.asOwner("SELECT 1 FROM rollup_dirty").isEmpty)
        expectSame(try await reports(f), withLate)

        // A merge after the fact: the trigger marks the merged id's days dirty.
        try await f.merge(keep: "u1", other: "anon-7")
        #expect(try await !f.database.asOwner("SELECT 1 FROM rollup_dirty").isEmpty)
        let merged = try await reports(f)
        _ = try await f.rollUp(now: try date("2026-03-12T12:00:00Z"))
        expectSame(try await reports(f), merged)

        // Everything rolled up, compared with no rollups at all.
        _ = try await f.database.asOwner("DELETE FROM rollup_state")
        expectSame(merged, try await reports(f))
        _ = try await f.rollUp(now: try date("2026-03-12T12:00:00Z"))
        expectSame(try await reports(f), merged)

        // A different time zone cuts days differently: old rollups are ignored, then rebuilt.
        _ = try await f.database.asOwner("UPDATE projects SET timezone = 'Asia/Tokyo'")
        let tokyo = ReportFixture(database: f.database, org: f.org, project: f.project, timezone: "Asia/Tokyo")
        let tokyoRaw = try await tokyo.trends(
            TrendsQuery(
                series: [.init(event: nil, math: .uniqueUsers)], from: try date("2026-03-01T15:00:00Z"),
                to: try date("2026-03-08T15:00:00Z")))
        _ = try await tokyo.rollUp(now: try date("2026-03-12T12:00:00Z"))
        let tokyoRolled = try await tokyo.trends(
            TrendsQuery(
                series: [.init(event: nil, math: .uniqueUsers)], from: try date("2026-03-01T15:00:00Z"),
                to: try date("2026-03-08T15:00:00Z")))
        #expect(tokyoRaw == tokyoRolled)
        let zones = try await f.database.asOwner("SELECT timezone FROM rollup_state")
        #expect(try zones[0].decode(String.self) == "Asia/Tokyo")
    }

    @Test func inTheHourBeforeTheOpenDayClosesItsPrefixEndsAtItsMidnight() async throws {
        let f = try await ReportFixture.make(timezone: "America/New_York")
        try await seed(f)
        // Ten minutes into Mar 10 in New York (04:10Z), while Mar 9 is still the open day until 05:00Z.
        try await f.event("night", "night-owl", "2026-03-10T04:10:00Z")
        let raw = try await reports(f)
        let names = try await f.eventNames()
        // At 04:55Z the cut twenty minutes back (04:30Z) is past Mar 9: its prefix is the whole day.
        _ = try await f.rollUp(now: try date("2026-03-10T04:55:00Z"))
        let prefix = try await f.database.asOwner("SELECT day::text, through FROM rollup_days WHERE event = '' AND through IS NOT NULL")
        #expect(
            try prefix.map { try $0.decode((String, Date).self) }.map { "\($0.0) \($0.1)" } == [
                "2026-03-09 \(try date("2026-03-10T04:00:00Z"))"
            ])
        expectSame(try await reports(f), raw)
        #expect(names.contains("night"))
        #expect(try await f.eventNames() == names)
        // The event after midnight is read raw: without it, the day totals drop by one on Mar 10 only.
        _ = try await f.database.asOwner("DELETE FROM events WHERE distinct_id = 'night-owl'")
        let dropped = try await reports(f).0[0].points
        let midnight = try date("2026-03-10T04:00:00Z")
        #expect(zip(dropped, raw.0[0].points).map { $1.value - $0.value } == raw.0[0].points.map { $0.bucket == midnight ? 1 : 0 })
    }

    @Test func closedDaysAreAnsweredFromRollupsAlone() async throws {
        let f = try await ReportFixture.make(timezone: "America/New_York")
        try await seed(f)
        _ = try await f.rollUp(now: try date("2026-03-20T12:00:00Z"))
        let rolled = try await reports(f)
        // Without the raw events, every report of these closed days still answers the same: it read the rollups.
        _ = try await f.database.asOwner("DELETE FROM events")
        expectSame(try await reports(f), rolled)
        #expect(rolled.0[2].total > 0 && rolled.3[0].steps[2].count > 0 && rolled.2[0].size > 0)
    }

    @Test func daysBehindTheRetentionHorizonAreReadRaw() async throws {
        let f = try await ReportFixture.make(timezone: "America/New_York")
        try await seed(f)
        _ = try await f.rollUp(now: try date("2026-03-20T12:00:00Z"))
        // Retention deleted these (long past) days' events: the rollups of those days must not answer any more.
        _ = try await f.database.asOwner("UPDATE projects SET retention_days = 30")
        _ = try await f.database.asOwner("DELETE FROM events")
        let after = try await reports(f)
        #expect(after.0.allSatisfy { $0.total == 0 })
        #expect(after.3.allSatisfy { $0.steps[0].count == 0 })
    }

    @Test func keysWithTooManyValuesFallBackToRawEvents() async throws {
        let f = try await ReportFixture.make()
        for i in 0..<250 {
            try await f.event("view", "u\(i % 7)", "2026-03-02T10:00:00Z", #"{"id": "v\#(i)", "plan": "p\#(i % 2)"}"#)
        }
        let query = TrendsQuery(
            series: [.init(event: "view", math: .total)], from: try date("2026-03-01T00:00:00Z"),
            to: try date("2026-03-04T00:00:00Z"), breakdown: "id", breakdownLimit: 3)
        let raw = try await f.trends(query)
        _ = try await f.rollUp(now: try date("2026-03-10T00:00:00Z"))
        let overflow = try await f.database.asOwner("SELECT overflow_keys FROM rollup_days WHERE event = 'view'")
        #expect(try overflow[0].decode([String].self) == ["id"])
        #expect(try await f.trends(query) == raw)
        #expect(raw.map(\.breakdownValue) == ["v0", "v1", "v10"])
        var plans = query
        plans.breakdown = "plan"
        #expect(try await f.trends(plans).map(\.total) == [125, 125])
    }
}
