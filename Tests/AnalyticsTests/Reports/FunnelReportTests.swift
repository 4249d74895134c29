import Analytics
import Foundation
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
}
