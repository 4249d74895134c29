import Foundation
import GraphQL
import Logging
import Testing

@testable import API

/// The report fields' weights in the cost limit, through the real schema and engine: a request bundling many heavy
/// reports is refused before any resolver runs, what a dashboard sends still runs.
@Suite struct ReportCostsTests {
    static let from = "2026-01-01T00:00:00Z"
    /// 200 days after `from`.
    static let to = "2026-07-20T00:00:00Z"

    /// Runs `query` as the bearer of `token` and returns the engine's response, request errors included.
    func run(_ h: ResolverHarness, _ query: String, _ variables: [String: Any] = [:], token: String) async throws -> GraphQLResponse {
        let values = try Value(jsonBytes: Array(try JSONSerialization.data(withJSONObject: variables)))
        var logger = Logger(label: "report-costs-tests")
        logger.logLevel = .critical
        let context = await h.api.context(authorization: "Bearer \(token)", requestID: "test", clientIP: nil, logger: logger)
        return await h.api.engine.execute(query: query, variables: values, context: context)
    }

    /// `count` aliases of one hourly trend over 200 days, as one request.
    static func hourlyAliases(_ count: Int, project: String) -> String {
        let fields = (1...count).map { index in
            """
            t\(index): trends(projectId: "\(project)", input: {series: [{math: TOTAL}], dateFrom: "\(from)", dateTo: "\(to)",
              interval: HOUR}) { series { label total points { bucket value } } }
            """
        }
        return "{\n" + fields.joined(separator: "\n") + "\n}"
    }

    func expectRefused(_ response: GraphQLResponse, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let ran = response.result.data != nil
        #expect(response.phase == .validation, sourceLocation: sourceLocation)
        #expect(!ran, "no report may run", sourceLocation: sourceLocation)
        #expect(response.result.errors.map(\.code) == ["QUERY_TOO_COMPLEX"], sourceLocation: sourceLocation)
    }

    func expectRan(_ response: GraphQLResponse, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(response.phase == .execution, sourceLocation: sourceLocation)
        #expect(response.result.errors.isEmpty, "\(response.result.errors.map(\.message))", sourceLocation: sourceLocation)
    }

    @Test func twentyAliasesOfAnHourlyTrendOver200DaysAreRefused() async throws {
        try await ResolverHarness.run { h in
            let account = try await h.signUp("costs")
            let project = try await h.createProject(account.orgID, token: account.token)
            expectRefused(try await run(h, Self.hourlyAliases(20, project: project), token: account.token))
            // Over HTTP: 400, nothing executed.
            let body = try JSONSerialization.data(withJSONObject: ["query": Self.hourlyAliases(20, project: project)])
            let handler = GraphQLHTTPHandler(api: h.api, logger: Logger(label: "report-costs-tests"))
            let reply = await handler.handle(
                GraphQLHTTPRequest(
                    method: .post, contentType: "application/json", authorization: "Bearer \(account.token)", body: Array(body),
                    requestID: "r"))
            #expect(reply.status == 400)
            let answer = try Value(jsonBytes: reply.body)
            #expect(answer["data"] == nil || answer["data"]?.isNull == true)
            #expect(answer["errors"]?[0]?["extensions"]?["code"]?.stringValue == "QUERY_TOO_COMPLEX")
            // One such trend alone is within the limits of a single report, and runs.
            expectRan(try await run(h, Self.hourlyAliases(1, project: project), token: account.token))
        }
    }

    @Test func aRelativeRangeWeighsWhatItCovers() async throws {
        try await ResolverHarness.run { h in
            let account = try await h.signUp("costs")
            let project = try await h.createProject(account.orgID, token: account.token)
            func aliases(_ count: Int) -> String {
                let fields = (1...count).map { index in
                    """
                    t\(index): trends(projectId: "\(project)", input: {series: [{math: TOTAL}],
                      range: {last: {amount: 200, unit: DAY}}, interval: HOUR}) { series { total } }
                    """
                }
                return "{\n" + fields.joined(separator: "\n") + "\n}"
            }
            expectRefused(try await run(h, aliases(20), token: account.token))
            expectRan(try await run(h, aliases(1), token: account.token))
            // Not valid: weighed at its worst, then refused by the resolver.
            let bad = try await run(
                h, "{ trends(projectId: \"\(project)\", input: {series: [{math: TOTAL}], range: {}}) { series { total } } }",
                token: account.token)
            #expect(bad.result.errors.map(\.code) == ["BAD_USER_INPUT"])
        }
    }

    @Test func theSameAttackWithVariablesIsRefusedAtExecution() async throws {
        try await ResolverHarness.run { h in
            let account = try await h.signUp("costs")
            let project = try await h.createProject(account.orgID, token: account.token)
            let fields = (1...20).map { index in
                "t\(index): trends(projectId: $p, input: {series: [{math: TOTAL}], dateFrom: $from, dateTo: $to, interval: $i}) "
                    + "{ series { total points { value } } }"
            }
            let query = "query ($p: ID!, $from: DateTime!, $to: DateTime!, $i: Interval) {\n" + fields.joined(separator: "\n") + "\n}"
            let hourly: [String: Any] = ["p": project, "from": Self.from, "to": Self.to, "i": "HOUR"]
            expectRefused(try await run(h, query, hourly, token: account.token))
            // The same cached document, by day over 30 days: a dashboard's request, and it runs.
            let daily: [String: Any] = ["p": project, "from": Self.from, "to": "2026-01-31T00:00:00Z", "i": "DAY"]
            expectRan(try await run(h, query, daily, token: account.token))
            // The whole input as one variable is weighed alike.
            let whole =
                "query ($p: ID!, $input: TrendsInput!) {\n"
                + (1...20).map { "t\($0): trends(projectId: $p, input: $input) { series { total } }" }.joined(separator: "\n") + "\n}"
            let input: [String: Any] = ["series": [["math": "TOTAL"]], "dateFrom": Self.from, "dateTo": Self.to, "interval": "HOUR"]
            expectRefused(try await run(h, whole, ["p": project, "input": input], token: account.token))
        }
    }

    @Test func aDashboardOfTwelveReportsRunsInOneRequest() async throws {
        try await ResolverHarness.run { h in
            let account = try await h.signUp("costs")
            let project = try await h.createProject(account.orgID, token: account.token)
            let range = "dateFrom: $from, dateTo: $to"
            let points = "series { label breakdownValue total points { bucket value } }"
            let steps = "steps { index event count conversionRate medianSecondsFromPrevious }"
            let query = """
                query Dashboard($p: ID!, $from: DateTime!, $to: DateTime!, $quarter: DateTime!, $yesterday: DateTime!) {
                  signups: trends(projectId: $p, input: {series: [{event: "signed_up", math: TOTAL},
                    {event: "signed_up", math: UNIQUE_USERS}], \(range)}) { \(points) }
                  dau: trends(projectId: $p, input: {series: [{math: UNIQUE_USERS}], \(range), interval: DAY}) { \(points) }
                  wau: trends(projectId: $p, input: {series: [{math: WEEKLY_ACTIVE}], dateFrom: $quarter, dateTo: $to,
                    interval: WEEK}) { \(points) }
                  countries: trends(projectId: $p, input: {series: [{event: "$pageview", math: TOTAL}], \(range),
                    breakdown: "country"}) { \(points) }
                  revenue: trends(projectId: $p, input: {series: [{event: "purchase", math: SUM, property: "amount"}],
                    \(range)}) { \(points) }
                  today: trends(projectId: $p, input: {series: [{event: "$pageview", math: TOTAL}], dateFrom: $yesterday,
                    dateTo: $to, interval: HOUR}) { \(points) }
                  checkout: funnel(projectId: $p, input: {steps: [{event: "view"}, {event: "cart"}, {event: "pay"}], \(range),
                    windowSeconds: 86400}) { \(steps) }
                  onboarding: funnel(projectId: $p, input: {steps: [{event: "a"}, {event: "b"}, {event: "c"}, {event: "d"},
                    {event: "e"}], \(range), windowSeconds: 604800}) { \(steps) }
                  byBrowser: funnel(projectId: $p, input: {steps: [{event: "view"}, {event: "pay",
                    filters: [{key: "plan", operator: EQ, value: "pro"}]}], \(range), windowSeconds: 86400, breakdown: "browser"}) {
                    \(steps) breakdowns { breakdownValue \(steps) } }
                  daily: retention(projectId: $p, input: {startEvent: "signed_up", returnEvent: "$pageview", periods: 14,
                    \(range)}) { cohorts { start size values } }
                  weekly: retention(projectId: $p, input: {startEvent: "signed_up", returnEvent: "$pageview", period: WEEK,
                    periods: 8, dateFrom: $quarter, dateTo: $to}) { cohorts { start size values } }
                  monthly: retention(projectId: $p, input: {startEvent: "signed_up", returnEvent: "$pageview", period: MONTH,
                    periods: 6, dateFrom: $quarter, dateTo: $to, mode: FIRST_TIME}) { cohorts { start size values } }
                }
                """
            let variables: [String: Any] = [
                "p": project, "from": "2026-04-01T00:00:00Z", "to": "2026-05-01T00:00:00Z", "quarter": "2026-01-30T00:00:00Z",
                "yesterday": "2026-04-30T00:00:00Z",
            ]
            expectRan(try await run(h, query, variables, token: account.token))
        }
    }

    @Test func aFiveSeriesDailyTrendOverAYearRuns() async throws {
        try await ResolverHarness.run { h in
            let account = try await h.signUp("costs")
            let project = try await h.createProject(account.orgID, token: account.token)
            let series = ["TOTAL", "UNIQUE_USERS", "WEEKLY_ACTIVE", "MONTHLY_ACTIVE", "TOTAL"].map { "{math: \($0)}" }
            let query = """
                { trends(projectId: "\(project)", input: {series: [\(series.joined(separator: ", "))],
                    dateFrom: "2025-01-01T00:00:00Z", dateTo: "2026-01-01T00:00:00Z", interval: DAY}) {
                    series { label total points { bucket value } } } }
                """
            let response = try await run(h, query, token: account.token)
            expectRan(response)
            #expect(response.result.data?["trends"]?["series"]?[0]?["points"]?.listValue?.count == 365)
        }
    }

    @Test func weightsFollowTheDocumentedFormulas() throws {
        func arguments(_ input: OrderedObject) -> FieldCostArguments {
            FieldCostArguments(values: ["projectId": "p", "input": .object(input)], hasUnknownValues: false)
        }
        let hourly: OrderedObject = [
            "series": [["math": "TOTAL"]], "dateFrom": .string(Self.from), "dateTo": .string(Self.to), "interval": "HOUR",
            "breakdown": nil, "breakdownLimit": 25, "filters": nil, "compareToPrevious": false,
        ]
        // 4,801 buckets: (5 + 481) × 2 for hours.
        #expect(ReportCosts.trends(arguments(hourly)) == 972)
        var compared = hourly
        compared["compareToPrevious"] = true
        #expect(ReportCosts.trends(arguments(compared)) == 1_944)  // run twice
        compared["compareToPrevious"] = Value?.none
        #expect(ReportCosts.trends(arguments(compared)) == 1_944)  // unknown: at worst
        var daily = hourly
        daily["interval"] = "DAY"
        #expect(ReportCosts.trends(arguments(daily)) == 26)  // 201 buckets: 5 + 21
        daily["breakdown"] = "country"
        #expect(ReportCosts.trends(arguments(daily)) == 508)  // 25 values × 201 buckets: 5 + 503 (TOTAL: rollups)
        var unknown = hourly
        unknown["dateTo"] = Value?.none
        #expect(ReportCosts.trends(arguments(unknown)) == 1_012)  // 5,001 buckets at worst
        let funnel: OrderedObject = [
            "steps": [["event": "a", "filters": nil], ["event": "b", "filters": nil], ["event": "c", "filters": nil]],
            "dateFrom": "2026-04-01T00:00:00Z", "dateTo": "2026-05-01T00:00:00Z", "windowSeconds": 86_400, "order": "ORDERED",
            "breakdown": nil, "compareToPrevious": false,
        ]
        #expect(ReportCosts.funnel(arguments(funnel)) == 115)  // 100 + 3 steps × 5 weeks
        var comparedFunnel = funnel
        comparedFunnel["compareToPrevious"] = true
        #expect(ReportCosts.funnel(arguments(comparedFunnel)) == 230)
        var brokenDown = funnel
        brokenDown["breakdown"] = "browser"
        #expect(ReportCosts.funnel(arguments(brokenDown)) == 145)
        let retention: OrderedObject = [
            "startEvent": "a", "returnEvent": "b", "period": "DAY", "periods": 14, "dateFrom": "2026-04-01T00:00:00Z",
            "dateTo": "2026-05-01T00:00:00Z", "mode": "RECURRING",
        ]
        #expect(ReportCosts.retention(arguments(retention)) == 122)  // 100 + 31 cohorts × 14 / 20
        let everything: OrderedObject = [
            "series": .list(Array(repeating: ["math": "TOTAL"], count: 20)), "dateFrom": .string(Self.from),
            "dateTo": .string(Self.to), "interval": "HOUR", "breakdown": "country", "breakdownLimit": 1_000,
        ]
        #expect(ReportCosts.trends(arguments(everything)) == ReportCosts.maxReportWeight)
    }
}
