import App
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// For each role, which operations succeed and which are refused with `FORBIDDEN`.
@Suite struct GraphQLRoleTests {
    /// An operation tried by one actor; `prepare` (run as the organization's first owner) creates what it needs.
    struct Operation: Sendable {
        let name: String
        /// Roles that may do it; every other role gets FORBIDDEN.
        let allowed: Set<String>
        let run: @Sendable (_ api: GraphQLClient, _ fixture: Fixture, _ actorToken: String) async throws -> GraphQLReply
    }

    struct Fixture: Sendable {
        let owner: GraphQLClient.Account
        let project: String
    }

    static let managers: Set<String> = ["ADMIN", "OWNER"]
    static let everyone: Set<String> = ["VIEWER", "MEMBER", "ADMIN", "OWNER"]

    static let operations: [Operation] = [
        Operation(name: "read organization and project", allowed: everyone) { api, fixture, token in
            try await api.post(
                "query($o: ID!, $p: ID!) { organization(id: $o) { projects { id } members { role } } project(id: $p) { name } }",
                ["o": fixture.owner.orgID, "p": fixture.project], token: token)
        },
        Operation(name: "sessions", allowed: everyone) { api, _, token in
            try await api.post("{ sessions { id current } }", token: token)
        },
        Operation(name: "revokeSession (own)", allowed: everyone) { api, _, token in
            let other = try await logInAgain(api, token)
            let id = GraphQLCrossTenantTests.sessionID(of: other)
            return try await api.post("mutation($id: ID!) { revokeSession(id: $id) }", ["id": id], token: token)
        },
        Operation(name: "logOut", allowed: everyone) { api, _, token in
            try await api.post("mutation { logOut }", token: token)
        },
        Operation(name: "logOutEverywhere", allowed: everyone) { api, _, token in
            try await api.post("mutation { logOutEverywhere }", token: token)
        },
        Operation(name: "persons and person", allowed: everyone) { api, fixture, token in
            try await api.post(
                "query($p: ID!) { persons(projectId: $p, search: \"x\") { id } person(projectId: $p, distinctId: \"x\") { id } }",
                ["p": fixture.project], token: token)
        },
        Operation(name: "deadLetters", allowed: everyone) { api, fixture, token in
            try await api.post(
                "query($p: ID!) { deadLetters(projectId: $p) { totalCount items { id } } }", ["p": fixture.project], token: token)
        },
        Operation(name: "createProject", allowed: managers) { api, fixture, token in
            try await api.post(
                "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"new\"}) { id } }", ["o": fixture.owner.orgID],
                token: token)
        },
        Operation(name: "updateProject", allowed: managers) { api, fixture, token in
            try await api.post(
                "mutation($p: ID!) { updateProject(input: {id: $p, name: \"renamed\"}) { id } }", ["p": fixture.project], token: token)
        },
        Operation(name: "deleteProject", allowed: managers) { api, fixture, token in
            let doomed = try await api.createProject(fixture.owner.orgID, name: "doomed", token: fixture.owner.token)
            return try await api.post("mutation($p: ID!) { deleteProject(id: $p) }", ["p": doomed], token: token)
        },
        Operation(name: "createApiToken INGEST", allowed: managers) { api, fixture, token in
            try await api.post(
                "mutation($p: ID!) { createApiToken(input: {projectId: $p, name: \"i\", kind: INGEST}) { token } }",
                ["p": fixture.project], token: token)
        },
        Operation(name: "createApiToken PERSONAL", allowed: everyone) { api, fixture, token in
            try await api.post(
                "mutation($p: ID!) { createApiToken(input: {projectId: $p, name: \"p\", kind: PERSONAL}) { token } }",
                ["p": fixture.project], token: token)
        },
        Operation(name: "revokeApiToken (ingest)", allowed: managers) { api, fixture, token in
            let target = try await api.createToken(fixture.project, kind: "INGEST", token: fixture.owner.token)
            return try await api.post("mutation($t: ID!) { revokeApiToken(id: $t) { revokedAt } }", ["t": target.id], token: token)
        },
        Operation(name: "addMember(MEMBER)", allowed: managers) { api, fixture, token in
            let newcomer = try await api.signUp("newcomer")
            return try await api.addMember(fixture.owner.orgID, email: newcomer.email, role: "MEMBER", token: token)
        },
        Operation(name: "addMember(ADMIN)", allowed: ["OWNER"]) { api, fixture, token in
            let newcomer = try await api.signUp("newadmin")
            return try await api.addMember(fixture.owner.orgID, email: newcomer.email, role: "ADMIN", token: token)
        },
        Operation(name: "addMember(OWNER)", allowed: ["OWNER"]) { api, fixture, token in
            let newcomer = try await api.signUp("newowner")
            return try await api.addMember(fixture.owner.orgID, email: newcomer.email, role: "OWNER", token: token)
        },
        Operation(name: "invitations", allowed: managers) { api, fixture, token in
            try await api.post(
                "query($o: ID!) { invitations(organizationId: $o) { id email role status link } }", ["o": fixture.owner.orgID],
                token: token)
        },
        Operation(name: "revokeInvitation(MEMBER)", allowed: managers) { api, fixture, token in
            let invited = try await api.addMember(
                fixture.owner.orgID, email: "revoked-member@example.com", role: "MEMBER", token: fixture.owner.token)
            return try await api.post(
                "mutation($i: ID!) { revokeInvitation(id: $i) { status } }", ["i": invited.string("addMember.id") ?? ""], token: token)
        },
        Operation(name: "revokeInvitation(OWNER)", allowed: ["OWNER"]) { api, fixture, token in
            let invited = try await api.addMember(
                fixture.owner.orgID, email: "revoked-owner@example.com", role: "OWNER", token: fixture.owner.token)
            return try await api.post(
                "mutation($i: ID!) { revokeInvitation(id: $i) { status } }", ["i": invited.string("addMember.id") ?? ""], token: token)
        },
        // Any signed-in user accepts an invitation sent to their own address, whatever their roles elsewhere.
        Operation(name: "acceptInvitation", allowed: everyone) { api, fixture, token in
            let email = try await api.post("{ me { email } }", token: token).string("me.email") ?? ""
            let org = try await api.post("mutation { createOrganization(input: {name: \"other\"}) { id } }", token: fixture.owner.token)
            let invited = try await api.addMember(
                org.string("createOrganization.id") ?? "", email: email, role: "VIEWER", token: fixture.owner.token)
            let link = invited.string("addMember.link") ?? ""
            return try await api.post(
                "mutation($t: String!) { acceptInvitation(token: $t) { role } }", ["t": String(link.split(separator: "/").last ?? "")],
                token: token)
        },
        Operation(name: "changeMemberRole(MEMBER -> VIEWER)", allowed: managers) { api, fixture, token in
            let target = try await api.signUp("demoted")
            try await api.addMember(fixture.owner.orgID, account: target, role: "MEMBER", token: fixture.owner.token)
            return try await api.post(
                "mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: VIEWER}) { role } }",
                ["o": fixture.owner.orgID, "u": target.userID], token: token)
        },
        Operation(name: "changeMemberRole(ADMIN -> MEMBER)", allowed: ["OWNER"]) { api, fixture, token in
            let target = try await api.signUp("exadmin")
            try await api.addMember(fixture.owner.orgID, account: target, role: "ADMIN", token: fixture.owner.token)
            return try await api.post(
                "mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: MEMBER}) { role } }",
                ["o": fixture.owner.orgID, "u": target.userID], token: token)
        },
        Operation(name: "removeMember(VIEWER)", allowed: managers) { api, fixture, token in
            let target = try await api.signUp("removed")
            try await api.addMember(fixture.owner.orgID, account: target, role: "VIEWER", token: fixture.owner.token)
            return try await api.post(
                "mutation($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) }",
                ["o": fixture.owner.orgID, "u": target.userID], token: token)
        },
        Operation(name: "removeMember(ADMIN)", allowed: ["OWNER"]) { api, fixture, token in
            let target = try await api.signUp("removedadmin")
            try await api.addMember(fixture.owner.orgID, account: target, role: "ADMIN", token: fixture.owner.token)
            return try await api.post(
                "mutation($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) }",
                ["o": fixture.owner.orgID, "u": target.userID], token: token)
        },
    ]

    /// A second session of the user behind `token` (every test account has the same password).
    static func logInAgain(_ api: GraphQLClient, _ token: String) async throws -> String {
        try await logIn(api, email: try #require(try await api.post("{ me { email } }", token: token).string("me.email")))
    }

    /// A new session of `email` (every test account has the same password).
    static func logIn(_ api: GraphQLClient, email: String) async throws -> String {
        let reply = try await api.post(
            "mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { token } }",
            ["e": email, "p": GraphQLClient.password])
        return try #require(reply.string("logIn.token"), "\(reply.body)")
    }

    @Test(arguments: ["VIEWER", "MEMBER", "ADMIN", "OWNER"])
    func roleTable(role: String) async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("owner")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let actor = try await api.signUp(role.lowercased())
            let added = try await api.addMember(owner.orgID, account: actor, role: role, token: owner.token)
            #expect(added.string("acceptInvitation.role") == role)
            let fixture = Fixture(owner: owner, project: project)
            for operation in Self.operations {
                // A fresh session each time: logOut and logOutEverywhere end the ones before.
                let reply = try await operation.run(api, fixture, try await Self.logIn(api, email: actor.email))
                if operation.allowed.contains(role) {
                    #expect(reply.errors.isEmpty, "\(role) should be allowed to \(operation.name): \(reply.body)")
                } else {
                    #expect(reply.codes == ["FORBIDDEN"], "\(role) should be refused \(operation.name): \(reply.body)")
                }
            }
            // Anyone may leave; the actor's own membership is gone afterwards.
            let leave = try await api.post(
                "mutation($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) }", ["o": owner.orgID, "u": actor.userID],
                token: try await Self.logIn(api, email: actor.email))
            #expect(leave.value("removeMember") as? Bool == true)
            let gone = try await api.post(
                "query($o: ID!) { organization(id: $o) { id } }", ["o": owner.orgID], token: try await Self.logIn(api, email: actor.email))
            #expect(gone.codes == ["NOT_FOUND"])
        }
    }

    @Test func readOnlyPersonalTokensCannotWrite() async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("scoped")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let readOnly = try await api.createToken(project, kind: "PERSONAL", token: owner.token)
            let read = try await api.post("query($p: ID!) { project(id: $p) { id } }", ["p": project], token: readOnly.secret)
            #expect(read.string("project.id") == project)
            let write = try await api.post(
                "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"x\"}) { id } }", ["o": owner.orgID],
                token: readOnly.secret)
            #expect(write.codes == ["FORBIDDEN"])
            let newOrg = try await api.post("mutation { createOrganization(input: {name: \"x\"}) { id } }", token: readOnly.secret)
            #expect(newOrg.codes == ["FORBIDDEN"])
        }
    }
}
