import Foundation
import Models
import Storage
import Synchronization
import Tenancy
import TestSupport
import Testing

/// Finding an object's organization: one lookup and one tenant transaction however many organizations the user
/// belongs to, and other organizations' IDs answer exactly like unknown ones.
@Suite struct TenantAccessTests {
    /// A user who is a VIEWER in `count` organizations with one project each, plus one organization they are not in.
    struct Fixture {
        let database: TestDatabase
        let user: User.ID
        let projects: [Project.ID]
        let stranger: (org: Org.ID, project: Project.ID)

        static func make(organizations count: Int) async throws -> Fixture {
            let database = try await TestDatabase.create()
            let user = User.ID.random()
            _ = try await database.asOwner(
                "INSERT INTO users (user_id, email, password_hash) VALUES (\(user.rawValue), 'many@example.com', 'x')")
            var projects: [Project.ID] = []
            for index in 0..<count {
                let (org, project) = try await database.seedOrg(name: "org \(index)")
                _ = try await database.asOwner(
                    "INSERT INTO memberships (org_id, user_id, role) VALUES (\(org.rawValue), \(user.rawValue), 'VIEWER')")
                projects.append(project)
            }
            let stranger = try await database.seedOrg(name: "not theirs")
            return Fixture(database: database, user: user, projects: projects, stranger: stranger)
        }

        var session: Principal {
            Principal(
                userID: user,
                credential: .session(
                    Session(userID: user, issuedAt: Date(), expiresAt: Date() + 3600, tokenID: "t", sessionVersion: 0)))
        }

        /// Runs `body` with access checks over a database that records every transaction it opens.
        func withCountingAccess(_ body: @Sendable (TenantAccess, Opened) async throws -> Void) async throws {
            let opened = Opened()
            let logger = database.logger
            try await database.withClient(database.app) { client in
                let counted = Database(client: client, logger: logger) { kind in opened.kinds.withLock { $0.append(kind) } }
                try await body(TenantAccess(database: counted), opened)
            }
        }
    }

    /// The transactions a `Database` opened, in order.
    final class Opened: Sendable {
        let kinds = Mutex<[Database.TransactionKind]>([])
        func take() -> [Database.TransactionKind] {
            kinds.withLock { kinds in
                defer { kinds = [] }; return kinds
            }
        }
    }

    @Test func aReportInTheFiftiethOrganizationOpensOneTenantTransaction() async throws {
        let fixture = try await Fixture.make(organizations: 50)
        let principal = fixture.session
        try await fixture.withCountingAccess { access, opened in
            for project in [fixture.projects[49], fixture.projects[0], fixture.projects[25]] {
                _ = opened.take()
                let info = try await access.withProject(principal, project: project) { tx, info in
                    // The report's own query runs in the same transaction, scoped to the project's organization.
                    let rows = try await tx.query("SELECT count(*) FROM projects").collect()
                    #expect(try rows[0].decode(Int.self) == 1)
                    return info
                }
                #expect(info.id == project)
                #expect(opened.take() == [.tenant])
            }
        }
    }

    @Test func otherOrganizationsProjectsAnswerLikeUnknownIDs() async throws {
        let fixture = try await Fixture.make(organizations: 3)
        let principal = fixture.session
        try await fixture.withCountingAccess { access, opened in
            var errors: [ServiceError] = []
            for project in [fixture.stranger.project, Project.ID.random()] {
                do {
                    _ = try await access.withProject(principal, project: project) { _, info in info }
                    Issue.record("project \(project) of another organization was readable")
                } catch let error as ServiceError {
                    errors.append(error)
                }
            }
            #expect(errors == [ServiceError.notFound("project"), ServiceError.notFound("project")])
            #expect(opened.take() == [.tenant, .tenant])
        }
    }

    @Test func aPersonalTokenReachesOnlyItsOwnOrganization() async throws {
        let fixture = try await Fixture.make(organizations: 2)
        let orgs = try await fixture.database.asOwner(
            "SELECT org_id FROM projects WHERE project_id = \(fixture.projects[0].rawValue)")
        let tokenOrg = Org.ID(try orgs[0].decode(UUID.self))
        let token = Principal(
            userID: fixture.user, credential: .personalToken(id: APIToken.ID.random(), org: tokenOrg, scopes: [.read]))
        try await fixture.withCountingAccess { access, _ in
            let info = try await access.withProject(token, project: fixture.projects[0]) { _, info in info }
            #expect(info.organizationID == tokenOrg)
            await #expect(throws: ServiceError.notFound("project")) {
                _ = try await access.withProject(token, project: fixture.projects[1]) { _, info in info }
            }
        }
    }

    @Test func everyKindOfObjectIsFoundInItsOrganization() async throws {
        let fixture = try await Fixture.make(organizations: 2)
        let org = Org.ID(
            try await fixture.database.asOwner(
                "SELECT org_id FROM projects WHERE project_id = \(fixture.projects[1].rawValue)")[0].decode(UUID.self))
        let report = Report.ID.random()
        let dashboard = Dashboard.ID.random()
        let token = APIToken.ID.random()
        _ = try await fixture.database.asOwner(
            """
            INSERT INTO reports (org_id, report_id, project_id, name, kind, definition)
            VALUES (\(org.rawValue), \(report.rawValue), \(fixture.projects[1].rawValue), 'r', 'TRENDS', '{}')
            """)
        _ = try await fixture.database.asOwner(
            """
            INSERT INTO dashboards (org_id, dashboard_id, project_id, name)
            VALUES (\(org.rawValue), \(dashboard.rawValue), \(fixture.projects[1].rawValue), 'd')
            """)
        _ = try await fixture.database.asOwner(
            """
            INSERT INTO api_tokens (org_id, token_id, project_id, kind, name, token_hash, prefix)
            VALUES (\(org.rawValue), \(token.rawValue), \(fixture.projects[1].rawValue), 'INGEST', 't', sha256('t'::bytea), 'iv_')
            """)
        let principal = fixture.session
        try await fixture.withCountingAccess { access, opened in
            for object in [OwnedObject.project(fixture.projects[1]), .report(report), .dashboard(dashboard), .token(token)] {
                let found = try await access.locate(object, for: principal) { tx, _ in tx.org }
                #expect(found == org, "\(object)")
            }
            #expect(opened.take() == [.tenant, .tenant, .tenant, .tenant])
            for object in [OwnedObject.report(Report.ID.random()), .dashboard(Dashboard.ID.random()), .token(APIToken.ID.random())] {
                await #expect(throws: ServiceError.notFound(object.kind)) {
                    _ = try await access.locate(object, for: principal) { tx, _ in tx.org }
                }
            }
        }
    }
}
