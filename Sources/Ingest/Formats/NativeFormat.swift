import Foundation
import Models

/// InsightVault's own format (`POST /v1/events`): one event, an array, or `{"batch": [...], "sent_at": ...}`.
/// All or nothing: one invalid event rejects the whole request with per-index details.
public enum NativeFormat {
    /// The events of `payload`, or `INVALID_EVENTS` listing every bad one.
    public static func events(
        from payload: JSON,
        limits: IngestLimits,
        receivedAt: Date,
        projectKey: String
    ) throws(IngestError) -> [IngestEvent] {
        try batch(from: payload, limits: limits, receivedAt: receivedAt, projectKey: projectKey).events
    }

    /// The events of `payload` and their identity operations, as PostHog's capture API has them: `$identify` with
    /// `properties.$anon_distinct_id` and `$create_alias` with `properties.alias` merge persons; `$set`/`$set_once`
    /// (in `properties` or beside them) update person properties. Operations apply only when every event is valid.
    public static func batch(
        from payload: JSON,
        limits: IngestLimits,
        receivedAt: Date,
        projectKey: String
    ) throws(IngestError) -> (events: [IngestEvent], identity: [IdentityOperation]) {
        let (items, sentAt) = try SDKShapes.batch(of: payload)
        guard items.count <= limits.maxBatchEvents else {
            throw IngestError(.batchTooLarge, "at most \(limits.maxBatchEvents) events per request, got \(items.count)")
        }
        let normalizer = EventNormalizer(limits: limits, receivedAt: receivedAt, sentAt: sentAt, projectKey: projectKey)
        var events: [IngestEvent] = []
        var identity: [IdentityOperation] = []
        var details: [IngestError.Detail] = []
        for (index, item) in items.enumerated() {
            guard let object = item.objectValue else {
                details.append(.init(index: index, code: IngestError.Code.notAnObject.rawValue, message: "event must be a JSON object"))
                continue
            }
            var draft = EventDraft()
            draft.event = object["event"]
            draft.distinctID = object["user_id"] ?? object["distinct_id"]
            draft.timestamp = object["timestamp"]
            draft.properties = object["properties"]
            draft.uuid = object["uuid"]
            do {
                let event = try normalizer.normalize(draft)
                events.append(event)
                identity += SDKShapes.postHogIdentity(object, distinctID: event.distinctID)
            } catch {
                details.append(.init(index: index, code: error.code.rawValue, message: error.message))
            }
        }
        guard details.isEmpty else {
            throw IngestError(.invalidEvents, "\(details.count) of \(items.count) events are invalid; nothing was stored", details: details)
        }
        return (events, identity.filter(\.isValid))
    }
}

/// Shapes shared by the SDK formats.
enum SDKShapes {
    /// PostHog's identity operations of one event (also the native format's): `$identify` with
    /// `properties.$anon_distinct_id` and `$create_alias` with `properties.alias` merge; `$set`/`$set_once` (in
    /// `properties` or beside them) update person properties.
    static func postHogIdentity(_ object: [String: JSON], distinctID: String) -> [IdentityOperation] {
        let properties = object["properties"]
        var identity: [IdentityOperation] = []
        switch object["event"]?.stringValue {
        case "$identify":
            if let anonymous = text(properties?["$anon_distinct_id"]) { identity.append(.merge(keep: distinctID, other: anonymous)) }
        case "$create_alias":
            if let alias = text(properties?["alias"]) { identity.append(.merge(keep: distinctID, other: alias)) }
        default:
            break
        }
        let set = objectText(object["$set"] ?? properties?["$set"])
        let setOnce = objectText(object["$set_once"] ?? properties?["$set_once"])
        if set != nil || setOnce != nil { identity.append(.setProperties(distinctID: distinctID, set: set, setOnce: setOnce)) }
        return identity
    }

    /// The list of event objects and the batch's `sent_at`/`sentAt`.
    static func batch(of payload: JSON) throws(IngestError) -> ([JSON], Date?) {
        switch payload {
        case .array(let items):
            return (items, nil)
        case .object(let object):
            let sentAt = (object["sent_at"] ?? object["sentAt"])?.stringValue.flatMap(EventTimestamp.parse(rfc3339:))
            if let batch = object["batch"] {
                guard let items = batch.arrayValue else { throw IngestError(.invalidBody, "batch must be an array") }
                return (items, sentAt)
            }
            if let data = object["data"], let items = data.arrayValue {
                return (items, sentAt)
            }
            return ([payload], sentAt)
        default:
            throw IngestError(.invalidBody, "body must be an event object, an array of events or {\"batch\": [...]}")
        }
    }

    /// A JSON object's members as text values, for `$set`-style objects; nil when absent or not an object.
    static func objectText(_ value: JSON?) -> String? {
        guard let value, case .object(let members) = value, !members.isEmpty else { return nil }
        return value.jsonString
    }
}
