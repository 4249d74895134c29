import App
import Accounts
import Tenancy
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// GraphQL over HTTP: methods, media types, status codes, parameters and automatic persisted queries.
@Suite struct GraphQLHTTPTests {
    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    @Test func getRunsQueriesAndRefusesMutations() async throws {
        try await GraphQLTestApp.run { api in
            let query = try await api.raw("/graphql?query=" + Self.encoded("{ __typename }"), method: .get)
            #expect(query.status == .ok)
            #expect(query.string("__typename") == "Query")
            let plus = try await api.raw("/graphql?query=query+Q+%7B+__typename+%7D&operationName=Q", method: .get)
            #expect(plus.string("__typename") == "Query")
            let mutation = try await api.raw(
                "/graphql?query=" + Self.encoded("mutation { createOrganization(input: {name: \"x\"}) { id } }"), method: .get)
            #expect(mutation.status == .methodNotAllowed)
            #expect(mutation.headers[.allow] == "POST")
            #expect(!mutation.hasData)
            // The operation picked by operationName decides.
            let document = Self.encoded("query Q { __typename } mutation M { createOrganization(input: {name: \"x\"}) { id } }")
            #expect(try await api.raw("/graphql?query=\(document)&operationName=Q", method: .get).status == .ok)
            #expect(try await api.raw("/graphql?query=\(document)&operationName=M", method: .get).status == .methodNotAllowed)
            let variables = try await api.raw(
                "/graphql?query=" + Self.encoded("query($id: ID!) { project(id: $id) { id } }") + "&variables="
                    + Self.encoded(#"{"id": "not-a-uuid"}"#), method: .get)
            #expect(variables.codes == ["UNAUTHENTICATED"])
        }
    }

    @Test func contentTypesAndBodyLimits() async throws {
        try await GraphQLTestApp.run(extra: ["IV_GRAPHQL_MAX_BODY_BYTES": "2048"]) { api in
            let text = try await api.raw(headers: [.contentType: "text/plain"], body: #"{"query": "{ __typename }"}"#)
            #expect(text.status == .unsupportedMediaType)
            let none = try await api.raw(body: #"{"query": "{ __typename }"}"#)
            #expect(none.status == .unsupportedMediaType)
            let charset = try await api.raw(
                headers: [.contentType: "application/json; charset=utf-8"], body: #"{"query": "{ __typename }"}"#)
            #expect(charset.status == .ok)
            let padding = String(repeating: " ", count: 3_000)
            let large = try await api.raw(headers: [.contentType: "application/json"], body: #"{"query": "{ __typename }"\#(padding)}"#)
            #expect(large.status == .contentTooLarge)
            let notJSON = try await api.raw(headers: [.contentType: "application/json"], body: "{query")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.codes == ["BAD_REQUEST"])
        }
    }

    @Test func responseMediaTypeFollowsAccept() async throws {
        try await GraphQLTestApp.run { api in
            let plain = try await api.post("{ __typename }")
            #expect(plain.contentType?.hasPrefix("application/json") == true)
            let modern = try await api.post(
                "{ __typename }", headers: [.accept: "application/graphql-response+json, application/json;q=0.9"])
            #expect(modern.contentType?.hasPrefix("application/graphql-response+json") == true)
            let json = try await api.post("{ __typename }", headers: [.accept: "application/json"])
            #expect(json.contentType?.hasPrefix("application/json") == true)
            // Validation failures are 400 with either media type.
            let invalid = try await api.post("{ nope }", headers: [.accept: "application/graphql-response+json"])
            #expect(invalid.status == .badRequest)
            #expect(invalid.contentType?.hasPrefix("application/graphql-response+json") == true)
        }
    }

    @Test func parseValidationAndRequestErrorsAre400WithErrorsOnly() async throws {
        try await GraphQLTestApp.run { api in
            let parse = try await api.post("{ me { id ")
            #expect(parse.status == .badRequest)
            #expect(parse.codes == ["GRAPHQL_PARSE_FAILED"])
            #expect(!parse.hasData)
            let validation = try await api.post("{ me { id nope } }")
            #expect(validation.status == .badRequest)
            #expect(validation.codes == ["GRAPHQL_VALIDATION_FAILED"])
            #expect(!validation.hasData)
            let unknownOperation = try await api.post("query A { __typename }", operationName: "B")
            #expect(unknownOperation.status == .badRequest)
            #expect(!unknownOperation.hasData)
            let badVariables = try await api.post("query($id: ID!) { project(id: $id) { id } }", ["id": ["not", "an", "id"]])
            #expect(badVariables.status == .badRequest)
            #expect(badVariables.codes == ["BAD_USER_INPUT"])
            #expect(!badVariables.hasData)
        }
        try await GraphQLTestApp.run(extra: ["IV_GRAPHQL_MAX_DEPTH": "3"]) { api in
            let tooDeep = try await api.post("{ me { memberships { organization { id } } } }")
            #expect(tooDeep.status == .badRequest)
            #expect(tooDeep.codes == ["QUERY_TOO_DEEP"])
            #expect(try await api.post("{ me { memberships { role } } }").status == .ok)
        }
    }

    @Test func operationNameAndVariablesSelectWhatRuns() async throws {
        try await GraphQLTestApp.run { api in
            let owner = try await api.signUp("ops")
            let document = "query A { me { id } } query B($o: ID!) { organization(id: $o) { name } }"
            let a = try await api.post(document, token: owner.token, operationName: "A")
            #expect(a.string("me.id") == owner.userID)
            #expect(a.value("organization") == nil)
            let b = try await api.post(document, ["o": owner.orgID], token: owner.token, operationName: "B")
            #expect(b.string("organization.name") == "ops's org")
            #expect(b.value("me") == nil)
            let ambiguous = try await api.post(document, token: owner.token)
            #expect(ambiguous.status == .badRequest)
        }
    }

    @Test func automaticPersistedQueries() async throws {
        try await GraphQLTestApp.run { api in
            let query = "{ __typename }"
            let hash = APITokenService.hash(query).map { String(format: "%02x", $0) }.joined()
            func send(_ query: String?, hash: String) async throws -> GraphQLReply {
                var payload: [String: Any] = ["extensions": ["persistedQuery": ["version": 1, "sha256Hash": hash]]]
                if let query { payload["query"] = query }
                let body = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
                return try await api.raw(headers: [.contentType: "application/json"], body: body)
            }
            let miss = try await send(nil, hash: hash)
            #expect(miss.status == .ok)
            #expect(miss.codes == ["PERSISTED_QUERY_NOT_FOUND"])
            let mismatch = try await send("{ me { id } }", hash: hash)
            #expect(mismatch.status == .badRequest)
            #expect(try await send(nil, hash: hash).codes == ["PERSISTED_QUERY_NOT_FOUND"])
            // An invalid document is not kept.
            let invalid = "{ nope }"
            let invalidHash = APITokenService.hash(invalid).map { String(format: "%02x", $0) }.joined()
            #expect(try await send(invalid, hash: invalidHash).status == .badRequest)
            #expect(try await send(nil, hash: invalidHash).codes == ["PERSISTED_QUERY_NOT_FOUND"])
            let register = try await send(query, hash: hash)
            #expect(register.string("__typename") == "Query")
            let hit = try await send(nil, hash: hash)
            #expect(hit.status == .ok)
            #expect(hit.string("__typename") == "Query")
            // GET works with a registered hash too (what Apollo clients do for queries).
            let extensions = Self.encoded(#"{"persistedQuery":{"version":1,"sha256Hash":"\#(hash)"}}"#)
            let viaGet = try await api.raw("/graphql?extensions=\(extensions)", method: .get)
            #expect(viaGet.string("__typename") == "Query")
        }
    }

    @Test func introspectionNeedsASignedInCallerByDefault() async throws {
        try await GraphQLTestApp.run { api in
            let query = "{ __schema { queryType { name } mutationType { name } } }"
            // Anonymous: refused before anything runs, `__schema` and `__type` alike, also inside a fragment.
            for document in [
                query, #"{ __type(name: "Query") { name } }"#,
                "{ ...F } fragment F on Query { __typename __schema { queryType { name } } }",
            ] {
                let anonymous = try await api.post(document)
                #expect(anonymous.status == .unauthorized, "\(anonymous.body)")
                #expect(anonymous.codes == ["UNAUTHENTICATED"], "\(anonymous.body)")
                #expect(!anonymous.hasData)
                #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            }
            // A refused credential is no better than none.
            let forged = try await api.post(query, token: "not-a-token")
            #expect(forged.status == .unauthorized, "\(forged.body)")
            #expect(forged.codes.count == 1 && forged.codes != ["INTERNAL"], "\(forged.body)")
            // `__typename` stays open, as do sign-up and log-in.
            let typename = try await api.post("{ __typename }")
            #expect(typename.string("__typename") == "Query")
            // A session introspects, and so does a personal token.
            let account = try await api.signUp("introspect")
            let session = try await api.post(query, token: account.token)
            #expect(session.status == .ok)
            #expect(session.string("__schema.mutationType.name") == "Mutation", "\(session.body)")
            let project = try await api.createProject(account.orgID, token: account.token)
            let personal = try await api.createToken(project, kind: "PERSONAL", token: account.token).secret
            let viaToken = try await api.post(#"{ __type(name: "Query") { name } }"#, token: personal)
            #expect(viaToken.string("__type.name") == "Query", "\(viaToken.body)")
        }
    }

    @Test func introspectionCanBePublicOrTurnedOff() async throws {
        for setting in ["public", "true"] {
            try await GraphQLTestApp.run(extra: ["IV_GRAPHQL_INTROSPECTION": setting]) { api in
                let schema = try await api.post("{ __schema { queryType { name } mutationType { name } } }")
                #expect(schema.string("__schema.mutationType.name") == "Mutation", "\(schema.body)")
            }
        }
        for setting in ["off", "false"] {
            try await GraphQLTestApp.run(extra: ["IV_GRAPHQL_INTROSPECTION": setting]) { api in
                let account = try await api.signUp("closed")
                let refused = try await api.post("{ __schema { queryType { name } } }", token: account.token)
                #expect(refused.status == .badRequest)
                #expect(refused.codes == ["INTROSPECTION_DISABLED"])
            }
        }
    }
}
