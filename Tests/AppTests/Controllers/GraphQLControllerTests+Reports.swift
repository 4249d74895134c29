import App
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Saved reports and dashboards over `/graphql`: the full life cycle, role rules and definition checks.
@Suite struct GraphQLReportTests {
    static var trends: [String: Any] {
        [
            "series": [["event": "$pageview", "math": "UNIQUE_USERS"]], "dateFrom": "2026-01-01T00:00:00Z",
            "dateTo": "2026-02-01T00:00:00Z", "interval": "WEEK", "breakdown": "country",
        ]
    }
    static var funnel: [String: Any] {
        [
            "steps": [["event": "signed_up"], ["event": "purchase"]], "dateFrom": "2026-01-01T00:00:00Z",
            "dateTo": "2026-02-01T00:00:00Z", "windowSeconds": 86_400,
        ]
    }

    static let reportFields = "id name kind definition createdAt updatedAt project { id name }"
    static let dashboardFields =
        "id name description createdAt updatedAt project { id } items { position width height report { id name kind } }"

    static func save(
        _ api: GraphQLClient, project: String, name: String, kind: String = "TRENDS", definition: Any = trends, token: String
    ) async throws -> GraphQLReply {
        try await api.post(
            "mutation($i: SaveReportInput!) { saveReport(input: $i) { \(reportFields) } }",
            ["i": ["projectId": project, "name": name, "kind": kind, "definition": definition]], token: token)
    }

    @Test func reportLifeCycle() async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, name: "Web", token: owner.token)

            let saved = try await Self.save(api, project: project, name: "Weekly users", token: owner.token)
            #expect(saved.errors.isEmpty, "\(saved.body)")
            let id = try #require(saved.string("saveReport.id"))
            #expect(saved.string("saveReport.kind") == "TRENDS")
            #expect(saved.string("saveReport.project.id") == project)
            #expect(saved.string("saveReport.project.name") == "Web")
            let definition = try #require(saved.value("saveReport.definition") as? [String: Any])
            #expect(NSDictionary(dictionary: definition).isEqual(to: Self.trends))
            let funnel = try await Self.save(
                api, project: project, name: "Activation", kind: "FUNNEL", definition: Self.funnel, token: owner.token)
            let funnelID = try #require(funnel.string("saveReport.id"))

            let list = try await api.post("query($p: ID!) { reports(projectId: $p) { id name kind } }", ["p": project], token: owner.token)
            #expect(list.list("reports").compactMap { ($0 as? [String: Any])?["name"] as? String } == ["Activation", "Weekly users"])
            let one = try await api.post("query($id: ID!) { report(id: $id) { \(Self.reportFields) } }", ["id": id], token: owner.token)
            #expect(one.string("report.name") == "Weekly users")
            #expect(one.string("report.updatedAt") == saved.string("saveReport.updatedAt"))

            let newDefinition: [String: Any] = [
                "series": [["math": "TOTAL"]], "dateFrom": "2026-03-01T00:00:00+02:00", "dateTo": "2026-04-01T00:00:00Z",
            ]
            let updated = try await api.post(
                "mutation($i: UpdateReportInput!) { updateReport(input: $i) { \(Self.reportFields) } }",
                ["i": ["id": id, "name": "All events", "definition": newDefinition]], token: owner.token)
            #expect(updated.errors.isEmpty, "\(updated.body)")
            #expect(updated.string("updateReport.name") == "All events")
            #expect(updated.string("updateReport.definition.dateFrom") == "2026-03-01T00:00:00+02:00")
            #expect(updated.string("updateReport.createdAt") == saved.string("saveReport.createdAt"))
            #expect(updated.string("updateReport.updatedAt") != saved.string("saveReport.updatedAt"))

            let deleted = try await api.post("mutation($id: ID!) { deleteReport(id: $id) }", ["id": funnelID], token: owner.token)
            #expect(deleted.value("deleteReport") as? Bool == true)
            let gone = try await api.post("query($id: ID!) { report(id: $id) { id } }", ["id": funnelID], token: owner.token)
            #expect(gone.codes == ["NOT_FOUND"])
            let after = try await api.post("query($p: ID!) { reports(projectId: $p) { id } }", ["p": project], token: owner.token)
            #expect(after.list("reports").count == 1)
        }
    }

    @Test func invalidDefinitionsAreBadUserInput() async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let invalid: [(String, String, Any)] = [
                ("not an object", "TRENDS", [1, 2]),
                ("a string", "TRENDS", "{}"),
                ("empty trends", "TRENDS", [String: Any]()),
                (
                    "unknown math", "TRENDS",
                    ["series": [["math": "MOST"]], "dateFrom": "2026-01-01T00:00:00Z", "dateTo": "2026-02-01T00:00:00Z"]
                ),
                ("bad date", "TRENDS", ["series": [], "dateFrom": "yesterday", "dateTo": "2026-02-01T00:00:00Z"]),
                (
                    "unknown field", "TRENDS",
                    ["series": [], "dateFrom": "2026-01-01T00:00:00Z", "dateTo": "2026-02-01T00:00:00Z", "colour": "red"]
                ),
                ("trends as funnel", "FUNNEL", Self.trends),
                ("funnel without window", "FUNNEL", ["steps": [], "dateFrom": "2026-01-01T00:00:00Z", "dateTo": "2026-02-01T00:00:00Z"]),
                (
                    "retention without events", "RETENTION",
                    ["periods": 4, "dateFrom": "2026-01-01T00:00:00Z", "dateTo": "2026-02-01T00:00:00Z"]
                ),
            ]
            for (name, kind, definition) in invalid {
                let reply = try await Self.save(api, project: project, name: name, kind: kind, definition: definition, token: owner.token)
                #expect(reply.codes == ["BAD_USER_INPUT"], "\(name): \(reply.body)")
                #expect(reply.messages.first?.contains("definition") == true, "\(name): \(reply.body)")
            }
            // The wrong kind's input names the expected type.
            let wrongKind = try await Self.save(
                api, project: project, name: "x", kind: "FUNNEL", definition: Self.trends, token: owner.token)
            #expect(wrongKind.messages.first?.contains("FunnelInput") == true, "\(wrongKind.body)")
            let retention: [String: Any] = [
                "startEvent": "signed_up", "returnEvent": "$pageview", "periods": 8, "period": "WEEK",
                "dateFrom": "2026-01-01T00:00:00Z", "dateTo": "2026-03-01T00:00:00Z",
            ]
            let good = try await Self.save(
                api, project: project, name: "Retention", kind: "RETENTION", definition: retention, token: owner.token)
            #expect(good.errors.isEmpty, "\(good.body)")
            let id = try #require(good.string("saveReport.id"))
            // Updating checks the new definition against the report's own kind.
            let update = try await api.post(
                "mutation($i: UpdateReportInput!) { updateReport(input: $i) { id } }", ["i": ["id": id, "definition": Self.trends]],
                token: owner.token)
            #expect(update.codes == ["BAD_USER_INPUT"], "\(update.body)")
            #expect(update.messages.first?.contains("RetentionInput") == true)
            let list = try await api.post("query($p: ID!) { reports(projectId: $p) { definition } }", ["p": project], token: owner.token)
            #expect(list.list("reports").count == 1)
            #expect(list.string("reports.0.definition.startEvent") == "signed_up")
        }
    }

    @Test func dashboardWithItems() async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            var reports: [String] = []
            for name in ["a", "b", "c"] {
                reports.append(
                    try #require(try await Self.save(api, project: project, name: name, token: owner.token).string("saveReport.id")))
            }
            let created = try await api.post(
                """
                mutation($p: ID!) { createDashboard(input: {projectId: $p, name: "Growth", description: "KPIs"}) {
                  \(Self.dashboardFields) } }
                """,
                ["p": project], token: owner.token)
            let id = try #require(created.string("createDashboard.id"), "\(created.body)")
            #expect(created.string("createDashboard.description") == "KPIs")
            #expect(created.list("createDashboard.items").isEmpty)
            #expect(created.string("createDashboard.project.id") == project)

            let items: [[String: Any]] = [["reportId": reports[2], "width": 12, "height": 2], ["reportId": reports[0]]]
            let updated = try await api.post(
                "mutation($i: UpdateDashboardInput!) { updateDashboard(input: $i) { \(Self.dashboardFields) } }",
                ["i": ["id": id, "name": "Growth 2", "items": items]], token: owner.token)
            #expect(updated.errors.isEmpty, "\(updated.body)")
            #expect(updated.string("updateDashboard.name") == "Growth 2")
            #expect(updated.string("updateDashboard.description") == "KPIs")
            #expect(updated.string("updateDashboard.items.0.report.id") == reports[2])
            #expect(updated.value("updateDashboard.items.0.width") as? Int == 12)
            #expect(updated.value("updateDashboard.items.0.height") as? Int == 2)
            #expect(updated.string("updateDashboard.items.1.report.id") == reports[0])
            #expect(updated.value("updateDashboard.items.1.position") as? Int == 1)
            #expect(updated.value("updateDashboard.items.1.width") as? Int == 6)
            #expect(updated.value("updateDashboard.items.1.height") as? Int == 4)

            let bad: [(String, [[String: Any]])] = [
                ("too wide", [["reportId": reports[1], "width": 13]]),
                ("zero height", [["reportId": reports[1], "height": 0]]),
                ("duplicate", [["reportId": reports[1]], ["reportId": reports[1]]]),
            ]
            for (name, items) in bad {
                let reply = try await api.post(
                    "mutation($i: UpdateDashboardInput!) { updateDashboard(input: $i) { id } }", ["i": ["id": id, "items": items]],
                    token: owner.token)
                #expect(reply.codes == ["BAD_USER_INPUT"], "\(name): \(reply.body)")
            }
            let unknownReport = try await api.post(
                "mutation($i: UpdateDashboardInput!) { updateDashboard(input: $i) { id } }",
                ["i": ["id": id, "items": [["reportId": UUID().uuidString]]]], token: owner.token)
            #expect(unknownReport.codes == ["NOT_FOUND"])
            #expect(unknownReport.messages == ["report not found"])

            // Deleting a report removes it from the dashboard; clearing the description with null.
            _ = try await api.post("mutation($id: ID!) { deleteReport(id: $id) }", ["id": reports[2]], token: owner.token)
            let cleared = try await api.post(
                "mutation($id: ID!) { updateDashboard(input: {id: $id, description: null}) { description items { report { id } } } }",
                ["id": id], token: owner.token)
            #expect(cleared.value("updateDashboard.description") == nil)
            #expect(cleared.list("updateDashboard.items").count == 1)
            #expect(cleared.string("updateDashboard.items.0.report.id") == reports[0])

            let list = try await api.post(
                "query($p: ID!) { dashboards(projectId: $p) { id name items { position } } }", ["p": project], token: owner.token)
            #expect(list.string("dashboards.0.name") == "Growth 2")
            let deleted = try await api.post("mutation($id: ID!) { deleteDashboard(id: $id) }", ["id": id], token: owner.token)
            #expect(deleted.value("deleteDashboard") as? Bool == true)
            let gone = try await api.post("query($id: ID!) { dashboard(id: $id) { id } }", ["id": id], token: owner.token)
            #expect(gone.codes == ["NOT_FOUND"])
            let remaining = try await api.post("query($p: ID!) { reports(projectId: $p) { id } }", ["p": project], token: owner.token)
            #expect(remaining.list("reports").count == 2)
        }
    }

    @Test func viewersReadAndGetForbiddenOnEveryWriteMembersWrite() async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let report = try #require(try await Self.save(api, project: project, name: "r", token: owner.token).string("saveReport.id"))
            let board = try await api.post(
                "mutation($p: ID!) { createDashboard(input: {projectId: $p, name: \"d\"}) { id } }", ["p": project], token: owner.token)
            let dashboard = try #require(board.string("createDashboard.id"))

            /// Every write, as `token`; each returns the reply.
            func writes(_ token: String) async throws -> [(String, GraphQLReply)] {
                [
                    ("saveReport", try await Self.save(api, project: project, name: "w", token: token)),
                    (
                        "updateReport",
                        try await api.post(
                            "mutation($id: ID!) { updateReport(input: {id: $id, name: \"w\"}) { id } }", ["id": report], token: token)
                    ),
                    (
                        "createDashboard",
                        try await api.post(
                            "mutation($p: ID!) { createDashboard(input: {projectId: $p, name: \"w\"}) { id } }", ["p": project],
                            token: token)
                    ),
                    (
                        "updateDashboard",
                        try await api.post(
                            "mutation($id: ID!, $r: ID!) { updateDashboard(input: {id: $id, items: [{reportId: $r}]}) { id } }",
                            ["id": dashboard, "r": report], token: token)
                    ),
                    (
                        "deleteDashboard",
                        try await api.post("mutation($id: ID!) { deleteDashboard(id: $id) }", ["id": dashboard], token: token)
                    ),
                    ("deleteReport", try await api.post("mutation($id: ID!) { deleteReport(id: $id) }", ["id": report], token: token)),
                ]
            }

            let viewer = try await api.signUp("viewer")
            try await api.addMember(owner.orgID, account: viewer, role: "VIEWER", token: owner.token)
            let read = try await api.post(
                """
                query($p: ID!, $r: ID!, $d: ID!) {
                  reports(projectId: $p) { id } report(id: $r) { name } dashboards(projectId: $p) { id } dashboard(id: $d) { name } }
                """,
                ["p": project, "r": report, "d": dashboard], token: viewer.token)
            #expect(read.errors.isEmpty, "\(read.body)")
            #expect(read.string("report.name") == "r")
            #expect(read.string("dashboard.name") == "d")
            for (name, reply) in try await writes(viewer.token) {
                #expect(reply.codes == ["FORBIDDEN"], "VIEWER \(name): \(reply.body)")
            }
            // Nothing changed.
            let unchanged = try await api.post(
                "query($p: ID!) { reports(projectId: $p) { name } dashboards(projectId: $p) { items { position } } }", ["p": project],
                token: owner.token)
            #expect(unchanged.list("reports").count == 1)
            #expect(unchanged.string("reports.0.name") == "r")
            #expect(unchanged.list("dashboards").count == 1)
            #expect(unchanged.list("dashboards.0.items").isEmpty)

            let member = try await api.signUp("member")
            try await api.addMember(owner.orgID, account: member, role: "MEMBER", token: owner.token)
            for (name, reply) in try await writes(member.token) {
                #expect(reply.errors.isEmpty, "MEMBER \(name): \(reply.body)")
            }
            let after = try await api.post(
                "query($p: ID!) { reports(projectId: $p) { name } dashboards(projectId: $p) { name } }", ["p": project], token: owner.token)
            #expect(after.list("reports").count == 1)
            #expect(after.string("reports.0.name") == "w")
            #expect(after.list("dashboards").count == 1)
            #expect(after.string("dashboards.0.name") == "w")

            // A read-only personal token reads but cannot write.
            let readOnly = try await api.createToken(project, kind: "PERSONAL", token: owner.token)
            let viaToken = try await api.post("query($p: ID!) { reports(projectId: $p) { id } }", ["p": project], token: readOnly.secret)
            #expect(viaToken.list("reports").count == 1)
            let refused = try await Self.save(api, project: project, name: "t", token: readOnly.secret)
            #expect(refused.codes == ["FORBIDDEN"])
        }
    }
}
