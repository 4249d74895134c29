import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `sessions`, `revokeSession`, `logOut` and `logOutEverywhere` over `/graphql`.
@Suite struct GraphQLSessionTests {
    static let list = "{ sessions { id createdAt lastSeenAt expiresAt userAgent ip current } }"

    @Test func usersSeeAndEndTheirOwnSessions() async throws {
        try await GraphQLTestApp.run { api in
            let ann = try await api.signUp("ann")
            let logIn = "mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { token } }"
            let phone = try #require(
                try await api.post(
                    logIn, ["e": ann.email, "p": GraphQLClient.password], headers: [.userAgent: "Phone/1.0"]
                ).string("logIn.token"))
            let listed = try await api.post(Self.list, token: phone)
            let sessions = listed.list("sessions").compactMap { $0 as? [String: Any] }
            #expect(sessions.count == 2, "\(listed.body)")
            let current = try #require(sessions.first { $0["current"] as? Bool == true })
            #expect(current["userAgent"] as? String == "Phone/1.0")
            #expect(current["id"] as? String == GraphQLCrossTenantTests.sessionID(of: phone))
            let signUpSession = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)

            let revoked = try await api.post("mutation($id: ID!) { revokeSession(id: $id) }", ["id": signUpSession], token: phone)
            #expect(revoked.value("revokeSession") as? Bool == true, "\(revoked.body)")
            #expect(try await api.post("{ me { id } }", token: ann.token).codes == ["UNAUTHENTICATED"])
            let again = try await api.post("mutation($id: ID!) { revokeSession(id: $id) }", ["id": signUpSession], token: phone)
            #expect(again.codes == ["NOT_FOUND"])

            #expect(try await api.post("mutation { logOut }", token: phone).value("logOut") as? Bool == true)
            #expect(try await api.post("{ me { id } }", token: phone).codes == ["UNAUTHENTICATED"])

            let a = try #require(try await api.post(logIn, ["e": ann.email, "p": GraphQLClient.password]).string("logIn.token"))
            let b = try #require(try await api.post(logIn, ["e": ann.email, "p": GraphQLClient.password]).string("logIn.token"))
            let everywhere = try await api.post("mutation { logOutEverywhere }", token: a)
            #expect(everywhere.value("logOutEverywhere") as? Int == 2, "\(everywhere.body)")
            #expect(try await api.post("{ me { id } }", token: a).codes == ["UNAUTHENTICATED"])
            #expect(try await api.post("{ me { id } }", token: b).codes == ["UNAUTHENTICATED"])
            #expect(try await api.post(Self.list).codes == ["UNAUTHENTICATED"])
        }
    }

    @Test func personalTokensCannotManageSessions() async throws {
        try await GraphQLTestApp.run { api in
            let ann = try await api.signUp("pat")
            let project = try await api.createProject(ann.orgID, token: ann.token)
            let created = try await api.post(
                """
                mutation($p: ID!) { createApiToken(input: {projectId: $p, name: "rw", kind: PERSONAL, scopes: [READ, WRITE]}) { token } }
                """, ["p": project], token: ann.token)
            let pat = try #require(created.string("createApiToken.token"))
            #expect(try await api.post(Self.list, token: pat).codes == ["FORBIDDEN"])
            #expect(try await api.post("mutation { logOut }", token: pat).codes == ["FORBIDDEN"])
            #expect(try await api.post("mutation { logOutEverywhere }", token: pat).codes == ["FORBIDDEN"])
            #expect(try await api.post("{ me { id } }", token: ann.token).codes.isEmpty)
        }
    }
}
