import Foundation
import HTTPTypes
import Hummingbird
import Ingest
import Logging
import Metrics
import Models

/// Ingestion over HTTP (CONTRACT.md §1): the native endpoint and the PostHog, Segment and Mixpanel paths. Every 2xx
/// is sent after the events are committed (group commit in `EventWriter`).
struct IngestController<Context: RequestContext>: Sendable {
    let tokens: TokenResolver
    let writer: EventWriter
    let limits: IngestLimits

    /// The routes, with CORS (preflight answered) for browser SDKs.
    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let cors = CORSMiddleware<Context>(
            allowOrigin: .originBased,
            allowHeaders: [.accept, .authorization, .contentType, .origin, .contentEncoding],
            allowMethods: [.get, .post, .options],
            maxAge: .seconds(86_400))
        let group = routes.group().add(middleware: cors)
        group.post("v1/events", use: native)
        // The router ignores a trailing slash, so `/capture` also serves `/capture/`.
        for path in ["capture", "batch", "e", "i/v0/e", "track", "engage", "import"] {
            group.post(RouterPath(path), use: sdkHandler(for: path))
        }
        for type in ["track", "identify", "alias", "page", "screen", "group", "batch"] {
            group.post(RouterPath("v1/" + type), use: segment(type == "batch" ? nil : type))
        }
        return routes
    }

    @Sendable func native(request: Request, context: Context) async throws -> Response {
        let received = Date()
        let token = request.headers[.authorization].flatMap { header -> String? in
            header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
        }
        let target = try await tokens.resolve(token)
        let decoded = try await decodeBody(request)
        let batch = try NativeFormat.batch(
            from: decoded.json, limits: limits, receivedAt: received, projectKey: target.project.description)
        try await writer.submit(IngestBatch(org: target.org, project: target.project, events: batch.events, identity: batch.identity))
        return try jsonResponse(["accepted": batch.events.count])
    }

    func sdkHandler(for path: String) -> @Sendable (Request, Context) async throws -> Response {
        switch path {
        case "track", "import": return mixpanel(isEngage: false)
        case "engage": return mixpanel(isEngage: true)
        default: return posthog
        }
    }

    @Sendable func posthog(request: Request, context: Context) async throws -> Response {
        let decoded = try await decodeBody(request)
        let format = PostHogFormat()
        try await ingest(decoded.json, format: format, token: format.token(in: decoded.json), source: "posthog")
        return try jsonResponse(["status": 1])
    }

    func segment(_ type: String?) -> @Sendable (Request, Context) async throws -> Response {
        { request, _ in
            let decoded = try await decodeBody(request)
            let format = SegmentFormat(pathType: type)
            let token = format.token(in: decoded.json) ?? Self.basicUser(request.headers[.authorization])
            try await ingest(decoded.json, format: format, token: token, source: "segment")
            return try jsonResponse(["success": true])
        }
    }

    func mixpanel(isEngage: Bool) -> @Sendable (Request, Context) async throws -> Response {
        { request, _ in
            let decoded = try await decodeBody(request)
            let format = MixpanelFormat(isEngage: isEngage)
            try await ingest(decoded.json, format: format, token: format.token(in: decoded.json), source: "mixpanel")
            let verbose = decoded.form["verbose"] == "1" || request.uri.queryParameters.get("verbose") == "1"
            if verbose { return try jsonResponse(["status": 1]) }
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "1")))
        }
    }

    private func ingest(_ json: JSON, format: some SDKFormat, token: String?, source: String) async throws {
        let received = Date()
        let target = try await tokens.resolve(token)
        let payload = try format.payload(from: json, limits: limits, receivedAt: received, projectKey: target.project.description)
        for (reason, count) in payload.dropped {
            Counter(label: "insightvault_ingest_events_dropped_total", dimensions: [("source", source), ("reason", reason)])
                .increment(by: count)
        }
        try await writer.submit(
            IngestBatch(org: target.org, project: target.project, events: payload.events, identity: payload.identity))
    }

    private func decodeBody(_ request: Request) async throws -> BodyDecoder.Decoded {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limits.maxBodyBytes)
        } catch {
            throw IngestError(.bodyTooLarge, "body is larger than \(limits.maxBodyBytes) bytes")
        }
        return try BodyDecoder.decode(
            Array(body.readableBytesView), contentType: request.headers[.contentType],
            contentEncoding: request.headers[.contentEncoding], compression: request.uri.queryParameters.get("compression"),
            limits: limits)
    }

    /// The user name of an HTTP Basic `Authorization` header (Segment sends the write key there).
    static func basicUser(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let credentials = String(data: data, encoding: .utf8)
        else { return nil }
        return credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
    }
}

/// A JSON response from an encodable value.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try JSONEncoder().encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

extension IngestError: HTTPResponseError {
    /// The HTTP status for each code (CONTRACT.md §1).
    public var status: HTTPResponse.Status {
        switch code {
        case .invalidToken: .unauthorized
        case .bodyTooLarge, .batchTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .overloaded, .shuttingDown, .storageFailed: .serviceUnavailable
        default: .badRequest
        }
    }

    /// `{"error": {"code", "message", "details"}}`, with `Retry-After` when the server sheds load.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = IngestErrorBody(
            error: .init(code: code.rawValue, message: message, details: details.isEmpty ? nil : details))
        var response = try jsonResponse(body, status: status)
        if status == .serviceUnavailable { response.headers[HTTPField.Name("Retry-After")!] = "1" }
        return response
    }
}

/// Wire shape of ingestion errors.
struct IngestErrorBody: Encodable {
    struct Inner: Encodable {
        let code: String
        let message: String
        let details: [IngestError.Detail]?
    }
    let error: Inner
}
