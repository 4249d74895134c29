import Foundation
import GraphQL
import PostgresNIO
import TestSupport
import Testing

/// Relative report ranges (`range` in `TrendsInput`, `FunnelInput`, `RetentionInput`) through the API's engine with the
/// harness's test clock: resolved when the report runs, in the project's time zone, and kept as such in saved reports.
@Suite struct RelativeRangeResolversTests {
    /// A user with a Europe/Berlin project holding one `tick` event at local noon on each day from 2026-03-20 to
    /// 2026-04-05 (Berlin moves to summer time on 2026-03-29), seeded as the database owner.
    static func seeded(_ api: ResolverHarness) async throws -> (owner: ResolverHarness.Account, project: String) {
        let owner = try await api.signUp("ranges")
        let reply = try await api.execute(
            "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"berlin\", timezone: \"Europe/Berlin\"}) { id } }",
            ["o": owner.orgID], token: owner.token)
        let project = try #require(reply.string("createProject.id"), "\(reply)")
        let org = try #require(UUID(uuidString: owner.orgID))
        let projectID = try #require(UUID(uuidString: project))
        var berlin = Calendar(identifier: .gregorian)
        berlin.timeZone = TimeZone(identifier: "Europe/Berlin")!
        for day in 20...36 {
            let noon = try #require(berlin.date(from: DateComponents(year: 2026, month: 3, day: day, hour: 12)))
            _ = try await api.services.testDatabase.asOwner(
                """
                INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", properties)
                VALUES (\(org), \(projectID), \(UUID()), 'tick', 'someone', \(noon), '{}'::jsonb)
                """)
        }
        return (owner, project)
    }

    static let trends = """
        query($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { series { total points { bucket value } } } }
        """

    /// A GraphQL value as a variable's value.
    static func foundation(_ value: Value) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(value.jsonString().utf8))
    }

    /// The buckets and values of the first series.
    static func points(_ reply: APIReply) -> [(String, Double)] {
        reply.list("trends.series.0.points").compactMap { point in
            guard let bucket = point["bucket"]?.stringValue, let value = point["value"]?.doubleValue else { return nil }
            return (bucket, value)
        }
    }

    @Test func aSavedLastSevenDaysMovesWithTheClockAndKeepsToLocalMidnightsAcrossSummerTime() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            let definition: [String: Any] = [
                "series": [["event": "tick", "math": "TOTAL"]], "interval": "DAY", "range": ["last": ["amount": 7, "unit": "DAY"]],
            ]
            let saved = try await api.execute(
                """
                mutation($p: ID!, $d: JSON!) { saveReport(input: {projectId: $p, name: "last week", kind: TRENDS, definition: $d}) { id } }
                """, ["p": project, "d": definition], token: owner.token)
            let id = try #require(saved.string("saveReport.id"), "\(saved)")
            // The saved definition keeps the relative form.
            let read = try await api.execute("query($id: ID!) { report(id: $id) { definition } }", ["id": id], token: owner.token)
            #expect(read.value("report.definition.range.last.amount") == .int(7), "\(read)")
            #expect(read.value("report.definition.dateFrom") == nil, "\(read)")
            let stored = try #require(read.value("report.definition"), "\(read)")

            // Tuesday 2026-03-31, 14:00 in Berlin (summer time since Sunday): today and the six days before.
            api.reportClock.set(Date.at("2026-03-31T12:00:00Z"))
            let first = try await api.execute(Self.trends, ["p": project, "i": try Self.foundation(stored)], token: owner.token)
            #expect(first.errors.isEmpty, "\(first)")
            #expect(
                Self.points(first).map(\.0) == [
                    "2026-03-24T23:00:00Z", "2026-03-25T23:00:00Z", "2026-03-26T23:00:00Z", "2026-03-27T23:00:00Z",
                    "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z",
                ], "\(first)")
            #expect(Self.points(first).map(\.1) == Array(repeating: 1, count: 7), "\(first)")

            // A day later the same saved report covers the next seven days.
            api.reportClock.advance(86_400)
            let next = try await api.execute(Self.trends, ["p": project, "i": try Self.foundation(stored)], token: owner.token)
            #expect(Self.points(next).first?.0 == "2026-03-25T23:00:00Z", "\(next)")
            #expect(Self.points(next).last?.0 == "2026-03-31T22:00:00Z", "\(next)")
            #expect(next.double("trends.series.0.total") == 7, "\(next)")

            // Before noon today's event has not happened yet: the current day counts only up to now.
            api.reportClock.set(Date.at("2026-04-01T08:00:00Z"))
            let morning = try await api.execute(Self.trends, ["p": project, "i": try Self.foundation(stored)], token: owner.token)
            #expect(Self.points(morning).last?.1 == 0, "\(morning)")
            #expect(morning.double("trends.series.0.total") == 6, "\(morning)")
        }
    }

    @Test func wholeUnitsThisUnitAndSinceResolveInTheProjectsZone() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            api.reportClock.set(Date.at("2026-04-01T12:00:00Z"))
            func trends(_ range: [String: Any]) async throws -> APIReply {
                try await api.execute(
                    Self.trends,
                    ["p": project, "i": ["series": [["event": "tick", "math": "TOTAL"]], "interval": "DAY", "range": range]],
                    token: owner.token)
            }
            // The 3 whole days before today (Wednesday 2026-04-01 in Berlin).
            let whole = try await trends(["last": ["amount": 3, "unit": "DAY"], "includeCurrent": false])
            #expect(
                Self.points(whole).map(\.0) == ["2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z"], "\(whole)")
            // This week: from Monday 2026-03-30, local midnight, up to now (Wednesday's event at noon included).
            let week = try await trends(["this": "WEEK"])
            #expect(Self.points(week).first?.0 == "2026-03-29T22:00:00Z", "\(week)")
            #expect(week.double("trends.series.0.total") == 3, "\(week)")
            // Since an instant: every event from then up to now.
            let since = try await trends(["since": "2026-03-30T00:00:00Z"])
            #expect(since.double("trends.series.0.total") == 3, "\(since)")
            // Weeks of retention: the two whole weeks before this one.
            let retention = try await api.execute(
                """
                query($p: ID!, $i: RetentionInput!) { retention(projectId: $p, input: $i) { cohorts { start size } } }
                """,
                [
                    "p": project,
                    "i": [
                        "startEvent": "tick", "returnEvent": "tick", "period": "WEEK", "periods": 2,
                        "range": ["last": ["amount": 2, "unit": "WEEK"], "includeCurrent": false],
                    ],
                ], token: owner.token)
            #expect(
                retention.list("retention.cohorts").compactMap { $0["start"]?.stringValue } == [
                    "2026-03-15T23:00:00Z", "2026-03-22T23:00:00Z",
                ], "\(retention)")
        }
    }

    @Test func aRangeIsEitherDatesOrRelativeAndWellFormed() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            let series = [["event": "tick", "math": "TOTAL"]]
            let bad: [[String: Any]] = [
                ["series": series],
                ["series": series, "dateFrom": "2026-03-20T00:00:00Z"],
                ["series": series, "dateFrom": "2026-03-20T00:00:00Z", "dateTo": "2026-03-21T00:00:00Z", "range": ["this": "DAY"]],
                ["series": series, "range": [:] as [String: Any]],
                ["series": series, "range": ["this": "DAY", "since": "2026-03-20T00:00:00Z"]],
                ["series": series, "range": ["last": ["amount": 0, "unit": "DAY"]]],
                ["series": series, "range": ["last": ["amount": 3661, "unit": "DAY"]]],
                ["series": series, "range": ["this": "DAY", "includeCurrent": false]],
            ]
            for input in bad {
                let reply = try await api.execute(Self.trends, ["p": project, "i": input], token: owner.token)
                #expect(reply.codes == ["BAD_USER_INPUT"], "\(input): \(reply)")
            }
            // A saved definition is held to the same rule.
            let saved = try await api.execute(
                """
                mutation($p: ID!, $d: JSON!) { saveReport(input: {projectId: $p, name: "both", kind: TRENDS, definition: $d}) { id } }
                """, ["p": project, "d": bad[2]], token: owner.token)
            #expect(saved.codes == ["BAD_USER_INPUT"], "\(saved)")
        }
    }

    @Test func comparingWithThePreviousPeriodRunsTheSameSeriesOverAsManyDaysBefore() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            let query = """
                query($p: ID!, $i: TrendsInput!) {
                  trends(projectId: $p, input: $i) { dateFrom dateTo series { total points { bucket value } } previous { total points { bucket value } } }
                }
                """
            // Thursday 2026-04-02, 14:00 in Berlin: the last 7 whole days are Mar 26 .. Apr 1, across the change to summer
            // time; the 7 days before are Mar 19 .. Mar 25, of which Mar 20 .. 25 hold a tick each.
            api.reportClock.set(Date.at("2026-04-02T12:00:00Z"))
            let input: [String: Any] = [
                "series": [["event": "tick", "math": "TOTAL"]], "range": ["last": ["amount": 7, "unit": "DAY"], "includeCurrent": false],
                "compareToPrevious": true,
            ]
            let reply = try await api.execute(query, ["p": project, "i": input], token: owner.token)
            #expect(reply.errors.isEmpty, "\(reply)")
            #expect(reply.string("trends.dateFrom") == "2026-03-25T23:00:00Z", "\(reply)")
            #expect(reply.string("trends.dateTo") == "2026-04-01T22:00:00Z", "\(reply)")
            #expect(reply.value("trends.series.0.total") == .double(7), "\(reply)")
            #expect(reply.value("trends.previous.0.total") == .double(6), "\(reply)")
            let buckets = reply.list("trends.previous.0.points").compactMap { $0["bucket"]?.stringValue }
            #expect(buckets.first == "2026-03-18T23:00:00Z" && buckets.count == 7, "\(reply)")

            // Without the flag there is no previous period; a range inside days compares with as many seconds before.
            let plain = try await api.execute(
                query, ["p": project, "i": ["series": [["event": "tick", "math": "TOTAL"]], "range": ["since": "2026-04-01T10:00:00Z"]]],
                token: owner.token)
            #expect(plain.list("trends.previous").isEmpty && plain.value("trends.series.0.total") == .double(2), "\(plain)")
            let hours = try await api.execute(
                query,
                [
                    "p": project,
                    "i": [
                        "series": [["event": "tick", "math": "TOTAL"]], "range": ["since": "2026-04-01T10:00:00Z"],
                        "compareToPrevious": true,
                    ],
                ],
                token: owner.token)
            // Apr 1 10:00Z .. Apr 2 12:00Z (the ticks of Apr 1 and 2) against Mar 31 08:00Z .. Apr 1 10:00Z (Mar 31's).
            #expect(hours.value("trends.series.0.total") == .double(2) && hours.value("trends.previous.0.total") == .double(1), "\(hours)")
        }
    }

    @Test func aFunnelComparedWithThePreviousPeriodCountsItsEntriesThere() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            // Mar 27 .. Apr 1 (Berlin) against the six days before: one user ticking daily enters both.
            let reply = try await api.execute(
                """
                query($p: ID!) { funnel(projectId: $p, input: {steps: [{event: "tick"}, {event: "tick"}], windowSeconds: 86400,
                  dateFrom: "2026-03-26T23:00:00Z", dateTo: "2026-04-01T22:00:00Z", compareToPrevious: true, breakdown: "plan"}) {
                  dateFrom dateTo steps { count } previous { count conversionRate } breakdowns { breakdownValue } } }
                """, ["p": project], token: owner.token)
            #expect(reply.errors.isEmpty, "\(reply)")
            #expect(reply.list("funnel.previous").compactMap { $0["count"]?.intValue } == [1, 1], "\(reply)")
            #expect(reply.string("funnel.dateFrom") == "2026-03-26T23:00:00Z" && reply.list("funnel.breakdowns").count == 1, "\(reply)")
            let plain = try await api.execute(
                """
                query($p: ID!) { funnel(projectId: $p, input: {steps: [{event: "tick"}, {event: "nothing"}], windowSeconds: 60,
                  dateFrom: "2026-03-26T23:00:00Z", dateTo: "2026-04-01T22:00:00Z"}) { steps { count } previous { count } } }
                """, ["p": project], token: owner.token)
            #expect(
                plain.list("funnel.previous").isEmpty && plain.list("funnel.steps").compactMap { $0["count"]?.intValue } == [1, 0],
                "\(plain)")
        }
    }
}
