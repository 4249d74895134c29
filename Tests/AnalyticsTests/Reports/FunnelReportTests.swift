import Analytics
import Foundation
import Models
import Testing

/// Funnels on hand-made events; expected numbers worked out by hand from docs/reports.md.
@Suite struct FunnelReportTests {
    static let from = "2026-05-01T00:00:00Z"
    static let to = "2026-05-02T00:00:00Z"

    func query(_ steps: [String], window: Int, order: FunnelOrder = .ordered, breakdown: String? = nil) throws -> FunnelQuery {
        FunnelQuery(
            steps: steps.map { .init(event: $0) }, from: try date(Self.from), to: try date(Self.to), windowSeconds: window,
            order: order, breakdown: breakdown)
    }

    @Test func orderedCountsTheWindowInclusivelyAndMediansFromThePreviousStep() async throws {
        let f = try await ReportFixture.make()
        // u1 reaches C exactly at the window limit (60 s); u2 misses it by a second; u3 only enters; u4 does B before A.
        try await f.event("A", "u1", "2026-05-01T10:00:00Z")
        try await f.event("B", "u1", "2026-05-01T10:00:30Z")
        try await f.event("C", "u1", "2026-05-01T10:01:00Z")
        try await f.event("A", "u2", "2026-05-01T10:00:00Z")
        try await f.event("B", "u2", "2026-05-01T10:00:10Z")
        try await f.event("C", "u2", "2026-05-01T10:01:01Z")
        try await f.event("A", "u3", "2026-05-01T10:00:00Z")
        try await f.event("B", "u4", "2026-05-01T10:00:00Z")
        try await f.event("A", "u4", "2026-05-01T10:00:05Z")
        let result = try await f.funnel(try query(["A", "B", "C"], window: 60))
        #expect(result.steps.map(\.count) == [4, 2, 1])
        #expect(result.steps.map(\.conversionRate) == [1, 0.5, 0.25])
        #expect(result.steps.map(\.medianSecondsFromPrevious) == [nil, 20, 30])
        #expect(result.steps.map(\.index) == [1, 2, 3])
        #expect(result.breakdowns.isEmpty)
    }

    @Test func equalTimestampsAreInOrderButNeedDistinctEvents() async throws {
        let f = try await ReportFixture.make()
        try await f.event("A", "u1", "2026-05-01T10:00:00Z")
        try await f.event("B", "u1", "2026-05-01T10:00:00Z")
        // Two steps of the same event need two events.
        try await f.event("A", "u2", "2026-05-01T11:00:00Z")
        let sameTime = try await f.funnel(try query(["A", "B"], window: 60))
        #expect(sameTime.steps.map(\.count) == [2, 1])
        #expect(sameTime.steps[1].medianSecondsFromPrevious == 0)
        let repeated = try await f.funnel(try query(["A", "A"], window: 60))
        #expect(repeated.steps.map(\.count) == [2, 0])
        #expect(repeated.steps[1].medianSecondsFromPrevious == nil)
    }

    @Test func strictStopsAtAnInterruptionOrderedDoesNot() async throws {
        let f = try await ReportFixture.make()
        try await f.event("A", "u1", "2026-05-01T10:00:00Z")
        try await f.event("X", "u1", "2026-05-01T10:00:01Z")
        try await f.event("B", "u1", "2026-05-01T10:00:02Z")
        try await f.event("A", "u2", "2026-05-01T10:00:00Z")
        try await f.event("B", "u2", "2026-05-01T10:00:04Z")
        #expect(try await f.funnel(try query(["A", "B"], window: 60, order: .strict)).steps.map(\.count) == [2, 1])
        #expect(try await f.funnel(try query(["A", "B"], window: 60, order: .ordered)).steps.map(\.count) == [2, 2])
        let strict = try await f.funnel(try query(["A", "B"], window: 60, order: .strict))
        #expect(strict.steps[1].medianSecondsFromPrevious == 4)
    }

    @Test func theBestEntryWinsAndLaterStepsMayFollowDateTo() async throws {
        let f = try await ReportFixture.make()
        // The first entry is too early for B (150 s > 60 s); the second reaches it 50 s later.
        try await f.event("A", "u1", "2026-05-01T10:00:00Z")
        try await f.event("A", "u1", "2026-05-01T10:01:40Z")
        try await f.event("B", "u1", "2026-05-01T10:02:30Z")
        // Entry 10 s before dateTo, step after it: counts.
        try await f.event("A", "u2", "2026-05-01T23:59:50Z")
        try await f.event("B", "u2", "2026-05-02T00:00:20Z")
        // Entry before dateFrom: not an entry.
        try await f.event("A", "u3", "2026-04-30T23:59:59Z")
        try await f.event("B", "u3", "2026-05-01T00:00:10Z")
        let result = try await f.funnel(try query(["A", "B"], window: 60))
        #expect(result.steps.map(\.count) == [2, 2])
        #expect(result.steps[1].medianSecondsFromPrevious == 40)
    }

    @Test func personsMergedAfterTheFactFinishTheFunnel() async throws {
        let f = try await ReportFixture.make()
        try await f.event("A", "anon-1", "2026-05-01T10:00:00Z")
        try await f.event("B", "user-1", "2026-05-01T10:00:30Z")
        #expect(try await f.funnel(try query(["A", "B"], window: 60)).steps.map(\.count) == [1, 0])
        try await f.merge(keep: "user-1", other: "anon-1")
        #expect(try await f.funnel(try query(["A", "B"], window: 60)).steps.map(\.count) == [1, 1])
    }

    @Test func unorderedCountsDistinctStepsFromAnyEntry() async throws {
        let f = try await ReportFixture.make()
        try await f.event("C", "u1", "2026-05-01T10:00:00Z")
        try await f.event("A", "u1", "2026-05-01T10:00:10Z")
        try await f.event("B", "u2", "2026-05-01T10:00:00Z")
        let result = try await f.funnel(try query(["A", "B", "C"], window: 60, order: .unordered))
        #expect(result.steps.map(\.count) == [2, 1, 0])
        #expect(result.steps[1].medianSecondsFromPrevious == 10)
    }

    @Test func stepFiltersAndBreakdownByTheEntryEvent() async throws {
        let f = try await ReportFixture.make()
        try await f.event("A", "u1", "2026-05-01T10:00:00Z", #"{"browser":"Chrome"}"#)
        try await f.event("B", "u1", "2026-05-01T10:00:10Z", #"{"plan":"pro"}"#)
        try await f.event("A", "u2", "2026-05-01T10:00:00Z")
        try await f.event("B", "u2", "2026-05-01T10:00:10Z", #"{"plan":"free"}"#)
        try await f.event("A", "u3", "2026-05-01T10:00:00Z", #"{"browser":"Chrome"}"#)
        var query = try query(["A", "B"], window: 60, breakdown: "browser")
        query.steps[1].filters = [PropertyFilter(key: "plan", op: .eq, value: .string("pro"))]
        let result = try await f.funnel(query)
        #expect(result.steps.map(\.count) == [3, 1])
        #expect(result.breakdowns.map(\.value) == ["Chrome", nil])
        #expect(result.breakdowns.map { $0.steps.map(\.count) } == [[2, 1], [1, 0]])
        #expect(result.breakdowns[0].steps.allSatisfy { $0.breakdownValue == "Chrome" })
    }

    /// Stores `count` events `name` of `distinctID`, one a second from `start` (for persons with very many events).
    func events(_ f: ReportFixture, _ name: String, _ distinctID: String, count: Int, from start: String) async throws {
        _ = try await f.database.asOwner(
            """
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", properties)
            SELECT \(f.org.rawValue), \(f.project.rawValue), gen_random_uuid(), \(name), \(distinctID),
                   \(try date(start)) + make_interval(secs => g), '{}'::jsonb
            FROM generate_series(0, \(count - 1)) g
            """)
    }

    @Test func onlyAPersonsEarliestEventsUpToTheCapAreMatched() async throws {
        #expect(ReportLimits.maxFunnelEventsPerPerson == 10_000)
        let f = try await ReportFixture.make()
        // bot: 10,000 entries, one a second from midnight, then B a second after the last: B is event 10,001, left out.
        try await events(f, "A", "bot", count: 10_000, from: "2026-05-01T00:00:00Z")
        try await f.event("B", "bot", "2026-05-01T02:46:40Z")
        // edge: 9,999 entries and B as event 10,000: matched.
        try await events(f, "A", "edge", count: 9_999, from: "2026-05-01T05:00:00Z")
        try await f.event("B", "edge", "2026-05-01T07:46:39Z")
        try await f.event("A", "human", "2026-05-01T10:00:00Z")
        try await f.event("B", "human", "2026-05-01T10:00:30Z")
        let result = try await f.funnel(try query(["A", "B"], window: 3_600))
        #expect(result.steps.map(\.count) == [3, 2])
        // edge's best entry is the earliest one reaching B, 3,600 s before it; human's B is 30 s after A.
        #expect(result.steps[1].medianSecondsFromPrevious == 1_815)
        // The rollups' day timelines give the same answer (the raw events are gone, so they alone answer).
        try await f.rollUp(now: try date("2026-05-04T00:00:00Z"))
        _ = try await f.database.asOwner("DELETE FROM events")
        #expect(try await f.funnel(try query(["A", "B"], window: 3_600)).steps.map(\.count) == [3, 2])
    }

    @Test func strictFunnelsCountEveryEventOfThePersonTowardsTheCap() async throws {
        let f = try await ReportFixture.make()
        // 10,000 other events first: with STRICT they are read (they break steps), so A and B come after the cap.
        try await events(f, "X", "bot", count: 10_000, from: "2026-05-01T00:00:00Z")
        try await f.event("A", "bot", "2026-05-01T03:00:00Z")
        try await f.event("B", "bot", "2026-05-01T03:00:01Z")
        try await f.event("A", "human", "2026-05-01T10:00:00Z")
        try await f.event("B", "human", "2026-05-01T10:00:01Z")
        #expect(try await f.funnel(try query(["A", "B"], window: 60, order: .strict)).steps.map(\.count) == [1, 1])
        #expect(try await f.funnel(try query(["A", "B"], window: 60, order: .ordered)).steps.map(\.count) == [2, 2])
    }

    @Test func breakdownLimitIsCheckedAndApplied() async throws {
        let f = try await ReportFixture.make()
        try await f.event("A", "u1", "2026-05-01T10:00:00Z", #"{"browser":"Chrome"}"#)
        try await f.event("A", "u2", "2026-05-01T10:00:00Z", #"{"browser":"Chrome"}"#)
        try await f.event("A", "u3", "2026-05-01T10:00:00Z", #"{"browser":"Firefox"}"#)
        for limit in [0, -1, ReportLimits.maxBreakdownLimit + 1] {
            var query = try query(["A", "B"], window: 60, breakdown: "browser")
            query.breakdownLimit = limit
            await #expect(throws: ServiceError.self) { try await f.funnel(query) }
            do {
                _ = try await f.funnel(query)
            } catch let error as ServiceError {
                #expect(error.code == .badUserInput)
                #expect(error.message == "breakdownLimit must be 1 to 1000")
            }
        }
        var top = try query(["A", "B"], window: 60, breakdown: "browser")
        top.breakdownLimit = 1
        #expect(try await f.funnel(top).breakdowns.map(\.value) == ["Chrome"])
    }
}
