import API
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `/graphql`: GraphQL over HTTP (POST with JSON, GET for queries) in front of `GraphQLHTTPHandler`, which holds
/// the protocol logic; this type only adapts Hummingbird requests and responses and enforces the body limit.
struct GraphQLController<Context: RequestContext>: Sendable {
    let handler: GraphQLHTTPHandler
    /// Largest accepted body (413 beyond).
    let maxBodyBytes: Int
    /// The proxies whose `X-Forwarded-For` is believed when finding the client address.
    let trustedProxies: TrustedProxies

    /// The routes.
    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("graphql", use: get)
        routes.post("graphql", use: post)
        return routes
    }

    @Sendable func get(request: Request, context: Context) async throws -> Response {
        try await answer(request, context: context, method: .get, body: [])
    }

    @Sendable func post(request: Request, context: Context) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return Self.response(handler.bodyTooLarge(accept: request.headers[.accept], maxBytes: maxBodyBytes))
        }
        return try await answer(request, context: context, method: .post, body: Array(body.readableBytesView))
    }

    /// Answers the request; its work is cancelled if the client disconnects first (`ClientDisconnect`).
    private func answer(
        _ request: Request, context: Context, method: GraphQLHTTPRequest.Method, body: [UInt8]
    ) async throws -> Response {
        var graphQLRequest = GraphQLHTTPRequest(
            method: method, contentType: request.headers[.contentType], accept: request.headers[.accept],
            authorization: request.headers[.authorization], queryParameters: Self.queryParameters(request.uri.query),
            body: body, clientIP: clientIP(request, context: context), requestID: context.id)
        graphQLRequest.userAgent = request.headers[.userAgent].map { String($0.prefix(256)) }
        let handler = self.handler
        let prepared = graphQLRequest
        let app = context as? AppRequestContext
        let answer = await ClientDisconnect.cancelling(on: app?.channel) { await handler.handle(prepared) }
        if let project = answer.projectID { app?.observation.acted(org: nil, project: project) }
        return Self.response(answer)
    }

    /// Hummingbird's form of the handler's answer.
    private static func response(_ answer: GraphQLHTTPResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// The socket's peer address, or behind trusted proxies the right-most untrusted `X-Forwarded-For` hop.
    private func clientIP(_ request: Request, context: Context) -> String? {
        let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
        guard !trustedProxies.networks.isEmpty else { return peer }
        return trustedProxies.clientAddress(
            peer: peer, forwardedFor: request.headers[values: HTTPField.Name("X-Forwarded-For")!])
    }

    /// URL query parameters, form-decoded (`+` is a space, then percent-decoding), first value of each name.
    static func queryParameters(_ query: String?) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if parameters[name] == nil { parameters[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return parameters
    }
}
