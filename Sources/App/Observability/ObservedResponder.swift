import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Models
import Synchronization

/// What a handler learns about a request that its access-log line should carry: the organization and project it
/// acted for, when one is known (an ingestion token's, a GraphQL request's `projectId`). Shared by reference, so a
/// handler deep in the chain can fill it in and `ObservedResponder` reads it once the response is ready.
public final class RequestObservation: Sendable {
    private let fields = Mutex<(org: String?, project: String?)>((nil, nil))

    /// An empty observation.
    public init() {}

    /// Records the organization and project the request acted for.
    public func acted(org: String?, project: String?) {
        fields.withLock { $0 = (org ?? $0.org, project ?? $0.project) }
    }

    /// The organization and project recorded, if any.
    var tenant: (org: String?, project: String?) { fields.withLock { $0 } }
}

/// Wraps the router: every request, matched or not, gets a request id (the client's `X-Request-Id` when it is a
/// plausible one, else Hummingbird's), answered in `X-Request-Id` and carried by every log line of the request; one
/// `request` access-log line at info level (method, route pattern, status, duration, organization and project when
/// known: never the raw path, query, headers or body, which can hold tokens); and the HTTP metrics
/// `insightvault_http_requests_total` and `insightvault_http_request_duration_seconds` by route pattern, method
/// and status.
struct ObservedResponder<Wrapped: HTTPResponder>: HTTPResponder where Wrapped.Context == AppRequestContext {
    typealias Context = AppRequestContext

    let wrapped: Wrapped

    func respond(to request: Request, context: Context) async throws -> Response {
        var context = context
        let id = RequestIDs.accepted(request.headers[RequestIDs.header]) ?? context.id
        context.logger[metadataKey: RequestIDs.metadataKey] = .string(id)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await wrapped.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            response = Response(status: .internalServerError)
        }
        response.headers[RequestIDs.header] = id
        let elapsed = started.duration(to: .now)
        let route = Self.route(context.endpointPath)
        let method = Self.method(request.method)
        let status = String(response.status.code)
        let labels = [("route", route), ("method", method), ("status", status)]
        Counter(label: "insightvault_http_requests_total", dimensions: labels).increment()
        Metrics.Timer(label: "insightvault_http_request_duration_seconds", dimensions: labels).record(duration: elapsed)
        var fields: Logger.Metadata = [
            "method": .string(method), "route": .string(route), "status": .string(status),
            "duration_ms": .string(Self.milliseconds(elapsed)),
        ]
        let tenant = context.observation.tenant
        if let org = tenant.org { fields["org_id"] = .string(org) }
        if let project = tenant.project { fields["project_id"] = .string(project) }
        context.logger.info("request", metadata: fields)
        return response
    }

    /// The route label: the matched route's pattern (`/graphql`, `/v1/events`, `/**` for the dashboard's files), or
    /// `unmatched`. Patterns are the router's own, so the label has as many values as there are routes.
    static func route(_ endpointPath: String?) -> String {
        guard let endpointPath, endpointPath != "NotFound" else { return "unmatched" }
        return endpointPath
    }

    /// The method label: the standard methods by name, anything else `other` (clients choose methods).
    static func method(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .delete, .options, .patch: method.rawValue
        default: "other"
        }
    }

    /// `elapsed` in milliseconds with three decimals.
    static func milliseconds(_ elapsed: Duration) -> String {
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let fraction = String(micros % 1_000)
        return "\(micros / 1_000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}

/// Request ids: the header, the log metadata key, and which client-sent ids are kept.
enum RequestIDs {
    /// `X-Request-Id`, read from requests and set on every response.
    static let header = HTTPField.Name("X-Request-Id")!
    /// Hummingbird's key for the request id in a request's logger metadata (`context.id` reads it); the JSON log
    /// handler writes it as `request_id`.
    static let metadataKey = "hb.request.id"

    /// `value` when it can serve as a request id: 1 to 128 characters of letters, digits, `.`, `_`, `:` and `-` (so
    /// a log line or a header cannot be forged through it); nil otherwise, and a new id is used.
    static func accepted(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count) else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D
        }
        return allowed ? value : nil
    }
}
