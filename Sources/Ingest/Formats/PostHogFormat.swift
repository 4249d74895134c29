import Foundation
import Models

/// PostHog capture (`/capture/`, `/batch/`, `/e/`, `/i/v0/e/`): `uuid` is the idempotency key; `$identify`
/// (with `$anon_distinct_id`) and `$create_alias` (with `alias`) merge persons; `$set`/`$set_once` update them.
public struct PostHogFormat: IngestFormat {
    /// Creates the format.
    public init() {}

    /// `event`, `distinct_id` (or in properties), `timestamp` or `offset`, `uuid`; the token keys are not stored.
    public func map(_ item: JSON) -> (draft: EventDraft?, identity: [IdentityOperation]) {
        let properties = item["properties"]
        var draft = EventDraft()
        draft.event = item["event"]
        draft.distinctID = item["distinct_id"] ?? properties?["distinct_id"] ?? properties?["$distinct_id"]
        draft.timestamp = item["timestamp"]
        draft.offsetMilliseconds = item["offset"]?.doubleValue
        draft.uuid = item["uuid"]
        draft.properties = strippedProperties(properties, removing: ["token", "$token", "distinct_id"])
        guard let distinctID = text(draft.distinctID), let object = item.objectValue else { return (draft, []) }
        return (draft, SDKShapes.postHogIdentity(object, distinctID: distinctID))
    }
}
