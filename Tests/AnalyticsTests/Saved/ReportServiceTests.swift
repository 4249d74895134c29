import Accounts
import Tenancy
import Foundation
import Models
import Synchronization
import TestSupport
import Testing
import Analytics

@Suite struct ReportServiceTests {
    static let trends: JSON = .object([
        "series": .array([.object(["event": .string("$pageview"), "math": .string("TOTAL")])]),
        "dateFrom": .string("2026-01-01T00:00:00Z"), "dateTo": .string("2026-02-01T00:00:00Z"),
    ])

    @Test func saveListGetUpdateAndDelete() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let project = try await h.projects.create(owner, org: org, name: "Web")
            let other = try await h.projects.create(owner, org: org, name: "App")

            let saved = try await h.reports.save(owner, project: project.id, name: " Weekly views ", kind: .trends, definition: Self.trends)
            #expect(saved.name == "Weekly views")
            #expect(saved.kind == .trends)
            #expect(saved.definition == Self.trends)
            #expect(saved.projectID == project.id)
            #expect(saved.organizationID == org)
            #expect(saved.createdBy == owner.userID)
            #expect(saved.createdAt == saved.updatedAt)
            let funnel: JSON = .object(["steps": .array([]), "windowSeconds": .int(60)])
            let second = try await h.reports.save(owner, project: project.id, name: "Activation", kind: .funnel, definition: funnel)
            _ = try await h.reports.save(owner, project: other.id, name: "Elsewhere", kind: .retention, definition: .object([:]))

            // Listed by name, only the project's reports.
            #expect(try await h.reports.list(owner, project: project.id).map(\.name) == ["Activation", "Weekly views"])
            #expect(try await h.reports.get(owner, report: saved.id) == saved)

            let renamed = try await h.reports.update(owner, report: saved.id, name: "Daily views")
            #expect(renamed.name == "Daily views")
            #expect(renamed.definition == Self.trends)
            #expect(renamed.updatedAt > saved.updatedAt)
            #expect(renamed.createdAt == saved.createdAt)
            let newDefinition: JSON = .object(["series": .array([]), "interval": .string("WEEK")])
            let redefined = try await h.reports.update(owner, report: saved.id, definition: newDefinition)
            #expect(redefined.name == "Daily views")
            #expect(redefined.definition == newDefinition)
            #expect(redefined.updatedAt > renamed.updatedAt)
            #expect(try await h.reports.get(owner, report: saved.id) == redefined)

            try await h.reports.delete(owner, report: second.id)
            #expect(try await h.reports.list(owner, project: project.id).map(\.id) == [saved.id])
            #expect(await authErrorCode { _ = try await h.reports.get(owner, report: second.id) } == .notFound)
            #expect(await authErrorCode { try await h.reports.delete(owner, report: second.id) } == .notFound)
            #expect(await authErrorCode { _ = try await h.reports.update(owner, report: second.id, name: "x") } == .notFound)
        }
    }

    @Test func refusesInvalidNamesAndDefinitions() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let project = try await h.projects.create(owner, org: org, name: "Web")
            let report = try await h.reports.save(owner, project: project.id, name: "R", kind: .trends, definition: Self.trends)
            for name in ["", "   ", String(repeating: "n", count: 201)] {
                #expect(
                    await authErrorCode {
                        _ = try await h.reports.save(owner, project: project.id, name: name, kind: .trends, definition: Self.trends)
                    } == .badUserInput)
                #expect(await authErrorCode { _ = try await h.reports.update(owner, report: report.id, name: name) } == .badUserInput)
            }
            for definition: JSON in [.array([]), .string("{}"), .null, .int(1)] {
                #expect(
                    await authErrorCode {
                        _ = try await h.reports.save(owner, project: project.id, name: "X", kind: .trends, definition: definition)
                    } == .badUserInput, "\(definition)")
                #expect(
                    await authErrorCode { _ = try await h.reports.update(owner, report: report.id, definition: definition) }
                        == .badUserInput)
            }
            #expect(await authErrorCode { _ = try await h.reports.update(owner, report: report.id) } == .badUserInput)

            // The check runs with the report's kind; its error is passed through and nothing is stored.
            struct Refused: Error {}
            let seen = KindRecorder()
            await #expect(throws: Refused.self) {
                _ = try await h.reports.update(owner, report: report.id, definition: .object([:])) { kind, _ in
                    seen.record(kind)
                    throw Refused()
                }
            }
            #expect(seen.kinds == [.trends])
            #expect(try await h.reports.get(owner, report: report.id) == report)
            #expect(try await h.reports.list(owner, project: project.id).count == 1)
        }
    }

    @Test func viewersReadAndMembersWrite() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let project = try await h.projects.create(owner, org: org, name: "Web")
            let viewer = try await h.member("viewer@example.com", role: .viewer, in: org, by: owner)
            let member = try await h.member("member@example.com", role: .member, in: org, by: owner)
            let report = try await h.reports.save(owner, project: project.id, name: "Owner's", kind: .trends, definition: Self.trends)

            // VIEWER: reads, every write is FORBIDDEN and changes nothing.
            #expect(try await h.reports.list(viewer, project: project.id).map(\.id) == [report.id])
            #expect(try await h.reports.get(viewer, report: report.id) == report)
            #expect(
                await authErrorCode {
                    _ = try await h.reports.save(viewer, project: project.id, name: "V", kind: .trends, definition: Self.trends)
                } == .forbidden)
            #expect(await authErrorCode { _ = try await h.reports.update(viewer, report: report.id, name: "V") } == .forbidden)
            #expect(await authErrorCode { try await h.reports.delete(viewer, report: report.id) } == .forbidden)
            #expect(try await h.reports.list(owner, project: project.id) == [report])

            // MEMBER: writes, also reports others saved.
            let mine = try await h.reports.save(member, project: project.id, name: "Member's", kind: .trends, definition: Self.trends)
            #expect(mine.createdBy == member.userID)
            #expect(try await h.reports.update(member, report: report.id, name: "Edited").name == "Edited")
            try await h.reports.delete(member, report: report.id)
            #expect(try await h.reports.list(viewer, project: project.id).map(\.id) == [mine.id])

            // A read-only personal token of the owner reads but cannot write.
            let readOnly = try await h.tokens.createPersonalToken(owner, org: org, name: "ro", scopes: [.read])
            let token = try await h.authenticator.authenticate(token: readOnly.token)
            #expect(try await h.reports.get(token, report: mine.id) == mine)
            #expect(
                await authErrorCode {
                    _ = try await h.reports.save(token, project: project.id, name: "T", kind: .trends, definition: Self.trends)
                } == .forbidden)
            #expect(await authErrorCode { try await h.reports.delete(token, report: mine.id) } == .forbidden)
        }
    }

    @Test func otherOrganizationsReportsBehaveLikeUnknownIDs() async throws {
        try await AuthHarness.run { h in
            let (alice, orgA) = try await h.signUp("alice@example.com", organization: "A")
            let (bob, orgB) = try await h.signUp("bob@example.com", organization: "B")
            _ = try await h.projects.create(alice, org: orgA, name: "A web")
            let projectB = try await h.projects.create(bob, org: orgB, name: "B web")
            let reportB = try await h.reports.save(bob, project: projectB.id, name: "B's", kind: .trends, definition: Self.trends)
            let alicePAT = try await h.tokens.createPersonalToken(alice, org: orgA, name: "rw", scopes: [.read, .write])
            let aliceToken = try await h.authenticator.authenticate(token: alicePAT.token)

            typealias Attempt = @Sendable (Principal, _ project: Project.ID, _ report: Report.ID) async throws -> Void
            let attempts: [(String, Attempt)] = [
                ("list", { p, project, _ in _ = try await h.reports.list(p, project: project) }),
                (
                    "save",
                    { p, project, _ in
                        _ = try await h.reports.save(p, project: project, name: "x", kind: .trends, definition: Self.trends)
                    }
                ),
                ("get", { p, _, report in _ = try await h.reports.get(p, report: report) }),
                ("rename", { p, _, report in _ = try await h.reports.update(p, report: report, name: "pwned") }),
                ("redefine", { p, _, report in _ = try await h.reports.update(p, report: report, definition: .object([:])) }),
                ("delete", { p, _, report in try await h.reports.delete(p, report: report) }),
            ]
            for principal in [alice, aliceToken] {
                for (name, attempt) in attempts {
                    let foreign = await authError { try await attempt(principal, projectB.id, reportB.id) }
                    let unknown = await authError { try await attempt(principal, .random(), .random()) }
                    #expect(foreign?.code == .notFound, "\(name)")
                    #expect(foreign == unknown, "\(name)")
                }
            }
            #expect(try await h.reports.list(bob, project: projectB.id) == [reportB])
        }
    }
}

/// The `ServiceError` `body` throws, or nil.
func authError(_ body: () async throws -> Void) async -> ServiceError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? ServiceError
    }
}

/// Records the kinds a definition check was called with.
final class KindRecorder: Sendable {
    private let storage = Mutex<[ReportKind]>([])
    func record(_ kind: ReportKind) { storage.withLock { $0.append(kind) } }
    var kinds: [ReportKind] { storage.withLock { $0 } }
}
