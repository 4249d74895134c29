import Accounts
import Tenancy
import Foundation
import Models
import TestSupport
import Testing

/// A member of organization A tries every service operation against organization B's IDs and gets exactly what an
/// unknown ID gives: `NOT_FOUND`, with the same message, and B's data is untouched.
@Suite struct CrossTenantTests {
    @Test func otherOrganizationsIDsBehaveLikeUnknownIDs() async throws {
        try await AuthHarness.run { h in
            let (alice, orgA) = try await h.signUp("alice@example.com", organization: "A")
            let (bob, orgB) = try await h.signUp("bob@example.com", organization: "B")
            let carol = try await h.member("carol@example.com", role: .member, in: orgB, by: bob)
            let projectB = try await h.projects.create(bob, org: orgB, name: "B web")
            let ingestB = try await h.tokens.createIngestToken(bob, project: projectB.id, name: "sdk")
            let patB = try await h.tokens.createPersonalToken(bob, org: orgB, name: "pat", scopes: [.read, .write])
            let invitationB = try await h.members.addMember(bob, org: orgB, email: "dave@example.com", role: .viewer)
            _ = try await h.projects.create(alice, org: orgA, name: "A web")
            // Alice with a session and with a personal token of org A.
            let alicePAT = try await h.tokens.createPersonalToken(alice, org: orgA, name: "pat", scopes: [.read, .write])
            let aliceToken = try await h.authenticator.authenticate(token: alicePAT.token)

            typealias Attempt = @Sendable (Principal, _ project: Project.ID, _ token: APIToken.ID, _ org: Org.ID) async throws -> Void
            let attempts: [(String, Attempt)] = [
                ("get project", { p, project, _, _ in _ = try await h.projects.get(p, project: project) }),
                ("rename project", { p, project, _, _ in _ = try await h.projects.rename(p, project: project, name: "pwned") }),
                ("set timezone", { p, project, _, _ in _ = try await h.projects.setTimezone(p, project: project, timezone: "UTC") }),
                ("set retention", { p, project, _, _ in _ = try await h.projects.setRetention(p, project: project, days: 1) }),
                ("delete project", { p, project, _, _ in try await h.projects.delete(p, project: project) }),
                ("create ingest token", { p, project, _, _ in _ = try await h.tokens.createIngestToken(p, project: project, name: "x") }),
                ("revoke ingest token", { p, _, token, _ in _ = try await h.tokens.revoke(p, token: token) }),
                ("list projects", { p, _, _, org in _ = try await h.projects.list(p, org: org) }),
                ("create project", { p, _, _, org in _ = try await h.projects.create(p, org: org, name: "x") }),
                ("list members", { p, _, _, org in _ = try await h.members.list(p, org: org) }),
                ("list invitations", { p, _, _, org in _ = try await h.members.invitations.list(p, org: org) }),
                (
                    "add member",
                    { p, _, _, org in
                        _ = try await h.members.addMember(p, org: org, email: "alice@example.com", role: .owner)
                    }
                ),
                ("change role", { p, _, _, org in _ = try await h.members.changeRole(p, org: org, user: carol.userID, role: .viewer) }),
                ("remove member", { p, _, _, org in try await h.members.removeMember(p, org: org, user: carol.userID) }),
                ("list tokens", { p, _, _, org in _ = try await h.tokens.list(p, org: org) }),
                (
                    "create personal token",
                    { p, _, _, org in
                        _ = try await h.tokens.createPersonalToken(p, org: org, name: "x", scopes: [.read])
                    }
                ),
            ]
            func failure(_ attempt: Attempt, _ principal: Principal, _ project: Project.ID, _ token: APIToken.ID, _ org: Org.ID)
                async -> ServiceError?
            {
                do {
                    try await attempt(principal, project, token, org)
                    return nil
                } catch {
                    return error as? ServiceError
                }
            }
            for principal in [alice, aliceToken] {
                for (name, attempt) in attempts {
                    let foreign = await failure(attempt, principal, projectB.id, ingestB.info.id, orgB)
                    let unknown = await failure(attempt, principal, .random(), .random(), .random())
                    #expect(foreign?.code == .notFound, "\(name)")
                    #expect(foreign == unknown, "\(name)")
                }
                #expect(await authErrorCode { _ = try await h.tokens.revoke(principal, token: patB.info.id) } == .notFound)
                // B's invitation ID is as unknown as a random one.
                var revokeErrors: [ServiceError?] = []
                for id in [invitationB.id, Invitation.ID.random()] {
                    do {
                        _ = try await h.members.invitations.revoke(principal, invitation: id)
                        revokeErrors.append(nil)
                    } catch {
                        revokeErrors.append(error as? ServiceError)
                    }
                }
                #expect(revokeErrors[0]?.code == .notFound)
                #expect(revokeErrors[0] == revokeErrors[1])
            }
            // Org B is untouched.
            #expect(try await h.projects.get(bob, project: projectB.id) == projectB)
            #expect(try await h.tokens.list(bob, org: orgB).allSatisfy { $0.revokedAt == nil })
            #expect(try await h.members.list(bob, org: orgB).map(\.role) == [.owner, .member])
            #expect(try await h.members.invitations.list(bob, org: orgB).map(\.status.rawValue).sorted() == ["ACCEPTED", "PENDING"])
            #expect(try await h.accounts.me(alice).memberships.map(\.organization.id) == [orgA])
            // A token of org A used on org A's objects still works.
            _ = try await h.projects.list(aliceToken, org: orgA)
        }
    }

    @Test func personalTokenOfOneOrganizationCannotReachTheUsersOtherOrganizations() async throws {
        try await AuthHarness.run { h in
            let (alice, orgA) = try await h.signUp("alice@example.com", organization: "A")
            let (bob, orgB) = try await h.signUp("bob@example.com", organization: "B")
            try await h.join(alice, org: orgB, role: .admin, by: bob)
            let projectB = try await h.projects.create(bob, org: orgB, name: "B web")
            let pat = try await h.tokens.createPersonalToken(alice, org: orgA, name: "a-only", scopes: [.read, .write])
            let viaToken = try await h.authenticator.authenticate(token: pat.token)
            // Her session reaches org B; her org-A token does not.
            _ = try await h.projects.get(alice, project: projectB.id)
            #expect(await authErrorCode { _ = try await h.projects.get(viaToken, project: projectB.id) } == .notFound)
            #expect(await authErrorCode { _ = try await h.projects.list(viaToken, org: orgB) } == .notFound)
        }
    }
}
