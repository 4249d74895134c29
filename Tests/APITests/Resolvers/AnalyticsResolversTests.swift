import Foundation
import GraphQL
import PostgresNIO
import TestSupport
import Testing

/// The analytics resolvers (`events`, `eventNames`, `propertyKeys`, `trends`, `funnel`, `retention`) through the
/// API's engine over real services, on a project with a few known events; another organization's project is
/// `NOT_FOUND` exactly like a random ID.
@Suite struct AnalyticsResolversTests {
    /// Three users over two days in UTC: alice signs up, buys and comes back the next day; bob signs up and views a
    /// page the same day; carol signs up and buys on the second day.
    static let events: [(user: String, event: String, at: String, properties: String)] = [
        ("alice", "signed_up", "2026-01-05T10:00:00Z", #"{"plan": "pro"}"#),
        ("alice", "purchase", "2026-01-05T11:00:00Z", #"{"amount": 30}"#),
        ("bob", "signed_up", "2026-01-05T12:00:00Z", #"{"plan": "free"}"#),
        ("bob", "pageview", "2026-01-05T13:00:00Z", #"{"path": "/pricing"}"#),
        ("carol", "signed_up", "2026-01-06T08:00:00Z", #"{"plan": "pro"}"#),
        ("carol", "purchase", "2026-01-06T08:30:00Z", #"{"amount": 12}"#),
        ("alice", "pageview", "2026-01-06T09:00:00Z", #"{"path": "/"}"#),
    ]

    /// A user with a project holding `events`, seeded as the database owner.
    static func seeded(_ api: ResolverHarness) async throws -> (owner: ResolverHarness.Account, project: String) {
        let owner = try await api.signUp("analyst")
        let project = try await api.createProject(owner.orgID, token: owner.token)
        let org = try #require(UUID(uuidString: owner.orgID))
        let projectID = try #require(UUID(uuidString: project))
        for event in events {
            _ = try await api.services.testDatabase.asOwner(
                """
                INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", properties)
                VALUES (\(org), \(projectID), \(UUID()), \(event.event), \(event.user), \(Date.at(event.at)), \(event.properties)::jsonb)
                """)
        }
        return (owner, project)
    }

    static let trends = """
        query($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) {
          series { label event math breakdownValue total points { bucket value } } } }
        """
    static let funnel = """
        query($p: ID!, $i: FunnelInput!) { funnel(projectId: $p, input: $i) {
          steps { index event count conversionRate medianSecondsFromPrevious }
          breakdowns { breakdownValue steps { count } } } }
        """
    static let retention = """
        query($p: ID!, $i: RetentionInput!) { retention(projectId: $p, input: $i) { cohorts { start size values } } }
        """
    static let twoDays = ["dateFrom": "2026-01-05T00:00:00Z", "dateTo": "2026-01-07T00:00:00Z"]

    @Test func trendsCountEventsUsersAndSumsPerDay() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            var input: [String: Any] = Self.twoDays
            input["interval"] = "DAY"
            input["series"] = [
                ["event": "signed_up", "math": "TOTAL"], ["math": "UNIQUE_USERS"],
                ["event": "purchase", "math": "SUM", "property": "amount"],
            ]
            let reply = try await api.execute(Self.trends, ["p": project, "i": input], token: owner.token)
            #expect(reply.errors.isEmpty, "\(reply)")
            let series = reply.list("trends.series")
            try #require(series.count == 3, "\(reply)")
            func values(_ index: Int) -> [Double] { series[index]["points"]?.listValue?.compactMap { $0["value"]?.doubleValue } ?? [] }
            #expect(series[0]["event"]?.stringValue == "signed_up")
            #expect(values(0) == [2, 1])
            #expect(series[0]["total"]?.doubleValue == 3)
            #expect(series[0]["points"]?[0]?["bucket"]?.stringValue == "2026-01-05T00:00:00Z")
            #expect(series[0]["points"]?[1]?["bucket"]?.stringValue == "2026-01-06T00:00:00Z")
            #expect(series[1]["event"] == .null)
            #expect(values(1) == [2, 2])
            #expect(series[1]["total"]?.doubleValue == 3)
            #expect(values(2) == [30, 12])
            #expect(series[2]["total"]?.doubleValue == 42)

            // A breakdown by an event property, and a filter on one.
            input["series"] = [["event": "signed_up", "math": "TOTAL"]]
            input["breakdown"] = "plan"
            let byPlan = try await api.execute(Self.trends, ["p": project, "i": input], token: owner.token)
            var totals: [String: Double] = [:]
            for series in byPlan.list("trends.series") {
                totals[series["breakdownValue"]?.stringValue ?? "-"] = series["total"]?.doubleValue
            }
            #expect(totals == ["pro": 2, "free": 1], "\(byPlan)")
            input["breakdown"] = nil
            input["filters"] = [["key": "plan", "operator": "EQ", "value": "pro"]]
            let filtered = try await api.execute(Self.trends, ["p": project, "i": input], token: owner.token)
            #expect(filtered.double("trends.series.0.total") == 2, "\(filtered)")

            // Report limits are the user's input errors.
            input["dateFrom"] = "2026-01-08T00:00:00Z"
            let backwards = try await api.execute(Self.trends, ["p": project, "i": input], token: owner.token)
            #expect(backwards.codes == ["BAD_USER_INPUT"], "\(backwards)")
        }
    }

    @Test func funnelCountsPersonsThroughTheSteps() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            var input: [String: Any] = [
                "steps": [["event": "signed_up"], ["event": "purchase"]], "dateFrom": "2026-01-01T00:00:00Z",
                "dateTo": "2026-02-01T00:00:00Z", "windowSeconds": 86_400,
            ]
            let reply = try await api.execute(Self.funnel, ["p": project, "i": input], token: owner.token)
            #expect(reply.errors.isEmpty, "\(reply)")
            #expect(reply.list("funnel.steps").compactMap { $0["count"]?.intValue } == [3, 2])
            #expect(reply.list("funnel.steps").compactMap { $0["index"]?.intValue } == [1, 2])
            #expect(reply.double("funnel.steps.0.conversionRate") == 1)
            #expect(abs((reply.double("funnel.steps.1.conversionRate") ?? 0) - 2.0 / 3.0) < 1e-9)
            #expect(reply.value("funnel.steps.0.medianSecondsFromPrevious") == nil)
            // alice took an hour, carol half an hour.
            #expect(reply.double("funnel.steps.1.medianSecondsFromPrevious") == 2_700)
            #expect(reply.list("funnel.breakdowns").isEmpty)

            // Within a 40-minute window only carol converts; broken down by plan, both converters are on pro.
            input["windowSeconds"] = 2_400
            let narrow = try await api.execute(Self.funnel, ["p": project, "i": input], token: owner.token)
            #expect(narrow.list("funnel.steps").compactMap { $0["count"]?.intValue } == [3, 1], "\(narrow)")
            input["windowSeconds"] = 86_400
            input["breakdown"] = "plan"
            let byPlan = try await api.execute(Self.funnel, ["p": project, "i": input], token: owner.token)
            var counts: [String: [Int]] = [:]
            for group in byPlan.list("funnel.breakdowns") {
                counts[group["breakdownValue"]?.stringValue ?? "-"] = group["steps"]?.listValue?.compactMap { $0["count"]?.intValue }
            }
            #expect(counts == ["pro": [2, 2], "free": [1, 0]], "\(byPlan)")
            // Only the most frequent entry value with breakdownLimit 1; 0 is refused.
            input["breakdownLimit"] = 1
            let top = try await api.execute(Self.funnel, ["p": project, "i": input], token: owner.token)
            #expect(top.list("funnel.breakdowns").compactMap { $0["breakdownValue"]?.stringValue } == ["pro"], "\(top)")
            input["breakdownLimit"] = 0
            let none = try await api.execute(Self.funnel, ["p": project, "i": input], token: owner.token)
            #expect(none.codes == ["BAD_USER_INPUT"], "\(none)")
        }
    }

    @Test func retentionCohortsPerDay() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            var input: [String: Any] = Self.twoDays
            input.merge(["startEvent": "signed_up", "returnEvent": "pageview", "period": "DAY", "periods": 2]) { $1 }
            let reply = try await api.execute(Self.retention, ["p": project, "i": input], token: owner.token)
            #expect(reply.errors.isEmpty, "\(reply)")
            let cohorts = reply.list("retention.cohorts")
            #expect(cohorts.compactMap { $0["start"]?.stringValue } == ["2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"])
            #expect(cohorts.compactMap { $0["size"]?.intValue } == [2, 1])
            // alice (of the first day's two) views a page the next day; bob's same-day view is not a return.
            #expect(cohorts.map { $0["values"]?.listValue?.compactMap(\.intValue) ?? [] } == [[2, 1], [1, 0]])

            input["periods"] = 0
            let none = try await api.execute(Self.retention, ["p": project, "i": input], token: owner.token)
            #expect(none.codes == ["BAD_USER_INPUT"], "\(none)")
        }
    }

    @Test func eventsAreListedNewestFirstWithCursorsAndFilters() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            let query = """
                query($p: ID!, $f: EventFilter, $n: Int, $a: String) { events(projectId: $p, filter: $f, first: $n, after: $a) {
                  edges { cursor node { event distinctId timestamp properties } } pageInfo { hasNextPage endCursor } } }
                """
            let first = try await api.execute(query, ["p": project, "n": 4], token: owner.token)
            #expect(first.errors.isEmpty, "\(first)")
            #expect(
                first.list("events.edges").compactMap { $0["node"]?["timestamp"]?.stringValue } == [
                    "2026-01-06T09:00:00Z", "2026-01-06T08:30:00Z", "2026-01-06T08:00:00Z", "2026-01-05T13:00:00Z",
                ])
            #expect(first.bool("events.pageInfo.hasNextPage") == true)
            #expect(first.string("events.edges.0.node.distinctId") == "alice")
            #expect(first.string("events.edges.0.node.properties.path") == "/")
            let cursor = try #require(first.string("events.pageInfo.endCursor"))
            let rest = try await api.execute(query, ["p": project, "n": 4, "a": cursor], token: owner.token)
            #expect(rest.list("events.edges").compactMap { $0["node"]?["event"]?.stringValue } == ["signed_up", "purchase", "signed_up"])
            #expect(rest.bool("events.pageInfo.hasNextPage") == false)

            let purchases = try await api.execute(query, ["p": project, "f": ["event": "purchase"]], token: owner.token)
            #expect(purchases.list("events.edges").compactMap { $0["node"]?["distinctId"]?.stringValue } == ["carol", "alice"])
            let bobs = try await api.execute(
                query, ["p": project, "f": ["distinctId": "bob", "dateFrom": "2026-01-05T12:30:00Z"]], token: owner.token)
            #expect(bobs.list("events.edges").compactMap { $0["node"]?["event"]?.stringValue } == ["pageview"], "\(bobs)")

            let pickers = try await api.execute(
                "query($p: ID!) { eventNames(projectId: $p) propertyKeys(projectId: $p, event: \"signed_up\") }", ["p": project],
                token: owner.token)
            #expect(pickers.list("eventNames").compactMap(\.stringValue) == ["signed_up", "pageview", "purchase"], "\(pickers)")
            #expect(pickers.list("propertyKeys").compactMap(\.stringValue) == ["plan"])
        }
    }

    @Test func deadLettersAreCountedAndListedNewestFirst() async throws {
        try await ResolverHarness.run { api in
            let (owner, project) = try await Self.seeded(api)
            let org = try #require(UUID(uuidString: owner.orgID))
            let projectID = try #require(UUID(uuidString: project))
            for (n, stored) in ["2026-01-05T10:00:00Z", "2026-01-06T10:00:00Z", "2026-01-07T10:00:00Z"].enumerated() {
                _ = try await api.services.testDatabase.asOwner(
                    """
                    INSERT INTO dead_letters (org_id, project_id, received_at, stored_at, kind, code, reason, payload)
                    VALUES (\(org), \(projectID), \(Date.at(stored)), \(Date.at(stored)), 'event', '22003',
                            'value overflows numeric format', \("{\"n\": \(n)}"))
                    """)
            }
            let query =
                "query($p: ID!, $l: Int) { deadLetters(projectId: $p, limit: $l) { totalCount items { kind code payload storedAt } } }"
            let page = try await api.execute(query, ["p": project, "l": 2], token: owner.token)
            #expect(page.value("deadLetters")?["totalCount"]?.intValue == 3, "\(page)")
            let items = page.list("deadLetters.items")
            #expect(items.compactMap { $0["payload"]?.stringValue } == [#"{"n": 2}"#, #"{"n": 1}"#])
            #expect(items.first?["kind"]?.stringValue == "EVENT" && items.first?["code"]?.stringValue == "22003")
            let tooMany = try await api.execute(query, ["p": project, "l": 101], token: owner.token)
            #expect(tooMany.codes == ["BAD_USER_INPUT"], "\(tooMany)")
        }
    }

    @Test func anotherOrganizationsProjectIsNotFoundLikeARandomID() async throws {
        try await ResolverHarness.run { api in
            let (_, project) = try await Self.seeded(api)
            let stranger = try await api.signUp("stranger")
            var trends: [String: Any] = Self.twoDays
            trends["series"] = [["math": "TOTAL"]]
            var funnel: [String: Any] = Self.twoDays
            funnel.merge(["steps": [["event": "signed_up"]], "windowSeconds": 60]) { $1 }
            var retention: [String: Any] = Self.twoDays
            retention.merge(["startEvent": "signed_up", "returnEvent": "pageview", "periods": 2]) { $1 }
            let operations: [(String, String, [String: Any])] = [
                ("trends", Self.trends, ["i": trends]), ("funnel", Self.funnel, ["i": funnel]),
                ("retention", Self.retention, ["i": retention]),
                ("events", "query($p: ID!) { events(projectId: $p) { edges { cursor } } }", [:]),
                ("eventNames", "query($p: ID!) { eventNames(projectId: $p) }", [:]),
                ("propertyKeys", "query($p: ID!) { propertyKeys(projectId: $p) }", [:]),
                ("deadLetters", "query($p: ID!) { deadLetters(projectId: $p) { totalCount items { payload } } }", [:]),
                ("liveEvents", "query($p: ID!) { liveEvents(projectId: $p) { cursor } }", [:]),
            ]
            for (name, query, variables) in operations {
                let other = try await api.execute(query, variables.merging(["p": project]) { $1 }, token: stranger.token)
                let random = try await api.execute(query, variables.merging(["p": UUID().uuidString]) { $1 }, token: stranger.token)
                #expect(other.codes == ["NOT_FOUND"], "\(name): \(other)")
                #expect(other.messages == ["project not found"], "\(name): \(other)")
                #expect(other.messages == random.messages, "\(name)")
                #expect(other.value(name) == nil, "\(name): \(other)")
            }
        }
    }
}
