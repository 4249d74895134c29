import Foundation
import HTTPTypes
import Hummingbird
import Ingest
import Logging
import Metrics
import Models

/// Ingestion over HTTP (docs/api.md): the native endpoint and the PostHog, Segment and Mixpanel paths. Every 2xx
/// is sent after the events are committed (group commit in `EventWriter`).
struct IngestController<Context: RequestContext>: Sendable {
    let tokens: TokenResolver
    let writer: EventWriter
    let limits: IngestLimits
    /// The server's clock: an event's `received_at`, and its time when it brings none.
    var now: @Sendable () -> Date = { Date() }
    /// The source of UUIDs for events without `uuid` or idempotency key.
    var newUUID: @Sendable () -> UUID = { UUID() }

    /// The routes, with CORS (preflight answered) for browser SDKs.
    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let cors = CORSMiddleware<Context>(
            allowOrigin: .originBased,
            allowHeaders: [.accept, .authorization, .contentType, .origin, .contentEncoding],
            allowMethods: [.get, .post, .options],
            maxAge: .seconds(86_400))
        let group = routes.group().add(middleware: cors)
        var paths: [(String, @Sendable (Request, Context) async throws -> Response)] = [("v1/events", native)]
        // The router ignores a trailing slash, so `/capture` also serves `/capture/`.
        for path in ["capture", "batch", "e", "i/v0/e"] { paths.append((path, posthog)) }
        for path in ["track", "import"] { paths.append((path, mixpanel(isEngage: false))) }
        paths.append(("engage", mixpanel(isEngage: true)))
        for type in ["track", "identify", "alias", "page", "screen", "group", "batch"] {
            paths.append(("v1/" + type, segment(type == "batch" ? nil : type)))
        }
        for (path, handler) in paths {
            group.post(RouterPath(path), use: handler)
            // A group's middleware runs only for methods with a route: without this, the CORS preflight of a browser
            // SDK would be a 404 and the browser would never send the POST. The middleware answers it.
            group.on(RouterPath(path), method: .options) { _, _ in Response(status: .noContent) }
        }
        return routes
    }

    /// `POST /v1/events`: `{"accepted": N}`.
    @Sendable func native(request: Request, context: Context) async throws -> Response {
        let payload = try await ingest(request, format: NativeFormat(), source: "native")
        return try jsonResponse(["accepted": payload.events.count])
    }

    /// PostHog's capture endpoints: `{"status": 1}`.
    @Sendable func posthog(request: Request, context: Context) async throws -> Response {
        _ = try await ingest(request, format: PostHogFormat(), source: "posthog")
        return try jsonResponse(["status": 1])
    }

    /// Segment's `/v1/<type>` endpoints: `{"success": true}`.
    func segment(_ type: String?) -> @Sendable (Request, Context) async throws -> Response {
        { request, _ in
            _ = try await ingest(request, format: SegmentFormat(pathType: type), source: "segment")
            return try jsonResponse(["success": true])
        }
    }

    /// Mixpanel's `/track`, `/import` and `/engage`: `1`, or `{"status": 1}` with `verbose=1`.
    func mixpanel(isEngage: Bool) -> @Sendable (Request, Context) async throws -> Response {
        { request, _ in
            var verbose = request.uri.queryParameters.get("verbose") == "1"
            _ = try await ingest(request, format: MixpanelFormat(isEngage: isEngage), source: "mixpanel") { form in
                verbose = verbose || form["verbose"] == "1"
            }
            if verbose { return try jsonResponse(["status": 1]) }
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "1")))
        }
    }

    /// The one ingestion path: read and decode the body once, take it apart once (`envelope`), find and resolve the
    /// token, validate every event under the format's policy, and return once the events are committed.
    /// Formats whose token is a header (the native format) are authenticated before the body is read.
    private func ingest(
        _ request: Request, format: some IngestFormat, source: String, form: ([String: String]) -> Void = { _ in }
    ) async throws -> IngestPayload {
        let receivedAt = now()
        let authorization = request.headers[.authorization]
        var target: TokenResolver.Target?
        if format.tokenIsHeader {
            let empty = IngestEnvelope(items: [], sentAt: nil, bodyToken: nil)
            target = try await tokens.resolve(format.token(in: empty, authorization: authorization))
        }
        let decoded = try await decodeBody(request)
        form(decoded.form)
        let envelope = try format.envelope(of: decoded.json)
        let resolved: TokenResolver.Target
        if let target {
            resolved = target
        } else {
            resolved = try await tokens.resolve(format.token(in: envelope, authorization: authorization))
        }
        let payload = try format.payload(
            from: envelope, limits: limits, receivedAt: receivedAt, projectKey: resolved.project.description, newUUID: newUUID)
        for (reason, count) in payload.dropped {
            Counter(label: "insightvault_ingest_events_dropped_total", dimensions: [("source", source), ("reason", reason)])
                .increment(by: count)
        }
        try await writer.submit(
            IngestBatch(org: resolved.org, project: resolved.project, events: payload.events, identity: payload.identity))
        return payload
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
}
