import Analytics
import Foundation
import Testing

/// Filters on person properties (`PropertyFilter.source == .person`): they read the properties of each event's person
/// after merges as they are when the report runs, in trends, funnels, retention and the explorer, with rollups built
/// or not (rollups keep event properties only, so these reports read raw events).
@Suite struct PersonFilterTests {
    /// Four users over three days in UTC: `pro` and `pro-merged` (an anonymous id merged into `pro`) are on the pro
    /// plan, `free` on the free plan, `nobody` has no person at all. Each views on each day, `pro`, `pro-merged` and
    /// `free` buy on day 2.
    func seed(_ f: ReportFixture) async throws {
        for day in 1...3 {
            for user in ["pro", "anon-of-pro", "free", "nobody"] {
                try await f.event("view", user, "2026-06-0\(day)T10:00:00Z", #"{"plan": "event-level"}"#)
            }
        }
        for user in ["pro", "anon-of-pro", "free"] { try await f.event("buy", user, "2026-06-02T12:00:00Z") }
        try await f.merge(keep: "pro", other: "anon-of-pro")
        for (user, plan) in [("pro", "pro"), ("free", "free")] {
            _ = try await f.database.asOwner(
                """
                SELECT iv_set_person_properties(\(f.org.rawValue), \(f.project.rawValue), \(user),
                  jsonb_build_object('plan', \(plan)::text, 'seats', \(plan == "pro" ? 5 : 1)), '{}'::jsonb)
                """)
        }
    }

    static let pro = [PropertyFilter(key: "plan", op: .eq, value: .string("pro"), source: .person)]

    func answers(_ f: ReportFixture) async throws -> ([TrendSeries], [TrendSeries], FunnelResult, [RetentionCohort]) {
        let (from, to) = (try date("2026-06-01T00:00:00Z"), try date("2026-06-04T00:00:00Z"))
        let trends = try await f.trends(
            TrendsQuery(
                series: [.init(event: "view", math: .total), .init(event: "view", math: .uniqueUsers)], from: from, to: to,
                filters: Self.pro))
        let unset = try await f.trends(
            TrendsQuery(
                series: [.init(event: "view", math: .uniqueUsers)], from: from, to: to,
                filters: [PropertyFilter(key: "seats", op: .isNotSet, source: .person)]))
        let funnel = try await f.funnel(
            FunnelQuery(steps: [.init(event: "view", filters: Self.pro), .init(event: "buy")], from: from, to: to, windowSeconds: 86_400))
        let retention = try await f.retention(
            RetentionQuery(startEvent: "view", returnEvent: "view", period: .day, periods: 2, from: from, to: to, filters: Self.pro))
        return (trends, unset, funnel, retention)
    }

    @Test func personFiltersReadTheMergedPersonsPropertiesWithOrWithoutRollups() async throws {
        let f = try await ReportFixture.make(timezone: "UTC")
        _ = try await f.database.asOwner("UPDATE projects SET retention_days = 3650")
        try await seed(f)
        let raw = try await answers(f)
        // The pro person is two distinct ids: 2 views a day, 1 user; an event property of the same key is ignored.
        #expect(raw.0[0].points.map(\.value) == [2, 2, 2] && raw.0[0].total == 6)
        #expect(raw.0[1].points.map(\.value) == [1, 1, 1] && raw.0[1].total == 1)
        // No person, or a person without the key: `nobody` only (seats is set on both persons).
        #expect(raw.1[0].total == 1)
        #expect(raw.2.steps.map(\.count) == [1, 1])
        #expect(raw.3.map(\.size) == [1, 1, 1] && raw.3[0].values == [1, 1])

        // With every day rolled up, the same answers: the rollups step aside for person filters.
        for _ in 0..<5 where try await f.rollUp(now: try date("2026-06-10T00:00:00Z")) > 0 {}
        let rolled = try await answers(f)
        #expect(rolled.0 == raw.0 && rolled.1 == raw.1 && rolled.3 == raw.3)
        #expect(rolled.2.steps.map(\.count) == raw.2.steps.map(\.count))

        // Person properties are read when the report runs: `free` upgrading counts at once, on every past day.
        _ = try await f.database.asOwner(
            "SELECT iv_set_person_properties(\(f.org.rawValue), \(f.project.rawValue), 'free', '{\"plan\": \"pro\"}'::jsonb, '{}'::jsonb)")
        let upgraded = try await answers(f)
        #expect(upgraded.0[1].points.map(\.value) == [2, 2, 2])

        // The explorer filters alike.
        let page = try await f.run { tx, scope in
            try await EventExplorer.page(EventFilter(event: "buy", properties: Self.pro), first: 10, after: nil, scope: scope, on: tx)
        }
        #expect(Set(page.events.map(\.event.distinctID)) == ["pro", "anon-of-pro", "free"])
    }

    @Test func personPropertyKeysListWhatPersonsHold() async throws {
        let f = try await ReportFixture.make(timezone: "UTC")
        try await seed(f)
        let keys = try await f.run { tx, scope in try await PersonDirectory.propertyKeys(limit: 10, scope: scope, on: tx) }
        #expect(keys == ["plan", "seats"])
    }
}
