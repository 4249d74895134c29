import Foundation
import GraphQL
import Testing

/// The saved-report and dashboard resolvers through the API's engine over real services: definitions checked
/// against their kind's input type only after the project was found and the role checked, dashboards with their
/// items, and other organizations' reports answered exactly like unknown IDs.
@Suite struct ReportResolversTests {
    static var trends: [String: Any] {
        [
            "series": [["event": "$pageview", "math": "TOTAL"]], "dateFrom": "2026-01-01T00:00:00Z",
            "dateTo": "2026-02-01T00:00:00Z", "interval": "WEEK",
        ]
    }
    static var funnel: [String: Any] {
        [
            "steps": [["event": "signed_up"], ["event": "purchase"]], "dateFrom": "2026-01-01T00:00:00Z",
            "dateTo": "2026-02-01T00:00:00Z", "windowSeconds": 3_600,
        ]
    }
    static let save = """
        mutation($i: SaveReportInput!) { saveReport(input: $i) { id name kind definition project { id } createdAt updatedAt } }
        """

    static func save(
        _ api: ResolverHarness, project: String, name: String, kind: String = "TRENDS", definition: Any = trends, token: String
    ) async throws -> APIReply {
        try await api.execute(save, ["i": ["projectId": project, "name": name, "kind": kind, "definition": definition]], token: token)
    }

    @Test func savedReportsKeepTheirDefinitionAndAreListedByName() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)

            let weekly = try await Self.save(api, project: project, name: " Weekly views ", token: owner.token)
            #expect(weekly.errors.isEmpty, "\(weekly)")
            let id = try #require(weekly.string("saveReport.id"))
            #expect(weekly.string("saveReport.name") == "Weekly views")
            #expect(weekly.string("saveReport.kind") == "TRENDS")
            #expect(weekly.string("saveReport.project.id") == project)
            #expect(weekly.string("saveReport.definition.interval") == "WEEK")
            #expect(weekly.string("saveReport.definition.series.0.event") == "$pageview")
            let activation = try await Self.save(
                api, project: project, name: "Activation", kind: "FUNNEL", definition: Self.funnel, token: owner.token)
            #expect(activation.int("saveReport.definition.windowSeconds") == 3_600, "\(activation)")

            let list = try await api.execute("query($p: ID!) { reports(projectId: $p) { name kind } }", ["p": project], token: owner.token)
            #expect(list.strings("reports", "name") == ["Activation", "Weekly views"])
            #expect(list.strings("reports", "kind") == ["FUNNEL", "TRENDS"])

            let renamed = try await api.execute(
                "mutation($id: ID!) { updateReport(input: {id: $id, name: \"All views\"}) { name definition createdAt updatedAt } }",
                ["id": id], token: owner.token)
            #expect(renamed.string("updateReport.name") == "All views", "\(renamed)")
            #expect(renamed.string("updateReport.definition.interval") == "WEEK")
            #expect(renamed.string("updateReport.createdAt") == weekly.string("saveReport.createdAt"))
            let read = try await api.execute("query($id: ID!) { report(id: $id) { name } }", ["id": id], token: owner.token)
            #expect(read.string("report.name") == "All views")

            let deleted = try await api.execute("mutation($id: ID!) { deleteReport(id: $id) }", ["id": id], token: owner.token)
            #expect(deleted.bool("deleteReport") == true, "\(deleted)")
            let gone = try await api.execute("query($id: ID!) { report(id: $id) { name } }", ["id": id], token: owner.token)
            #expect(gone.codes == ["NOT_FOUND"], "\(gone)")
        }
    }

    @Test func aDefinitionThatIsNotItsKindsInputIsBadUserInput() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            func trends(_ changes: [String: Any?]) -> [String: Any] {
                var definition = Self.trends
                for (key, value) in changes { definition[key] = value }
                return definition
            }
            let bad: [(String, String, Any)] = [
                ("missing series", "TRENDS", trends(["series": nil])),
                ("unknown math", "TRENDS", trends(["series": [["math": "MOST"]]])),
                ("not a date", "TRENDS", trends(["dateFrom": "yesterday"])),
                ("unknown field", "TRENDS", trends(["colour": "red"])),
                ("not an object", "TRENDS", "weekly views"),
                ("trends as a funnel", "FUNNEL", Self.trends),
            ]
            for (name, kind, definition) in bad {
                let reply = try await Self.save(api, project: project, name: name, kind: kind, definition: definition, token: owner.token)
                #expect(reply.codes == ["BAD_USER_INPUT"], "\(name): \(reply)")
                #expect(reply.value("saveReport") == nil)
            }
            let wrongKind = try await Self.save(
                api, project: project, name: "x", kind: "FUNNEL", definition: Self.trends, token: owner.token)
            #expect(wrongKind.messages.first?.contains("FunnelInput") == true, "\(wrongKind)")
            let list = try await api.execute("query($p: ID!) { reports(projectId: $p) { id } }", ["p": project], token: owner.token)
            #expect(list.list("reports").isEmpty, "\(list)")

            // Updating checks the new definition against the report's own kind.
            let saved = try await Self.save(api, project: project, name: "ok", token: owner.token)
            let id = try #require(saved.string("saveReport.id"), "\(saved)")
            let update = try await api.execute(
                "mutation($id: ID!, $d: JSON) { updateReport(input: {id: $id, definition: $d}) { id } }", ["id": id, "d": Self.funnel],
                token: owner.token)
            #expect(update.codes == ["BAD_USER_INPUT"], "\(update)")
            #expect(update.messages.first?.contains("TrendsInput") == true, "\(update)")
            let kept = try await api.execute("query($id: ID!) { report(id: $id) { definition } }", ["id": id], token: owner.token)
            #expect(kept.string("report.definition.interval") == "WEEK")
        }
    }

    @Test func anotherOrganizationsProjectIsNotFoundBeforeTheDefinitionIsChecked() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let stranger = try await api.signUp("stranger")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let report = try #require(try await Self.save(api, project: project, name: "r", token: owner.token).string("saveReport.id"))
            let invalid: [String: Any] = ["series": "all of them"]

            let unknown = try await Self.save(api, project: UUID().uuidString, name: "x", definition: invalid, token: stranger.token)
            #expect(unknown.codes == ["NOT_FOUND"], "\(unknown)")
            for definition in [invalid, Self.trends] {
                let reply = try await Self.save(api, project: project, name: "x", definition: definition, token: stranger.token)
                #expect(reply.codes == ["NOT_FOUND"], "\(reply)")
                #expect(reply.messages == unknown.messages)
            }
            for id in [report, UUID().uuidString] {
                let read = try await api.execute("query($id: ID!) { report(id: $id) { name } }", ["id": id], token: stranger.token)
                #expect(read.codes == ["NOT_FOUND"], "\(read)")
                #expect(read.messages == ["report not found"])
                let update = try await api.execute(
                    "mutation($id: ID!, $d: JSON) { updateReport(input: {id: $id, definition: $d}) { id } }", ["id": id, "d": invalid],
                    token: stranger.token)
                #expect(update.codes == ["NOT_FOUND"], "\(update)")
                let delete = try await api.execute("mutation($id: ID!) { deleteReport(id: $id) }", ["id": id], token: stranger.token)
                #expect(delete.codes == ["NOT_FOUND"], "\(delete)")
            }
            let list = try await api.execute("query($p: ID!) { reports(projectId: $p) { id } }", ["p": project], token: stranger.token)
            #expect(list.codes == ["NOT_FOUND"], "\(list)")

            // A VIEWER of the organization is refused for the role, whatever the definition.
            let viewer = try await api.signUp("viewer")
            try await api.addMember(viewer, to: owner.orgID, role: "VIEWER", token: owner.token)
            let viewerSave = try await Self.save(api, project: project, name: "v", definition: invalid, token: viewer.token)
            #expect(viewerSave.codes == ["FORBIDDEN"], "\(viewerSave)")
            let reports = try await api.execute("query($p: ID!) { reports(projectId: $p) { name } }", ["p": project], token: viewer.token)
            #expect(reports.strings("reports", "name") == ["r"], "\(reports)")
        }
    }

    @Test func aDashboardKeepsADateRangeForItsReportsUntilItIsCleared() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let created = try await api.execute(
                "mutation($p: ID!) { createDashboard(input: {projectId: $p, name: \"Growth\"}) { id dateRange } }", ["p": project],
                token: owner.token)
            let id = try #require(created.string("createDashboard.id"), "\(created)")
            #expect(created.value("createDashboard")?["dateRange"] == .null, "\(created)")
            let update = "mutation($i: UpdateDashboardInput!) { updateDashboard(input: $i) { name dateRange } }"

            // A relative range is kept as given, and the other fields stay.
            let relative = try await api.execute(
                update, ["i": ["id": id, "dateRange": ["range": ["last": ["amount": 30, "unit": "DAY"]]]]], token: owner.token)
            #expect(relative.errors.isEmpty, "\(relative)")
            #expect(relative.value("updateDashboard.dateRange.range.last.amount") == .int(30), "\(relative)")
            #expect(relative.string("updateDashboard.dateRange.range.last.unit") == "DAY", "\(relative)")
            #expect(relative.string("updateDashboard.name") == "Growth")
            let renamed = try await api.execute(update, ["i": ["id": id, "name": "Growth 2"]], token: owner.token)
            #expect(renamed.value("updateDashboard.dateRange.range.last.amount") == .int(30), "\(renamed)")

            // Dates, then an invalid range (both forms), refused without a change; null clears it.
            let dates = try await api.execute(
                update, ["i": ["id": id, "dateRange": ["dateFrom": "2026-01-01T00:00:00Z", "dateTo": "2026-02-01T00:00:00Z"]]],
                token: owner.token)
            #expect(dates.string("updateDashboard.dateRange.dateFrom") == "2026-01-01T00:00:00Z", "\(dates)")
            let both = try await api.execute(
                update,
                [
                    "i": [
                        "id": id,
                        "dateRange": ["dateFrom": "2026-01-01T00:00:00Z", "dateTo": "2026-02-01T00:00:00Z", "range": ["this": "DAY"]],
                    ]
                ],
                token: owner.token)
            #expect(both.codes == ["BAD_USER_INPUT"], "\(both)")
            let read = try await api.execute("query($id: ID!) { dashboard(id: $id) { dateRange } }", ["id": id], token: owner.token)
            #expect(read.string("dashboard.dateRange.dateTo") == "2026-02-01T00:00:00Z", "\(read)")
            let cleared = try await api.execute(update, ["i": ["id": id, "dateRange": NSNull()]], token: owner.token)
            #expect(cleared.errors.isEmpty, "\(cleared)")
            #expect(cleared.value("updateDashboard")?["dateRange"] == .null, "\(cleared)")

            // A viewer may read it but not set it.
            let viewer = try await api.signUp("viewer")
            try await api.addMember(viewer, to: owner.orgID, role: "VIEWER", token: owner.token)
            let refused = try await api.execute(
                update, ["i": ["id": id, "dateRange": ["range": ["this": "WEEK"]]]], token: viewer.token)
            #expect(refused.codes == ["FORBIDDEN"], "\(refused)")
        }
    }

    @Test func dashboardsShowTheirReportsInOrder() async throws {
        try await ResolverHarness.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            var reports: [String] = []
            for name in ["first", "second", "third"] {
                let saved = try await Self.save(api, project: project, name: name, token: owner.token)
                reports.append(try #require(saved.string("saveReport.id"), "\(saved)"))
            }
            let fields = "id name description items { position width height report { id name } } project { id }"
            let created = try await api.execute(
                "mutation($p: ID!) { createDashboard(input: {projectId: $p, name: \"Growth\", description: \"KPIs\"}) { \(fields) } }",
                ["p": project], token: owner.token)
            let id = try #require(created.string("createDashboard.id"), "\(created)")
            #expect(created.list("createDashboard.items").isEmpty)
            #expect(created.string("createDashboard.project.id") == project)

            let items: [[String: Any]] = [["reportId": reports[2], "width": 12, "height": 2], ["reportId": reports[0]]]
            let updated = try await api.execute(
                "mutation($i: UpdateDashboardInput!) { updateDashboard(input: $i) { \(fields) } }", ["i": ["id": id, "items": items]],
                token: owner.token)
            #expect(updated.errors.isEmpty, "\(updated)")
            #expect(updated.string("updateDashboard.name") == "Growth")
            #expect(updated.string("updateDashboard.description") == "KPIs")
            #expect(updated.list("updateDashboard.items").compactMap { $0["position"]?.intValue } == [0, 1])
            #expect(updated.list("updateDashboard.items").compactMap { $0["report"]?["name"]?.stringValue } == ["third", "first"])
            #expect(updated.int("updateDashboard.items.0.width") == 12)
            #expect(updated.int("updateDashboard.items.0.height") == 2)
            #expect(updated.int("updateDashboard.items.1.width") == 6)
            #expect(updated.int("updateDashboard.items.1.height") == 4)

            let tooWide = try await api.execute(
                "mutation($i: UpdateDashboardInput!) { updateDashboard(input: $i) { id } }",
                ["i": ["id": id, "items": [["reportId": reports[1], "width": 13]]]], token: owner.token)
            #expect(tooWide.codes == ["BAD_USER_INPUT"], "\(tooWide)")
            let otherProject = try await api.createProject(owner.orgID, name: "other", token: owner.token)
            let foreign = try #require(
                try await Self.save(api, project: otherProject, name: "elsewhere", token: owner.token).string("saveReport.id"))
            let fromOtherProject = try await api.execute(
                "mutation($i: UpdateDashboardInput!) { updateDashboard(input: $i) { id } }",
                ["i": ["id": id, "items": [["reportId": foreign]]]], token: owner.token)
            #expect(fromOtherProject.codes == ["NOT_FOUND"], "\(fromOtherProject)")

            // Deleting a report takes it off the dashboard; the dashboard and its other items stay.
            _ = try await api.execute("mutation($id: ID!) { deleteReport(id: $id) }", ["id": reports[2]], token: owner.token)
            let read = try await api.execute("query($id: ID!) { dashboard(id: $id) { \(fields) } }", ["id": id], token: owner.token)
            #expect(read.list("dashboard.items").compactMap { $0["report"]?["id"]?.stringValue } == [reports[0]], "\(read)")
            let list = try await api.execute(
                "query($p: ID!) { dashboards(projectId: $p) { name items { report { name } } } }", ["p": project], token: owner.token)
            #expect(list.strings("dashboards", "name") == ["Growth"])

            let stranger = try await api.signUp("stranger")
            let hidden = try await api.execute("query($id: ID!) { dashboard(id: $id) { id } }", ["id": id], token: stranger.token)
            let random = try await api.execute(
                "query($id: ID!) { dashboard(id: $id) { id } }", ["id": UUID().uuidString], token: stranger.token)
            #expect(hidden.codes == ["NOT_FOUND"], "\(hidden)")
            #expect(hidden.messages == random.messages)

            let deleted = try await api.execute("mutation($id: ID!) { deleteDashboard(id: $id) }", ["id": id], token: owner.token)
            #expect(deleted.bool("deleteDashboard") == true, "\(deleted)")
            let remaining = try await api.execute("query($p: ID!) { reports(projectId: $p) { name } }", ["p": project], token: owner.token)
            #expect(remaining.strings("reports", "name") == ["first", "second"])
        }
    }
}
