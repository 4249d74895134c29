import Accounts
import Tenancy
import Foundation
import Models
import TestSupport
import Testing
import Analytics

@Suite struct DashboardServiceTests {
    static let definition: JSON = .object(["series": .array([])])

    /// An owner, their project, and three reports in it (named r0, r1, r2).
    static func fixture(_ h: AuthHarness) async throws -> (owner: Principal, org: Org.ID, project: ProjectInfo, reports: [ReportInfo]) {
        let (owner, org) = try await h.signUp("owner@example.com")
        let project = try await h.projects.create(owner, org: org, name: "Web")
        var reports: [ReportInfo] = []
        for index in 0..<3 {
            reports.append(
                try await h.reports.save(owner, project: project.id, name: "r\(index)", kind: .trends, definition: definition))
        }
        return (owner, org, project, reports)
    }

    @Test func createListGetUpdateAndDelete() async throws {
        try await AuthHarness.run { h in
            let (owner, _, project, reports) = try await Self.fixture(h)
            let created = try await h.dashboards.create(owner, project: project.id, name: " Growth ", description: "  KPIs ")
            #expect(created.name == "Growth")
            #expect(created.description == "KPIs")
            #expect(created.items.isEmpty)
            #expect(created.projectID == project.id)
            #expect(created.createdBy == owner.userID)
            let blank = try await h.dashboards.create(owner, project: project.id, name: "Annex", description: "  ")
            #expect(blank.description == nil)
            #expect(try await h.dashboards.list(owner, project: project.id).map(\.name) == ["Annex", "Growth"])

            // Items are stored in the given order, position = index, sizes kept.
            let specs = [
                DashboardItemSpec(reportID: reports[2].id, width: 12, height: 1),
                DashboardItemSpec(reportID: reports[0].id),
                DashboardItemSpec(reportID: reports[1].id, width: 1, height: 12),
            ]
            let filled = try await h.dashboards.update(owner, dashboard: created.id, items: specs)
            #expect(filled.items.map(\.report.id) == [reports[2].id, reports[0].id, reports[1].id])
            #expect(filled.items.map(\.position) == [0, 1, 2])
            #expect(filled.items.map(\.width) == [12, 6, 1])
            #expect(filled.items.map(\.height) == [1, 4, 12])
            #expect(filled.items[0].report == reports[2])
            #expect(filled.name == "Growth")
            #expect(filled.description == "KPIs")
            #expect(filled.updatedAt > created.updatedAt)
            #expect(try await h.dashboards.get(owner, dashboard: created.id) == filled)
            #expect(try await h.dashboards.list(owner, project: project.id).last == filled)

            // A new list replaces the old one.
            let replaced = try await h.dashboards.update(
                owner, dashboard: created.id, name: "Growth 2", description: .some(nil),
                items: [DashboardItemSpec(reportID: reports[1].id), DashboardItemSpec(reportID: reports[2].id)])
            #expect(replaced.items.map(\.report.id) == [reports[1].id, reports[2].id])
            #expect(replaced.items.map(\.position) == [0, 1])
            #expect(replaced.name == "Growth 2")
            #expect(replaced.description == nil)
            let rows = try await h.testDatabase.asOwner("SELECT count(*) FROM dashboard_items")
            #expect(try rows[0].decode(Int.self) == 2)
            // Changing only the name keeps the items.
            let renamed = try await h.dashboards.update(owner, dashboard: created.id, name: "Growth 3")
            #expect(renamed.items == replaced.items)
            // An empty list clears them.
            #expect(try await h.dashboards.update(owner, dashboard: created.id, items: []).items.isEmpty)

            // Deleting the dashboard keeps its reports.
            _ = try await h.dashboards.update(owner, dashboard: created.id, items: [DashboardItemSpec(reportID: reports[0].id)])
            try await h.dashboards.delete(owner, dashboard: created.id)
            #expect(await authErrorCode { _ = try await h.dashboards.get(owner, dashboard: created.id) } == .notFound)
            #expect(await authErrorCode { try await h.dashboards.delete(owner, dashboard: created.id) } == .notFound)
            #expect(try await h.reports.list(owner, project: project.id).count == 3)
            #expect(try await h.dashboards.list(owner, project: project.id).map(\.id) == [blank.id])
        }
    }

    @Test func deletingAReportRemovesItFromDashboards() async throws {
        try await AuthHarness.run { h in
            let (owner, _, project, reports) = try await Self.fixture(h)
            let first = try await h.dashboards.create(owner, project: project.id, name: "One")
            let second = try await h.dashboards.create(owner, project: project.id, name: "Two")
            _ = try await h.dashboards.update(owner, dashboard: first.id, items: reports.map { DashboardItemSpec(reportID: $0.id) })
            _ = try await h.dashboards.update(owner, dashboard: second.id, items: [DashboardItemSpec(reportID: reports[1].id)])
            try await h.reports.delete(owner, report: reports[1].id)
            let one = try await h.dashboards.get(owner, dashboard: first.id)
            #expect(one.items.map(\.report.id) == [reports[0].id, reports[2].id])
            #expect(try await h.dashboards.get(owner, dashboard: second.id).items.isEmpty)
        }
    }

    @Test func refusesBadItemsAndChangesNothing() async throws {
        try await AuthHarness.run { h in
            let (owner, org, project, reports) = try await Self.fixture(h)
            let dashboard = try await h.dashboards.create(owner, project: project.id, name: "Board")
            let before = try await h.dashboards.update(owner, dashboard: dashboard.id, items: [DashboardItemSpec(reportID: reports[0].id)])

            for (width, height) in [(0, 4), (13, 4), (6, 0), (6, 13), (-1, -1)] {
                let items = [DashboardItemSpec(reportID: reports[1].id, width: width, height: height)]
                #expect(
                    await authErrorCode { _ = try await h.dashboards.update(owner, dashboard: dashboard.id, items: items) }
                        == .badUserInput, "\(width)x\(height)")
            }
            let twice = [DashboardItemSpec(reportID: reports[1].id), DashboardItemSpec(reportID: reports[1].id)]
            #expect(
                await authErrorCode { _ = try await h.dashboards.update(owner, dashboard: dashboard.id, items: twice) } == .badUserInput)
            #expect(await authErrorCode { _ = try await h.dashboards.update(owner, dashboard: dashboard.id) } == .badUserInput)
            #expect(
                await authErrorCode { _ = try await h.dashboards.create(owner, project: project.id, name: "  ") } == .badUserInput)

            // A report of another project of the same organization, or an unknown one: NOT_FOUND for the report.
            let otherProject = try await h.projects.create(owner, org: org, name: "App")
            let elsewhere = try await h.reports.save(owner, project: otherProject.id, name: "x", kind: .funnel, definition: Self.definition)
            for foreign in [elsewhere.id, Report.ID.random()] {
                let items = [DashboardItemSpec(reportID: reports[1].id), DashboardItemSpec(reportID: foreign)]
                let error = await authError { _ = try await h.dashboards.update(owner, dashboard: dashboard.id, items: items) }
                #expect(error == ServiceError(.notFound, "report not found"))
            }
            #expect(try await h.dashboards.get(owner, dashboard: dashboard.id) == before)
        }
    }

    @Test func viewersReadAndMembersWrite() async throws {
        try await AuthHarness.run { h in
            let (owner, org, project, reports) = try await Self.fixture(h)
            let viewer = try await h.member("viewer@example.com", role: .viewer, in: org, by: owner)
            let member = try await h.member("member@example.com", role: .member, in: org, by: owner)
            let dashboard = try await h.dashboards.create(owner, project: project.id, name: "Board")
            let items = [DashboardItemSpec(reportID: reports[0].id)]

            #expect(try await h.dashboards.list(viewer, project: project.id) == [dashboard])
            #expect(try await h.dashboards.get(viewer, dashboard: dashboard.id) == dashboard)
            #expect(await authErrorCode { _ = try await h.dashboards.create(viewer, project: project.id, name: "V") } == .forbidden)
            #expect(await authErrorCode { _ = try await h.dashboards.update(viewer, dashboard: dashboard.id, name: "V") } == .forbidden)
            #expect(await authErrorCode { _ = try await h.dashboards.update(viewer, dashboard: dashboard.id, items: items) } == .forbidden)
            #expect(await authErrorCode { try await h.dashboards.delete(viewer, dashboard: dashboard.id) } == .forbidden)
            #expect(try await h.dashboards.get(owner, dashboard: dashboard.id) == dashboard)

            let mine = try await h.dashboards.create(member, project: project.id, name: "Member's")
            #expect(try await h.dashboards.update(member, dashboard: dashboard.id, items: items).items.count == 1)
            try await h.dashboards.delete(member, dashboard: mine.id)
            #expect(try await h.dashboards.list(viewer, project: project.id).map(\.id) == [dashboard.id])

            let readOnly = try await h.tokens.createPersonalToken(member, org: org, name: "ro", scopes: [.read])
            let token = try await h.authenticator.authenticate(token: readOnly.token)
            #expect(try await h.dashboards.get(token, dashboard: dashboard.id).items.count == 1)
            #expect(await authErrorCode { _ = try await h.dashboards.create(token, project: project.id, name: "T") } == .forbidden)
            #expect(await authErrorCode { try await h.dashboards.delete(token, dashboard: dashboard.id) } == .forbidden)
        }
    }

    @Test func otherOrganizationsDashboardsAndReportsBehaveLikeUnknownIDs() async throws {
        try await AuthHarness.run { h in
            let (alice, orgA) = try await h.signUp("alice@example.com", organization: "A")
            let (bob, orgB) = try await h.signUp("bob@example.com", organization: "B")
            let projectA = try await h.projects.create(alice, org: orgA, name: "A web")
            let dashboardA = try await h.dashboards.create(alice, project: projectA.id, name: "A board")
            let projectB = try await h.projects.create(bob, org: orgB, name: "B web")
            let reportB = try await h.reports.save(bob, project: projectB.id, name: "B's", kind: .trends, definition: Self.definition)
            let dashboardB = try await h.dashboards.create(bob, project: projectB.id, name: "B board")
            let dashboardBFilled = try await h.dashboards.update(
                bob, dashboard: dashboardB.id, items: [DashboardItemSpec(reportID: reportB.id)])
            let alicePAT = try await h.tokens.createPersonalToken(alice, org: orgA, name: "rw", scopes: [.read, .write])
            let aliceToken = try await h.authenticator.authenticate(token: alicePAT.token)

            typealias Attempt =
                @Sendable (Principal, _ project: Project.ID, _ dashboard: Dashboard.ID, _ report: Report.ID) async throws -> Void
            let attempts: [(String, Attempt)] = [
                ("list", { p, project, _, _ in _ = try await h.dashboards.list(p, project: project) }),
                ("create", { p, project, _, _ in _ = try await h.dashboards.create(p, project: project, name: "x") }),
                ("get", { p, _, dashboard, _ in _ = try await h.dashboards.get(p, dashboard: dashboard) }),
                ("rename", { p, _, dashboard, _ in _ = try await h.dashboards.update(p, dashboard: dashboard, name: "pwned") }),
                (
                    "set items",
                    { p, _, dashboard, report in
                        _ = try await h.dashboards.update(p, dashboard: dashboard, items: [DashboardItemSpec(reportID: report)])
                    }
                ),
                ("delete", { p, _, dashboard, _ in try await h.dashboards.delete(p, dashboard: dashboard) }),
                // B's report placed on A's own dashboard.
                (
                    "own dashboard, B's report",
                    { p, _, _, report in
                        _ = try await h.dashboards.update(p, dashboard: dashboardA.id, items: [DashboardItemSpec(reportID: report)])
                    }
                ),
            ]
            for principal in [alice, aliceToken] {
                for (name, attempt) in attempts {
                    let foreign = await authError { try await attempt(principal, projectB.id, dashboardB.id, reportB.id) }
                    let unknown = await authError { try await attempt(principal, .random(), .random(), .random()) }
                    #expect(foreign?.code == .notFound, "\(name)")
                    #expect(foreign == unknown, "\(name)")
                }
            }
            #expect(try await h.dashboards.list(bob, project: projectB.id) == [dashboardBFilled])
            #expect(try await h.dashboards.get(alice, dashboard: dashboardA.id).items.isEmpty)
        }
    }
}
