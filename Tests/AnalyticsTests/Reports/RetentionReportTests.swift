import Analytics
import Foundation
import Testing

/// Retention on hand-made events; expected numbers worked out by hand from docs/reports.md.
@Suite struct RetentionReportTests {
    func seed(_ f: ReportFixture) async throws {
        try await f.event("start", "u1", "2026-03-01T09:00:00Z")
        try await f.event("return", "u1", "2026-03-02T09:00:00Z")
        try await f.event("return", "u1", "2026-03-03T09:00:00Z")
        try await f.event("start", "u1", "2026-03-02T10:00:00Z")
        try await f.event("start", "u2", "2026-03-01T23:59:59Z")
        try await f.event("return", "u2", "2026-03-03T00:00:00Z")
        try await f.event("start", "u3", "2026-03-02T09:00:00Z")
        try await f.event("return", "u3", "2026-03-02T10:00:00Z")  // same period: not a return
        try await f.event("return", "u3", "2026-03-03T10:00:00Z")
        try await f.event("start", "u4", "2026-02-20T09:00:00Z")  // first ever before the range
        try await f.event("start", "u4", "2026-03-02T11:00:00Z")
    }

    func query(_ mode: RetentionMode) throws -> RetentionQuery {
        RetentionQuery(
            startEvent: "start", returnEvent: "return", period: .day, periods: 3,
            from: try date("2026-03-01T00:00:00Z"), to: try date("2026-03-04T00:00:00Z"), mode: mode)
    }

    @Test func recurringCohortsCountReturnsInLaterPeriods() async throws {
        let f = try await ReportFixture.make()
        try await seed(f)
        let cohorts = try await f.retention(try query(.recurring))
        #expect(
            cohorts.map(\.start) == [try date("2026-03-01T00:00:00Z"), try date("2026-03-02T00:00:00Z"), try date("2026-03-03T00:00:00Z")])
        // Mar 1: u1 u2 -> Mar 2: u1; Mar 3: u1 u2. Mar 2: u1 u3 u4 -> Mar 3: u1 u3. Mar 3: nobody started.
        #expect(cohorts.map(\.values) == [[2, 1, 2], [3, 2, 0], [0, 0, 0]])
        #expect(cohorts.map(\.size) == [2, 3, 0])
    }

    @Test func firstTimeCohortsOnlyHoldFirstStarts() async throws {
        let f = try await ReportFixture.make()
        try await seed(f)
        let cohorts = try await f.retention(try query(.firstTime))
        // u1's Mar 2 start is not a first; u4's first start was in February.
        #expect(cohorts.map(\.values) == [[2, 1, 2], [1, 1, 0], [0, 0, 0]])
    }

    @Test func mergedPersonsAndWeeksInALocalZone() async throws {
        let f = try await ReportFixture.make(timezone: "Europe/Paris")
        // Week of Monday 2026-03-02 (Paris, UTC+1) and the next; the range starts on Wednesday, so the first
        // cohort is the week starting inside it: Monday 2026-03-09 00:00 Paris = 2026-03-08T23:00Z.
        try await f.event("start", "anon", "2026-03-09T10:00:00Z")
        try await f.event("return", "user", "2026-03-16T10:00:00Z")
        try await f.event("start", "early", "2026-03-04T10:00:00Z")
        let query = RetentionQuery(
            startEvent: "start", returnEvent: "return", period: .week, periods: 2,
            from: try date("2026-03-04T00:00:00Z"), to: try date("2026-03-15T23:00:00Z"))
        #expect(try await f.retention(query).map(\.values) == [[1, 0]])
        try await f.merge(keep: "user", other: "anon")
        let cohorts = try await f.retention(query)
        #expect(cohorts.map(\.start) == [try date("2026-03-08T23:00:00Z")])
        #expect(cohorts.map(\.values) == [[1, 1]])
    }

    @Test func emptyRangeHasEmptyCohorts() async throws {
        let f = try await ReportFixture.make()
        let cohorts = try await f.retention(try query(.recurring))
        #expect(cohorts.count == 3)
        #expect(cohorts.allSatisfy { $0.values == [0, 0, 0] && $0.size == 0 })
    }
}
