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
    /// The one ingestion path, shared by every route.
    let pipeline: IngestPipeline

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
        let outcome = try await ingest(request, context: context, format: NativeFormat(), source: "native")
        return try jsonResponse(["accepted": outcome.payload.events.count])
    }

    /// PostHog's capture endpoints: `{"status": 1}`.
    @Sendable func posthog(request: Request, context: Context) async throws -> Response {
        _ = try await ingest(request, context: context, format: PostHogFormat(), source: "posthog")
        return try jsonResponse(["status": 1])
    }

    /// Segment's `/v1/<type>` endpoints: `{"success": true}`.
    func segment(_ type: String?) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            _ = try await ingest(request, context: context, format: SegmentFormat(pathType: type), source: "segment")
            return try jsonResponse(["success": true])
        }
    }

    /// Mixpanel's `/track`, `/import` and `/engage`: `1`, or `{"status": 1}` with `verbose=1`. Errors carry
    /// `"status": 0` beside the usual `error` object: Mixpanel's SDKs read `status` from every answer (the Python
    /// one fails with a `KeyError` on a body without it, instead of reporting the error).
    func mixpanel(isEngage: Bool) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            let outcome: IngestPipeline.Outcome
            do {
                outcome = try await ingest(request, context: context, format: MixpanelFormat(isEngage: isEngage), source: "mixpanel")
            } catch let error as IngestError {
                var response = try jsonResponse(MixpanelErrorBody(status: 0, error: HTTPErrorBody(error).error), status: error.status)
                if let retryAfter = try error.response(from: request, context: context).headers[HTTPField.Name("Retry-After")!] {
                    response.headers[HTTPField.Name("Retry-After")!] = retryAfter
                }
                return response
            }
            if request.uri.queryParameters.get("verbose") == "1" || outcome.form["verbose"] == "1" {
                return try jsonResponse(["status": 1])
            }
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "1")))
        }
    }

    /// Runs the pipeline for `request` with the body read up to the limit, and counts what became of its events:
    /// committed (`insightvault_ingest_events_total{kind}`), dropped by reason from an accepted request
    /// (`insightvault_ingest_events_dropped_total{kind,reason}`), or the whole request refused with the error's code
    /// (`insightvault_ingest_requests_refused_total{kind,reason}`). Every label value comes from a fixed set.
    private func ingest(
        _ request: Request, context: Context, format: some IngestFormat, source: String
    ) async throws -> IngestPipeline.Outcome {
        let limit = pipeline.limits.maxBodyBytes
        let outcome: IngestPipeline.Outcome
        do {
            outcome = try await pipeline.ingest(
                IngestPipeline.Request(
                    authorization: request.headers[.authorization], contentType: request.headers[.contentType],
                    contentEncoding: request.headers[.contentEncoding], compression: request.uri.queryParameters.get("compression")),
                format: format
            ) {
                do {
                    return Array(try await request.body.collect(upTo: limit).readableBytesView)
                } catch {
                    throw IngestError(.bodyTooLarge, "body is larger than \(limit) bytes")
                }
            }
        } catch let error as IngestError {
            Counter(
                label: "insightvault_ingest_requests_refused_total",
                dimensions: [("kind", source), ("reason", error.code.rawValue.lowercased())]
            ).increment()
            throw error
        }
        (context as? AppRequestContext)?.observation.acted(org: outcome.org.description, project: outcome.project.description)
        Counter(label: "insightvault_ingest_events_total", dimensions: [("kind", source)]).increment(by: outcome.payload.events.count)
        for (reason, count) in outcome.payload.dropped {
            Counter(label: "insightvault_ingest_events_dropped_total", dimensions: [("kind", source), ("reason", reason.lowercased())])
                .increment(by: count)
        }
        return outcome
    }
}

/// A Mixpanel endpoint's error: `{"status": 0, "error": {"code", "message", "details"}}`.
struct MixpanelErrorBody: Encodable {
    /// Always 0 (Mixpanel's "not accepted").
    let status: Int
    /// The usual coded error.
    let error: HTTPErrorBody.Inner
}
