import Foundation
import GraphQL
import TestSupport
import Testing

/// Dashboards' read-only links: the token opens that dashboard's reports without an account, over the range the
/// dashboard (or, when the link allows it, the viewer) sets; it is stored hashed, revoked at once, and nothing else of
/// the organization is reachable with it.
@Suite struct ShareResolversTests {
    static let shared = """
        query($t: String!, $r: ReportRangeInput) {
          sharedDashboard(token: $t, range: $r) {
            name description timezone dateRange allowRangeChange
            items { position width height name kind definition
                    trends { series { total } dateFrom dateTo } funnel { steps { count } } retention { cohorts { size } } }
          }
        }
        """

    /// A Berlin project (the seeded `tick` events of `RelativeRangeResolversTests`) with a dashboard of a trend over
    /// the last 7 days and a funnel over March, and a second dashboard with a report of its own.
    static func dashboard(_ api: ResolverHarness) async throws -> (owner: ResolverHarness.Account, project: String, dashboard: String) {
        let (owner, project) = try await RelativeRangeResolversTests.seeded(api)
        func save(_ name: String, _ kind: String, _ definition: [String: Any]) async throws -> String {
            let reply = try await api.execute(
                "mutation($i: SaveReportInput!) { saveReport(input: $i) { id } }",
                ["i": ["projectId": project, "name": name, "kind": kind, "definition": definition]], token: owner.token)
            return try #require(reply.string("saveReport.id"), "\(reply)")
        }
        let trend = try await save(
            "ticks", "TRENDS", ["series": [["event": "tick", "math": "TOTAL"]], "range": ["last": ["amount": 7, "unit": "DAY"]]])
        let funnel = try await save(
            "tick twice", "FUNNEL",
            [
                "steps": [["event": "tick"], ["event": "tick"]], "windowSeconds": 86_400 * 3, "dateFrom": "2026-03-01T00:00:00Z",
                "dateTo": "2026-04-01T00:00:00Z",
            ])
        let secret = try await save(
            "secret", "RETENTION", ["startEvent": "tick", "returnEvent": "tick", "periods": 2, "range": ["this": "MONTH"]])
        func board(_ name: String, _ reports: [String]) async throws -> String {
            let created = try await api.execute(
                "mutation($p: ID!, $n: String!) { createDashboard(input: {projectId: $p, name: $n}) { id } }", ["p": project, "n": name],
                token: owner.token)
            let id = try #require(created.string("createDashboard.id"), "\(created)")
            let filled = try await api.execute(
                "mutation($d: ID!, $i: [DashboardItemInput!]) { updateDashboard(input: {id: $d, items: $i}) { id } }",
                ["d": id, "i": reports.map { ["reportId": $0, "width": 6] }], token: owner.token)
            #expect(filled.errors.isEmpty, "\(filled)")
            return id
        }
        let dashboard = try await board("weekly", [trend, funnel])
        _ = try await board("private", [secret])
        return (owner, project, dashboard)
    }

    static func share(_ api: ResolverHarness, _ dashboard: String, allowRangeChange: Bool, token: String) async throws -> (
        token: String, id: String
    ) {
        let reply = try await api.execute(
            "mutation($d: ID!, $a: Boolean) { createDashboardShare(input: {dashboardId: $d, allowRangeChange: $a}) { token share { id prefix } } }",
            ["d": dashboard, "a": allowRangeChange], token: token)
        let secret = try #require(reply.string("createDashboardShare.token"), "\(reply)")
        #expect(secret.hasPrefix("iv_shr_") && secret.count == 39, "\(reply)")
        #expect(reply.string("createDashboardShare.share.prefix") == String(secret.prefix(11)), "\(reply)")
        return (secret, try #require(reply.string("createDashboardShare.share.id")))
    }

    @Test func aLinkOpensItsDashboardsReportsWithoutAnAccountUntilItIsRevoked() async throws {
        try await ResolverHarness.run { api in
            let (owner, project, dashboard) = try await Self.dashboard(api)
            api.reportClock.set(Date.at("2026-04-02T12:00:00Z"))
            let link = try await Self.share(api, dashboard, allowRangeChange: false, token: owner.token)

            // Anyone with the token: the dashboard's two reports, with the answers a member gets for the same inputs.
            let open = try await api.execute(Self.shared, ["t": link.token])
            #expect(open.errors.isEmpty, "\(open)")
            #expect(open.string("sharedDashboard.name") == "weekly" && open.string("sharedDashboard.timezone") == "Europe/Berlin")
            #expect(open.list("sharedDashboard.items").map { $0["name"]?.stringValue } == ["ticks", "tick twice"], "\(open)")
            #expect(open.value("sharedDashboard.items.0.funnel") == nil && open.value("sharedDashboard.items.1.trends") == nil)
            let direct = try await api.execute(
                """
                query($p: ID!) {
                  trends(projectId: $p, input: {series: [{event: "tick", math: TOTAL}], range: {last: {amount: 7, unit: DAY}}}) {
                    series { total } dateFrom dateTo }
                  funnel(projectId: $p, input: {steps: [{event: "tick"}, {event: "tick"}], windowSeconds: 259200,
                    dateFrom: "2026-03-01T00:00:00Z", dateTo: "2026-04-01T00:00:00Z"}) { steps { count } }
                }
                """, ["p": project], token: owner.token)
            #expect(direct.errors.isEmpty, "\(direct)")
            #expect(open.value("sharedDashboard.items.0.trends") == direct.value("trends"), "\(open) vs \(direct)")
            #expect(open.value("sharedDashboard.items.1.funnel") == direct.value("funnel"), "\(open) vs \(direct)")
            #expect(direct.value("trends.series.0.total") == .double(7) && direct.value("funnel.steps.1.count") == .int(1), "\(direct)")

            // What the share page selects of every report fits in the default cost limit: the field weighs 2,000 whatever
            // is selected below it.
            let everything = try await api.execute(
                """
                query($t: String!) { sharedDashboard(token: $t) { name items { name kind definition
                  trends { dateFrom dateTo series { label event math breakdownValue total points { bucket value } }
                           previous { label total points { bucket value } } }
                  funnel { dateFrom dateTo steps { index event count conversionRate medianSecondsFromPrevious breakdownValue }
                           breakdowns { breakdownValue steps { index event count conversionRate medianSecondsFromPrevious } }
                           previous { index count conversionRate } }
                  retention { cohorts { start size values } } } } }
                """, ["t": link.token])
            #expect(everything.errors.isEmpty, "\(everything)")

            // This link does not let viewers pick another range.
            let ranged = try await api.execute(Self.shared, ["t": link.token, "r": ["range": ["last": ["amount": 2, "unit": "DAY"]]]])
            #expect(ranged.codes == ["FORBIDDEN"], "\(ranged)")

            // The dashboard's own range replaces every report's.
            let set = try await api.execute(
                "mutation($d: ID!) { updateDashboard(input: {id: $d, dateRange: {dateFrom: \"2026-03-20T00:00:00Z\", dateTo: \"2026-03-23T00:00:00Z\"}}) { id } }",
                ["d": dashboard], token: owner.token)
            #expect(set.errors.isEmpty, "\(set)")
            let overridden = try await api.execute(Self.shared, ["t": link.token])
            #expect(overridden.value("sharedDashboard.items.0.trends.series.0.total") == .double(3), "\(overridden)")
            #expect(overridden.string("sharedDashboard.items.0.trends.dateFrom") == "2026-03-20T00:00:00Z", "\(overridden)")
            #expect(overridden.value("sharedDashboard.items.1.definition.range") == nil, "\(overridden)")
            #expect(overridden.string("sharedDashboard.items.1.definition.dateTo") == "2026-03-23T00:00:00Z", "\(overridden)")

            // Stored as a hash only; listed for the dashboard's members; revoked at once.
            let stored = try await api.services.testDatabase.asOwner(
                "SELECT token_hash = sha256(convert_to(\(link.token), 'UTF8')), prefix FROM dashboard_shares")
            #expect(try stored.map { try $0.decode((Bool, String).self).0 } == [true])
            let listed = try await api.execute(
                "query($d: ID!) { dashboard(id: $d) { shares { id revokedAt } } }", ["d": dashboard], token: owner.token)
            #expect(listed.string("dashboard.shares.0.id") == link.id && listed.value("dashboard.shares.0.revokedAt") == nil, "\(listed)")
            let revoked = try await api.execute(
                "mutation($s: ID!) { revokeDashboardShare(id: $s) { revokedAt } }", ["s": link.id], token: owner.token)
            #expect(revoked.string("revokeDashboardShare.revokedAt") != nil, "\(revoked)")
            let refused = try await api.execute(Self.shared, ["t": link.token])
            #expect(refused.codes == ["NOT_FOUND"], "\(refused)")
            #expect(refused.messages.first?.contains("not valid or was revoked") == true, "\(refused)")
            let altered = String(link.token.dropLast()) + (link.token.hasSuffix("x") ? "y" : "x")
            for bad in ["", "iv_shr_short", altered, "iv_pat_" + String(link.token.dropFirst(7))] {
                let reply = try await api.execute(Self.shared, ["t": bad])
                #expect(reply.codes == ["NOT_FOUND"] && reply.messages == refused.messages, "\(bad): \(reply)")
            }
        }
    }

    @Test func aLinkThatAllowsItRunsTheReportsOverTheViewersRange() async throws {
        try await ResolverHarness.run { api in
            let (owner, _, dashboard) = try await Self.dashboard(api)
            let link = try await Self.share(api, dashboard, allowRangeChange: true, token: owner.token)
            let ranged = try await api.execute(
                Self.shared, ["t": link.token, "r": ["dateFrom": "2026-03-20T00:00:00Z", "dateTo": "2026-03-25T00:00:00Z"]])
            #expect(ranged.errors.isEmpty, "\(ranged)")
            #expect(ranged.bool("sharedDashboard.allowRangeChange") == true)
            #expect(ranged.value("sharedDashboard.items.0.trends.series.0.total") == .double(5), "\(ranged)")
            #expect(ranged.string("sharedDashboard.dateRange.dateFrom") == "2026-03-20T00:00:00Z", "\(ranged)")
            let bad = try await api.execute(Self.shared, ["t": link.token, "r": ["dateFrom": "2026-03-20T00:00:00Z"]])
            #expect(bad.codes == ["BAD_USER_INPUT"], "\(bad)")
        }
    }

    @Test func onlyMembersWhoMayChangeDashboardsShareThemAndOneClientIsRateLimited() async throws {
        try await ResolverHarness.run { api in
            let (owner, _, dashboard) = try await Self.dashboard(api)
            let viewer = try await api.signUp("viewer")
            try await api.addMember(viewer, to: owner.orgID, role: "VIEWER", token: owner.token)
            let created = try await api.execute(
                "mutation($d: ID!) { createDashboardShare(input: {dashboardId: $d}) { token } }", ["d": dashboard], token: viewer.token)
            #expect(created.codes == ["FORBIDDEN"], "\(created)")
            let link = try await Self.share(api, dashboard, allowRangeChange: false, token: owner.token)
            let seen = try await api.execute(
                "query($d: ID!) { dashboard(id: $d) { shares { id } } }", ["d": dashboard], token: viewer.token)
            #expect(seen.errors.isEmpty && seen.list("dashboard.shares").isEmpty, "\(seen)")
            let revoke = try await api.execute(
                "mutation($s: ID!) { revokeDashboardShare(id: $s) { id } }", ["s": link.id], token: viewer.token)
            #expect(revoke.codes == ["FORBIDDEN"], "\(revoke)")
            let anonymous = try await api.execute(
                "mutation($d: ID!) { createDashboardShare(input: {dashboardId: $d}) { token } }", ["d": dashboard])
            #expect(anonymous.codes == ["UNAUTHENTICATED"], "\(anonymous)")

            // The 31st request of one client within a minute is refused, with the wait.
            for _ in 1...30 {
                let reply = try await api.execute("query($t: String!) { sharedDashboard(token: $t) { name } }", ["t": link.token])
                #expect(reply.errors.isEmpty, "\(reply)")
            }
            let limited = try await api.execute("query($t: String!) { sharedDashboard(token: $t) { name } }", ["t": link.token])
            #expect(limited.codes == ["RATE_LIMITED"], "\(limited)")
            #expect((limited.errors.first?.extensions?["retryAfter"]?.intValue ?? 0) > 0, "\(limited)")
        }
    }
}
