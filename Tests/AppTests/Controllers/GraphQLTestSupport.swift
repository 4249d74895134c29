import App
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Builds the real application on a fresh test database and drives `/graphql` through `app.test(.router)`.
enum GraphQLTestApp {
    /// The session key the test server signs with (`kid` "test").
    static let keySecret = Data(repeating: 7, count: 32).base64EncodedString()

    static func config(_ database: TestDatabase, extra: [String: String] = [:]) throws -> AppConfig {
        var values = [
            "DATABASE_URL": database.owner.urlString, "APP_DATABASE_URL": database.app.urlString,
            "IV_MIGRATIONS_DIR": TestDatabase.repositoryRoot.appendingPathComponent("migrations").path,
            "IV_SCHEMA_PATH": TestDatabase.repositoryRoot.appendingPathComponent("schema.graphql").path,
            "IV_JWT_KEYS": "test:" + keySecret,
            // Many of these apps run at once; keep each one's share of PostgreSQL's connections small.
            "IV_DB_POOL_SIZE": "4",
        ]
        values.merge(extra) { $1 }
        var config = try AppConfig(values: values)
        config.port = 0
        return config
    }

    /// Runs `body` against a freshly built application.
    static func run(extra: [String: String] = [:], _ body: @escaping @Sendable (GraphQLClient) async throws -> Void) async throws {
        let database = try await TestDatabase.create()
        let app = try await buildApplication(config: try config(database, extra: extra), logger: database.logger)
        try await app.test(.router) { client in try await body(GraphQLClient(client: client)) }
    }
}

/// One HTTP answer from `/graphql`.
struct GraphQLReply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String

    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]) ?? [:] }
    var errors: [[String: Any]] { json["errors"] as? [[String: Any]] ?? [] }
    /// `extensions.code` of every error.
    var codes: [String] { errors.compactMap { ($0["extensions"] as? [String: Any])?["code"] as? String } }
    var messages: [String] { errors.compactMap { $0["message"] as? String } }
    var hasData: Bool { json["data"] != nil }
    var contentType: String? { headers[.contentType] }

    /// The value at a dotted path under `data`, e.g. `createProject.id` or `me.memberships.0.role`.
    func value(_ path: String) -> Any? {
        var current: Any? = json["data"]
        for key in path.split(separator: ".") {
            if let index = Int(key), let list = current as? [Any] {
                current = index < list.count ? list[index] : nil
            } else {
                current = (current as? [String: Any])?[String(key)]
            }
        }
        return current is NSNull ? nil : current
    }

    func string(_ path: String) -> String? { value(path) as? String }
    func list(_ path: String) -> [Any] { value(path) as? [Any] ?? [] }
}

/// A small GraphQL client over the test client.
struct GraphQLClient: Sendable {
    let client: any TestClientProtocol
    static let password = "correct horse battery staple"

    /// POSTs a JSON body as is.
    func raw(
        _ uri: String = "/graphql", method: HTTPRequest.Method = .post, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> GraphQLReply {
        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            GraphQLReply(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    /// POSTs `query` with `variables` (JSON-encodable values), optionally as `token`.
    func post(
        _ query: String, _ variables: [String: Any] = [:], token: String? = nil, operationName: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> GraphQLReply {
        var payload: [String: Any] = ["query": query, "variables": variables]
        if let operationName { payload["operationName"] = operationName }
        let body = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers.append(contentsOf: extra)
        return try await raw(headers: headers, body: body)
    }

    /// A signed-up user with their first organization.
    struct Account: Sendable {
        let token: String
        let userID: String
        let orgID: String
        let email: String
    }

    func signUp(_ name: String) async throws -> Account {
        let email = "\(name)-\(UUID().uuidString.prefix(8))@example.com"
        let reply = try await post(
            """
            mutation($input: SignUpInput!) { signUp(input: $input) { token user { id email } organization { id name } } }
            """, ["input": ["email": email, "password": Self.password, "organizationName": "\(name)'s org"]])
        guard let token = reply.string("signUp.token"), let user = reply.string("signUp.user.id"),
            let org = reply.string("signUp.organization.id")
        else {
            Issue.record("signUp failed: \(reply.body)")
            throw CancellationError()
        }
        return Account(token: token, userID: user, orgID: org, email: email)
    }

    func createProject(_ org: String, name: String = "web", token: String) async throws -> String {
        let reply = try await post(
            "mutation($o: ID!, $n: String!) { createProject(input: {organizationId: $o, name: $n}) { id } }", ["o": org, "n": name],
            token: token)
        guard let id = reply.string("createProject.id") else {
            Issue.record("createProject failed: \(reply.body)")
            throw CancellationError()
        }
        return id
    }

    func createToken(_ project: String, kind: String, token: String) async throws -> (id: String, secret: String) {
        let reply = try await post(
            """
            mutation($p: ID!, $k: ApiTokenKind!) { createApiToken(input: {projectId: $p, name: "t", kind: $k}) { token apiToken { id } } }
            """,
            ["p": project, "k": kind], token: token)
        guard let id = reply.string("createApiToken.apiToken.id"), let secret = reply.string("createApiToken.token") else {
            Issue.record("createApiToken failed: \(reply.body)")
            throw CancellationError()
        }
        return (id, secret)
    }

    /// Invites `email` to `org` with `role` through `addMember`, as `token` (the invitation grants nothing yet).
    @discardableResult
    func addMember(_ org: String, email: String, role: String, token: String) async throws -> GraphQLReply {
        try await post(
            """
            mutation($o: ID!, $e: String!, $r: Role!) { addMember(input: {organizationId: $o, email: $e, role: $r}) { id role link } }
            """,
            ["o": org, "e": email, "r": role], token: token)
    }

    /// Makes `account` a member of `org` with `role`: invites them as `token`, then accepts as `account`. Returns the
    /// `acceptInvitation` answer (`acceptInvitation.role`, `acceptInvitation.user.id`).
    @discardableResult
    func addMember(_ org: String, account: Account, role: String, token: String) async throws -> GraphQLReply {
        let invited = try await addMember(org, email: account.email, role: role, token: token)
        guard let link = invited.string("addMember.link") else {
            Issue.record("addMember failed: \(invited.body)")
            throw CancellationError()
        }
        return try await post(
            "mutation($t: String!) { acceptInvitation(token: $t) { role user { id } organization { id } } }",
            ["t": String(link.split(separator: "/").last ?? "")], token: account.token)
    }
}
