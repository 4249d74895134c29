import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The account, organization and token flows over `/graphql`, end to end against PostgreSQL.
@Suite struct GraphQLControllerTests {
    @Test func signUpLogInMeProjectsTokensAndMembers() async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("owner")
            let me = try await api.post(
                "{ me { id email memberships { role organization { id name projects { id name } } } } }", token: owner.token)
            #expect(me.status == .ok)
            #expect(me.string("me.id") == owner.userID)
            #expect(me.string("me.memberships.0.role") == "OWNER")
            #expect(me.string("me.memberships.0.organization.id") == owner.orgID)
            #expect(me.list("me.memberships.0.organization.projects").isEmpty)

            // Log-in: wrong password and unknown email get the same answer; the right password a working token.
            let wrong = try await api.post(
                "mutation { logIn(input: {email: \"\(owner.email)\", password: \"not the password\"}) { token } }")
            let unknown = try await api.post(
                "mutation { logIn(input: {email: \"nobody@example.com\", password: \"not the password\"}) { token } }")
            #expect(wrong.codes == ["UNAUTHENTICATED"])
            #expect(wrong.messages == unknown.messages)
            let logIn = try await api.post(
                "mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { token user { id email } } }",
                ["e": owner.email.uppercased(), "p": GraphQLClient.password])
            let session = try #require(logIn.string("logIn.token"))
            #expect(logIn.string("logIn.user.id") == owner.userID)

            // Projects.
            let created = try await api.post(
                """
                mutation($o: ID!) { createProject(input: {organizationId: $o, name: "Web", timezone: "Europe/Paris"}) {
                  id name timezone retentionDays organization { id } } }
                """, ["o": owner.orgID], token: session)
            let project = try #require(created.string("createProject.id"))
            #expect(created.string("createProject.timezone") == "Europe/Paris")
            #expect(created.string("createProject.organization.id") == owner.orgID)
            let updated = try await api.post(
                "mutation($p: ID!) { updateProject(input: {id: $p, name: \"Site\", retentionDays: 30}) { name retentionDays } }",
                ["p": project], token: session)
            #expect(updated.string("updateProject.name") == "Site")
            #expect(updated.value("updateProject.retentionDays") as? Int == 30)
            let badZone = try await api.post(
                "mutation($p: ID!) { updateProject(input: {id: $p, timezone: \"Mars/Olympus\"}) { name } }", ["p": project], token: session)
            #expect(badZone.codes == ["BAD_USER_INPUT"])

            // Tokens: ingest and personal, shown once, revocable; a revoked personal token stops working at once.
            let ingest = try await api.post(
                """
                mutation($p: ID!) { createApiToken(input: {projectId: $p, name: "sdk", kind: INGEST}) {
                  token apiToken { id name kind prefix createdAt revokedAt project { id } } } }
                """, ["p": project], token: session)
            #expect(ingest.string("createApiToken.token")?.hasPrefix("iv_ing_") == true)
            #expect(ingest.string("createApiToken.apiToken.kind") == "INGEST")
            #expect(ingest.string("createApiToken.apiToken.project.id") == project)
            #expect(ingest.string("createApiToken.token")?.hasPrefix(ingest.string("createApiToken.apiToken.prefix") ?? "-") == true)
            let personal = try await api.post(
                """
                mutation($p: ID!) { createApiToken(input: {projectId: $p, name: "cli", kind: PERSONAL, scopes: [READ, WRITE]}) {
                  token apiToken { id kind scopes } } }
                """, ["p": project], token: session)
            let pat = try #require(personal.string("createApiToken.token"))
            #expect(pat.hasPrefix("iv_pat_"))
            #expect(personal.list("createApiToken.apiToken.scopes") as? [String] == ["READ", "WRITE"])
            let viaPAT = try await api.post("{ me { id memberships { organization { id } } } }", token: pat)
            #expect(viaPAT.string("me.id") == owner.userID)
            let listed = try await api.post(
                "query($o: ID!) { organization(id: $o) { apiTokens { id kind } } }", ["o": owner.orgID], token: session)
            #expect(listed.list("organization.apiTokens").count == 2)
            let revoke = try await api.post(
                "mutation($t: ID!) { revokeApiToken(id: $t) { id revokedAt } }",
                ["t": try #require(personal.string("createApiToken.apiToken.id"))], token: session)
            #expect(revoke.string("revokeApiToken.revokedAt") != nil)
            let afterRevoke = try await api.post("{ me { id } }", token: pat)
            #expect(afterRevoke.codes == ["UNAUTHENTICATED"])
            #expect(afterRevoke.string("me.id") == nil)

            // Members with each role.
            for role in ["VIEWER", "MEMBER", "ADMIN", "OWNER"] {
                let user = try await api.signUp(role.lowercased())
                let added = try await api.addMember(owner.orgID, account: user, role: role, token: session)
                #expect(added.string("acceptInvitation.role") == role)
                #expect(added.string("acceptInvitation.user.id") == user.userID)
                let theirs = try await api.post("{ me { memberships { role organization { id } } } }", token: user.token)
                #expect(theirs.list("me.memberships").count == 2)
            }
            let members = try await api.post(
                "query($o: ID!) { organization(id: $o) { members { role user { id email } } } }", ["o": owner.orgID], token: session)
            #expect(
                (members.list("organization.members") as? [[String: Any]])?.compactMap { $0["role"] as? String }.sorted()
                    == ["ADMIN", "MEMBER", "OWNER", "OWNER", "VIEWER"])

            // A password change ends older sessions.
            let change = try await api.post(
                "mutation($c: String!) { changePassword(input: {currentPassword: $c, newPassword: \"a brand new password\"}) }",
                ["c": GraphQLClient.password], token: session)
            #expect(change.value("changePassword") as? Bool == true)
            #expect(try await api.post("{ me { id } }", token: session).codes == ["UNAUTHENTICATED"])
        }
    }

    @Test func createOrganizationDeleteProjectAndTheLastOwner() async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("solo")
            let org = try await api.post("mutation { createOrganization(input: {name: \"Second\"}) { id name } }", token: owner.token)
            let second = try #require(org.string("createOrganization.id"))
            #expect(org.string("createOrganization.name") == "Second")
            let project = try await api.createProject(second, token: owner.token)
            let deleted = try await api.post("mutation($p: ID!) { deleteProject(id: $p) }", ["p": project], token: owner.token)
            #expect(deleted.value("deleteProject") as? Bool == true)
            let gone = try await api.post("query($p: ID!) { project(id: $p) { id } }", ["p": project], token: owner.token)
            #expect(gone.codes == ["NOT_FOUND"])
            let leave = try await api.post(
                "mutation($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) }", ["o": second, "u": owner.userID],
                token: owner.token)
            #expect(leave.codes == ["BAD_USER_INPUT"])
        }
    }

    @Test func signedOutCallersAndAnEmptyProject() async throws {
        try await GraphQLTestApp.run { api in
            let me = try await api.post("{ me { id } }")
            #expect(me.status == .ok)
            #expect(me.codes == ["UNAUTHENTICATED"])
            #expect(me.hasData)
            let create = try await api.post("mutation { createOrganization(input: {name: \"x\"}) { id } }")
            #expect(create.codes == ["UNAUTHENTICATED"])
            let owner = try await api.signUp("pending")
            let project = try await api.createProject(owner.orgID, token: owner.token)
            let events = try await api.post(
                "query($p: ID!) { events(projectId: $p) { edges { cursor } } eventNames(projectId: $p) }", ["p": project],
                token: owner.token)
            #expect(events.codes.isEmpty)
            #expect(events.list("events.edges").isEmpty && events.list("eventNames").isEmpty)
            let badInput = try await api.post(
                "mutation { signUp(input: {email: \"a@b.c\", password: \"short\", organizationName: \"o\"}) { token } }")
            #expect(badInput.codes == ["BAD_USER_INPUT"])
        }
    }

    @Test func behindATrustedProxyTheRightMostUntrustedHopIsThrottledOverARealSocket() async throws {
        let database = try await TestDatabase.create()
        let config = try GraphQLTestApp.config(
            database, extra: ["IV_LOGIN_MAX_FAILURES_PER_IP": "2", "IV_TRUSTED_PROXIES": "127.0.0.1, ::1, 10.0.0.0/8"])
        let app = try await buildApplication(config: config, logger: database.logger)
        try await app.test(.live) { client in
            let api = GraphQLClient(client: client)
            let attempt = "mutation($e: String!) { logIn(input: {email: $e, password: \"wrong password!\"}) { token } }"
            func logIn(_ forwarded: String) async throws -> GraphQLReply {
                let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: forwarded]
                return try await api.post(attempt, ["e": "\(UUID())@example.com"], headers: headers)
            }
            // A client cannot escape the limit by writing its own first hop.
            #expect(try await logIn("1.1.1.1, 203.0.113.7, 10.0.0.1").codes == ["UNAUTHENTICATED"])
            #expect(try await logIn("2.2.2.2, 203.0.113.7, 10.0.0.1").codes == ["UNAUTHENTICATED"])
            let limited = try await logIn("3.3.3.3, 203.0.113.7")
            #expect(limited.status == .ok)
            #expect(limited.codes == ["RATE_LIMITED"])
            #expect((1...900).contains(Int(limited.headers[.retryAfter] ?? "") ?? 0))
            #expect(try await logIn("203.0.113.7, 198.51.100.9").codes == ["UNAUTHENTICATED"])
        }
    }
}
