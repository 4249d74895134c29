import Foundation
import Models

/// Mixpanel ingestion (`/track`, `/import`, `/engage`): the project token is in each event's properties (`token`)
/// or an engage update's `$token`; `$insert_id` is the idempotency key; `time` is epoch seconds or milliseconds;
/// `$create_alias` and `$identify` merge persons; `/engage` `$set`/`$set_once` update them (no event is stored).
public struct MixpanelFormat: IngestFormat {
    /// `true` for `/engage` (profile updates) rather than events.
    public let isEngage: Bool

    /// Creates the format for one endpoint.
    public init(isEngage: Bool) { self.isEngage = isEngage }

    /// An object or an array of objects; the token is in an event's `properties.token` or an update's `$token`.
    public func envelope(of payload: JSON) throws(IngestError) -> IngestEnvelope {
        let items: [JSON]
        switch payload {
        case .array(let array): items = array
        case .object: items = [payload]
        default: throw IngestError(.invalidBody, "Mixpanel body must be an object or an array")
        }
        let token = items.lazy.compactMap { $0["properties"]?["token"]?.stringValue ?? $0["$token"]?.stringValue }.first
        return IngestEnvelope(items: items, sentAt: nil, bodyToken: token)
    }

    /// An event from `event` and `properties` (`distinct_id`, `time`, `$insert_id`), or an `/engage` update.
    public func map(_ item: JSON) -> (draft: EventDraft?, identity: [IdentityOperation]) {
        if isEngage {
            guard let id = text(item["$distinct_id"]) else { return (nil, []) }
            let set = SDKShapes.objectText(item["$set"])
            let setOnce = SDKShapes.objectText(item["$set_once"])
            return (nil, set == nil && setOnce == nil ? [] : [.setProperties(distinctID: id, set: set, setOnce: setOnce)])
        }
        let properties = item["properties"]
        var draft = EventDraft()
        draft.event = item["event"]
        draft.distinctID = properties?["distinct_id"]
        draft.timestamp = properties?["time"]
        draft.idempotencyKey = text(properties?["$insert_id"])
        draft.properties = strippedProperties(properties, removing: ["token", "distinct_id", "time"])
        var identity: [IdentityOperation] = []
        switch item["event"]?.stringValue {
        case "$create_alias":
            if let original = text(properties?["distinct_id"]), let alias = text(properties?["alias"]) {
                identity.append(.merge(keep: original, other: alias))
            }
        case "$identify":
            if let identified = text(properties?["$identified_id"]), let anonymous = text(properties?["$anon_id"]) {
                identity.append(.merge(keep: identified, other: anonymous))
            }
        default:
            break
        }
        return (draft, identity)
    }
}
