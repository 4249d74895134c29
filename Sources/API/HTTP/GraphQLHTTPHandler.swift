import Foundation
import GraphQL
import Logging

/// A GraphQL-over-HTTP request, as the HTTP layer hands it over (no web framework types).
public struct GraphQLHTTPRequest: Sendable {
    /// The two methods GraphQL over HTTP uses.
    public enum Method: Sendable {
        /// Queries only; parameters in the URL.
        case get
        /// Any operation; parameters in a JSON body.
        case post
    }

    /// The method.
    public var method: Method
    /// `Content-Type` (POST).
    public var contentType: String?
    /// `Accept`.
    public var accept: String?
    /// `Authorization`.
    public var authorization: String?
    /// URL query parameters (GET): `query`, `operationName`, `variables`, `extensions`.
    public var queryParameters: [String: String]
    /// The body (POST), already limited in size by the HTTP layer.
    public var body: [UInt8]
    /// The client's address, for log-in throttling.
    public var clientIP: String?
    /// `User-Agent`, recorded with sessions started by the request.
    public var userAgent: String?
    /// The request id.
    public var requestID: String

    /// Creates a request.
    public init(
        method: Method, contentType: String? = nil, accept: String? = nil, authorization: String? = nil,
        queryParameters: [String: String] = [:], body: [UInt8] = [], clientIP: String? = nil, requestID: String
    ) {
        self.method = method
        self.contentType = contentType
        self.accept = accept
        self.authorization = authorization
        self.queryParameters = queryParameters
        self.body = body
        self.clientIP = clientIP
        self.requestID = requestID
    }
}

/// The HTTP answer to a GraphQL request.
public struct GraphQLHTTPResponse: Sendable, Equatable {
    /// Status code.
    public var status: Int
    /// `Content-Type`, `Allow`, `Retry-After` as needed.
    public var headers: [String: String]
    /// The JSON body.
    public var body: [UInt8]
    /// The `projectId` variable of the operation, when it has one (the access log's `project_id`).
    public var projectID: String? = nil
}

/// GraphQL over HTTP (graphql-over-http spec, plus Apollo's automatic persisted queries) on top of `GraphQLAPI`:
/// request parsing, content negotiation, status codes, and the error codes of requests that never executed.
public struct GraphQLHTTPHandler: Sendable {
    /// The newer GraphQL response media type.
    public static let graphQLResponseMediaType = "application/graphql-response+json"

    let api: GraphQLAPI
    let persistedQueries: PersistedQueryStore
    let logger: Logger

    /// Creates a handler with its own persisted-query store (`options.persistedQueryCapacity` entries,
    /// `options.persistedQueryCacheBytes` bytes).
    public init(api: GraphQLAPI, logger: Logger) {
        self.api = api
        self.persistedQueries = PersistedQueryStore(
            capacity: api.options.persistedQueryCapacity, maxBytes: api.options.persistedQueryCacheBytes)
        self.logger = logger
    }

    /// The answer to a body over the size limit (413, `BODY_TOO_LARGE`); the body was never read in full.
    public func bodyTooLarge(accept: String?, maxBytes: Int) -> GraphQLHTTPResponse {
        Self.failure(413, "BODY_TOO_LARGE", "request body too large (at most \(maxBytes) bytes)", accept: accept)
    }

    /// A response of one request error: no `data`, one error with `extensions.code`. Every protocol-level error
    /// (parse, validation, persisted queries, methods, sizes) goes through here.
    static func failure(
        _ status: Int, _ code: String, _ message: String, accept: String?, headers: [String: String] = [:]
    ) -> GraphQLHTTPResponse {
        let error = GraphQLError(message, extensions: ["code": .string(code)])
        return reply(status, ExecutionResult(data: nil, errors: [error]), accept: accept, headers: headers)
    }

    /// A response carrying `result` in the negotiated media type.
    static func reply(
        _ status: Int, _ result: ExecutionResult, accept: String?, headers: [String: String] = [:]
    ) -> GraphQLHTTPResponse {
        let mediaType = responseMediaType(accept: accept)
        return GraphQLHTTPResponse(
            status: status, headers: headers.merging(["Content-Type": mediaType + "; charset=utf-8"]) { $1 },
            body: result.jsonBytes)
    }

    /// Answers one request, and records it in the GraphQL metrics (`OperationMetrics`).
    public func handle(_ request: GraphQLHTTPRequest) async -> GraphQLHTTPResponse {
        let started = ContinuousClock.now
        var metrics = OperationMetrics()
        let response = await answer(request, metrics: &metrics)
        metrics.record(elapsed: started.duration(to: .now))
        return response
    }

    /// Answers one request; `metrics` learns its operation and whether the answer carries errors.
    private func answer(_ request: GraphQLHTTPRequest, metrics: inout OperationMetrics) async -> GraphQLHTTPResponse {
        func reply(_ status: Int, _ result: ExecutionResult, headers: [String: String] = [:]) -> GraphQLHTTPResponse {
            if !result.errors.isEmpty { metrics.failed = true }
            return Self.reply(status, result, accept: request.accept, headers: headers)
        }
        func fail(_ status: Int, _ code: String, _ message: String, headers: [String: String] = [:]) -> GraphQLHTTPResponse {
            metrics.failed = true
            return Self.failure(status, code, message, accept: request.accept, headers: headers)
        }

        let params: Parameters
        switch Self.parameters(of: request) {
        case .success(let parsed): params = parsed
        case .failure(let failure): return fail(failure.status, failure.code, failure.message)
        }

        // Automatic persisted queries.
        var queryText = params.query
        var newHash: String?
        if let persisted = params.extensions?["persistedQuery"] {
            guard persisted["version"]?.intValue == 1, let hash = persisted["sha256Hash"]?.stringValue?.lowercased() else {
                return fail(400, "PERSISTED_QUERY_NOT_SUPPORTED", "only persistedQuery version 1 with a sha256Hash is supported")
            }
            if let query = queryText {
                guard PersistedQueryStore.hash(query) == hash else {
                    return fail(400, "BAD_REQUEST", "provided sha does not match query")
                }
                newHash = hash
            } else if let stored = persistedQueries.query(forHash: hash) {
                queryText = stored
            } else {
                return fail(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            }
        }
        guard let query = queryText else { return fail(400, "BAD_REQUEST", "the request has no query") }

        let prepared: PreparedDocument
        do {
            prepared = try api.engine.prepare(query: query)
        } catch {
            let code = error.phase == .parse ? "GRAPHQL_PARSE_FAILED" : "GRAPHQL_VALIDATION_FAILED"
            return reply(400, ExecutionResult(data: nil, errors: Self.coded(error.errors, code)))
        }
        if let newHash { persistedQueries.register(query, hash: newHash) }  // only documents that are valid
        let operation = Self.operation(in: prepared.document, named: params.operationName)
        metrics.observe(operation)
        if request.method == .get, operation?.operation == .mutation {
            return fail(405, "METHOD_NOT_ALLOWED", "mutations need POST", headers: ["Allow": "POST"])
        }

        let context = await api.context(
            authorization: request.authorization, requestID: request.requestID, clientIP: request.clientIP,
            userAgent: request.userAgent, logger: logger)
        if let refusal = api.introspectionRefusal(prepared.document, context: context) {
            return reply(401, ExecutionResult(data: nil, errors: [refusal]), headers: ["WWW-Authenticate": "Bearer"])
        }
        let response = await api.engine.execute(
            prepared: prepared, operationName: params.operationName, variables: params.variables, context: context)
        if response.isRequestError {
            return reply(400, ExecutionResult(data: nil, errors: Self.coded(response.result.errors, "BAD_USER_INPUT")))
        }
        var headers: [String: String] = [:]
        let retryAfter = response.result.errors.compactMap { $0.extensions?["retryAfter"]?.intValue }.max()
        if let retryAfter { headers["Retry-After"] = String(retryAfter) }
        // Resolver errors carry their codes; what the engine itself raises while completing values is a server fault.
        var result = response.result
        result.errors = Self.coded(result.errors, "INTERNAL")
        var answer = reply(200, result, headers: headers)
        // A UUID only: the log line never carries what a client chose freely.
        answer.projectID = params.variables?["projectId"]?.stringValue.flatMap { UUID(uuidString: $0)?.uuidString.lowercased() }
        return answer
    }

    /// `application/graphql-response+json` when the client accepts it, else `application/json`.
    static func responseMediaType(accept: String?) -> String {
        guard let accept else { return "application/json" }
        let types = accept.split(separator: ",").map { entry -> (String, Double) in
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (parts.first ?? "", quality)
        }
        let graphQL = types.first { $0.0 == graphQLResponseMediaType }?.1 ?? 0
        let json = types.first { $0.0 == "application/json" }?.1 ?? 0
        return graphQL > 0 && graphQL >= json ? graphQLResponseMediaType : "application/json"
    }

    /// Adds `code` to errors that have none.
    static func coded(_ errors: [GraphQLError], _ code: String) -> [GraphQLError] {
        errors.map { error in
            var error = error
            if error.code == nil { error.code = code }
            return error
        }
    }

    /// The operation `execute` would run: the named one, or the only one.
    static func operation(in document: DocumentNode, named name: String?) -> OperationDefinitionNode? {
        let operations = document.operations
        guard let name else { return operations.count == 1 ? operations[0] : nil }
        return operations.first { $0.name?.value == name }
    }

    /// The GraphQL parameters of a request.
    struct Parameters {
        var query: String?
        var operationName: String?
        var variables: Value?
        var extensions: Value?
    }

    /// Why a request could not be read.
    struct RequestFailure: Error {
        var status: Int
        var code: String
        var message: String
    }

    static func parameters(of request: GraphQLHTTPRequest) -> Result<Parameters, RequestFailure> {
        switch request.method {
        case .get:
            let params = request.queryParameters
            var parsed = Parameters(query: params["query"], operationName: params["operationName"].flatMap { $0.isEmpty ? nil : $0 })
            for key in ["variables", "extensions"] {
                guard let text = params[key], !text.isEmpty else { continue }
                guard let value = try? Value(json: text), value.objectValue != nil || value.isNull else {
                    return .failure(RequestFailure(status: 400, code: "BAD_REQUEST", message: "\(key) must be a JSON object"))
                }
                if key == "variables" { parsed.variables = value } else { parsed.extensions = value }
            }
            return .success(parsed)
        case .post:
            let mediaType = request.contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            guard mediaType == "application/json" else {
                return .failure(RequestFailure(status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "send Content-Type: application/json"))
            }
            guard let body = try? Value(jsonBytes: request.body), let object = body.objectValue else {
                return .failure(RequestFailure(status: 400, code: "BAD_REQUEST", message: "the body must be a JSON object"))
            }
            let expected: [(key: String, valid: (Value) -> Bool)] = [
                ("query", { $0.stringValue != nil }), ("operationName", { $0.stringValue != nil }),
                ("variables", { $0.objectValue != nil }), ("extensions", { $0.objectValue != nil }),
            ]
            for (key, valid) in expected {
                if let value = object[key], !value.isNull, !valid(value) {
                    return .failure(RequestFailure(status: 400, code: "BAD_REQUEST", message: "\(key) has the wrong type"))
                }
            }
            func present(_ key: String) -> Value? { object[key].flatMap { $0.isNull ? nil : $0 } }
            return .success(
                Parameters(
                    query: present("query")?.stringValue, operationName: present("operationName")?.stringValue,
                    variables: present("variables"), extensions: present("extensions")))
        }
    }
}
