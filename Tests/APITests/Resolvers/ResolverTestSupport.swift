import Accounts
import Foundation
import GraphQL
import Logging
import Tenancy
import TestSupport
import Testing

@testable import API

/// `GraphQLAPI` with the repository's `schema.graphql` over real services on a fresh database (`AuthHarness`),
/// driven without HTTP: each operation gets its context from `GraphQLAPI.context(authorization:…)` and runs on the
/// API's engine, as `GraphQLHTTPHandler` would run it.
struct ResolverHarness: Sendable {
    let services: AuthHarness
    /// The clock relative report ranges are resolved with (the sessions keep the harness's own).
    let reportClock: TestClock
    let api: GraphQLAPI

    static let password = "correct horse battery staple"

    /// Runs `body` against a freshly built API on a fresh database.
    static func run(_ body: @Sendable (ResolverHarness) async throws -> Void) async throws {
        let path = TestDatabase.repositoryRoot.appendingPathComponent(SchemaSource.fileName).path
        let sdl = try SchemaSource.load(path: path)
        try await AuthHarness.run { harness in
            let reportClock = TestClock()
            let services = APIServices(
                accounts: harness.accounts, members: harness.members, projects: harness.projects, tokens: harness.tokens,
                reports: harness.reports, dashboards: harness.dashboards, authenticator: harness.authenticator,
                access: TenantAccess(database: harness.database), now: reportClock.function)
            try await body(
                ResolverHarness(services: harness, reportClock: reportClock, api: try GraphQLAPI(schemaSDL: sdl, services: services)))
        }
    }

    /// Executes `query` with `variables` (JSON-encodable values), as the bearer of `token` when given.
    func execute(_ query: String, _ variables: [String: Any] = [:], token: String? = nil) async throws -> APIReply {
        let values = try Value(jsonBytes: Array(try JSONSerialization.data(withJSONObject: variables)))
        var logger = Logger(label: "resolver-tests")
        logger.logLevel = .critical
        let context = await api.context(
            authorization: token.map { "Bearer \($0)" }, requestID: "test", clientIP: "203.0.113.1", logger: logger)
        let response = await api.engine.execute(query: query, variables: values, context: context)
        let reply = APIReply(response: response)
        if response.isRequestError { Issue.record("the operation did not run: \(reply.messages)") }
        return reply
    }

    /// A signed-up user with their first organization.
    struct Account: Sendable {
        let token: String
        let userID: String
        let orgID: String
        let email: String
    }

    /// Signs up a new user (unique email) through `signUp`.
    func signUp(_ name: String) async throws -> Account {
        let email = "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let reply = try await execute(
            "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id } organization { id } } }",
            ["i": ["email": email, "password": Self.password, "organizationName": "\(name)'s org"]])
        return Account(
            token: try #require(reply.string("signUp.token"), "\(reply)"), userID: try #require(reply.string("signUp.user.id")),
            orgID: try #require(reply.string("signUp.organization.id")), email: email)
    }

    /// Creates a project in `org` through `createProject` and returns its ID.
    func createProject(_ org: String, name: String = "web", token: String) async throws -> String {
        let reply = try await execute(
            "mutation($o: ID!, $n: String!) { createProject(input: {organizationId: $o, name: $n}) { id } }", ["o": org, "n": name],
            token: token)
        return try #require(reply.string("createProject.id"), "\(reply)")
    }

    /// Adds `account` to `org` with `role`: invites them through `addMember` as `token`, then accepts the
    /// invitation through `acceptInvitation` as `account`.
    func addMember(_ account: Account, to org: String, role: String, token: String) async throws {
        let reply = try await execute(
            "mutation($o: ID!, $e: String!, $r: Role!) { addMember(input: {organizationId: $o, email: $e, role: $r}) { role link } }",
            ["o": org, "e": account.email, "r": role], token: token)
        #expect(reply.string("addMember.role") == role, "\(reply)")
        let link = try #require(reply.string("addMember.link"), "\(reply)")
        let accepted = try await execute(
            "mutation($t: String!) { acceptInvitation(token: $t) { role organization { id } } }",
            ["t": String(link.split(separator: "/").last ?? "")], token: account.token)
        #expect(accepted.string("acceptInvitation.role") == role, "\(accepted)")
    }

    /// Creates a personal API token for the organization of `project` with `scopes` and returns its secret.
    func personalToken(_ project: String, scopes: [String], token: String) async throws -> String {
        let reply = try await execute(
            """
            mutation($p: ID!, $s: [ApiTokenScope!]) { createApiToken(input: {projectId: $p, name: "cli", kind: PERSONAL, scopes: $s}) {
              token } }
            """, ["p": project, "s": scopes], token: token)
        return try #require(reply.string("createApiToken.token"), "\(reply)")
    }
}

/// One executed operation: its data and errors, read by dotted paths such as `me.memberships.0.role`.
struct APIReply: Sendable, CustomStringConvertible {
    let response: GraphQLResponse

    var errors: [GraphQLError] { response.result.errors }
    /// `extensions.code` of every error.
    var codes: [String] { errors.compactMap(\.code) }
    var messages: [String] { errors.map(\.message) }
    var description: String { String(decoding: response.result.jsonBytes, as: UTF8.self) }

    /// The value at a dotted path under `data`; nil when absent or null.
    func value(_ path: String) -> Value? {
        var current = response.result.data
        for key in path.split(separator: ".") {
            if let index = Int(key), let list = current?.listValue {
                current = index < list.count ? list[index] : nil
            } else {
                current = current?[String(key)]
            }
        }
        return current?.isNull == true ? nil : current
    }

    func string(_ path: String) -> String? { value(path)?.stringValue }
    func int(_ path: String) -> Int? { value(path)?.intValue }
    func double(_ path: String) -> Double? { value(path)?.doubleValue }
    func bool(_ path: String) -> Bool? { value(path)?.boolValue }
    func list(_ path: String) -> [Value] { value(path)?.listValue ?? [] }
    /// The strings at `key` of each element of the list at `path`.
    func strings(_ path: String, _ key: String) -> [String] { list(path).compactMap { $0[key]?.stringValue } }
}
