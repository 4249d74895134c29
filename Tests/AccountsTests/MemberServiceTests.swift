import Accounts
import Tenancy
import Foundation
import Models
import TestSupport
import Testing

@Suite struct MemberServiceTests {
    /// Each role against each service operation, on a real database: allowed ones succeed, others are FORBIDDEN.
    @Test func roleTableAgainstTheServices() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let project = try await h.projects.create(owner, org: org, name: "Web")
            var principals: [Role: Principal] = [.owner: owner]
            for role in [Role.admin, .member, .viewer] {
                principals[role] = try await h.member("\(role.rawValue.lowercased())@example.com", role: role, in: org, by: owner)
            }
            typealias Attempt = @Sendable (Principal, Int) async throws -> Void
            let table: [(String, Set<Role>, Attempt)] = [
                ("list projects", [.viewer, .member, .admin, .owner], { p, _ in _ = try await h.projects.list(p, org: org) }),
                ("read project", [.viewer, .member, .admin, .owner], { p, _ in _ = try await h.projects.get(p, project: project.id) }),
                ("list members", [.viewer, .member, .admin, .owner], { p, _ in _ = try await h.members.list(p, org: org) }),
                (
                    "create personal token", [.viewer, .member, .admin, .owner],
                    { p, _ in
                        _ = try await h.tokens.createPersonalToken(p, org: org, name: "pat", scopes: [.read])
                    }
                ),
                ("create project", [.admin, .owner], { p, _ in _ = try await h.projects.create(p, org: org, name: "New") }),
                ("rename project", [.admin, .owner], { p, _ in _ = try await h.projects.rename(p, project: project.id, name: "Web") }),
                (
                    "create ingest token", [.admin, .owner],
                    { p, _ in
                        _ = try await h.tokens.createIngestToken(p, project: project.id, name: "sdk")
                    }
                ),
                (
                    "add viewer", [.admin, .owner],
                    { p, n in
                        _ = try await h.signUp("v\(n)@example.com", organization: "x")
                        _ = try await h.members.addMember(p, org: org, email: "v\(n)@example.com", role: .viewer)
                    }
                ),
                (
                    "add admin", [.owner],
                    { p, n in
                        _ = try await h.signUp("a\(n)@example.com", organization: "x")
                        _ = try await h.members.addMember(p, org: org, email: "a\(n)@example.com", role: .admin)
                    }
                ),
                (
                    "add owner", [.owner],
                    { p, n in
                        _ = try await h.signUp("o\(n)@example.com", organization: "x")
                        _ = try await h.members.addMember(p, org: org, email: "o\(n)@example.com", role: .owner)
                    }
                ),
            ]
            var counter = 0
            for (name, allowed, attempt) in table {
                for role in Role.allCases {
                    counter += 1
                    let code = await authErrorCode { try await attempt(principals[role]!, counter) }
                    #expect(code == (allowed.contains(role) ? nil : .forbidden), "\(role) \(name)")
                }
            }
        }
    }

    @Test func lastOwnerCannotLeaveOrBeDemoted() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            #expect(
                await authErrorCode { _ = try await h.members.changeRole(owner, org: org, user: owner.userID, role: .admin) }
                    == .badUserInput)
            #expect(await authErrorCode { try await h.members.removeMember(owner, org: org, user: owner.userID) } == .badUserInput)
            let second = try await h.member("second@example.com", role: .owner, in: org, by: owner)
            // With two owners one may step down, and then the other is the last one again.
            _ = try await h.members.changeRole(second, org: org, user: owner.userID, role: .admin)
            #expect(await authErrorCode { try await h.members.removeMember(second, org: org, user: second.userID) } == .badUserInput)
            _ = try await h.members.changeRole(second, org: org, user: owner.userID, role: .owner)
            try await h.members.removeMember(second, org: org, user: second.userID)
            let members = try await h.members.list(owner, org: org)
            #expect(members.map(\.user.email) == ["owner@example.com"])
            #expect(members.map(\.role) == [.owner])
        }
    }

    /// Two owners demoting each other at the same moment: exactly one succeeds and one owner remains.
    @Test func concurrentMutualDemotionLeavesOneOwner() async throws {
        try await AuthHarness.run { h in
            let (first, org) = try await h.signUp("first@example.com")
            let second = try await h.member("second@example.com", role: .owner, in: org, by: first)
            let outcomes = try await withThrowingTaskGroup(of: ServiceError.Code?.self) { group in
                group.addTask {
                    await authErrorCode { _ = try await h.members.changeRole(first, org: org, user: second.userID, role: .admin) }
                }
                group.addTask {
                    await authErrorCode { _ = try await h.members.changeRole(second, org: org, user: first.userID, role: .admin) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1)
            #expect(outcomes.compactMap { $0 }.allSatisfy { $0 == .badUserInput || $0 == .forbidden })
            #expect(try await h.members.list(first, org: org).filter { $0.role == .owner }.count == 1)
        }
    }

    @Test func adminsCannotTouchOwnersOrAdmins() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let admin = try await h.member("admin@example.com", role: .admin, in: org, by: owner)
            let admin2 = try await h.member("admin2@example.com", role: .admin, in: org, by: owner)
            let member = try await h.member("member@example.com", role: .member, in: org, by: owner)
            for (target, role) in [(owner.userID, Role.member), (admin2.userID, .member), (member.userID, .admin)] {
                #expect(
                    await authErrorCode { _ = try await h.members.changeRole(admin, org: org, user: target, role: role) }
                        == .forbidden)
            }
            #expect(await authErrorCode { try await h.members.removeMember(admin, org: org, user: owner.userID) } == .forbidden)
            #expect(await authErrorCode { try await h.members.removeMember(admin, org: org, user: admin2.userID) } == .forbidden)
            #expect(try await h.members.changeRole(admin, org: org, user: member.userID, role: .viewer).role == .viewer)
            // Anyone may leave; a member may not remove others.
            let viewer2 = try await h.member("viewer2@example.com", role: .viewer, in: org, by: owner)
            #expect(await authErrorCode { try await h.members.removeMember(member, org: org, user: viewer2.userID) } == .forbidden)
            try await h.members.removeMember(member, org: org, user: member.userID)
            try await h.members.removeMember(admin, org: org, user: viewer2.userID)
            #expect(try await h.members.list(owner, org: org).count == 3)
        }
    }

    @Test func addMemberErrors() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            #expect(
                await authErrorCode { _ = try await h.members.addMember(owner, org: org, email: "not an address", role: .viewer) }
                    == .badUserInput)
            // Inviting a member is answered like anyone else; accepting then says they already are one.
            let again = try await h.members.addMember(owner, org: org, email: "OWNER@example.com", role: .viewer)
            #expect(again.status == .pending)
            #expect(
                await authErrorCode { _ = try await h.members.invitations.accept(owner, token: again.token ?? "") } == .badUserInput)
            #expect(
                await authErrorCode { _ = try await h.members.changeRole(owner, org: org, user: .random(), role: .viewer) }
                    == .notFound)
            let added = try await h.member("new@example.com", role: .member, in: org, by: owner)
            let listed = try await h.members.list(owner, org: org)
            #expect(listed.map(\.user.id) == [owner.userID, added.userID])
        }
    }
}
