import Foundation
import Models

/// The one ingestion path every endpoint takes, HTTP aside: authenticate (before the body is read when the request
/// carries its token in a header: native Bearer, Segment Basic), decode the body once, take it apart once (`IngestFormat.envelope`), resolve the token, validate
/// every event under the format's policy, and return once the events are committed by the group-commit writer.
public struct IngestPipeline: Sendable {
    /// What the HTTP layer knows of a request before its body.
    public struct Request: Sendable {
        /// `Authorization` header.
        public var authorization: String?
        /// `Content-Type` header.
        public var contentType: String?
        /// `Content-Encoding` header.
        public var contentEncoding: String?
        /// PostHog's `compression` query parameter.
        public var compression: String?

        /// Creates the request description.
        public init(authorization: String?, contentType: String?, contentEncoding: String?, compression: String?) {
            self.authorization = authorization
            self.contentType = contentType
            self.contentEncoding = contentEncoding
            self.compression = compression
        }
    }

    /// What one request stored.
    public struct Outcome: Sendable {
        /// The valid events and identity operations written, and the events dropped by reason.
        public var payload: IngestPayload
        /// Form fields of a form-encoded body other than `data` (Mixpanel's `verbose`).
        public var form: [String: String]
        /// The organization and project the token named (for the access log).
        public var org: Org.ID
        /// The project the events went to.
        public var project: Project.ID
    }

    let tokens: TokenResolver
    let writer: EventWriter
    /// Body, batch and property limits.
    public let limits: IngestLimits
    let now: @Sendable () -> Date
    let newUUID: @Sendable () -> UUID

    /// - Parameters:
    ///   - now: the server's clock: each event's `received_at`, and its time when it brings none.
    ///   - newUUID: the source of UUIDs for events without `uuid` or idempotency key.
    public init(
        tokens: TokenResolver, writer: EventWriter, limits: IngestLimits,
        now: @escaping @Sendable () -> Date = { Date() }, newUUID: @escaping @Sendable () -> UUID = { UUID() }
    ) {
        self.tokens = tokens
        self.writer = writer
        self.limits = limits
        self.now = now
        self.newUUID = newUUID
    }

    /// Ingests one request: `readBody` is called (at most once) after a header token was checked, and must return at
    /// most `limits.maxBodyBytes` bytes or throw `BODY_TOO_LARGE`.
    public func ingest(
        _ request: Request, format: some IngestFormat, readBody: () async throws -> [UInt8]
    ) async throws -> Outcome {
        let receivedAt = now()
        var target: TokenResolver.Target?
        if let header = format.headerToken(authorization: request.authorization) {
            target = try await tokens.resolve(header)
        } else if format.tokenIsHeader {
            target = try await tokens.resolve(nil)  // no header: refused before the body is read
        }
        let decoded = try BodyDecoder.decode(
            try await readBody(), contentType: request.contentType, contentEncoding: request.contentEncoding,
            compression: request.compression, limits: limits)
        let envelope = try format.envelope(of: decoded.json)
        let resolved: TokenResolver.Target
        if let target {
            resolved = target
        } else {
            resolved = try await tokens.resolve(format.token(in: envelope, authorization: request.authorization))
        }
        let payload = try format.payload(
            from: envelope, limits: limits, receivedAt: receivedAt, projectKey: resolved.project.description, newUUID: newUUID)
        try await writer.submit(
            IngestBatch(org: resolved.org, project: resolved.project, events: payload.events, identity: payload.identity))
        return Outcome(payload: payload, form: decoded.form, org: resolved.org, project: resolved.project)
    }
}
