import Foundation
import GraphQL
import Testing

/// The account resolvers (`signUp`, `logIn`, `me`, `changePassword`, `createOrganization`) through the API's engine
/// over real services: what a user signing up, logging in and creating organizations sees.
@Suite struct AccountResolversTests {
    static let me = "{ me { id email name memberships { role organization { id name } } } }"
    static let logIn = """
        mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { token user { id email } organization { id } } }
        """

    @Test func signUpGivesAWorkingSessionAndAnOwnedOrganization() async throws {
        try await ResolverHarness.run { api in
            let reply = try await api.execute(
                """
                mutation($i: SignUpInput!) { signUp(input: $i) { token user { id email name } organization { id name } } }
                """,
                ["i": ["email": "  Ada@Example.com ", "password": ResolverHarness.password, "name": "Ada", "organizationName": " Acme "]])
            #expect(reply.errors.isEmpty, "\(reply)")
            let token = try #require(reply.string("signUp.token"))
            #expect(reply.string("signUp.user.email") == "Ada@Example.com")
            #expect(reply.string("signUp.user.name") == "Ada")
            #expect(reply.string("signUp.organization.name") == "Acme")

            let me = try await api.execute(Self.me, token: token)
            #expect(me.errors.isEmpty, "\(me)")
            #expect(me.string("me.id") == reply.string("signUp.user.id"))
            #expect(me.list("me.memberships").count == 1)
            #expect(me.string("me.memberships.0.role") == "OWNER")
            #expect(me.string("me.memberships.0.organization.id") == reply.string("signUp.organization.id"))

            // The same email in another letter case is taken; a short password and an empty organization are refused.
            let again = try await api.execute(
                "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
                ["i": ["email": "ada@EXAMPLE.com", "password": ResolverHarness.password, "organizationName": "Other"]])
            #expect(again.codes == ["BAD_USER_INPUT"], "\(again)")
            #expect(again.value("signUp") == nil)
            let short = try await api.execute(
                "mutation { signUp(input: {email: \"b@example.com\", password: \"short\", organizationName: \"o\"}) { token } }")
            #expect(short.codes == ["BAD_USER_INPUT"], "\(short)")
            let noOrg = try await api.execute(
                "mutation($p: String!) { signUp(input: {email: \"c@example.com\", password: $p, organizationName: \"  \"}) { token } }",
                ["p": ResolverHarness.password])
            #expect(noOrg.codes == ["BAD_USER_INPUT"], "\(noOrg)")
        }
    }

    @Test func meNeedsAValidCredential() async throws {
        try await ResolverHarness.run { api in
            let anonymous = try await api.execute(Self.me)
            #expect(anonymous.codes == ["UNAUTHENTICATED"], "\(anonymous)")
            #expect(anonymous.value("me") == nil)
            let garbage = try await api.execute(Self.me, token: "not-a-token")
            #expect(garbage.codes == ["UNAUTHENTICATED"], "\(garbage)")
        }
    }

    @Test func logInAcceptsOnlyTheRightPasswordAndSaysTheSameForUnknownEmails() async throws {
        try await ResolverHarness.run { api in
            let user = try await api.signUp("login")
            let wrong = try await api.execute(Self.logIn, ["e": user.email, "p": "not the password"])
            let unknown = try await api.execute(Self.logIn, ["e": "nobody@example.com", "p": "not the password"])
            #expect(wrong.codes == ["UNAUTHENTICATED"], "\(wrong)")
            #expect(unknown.codes == ["UNAUTHENTICATED"], "\(unknown)")
            #expect(wrong.messages == unknown.messages)
            #expect(wrong.value("logIn") == nil)

            let right = try await api.execute(Self.logIn, ["e": " " + user.email.uppercased(), "p": ResolverHarness.password])
            #expect(right.errors.isEmpty, "\(right)")
            #expect(right.string("logIn.user.id") == user.userID)
            #expect(right.value("logIn.organization") == nil)
            let session = try #require(right.string("logIn.token"))
            #expect(session != user.token)
            let me = try await api.execute(Self.me, token: session)
            #expect(me.string("me.email") == user.email)
        }
    }

    @Test func changePasswordEndsOlderSessions() async throws {
        try await ResolverHarness.run { api in
            let user = try await api.signUp("changer")
            let change = "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) }"
            let newPassword = "a brand new password"

            let wrongCurrent = try await api.execute(change, ["c": "not the password", "n": newPassword], token: user.token)
            #expect(wrongCurrent.codes == ["BAD_USER_INPUT"], "\(wrongCurrent)")
            #expect(try await api.execute(Self.me, token: user.token).errors.isEmpty, "a refused change keeps the session")
            let tooShort = try await api.execute(change, ["c": ResolverHarness.password, "n": "short"], token: user.token)
            #expect(tooShort.codes == ["BAD_USER_INPUT"], "\(tooShort)")
            let anonymous = try await api.execute(change, ["c": ResolverHarness.password, "n": newPassword])
            #expect(anonymous.codes == ["UNAUTHENTICATED"], "\(anonymous)")

            let changed = try await api.execute(change, ["c": ResolverHarness.password, "n": newPassword], token: user.token)
            #expect(changed.errors.isEmpty, "\(changed)")
            #expect(changed.bool("changePassword") == true)
            #expect(try await api.execute(Self.me, token: user.token).codes == ["UNAUTHENTICATED"])
            #expect(try await api.execute(Self.logIn, ["e": user.email, "p": ResolverHarness.password]).codes == ["UNAUTHENTICATED"])
            let logIn = try await api.execute(Self.logIn, ["e": user.email, "p": newPassword])
            let session = try #require(logIn.string("logIn.token"), "\(logIn)")
            #expect(try await api.execute(Self.me, token: session).string("me.id") == user.userID)
        }
    }

    @Test func aNULInAnyStringArgumentBecomesTheReplacementCharacterNeverAnInternalError() async throws {
        try await ResolverHarness.run { api in
            let user = try await api.signUp("nul")
            // In the query text (a GraphQL escape) and in variables (a JSON string).
            let literal = try await api.execute(
                #"mutation { createOrganization(input: {name: "\u0000x"}) { name } }"#, token: user.token)
            #expect(literal.errors.isEmpty, "\(literal)")
            #expect(literal.string("createOrganization.name") == "\u{FFFD}x")
            let variable = try await api.execute(
                "mutation($n: String!) { createOrganization(input: {name: $n}) { id name } }", ["n": "a\u{0}b"], token: user.token)
            #expect(variable.string("createOrganization.name") == "a\u{FFFD}b", "\(variable)")
            let org = try #require(variable.string("createOrganization.id"))
            let project = try await api.execute(
                "mutation($o: ID!, $n: String!) { createProject(input: {organizationId: $o, name: $n}) { name } }",
                ["o": org, "n": "\u{0}"], token: user.token)
            #expect(project.codes.isEmpty, "\(project)")
            #expect(project.string("createProject.name") == "\u{FFFD}")
        }
    }

    @Test func createOrganizationMakesTheSessionUserOwnerAndRefusesTokens() async throws {
        try await ResolverHarness.run { api in
            let user = try await api.signUp("founder")
            let create = "mutation($n: String!) { createOrganization(input: {name: $n}) { id name createdAt projects { id } } }"

            let created = try await api.execute(create, ["n": "  Second org \n"], token: user.token)
            #expect(created.errors.isEmpty, "\(created)")
            let org = try #require(created.string("createOrganization.id"))
            #expect(created.string("createOrganization.name") == "Second org")
            #expect(created.list("createOrganization.projects").isEmpty)
            #expect(created.string("createOrganization.createdAt") != nil)
            let me = try await api.execute(Self.me, token: user.token)
            let memberships = me.list("me.memberships")
            #expect(memberships.count == 2)
            let second = memberships.first { $0["organization"]?["id"]?.stringValue == org }
            #expect(second?["role"]?.stringValue == "OWNER")
            #expect(second?["organization"]?["name"]?.stringValue == "Second org")
            // As its owner the user can use the new organization at once.
            #expect(try await api.createProject(org, token: user.token).isEmpty == false)

            for name in ["", "   ", String(repeating: "x", count: 201)] {
                let refused = try await api.execute(create, ["n": name], token: user.token)
                #expect(refused.codes == ["BAD_USER_INPUT"], "\(name.count) characters: \(refused)")
            }
            let anonymous = try await api.execute(create, ["n": "Nobody's"])
            #expect(anonymous.codes == ["UNAUTHENTICATED"], "\(anonymous)")

            // A personal API token, even with WRITE, cannot create organizations; nothing is created.
            let project = try await api.createProject(user.orgID, token: user.token)
            let pat = try await api.personalToken(project, scopes: ["READ", "WRITE"], token: user.token)
            let viaToken = try await api.execute(create, ["n": "Token org"], token: pat)
            #expect(viaToken.codes == ["FORBIDDEN"], "\(viaToken)")
            #expect(viaToken.value("createOrganization") == nil)
            #expect(try await api.execute(Self.me, token: user.token).list("me.memberships").count == 2)
        }
    }
}
