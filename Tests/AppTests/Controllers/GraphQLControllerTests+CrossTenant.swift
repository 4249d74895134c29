import App
import Accounts
import Tenancy
import Foundation
import Hummingbird
import HummingbirdTesting
import Models
import TestSupport
import Testing

/// Organization A's member tries every operation taking an ID with organization B's IDs: nothing of B is returned
/// or changed, and the answer is exactly the one a random unknown ID gets (`NOT_FOUND`, same message).
@Suite struct GraphQLCrossTenantTests {
    /// An operation with one ID variable `$id` (and `$email` for addMember).
    struct Probe: Sendable {
        let name: String
        let query: String
    }

    static let probes: [Probe] = [
        Probe(name: "organization", query: "query($id: ID!) { organization(id: $id) { id name projects { id } } }"),
        Probe(name: "project", query: "query($id: ID!) { project(id: $id) { id name } }"),
        Probe(name: "events", query: "query($id: ID!) { events(projectId: $id) { edges { cursor } } }"),
        Probe(name: "liveEvents", query: "query($id: ID!) { liveEvents(projectId: $id) { cursor } }"),
        Probe(name: "eventNames", query: "query($id: ID!) { eventNames(projectId: $id) }"),
        Probe(name: "propertyKeys", query: "query($id: ID!) { propertyKeys(projectId: $id) }"),
        Probe(name: "personPropertyKeys", query: "query($id: ID!) { personPropertyKeys(projectId: $id) }"),
        Probe(
            name: "trends (person filter)",
            query: """
                query($id: ID!) { trends(projectId: $id, input: {series: [{math: TOTAL}], dateFrom: "2026-01-01T00:00:00Z",
                  dateTo: "2026-02-01T00:00:00Z", filters: [{key: "plan", operator: IS_SET, type: PERSON}]}) { series { total } } }
                """),
        Probe(name: "persons", query: "query($id: ID!) { persons(projectId: $id) { id distinctIds properties } }"),
        Probe(name: "persons (search)", query: "query($id: ID!) { persons(projectId: $id, search: \"a\") { id } }"),
        Probe(name: "person", query: "query($id: ID!) { person(projectId: $id, distinctId: \"alice\") { id properties } }"),
        Probe(
            name: "events (distinctIds)",
            query: "query($id: ID!) { events(projectId: $id, filter: {distinctIds: [\"alice\"]}) { edges { cursor } } }"),
        Probe(name: "deadLetters", query: "query($id: ID!) { deadLetters(projectId: $id) { totalCount items { payload } } }"),
        Probe(
            name: "trends",
            query: """
                query($id: ID!) { trends(projectId: $id, input: {series: [{math: TOTAL}], dateFrom: "2026-01-01T00:00:00Z",
                  dateTo: "2026-02-01T00:00:00Z"}) { series { total } } }
                """),
        Probe(
            name: "funnel",
            query: """
                query($id: ID!) { funnel(projectId: $id, input: {steps: [{event: "a"}], dateFrom: "2026-01-01T00:00:00Z",
                  dateTo: "2026-02-01T00:00:00Z", windowSeconds: 60}) { steps { count } } }
                """),
        Probe(
            name: "retention",
            query: """
                query($id: ID!) { retention(projectId: $id, input: {startEvent: "a", returnEvent: "b", periods: 2,
                  dateFrom: "2026-01-01T00:00:00Z", dateTo: "2026-02-01T00:00:00Z"}) { cohorts { size } } }
                """),
        Probe(name: "reports", query: "query($id: ID!) { reports(projectId: $id) { id } }"),
        Probe(name: "dashboards", query: "query($id: ID!) { dashboards(projectId: $id) { id } }"),
        Probe(
            name: "saveReport",
            query: "mutation($id: ID!) { saveReport(input: {projectId: $id, name: \"r\", kind: TRENDS, definition: {}}) { id } }"),
        Probe(name: "createDashboard", query: "mutation($id: ID!) { createDashboard(input: {projectId: $id, name: \"d\"}) { id } }"),
        Probe(name: "report", query: "query($id: ID!) { report(id: $id) { id name definition } }"),
        Probe(name: "updateReport", query: "mutation($id: ID!) { updateReport(input: {id: $id, name: \"stolen\"}) { id name } }"),
        Probe(
            name: "updateReport (definition)",
            query: "mutation($id: ID!) { updateReport(input: {id: $id, definition: {series: []}}) { id } }"),
        Probe(name: "deleteReport", query: "mutation($id: ID!) { deleteReport(id: $id) }"),
        Probe(name: "dashboard", query: "query($id: ID!) { dashboard(id: $id) { id name items { report { name } } } }"),
        Probe(name: "updateDashboard", query: "mutation($id: ID!) { updateDashboard(input: {id: $id, name: \"stolen\"}) { id } }"),
        Probe(
            name: "updateDashboard (items)",
            query: "mutation($id: ID!, $own: ID!) { updateDashboard(input: {id: $id, items: [{reportId: $own}]}) { id } }"),
        Probe(name: "deleteDashboard", query: "mutation($id: ID!) { deleteDashboard(id: $id) }"),
        Probe(
            name: "createDashboardShare",
            query: "mutation($id: ID!) { createDashboardShare(input: {dashboardId: $id, allowRangeChange: true}) { token } }"),
        Probe(name: "revokeDashboardShare", query: "mutation($id: ID!) { revokeDashboardShare(id: $id) { id revokedAt } }"),
        Probe(
            name: "updateDashboard (B's report on A's dashboard)",
            query: """
                mutation($ownDashboard: ID!, $id: ID!) { updateDashboard(input: {id: $ownDashboard, items: [{reportId: $id}]}) { id } }
                """),
        Probe(name: "createProject", query: "mutation($id: ID!) { createProject(input: {organizationId: $id, name: \"x\"}) { id } }"),
        Probe(name: "updateProject", query: "mutation($id: ID!) { updateProject(input: {id: $id, name: \"stolen\"}) { id name } }"),
        Probe(name: "deleteProject", query: "mutation($id: ID!) { deleteProject(id: $id) }"),
        Probe(
            name: "createApiToken INGEST",
            query: "mutation($id: ID!) { createApiToken(input: {projectId: $id, name: \"x\", kind: INGEST}) { token } }"),
        Probe(
            name: "createApiToken PERSONAL",
            query: "mutation($id: ID!) { createApiToken(input: {projectId: $id, name: \"x\", kind: PERSONAL}) { token } }"),
        Probe(name: "revokeApiToken", query: "mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }"),
        Probe(
            name: "addMember",
            query: "mutation($id: ID!, $email: String!) { addMember(input: {organizationId: $id, email: $email, role: OWNER}) { role } }"),
        Probe(name: "invitations", query: "query($id: ID!) { invitations(organizationId: $id) { id email } }"),
        Probe(name: "revokeInvitation", query: "mutation($id: ID!) { revokeInvitation(id: $id) { id status } }"),
        Probe(
            name: "changeMemberRole (B's org)",
            query: """
                mutation($id: ID!, $user: ID!) { changeMemberRole(input: {organizationId: $id, userId: $user, role: VIEWER}) { role } }
                """),
        Probe(name: "removeMember (B's org)", query: "mutation($id: ID!, $user: ID!) { removeMember(organizationId: $id, userId: $user) }"),
        Probe(
            name: "changeMemberRole (B's user in A's org)",
            query: "mutation($org: ID!, $id: ID!) { changeMemberRole(input: {organizationId: $org, userId: $id, role: VIEWER}) { role } }"),
        Probe(
            name: "removeMember (B's user in A's org)",
            query: "mutation($org: ID!, $id: ID!) { removeMember(organizationId: $org, userId: $id) }"),
        Probe(name: "revokeSession", query: "mutation($id: ID!) { revokeSession(id: $id) }"),
    ]

    /// Which of B's IDs each probe gets.
    static func target(
        of probe: Probe, b: GraphQLClient.Account, project: String, token: String, report: String, dashboard: String,
        invitation: String = "", share: String = ""
    ) -> String {
        switch probe.name {
        case "revokeDashboardShare": share
        case "createDashboardShare": dashboard
        case "report", "updateReport", "updateReport (definition)", "deleteReport", "updateDashboard (B's report on A's dashboard)":
            report
        case "dashboard", "updateDashboard", "updateDashboard (items)", "deleteDashboard": dashboard
        case "organization", "createProject", "addMember", "invitations", "changeMemberRole (B's org)", "removeMember (B's org)": b.orgID
        case "revokeInvitation": invitation
        case "revokeApiToken": token
        case "revokeSession": sessionID(of: b.token)
        case "changeMemberRole (B's user in A's org)", "removeMember (B's user in A's org)": b.userID
        default: project
        }
    }

    @Test func aMemberOfOrganizationAGetsNothingOfOrganizationB() async throws {
        try await GraphQLTestApp.run { api in
            let a = try await api.signUp("alice")
            let b = try await api.signUp("bob")
            let projectB = try await api.createProject(b.orgID, name: "bob's secret", token: b.token)
            let tokenB = try await api.createToken(projectB, kind: "INGEST", token: b.token)
            let reportB = try await Self.saveReport(
                api, project: projectB, name: "bob's report", kind: "RETENTION",
                definition: [
                    "startEvent": "a", "returnEvent": "b", "periods": 2, "dateFrom": "2026-01-01T00:00:00Z",
                    "dateTo": "2026-02-01T00:00:00Z",
                ], token: b.token)
            let dashboardB = try #require(
                try await api.post(
                    "mutation($p: ID!) { createDashboard(input: {projectId: $p, name: \"bob's board\"}) { id } }", ["p": projectB],
                    token: b.token
                ).string("createDashboard.id"))
            let filled = try await api.post(
                "mutation($d: ID!, $r: ID!) { updateDashboard(input: {id: $d, items: [{reportId: $r}]}) { id } }",
                ["d": dashboardB, "r": reportB], token: b.token)
            #expect(filled.errors.isEmpty, "\(filled.body)")
            let sharedB = try await api.post(
                "mutation($d: ID!) { createDashboardShare(input: {dashboardId: $d}) { token share { id } } }", ["d": dashboardB],
                token: b.token)
            let shareB = try #require(sharedB.string("createDashboardShare.share.id"), "\(sharedB.body)")
            let invitationB = try #require(
                try await api.addMember(b.orgID, email: "bobs-hire@example.com", role: "VIEWER", token: b.token).string("addMember.id"))
            let projectA = try await api.createProject(a.orgID, token: a.token)
            let ownReport = try await Self.saveReport(
                api, project: projectA, name: "a", kind: "TRENDS",
                definition: ["series": [], "dateFrom": "2026-01-01T00:00:00Z", "dateTo": "2026-02-01T00:00:00Z"], token: a.token)
            let ownDashboard = try #require(
                try await api.post(
                    "mutation($p: ID!) { createDashboard(input: {projectId: $p, name: \"a\"}) { id } }", ["p": projectA], token: a.token
                ).string("createDashboard.id"))
            let created = try await api.post(
                """
                mutation($p: ID!) { createApiToken(input: {projectId: $p, name: "rw", kind: PERSONAL, scopes: [READ, WRITE]}) { token } }
                """,
                ["p": projectA], token: a.token)
            let patA = try #require(created.string("createApiToken.token"))

            for credential in [a.token, patA] {
                for probe in Self.probes {
                    let id = Self.target(
                        of: probe, b: b, project: projectB, token: tokenB.id, report: reportB, dashboard: dashboardB,
                        invitation: invitationB, share: shareB)
                    var variables: [String: Any] = [
                        "id": id, "email": a.email, "user": b.userID, "org": a.orgID, "own": ownReport, "ownDashboard": ownDashboard,
                    ]
                    let foreign = try await api.post(probe.query, variables, token: credential)
                    variables["id"] = UUID().uuidString.lowercased()
                    let unknown = try await api.post(probe.query, variables, token: credential)
                    #expect(foreign.codes == ["NOT_FOUND"], "\(probe.name): \(foreign.body)")
                    #expect(foreign.messages == unknown.messages, "\(probe.name): \(foreign.body) vs \(unknown.body)")
                    #expect(foreign.codes == unknown.codes, "\(probe.name)")
                    #expect(!foreign.body.contains("bob"), "\(probe.name) leaked: \(foreign.body)")
                }
            }

            // Organization B is untouched.
            let check = try await api.post(
                "query($o: ID!) { organization(id: $o) { name projects { name } apiTokens { id revokedAt } members { role } } }",
                ["o": b.orgID], token: b.token)
            #expect(check.string("organization.projects.0.name") == "bob's secret")
            #expect((check.list("organization.apiTokens").first as? [String: Any])?["revokedAt"] is NSNull)
            #expect(check.list("organization.members").count == 1)
            let invitations = try await api.post(
                "query($o: ID!) { invitations(organizationId: $o) { id status } }", ["o": b.orgID], token: b.token)
            #expect(invitations.string("invitations.0.id") == invitationB && invitations.string("invitations.0.status") == "PENDING")
            let boards = try await api.post(
                "query($p: ID!) { reports(projectId: $p) { id name } dashboards(projectId: $p) { id name items { report { id } } } }",
                ["p": projectB], token: b.token)
            #expect(boards.list("reports").count == 1)
            #expect(boards.string("reports.0.name") == "bob's report")
            #expect(boards.string("dashboards.0.id") == dashboardB)
            #expect(boards.string("dashboards.0.name") == "bob's board")
            #expect(boards.string("dashboards.0.items.0.report.id") == reportB)
            // B's link still works, and B's dashboard got no link from A.
            let shares = try await api.post(
                "query($d: ID!) { dashboard(id: $d) { shares { id revokedAt } } }", ["d": dashboardB], token: b.token)
            #expect(shares.list("dashboard.shares").count == 1, "\(shares.body)")
            #expect(shares.string("dashboard.shares.0.id") == shareB && shares.value("dashboard.shares.0.revokedAt") == nil)
            let token = try #require(sharedB.string("createDashboardShare.token"))
            let open = try await api.post("query($t: String!) { sharedDashboard(token: $t) { name } }", ["t": token])
            #expect(open.string("sharedDashboard.name") == "bob's board", "\(open.body)")
            // A's own dashboard did not get B's report.
            let own = try await api.post("query($d: ID!) { dashboard(id: $d) { items { position } } }", ["d": ownDashboard], token: a.token)
            #expect(own.errors.isEmpty && own.list("dashboard.items").isEmpty, "\(own.body)")
            // And a's memberships never included B.
            let me = try await api.post("{ me { memberships { organization { id } } } }", token: a.token)
            #expect(me.list("me.memberships").count == 1)
        }
    }

    @Test func badCredentialsAreUnauthenticated() async throws {
        try await GraphQLTestApp.run { api in
            let user = try await api.signUp("carol")
            let project = try await api.createProject(user.orgID, token: user.token)
            let pat = try await api.createToken(project, kind: "PERSONAL", token: user.token)
            _ = try await api.post("mutation($t: ID!) { revokeApiToken(id: $t) { id } }", ["t": pat.id], token: user.token)
            let userID = try #require(User.ID(uuidString: user.userID))

            let key = try SessionKey(id: "test", base64Secret: GraphQLTestApp.keySecret)
            let past = try await SessionTokens(signingKey: key, now: { Date().addingTimeInterval(-2 * 86_400) })
            let expired = try await past.issue(for: userID, sessionVersion: 0).token
            let stranger = try await SessionTokens(signingKey: SessionKey.random(id: "other"))
            let unknownKey = try await stranger.issue(for: userID, sessionVersion: 0).token
            let impostor = try await SessionTokens(signingKey: SessionKey.random(id: "test"))
            let wrongSecret = try await impostor.issue(for: userID, sessionVersion: 0).token
            let parts = user.token.split(separator: ".").map(String.init)
            let otherUser = Self.base64URL(#"{"sub":"\#(UUID().uuidString.lowercased())","iat":1,"exp":4102444800,"jti":"x","pwd":0}"#)
            let tampered = [parts[0], otherUser, parts[2]].joined(separator: ".")
            let none = [Self.base64URL(#"{"alg":"none","typ":"JWT","kid":"test"}"#), parts[1], ""].joined(separator: ".")

            let credentials = [
                "revoked personal token": pat.secret, "expired JWT": expired, "JWT with an unknown key": unknownKey,
                "JWT signed with another secret": wrongSecret, "tampered JWT": tampered, "alg none": none, "garbage": "nonsense",
            ]
            for (name, credential) in credentials {
                let me = try await api.post("{ me { id email } }", token: credential)
                #expect(me.codes == ["UNAUTHENTICATED"], "\(name): \(me.body)")
                #expect(me.value("me") == nil, "\(name)")
                let write = try await api.post(
                    "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"x\"}) { id } }", ["o": user.orgID],
                    token: credential)
                #expect(write.codes == ["UNAUTHENTICATED"], "\(name): \(write.body)")
            }
            let projects = try await api.post(
                "query($o: ID!) { organization(id: $o) { projects { id } } }", ["o": user.orgID], token: user.token)
            #expect(projects.list("organization.projects").count == 1)
        }
    }

    /// Saves a report and returns its ID.
    static func saveReport(
        _ api: GraphQLClient, project: String, name: String, kind: String, definition: [String: Any], token: String
    ) async throws -> String {
        let reply = try await api.post(
            "mutation($i: SaveReportInput!) { saveReport(input: $i) { id } }",
            ["i": ["projectId": project, "name": name, "kind": kind, "definition": definition]], token: token)
        return try #require(reply.string("saveReport.id"), "\(reply.body)")
    }

    /// The session id (`jti`) of a session JWT.
    static func sessionID(of token: String) -> String {
        let payload = token.split(separator: ".")[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = payload + String(repeating: "=", count: (4 - payload.count % 4) % 4)
        let claims = (try? JSONSerialization.jsonObject(with: Data(base64Encoded: padded) ?? Data())) as? [String: Any]
        return claims?["jti"] as? String ?? ""
    }

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
