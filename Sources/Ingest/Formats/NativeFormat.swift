import Foundation
import Models

/// InsightVault's own format (`POST /v1/events`): one event, an array, or `{"batch": [...], "sent_at": ...}`, with
/// the ingest token as `Authorization: Bearer`. All or nothing: one invalid event rejects the whole request with
/// per-index details. Identity follows PostHog's capture API: `$identify` with `properties.$anon_distinct_id` and
/// `$create_alias` with `properties.alias` merge persons; `$set`/`$set_once` (in `properties` or beside them) update
/// person properties. Operations apply only when every event is valid.
public struct NativeFormat: IngestFormat {
    /// Creates the format.
    public init() {}

    /// One invalid event rejects the request.
    public var policy: BatchPolicy { .allOrNothing }

    /// The token is `Authorization: Bearer`.
    public var tokenIsHeader: Bool { true }

    /// The batch shapes, without a body token (the token is a header).
    public func envelope(of payload: JSON) throws(IngestError) -> IngestEnvelope {
        let (items, sentAt) = try SDKShapes.batch(of: payload)
        return IngestEnvelope(items: items, sentAt: sentAt, bodyToken: nil)
    }

    /// The bearer token of the `Authorization` header.
    public func token(in envelope: IngestEnvelope, authorization: String?) -> String? { headerToken(authorization: authorization) }

    /// The bearer token of the `Authorization` header.
    public func headerToken(authorization: String?) -> String? {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return nil }
        return String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// `event`, `user_id` (or `distinct_id`), `timestamp`, `properties`, `uuid`.
    public func map(_ item: JSON) -> (draft: EventDraft?, identity: [IdentityOperation]) {
        var draft = EventDraft()
        draft.event = item["event"]
        draft.distinctID = item["user_id"] ?? item["distinct_id"]
        draft.timestamp = item["timestamp"]
        draft.properties = item["properties"]
        draft.uuid = item["uuid"]
        guard let distinctID = text(draft.distinctID), let object = item.objectValue else { return (draft, []) }
        return (draft, SDKShapes.postHogIdentity(object, distinctID: distinctID))
    }
}
