import Foundation
import Models

/// What an SDK request yields: the valid events, person changes, and how many events were dropped per reason
/// (SDK protocols accept the rest of a batch when some events are bad).
public struct SDKPayload: Sendable {
    /// Valid events, in order.
    public var events: [IngestEvent] = []
    /// Person changes, in order.
    public var identity: [IdentityOperation] = []
    /// Dropped event counts by `IngestError.Code` raw value.
    public var dropped: [String: Int] = [:]
}

/// An SDK protocol: where its token is and how its events map onto `EventDraft`s.
public protocol SDKFormat: Sendable {
    /// The project token carried by the payload (body, event or properties), if any.
    func token(in payload: JSON) -> String?
    /// The event drafts and identity operations of one payload item; nil to skip it silently (no event).
    func map(_ item: JSON) -> (draft: EventDraft?, identity: [IdentityOperation])
    /// The items of a payload and its batch-level `sent_at`.
    func items(of payload: JSON) throws(IngestError) -> ([JSON], Date?)
}

extension SDKFormat {
    public func items(of payload: JSON) throws(IngestError) -> ([JSON], Date?) { try SDKShapes.batch(of: payload) }

    /// Maps and validates every item; invalid ones are dropped and counted.
    public func payload(
        from json: JSON,
        limits: IngestLimits,
        receivedAt: Date,
        projectKey: String
    ) throws(IngestError) -> SDKPayload {
        let (items, sentAt) = try items(of: json)
        guard items.count <= limits.maxBatchEvents else {
            throw IngestError(.batchTooLarge, "at most \(limits.maxBatchEvents) events per request, got \(items.count)")
        }
        var result = SDKPayload()
        for item in items {
            guard item.objectValue != nil else {
                result.dropped[IngestError.Code.notAnObject.rawValue, default: 0] += 1
                continue
            }
            let itemSentAt = item["sentAt"]?.stringValue.flatMap(EventTimestamp.parse(rfc3339:)) ?? sentAt
            let normalizer = EventNormalizer(limits: limits, receivedAt: receivedAt, sentAt: itemSentAt, projectKey: projectKey)
            let (draft, identity) = map(item)
            if let draft {
                do {
                    result.events.append(try normalizer.normalize(draft))
                } catch {
                    result.dropped[error.code.rawValue, default: 0] += 1
                    continue
                }
            }
            result.identity += identity.filter(\.isValid)
        }
        return result
    }
}

extension IdentityOperation {
    var isValid: Bool {
        switch self {
        case .merge(let keep, let other): (1...200).contains(keep.count) && (1...200).contains(other.count)
        case .setProperties(let id, _, _): (1...200).contains(id.count)
        }
    }
}

/// Removes the keys that carry credentials or are lifted into columns, so they are not stored as properties.
func strippedProperties(_ properties: JSON?, removing keys: [String]) -> JSON? {
    guard var members = properties?.objectValue else { return properties }
    for key in keys { members.removeValue(forKey: key) }
    return .object(members)
}

func text(_ value: JSON?) -> String? {
    EventNormalizer.distinctIDString(value)
}

/// PostHog capture (`/capture/`, `/batch/`, `/e/`, `/i/v0/e/`): `uuid` is the idempotency key; `$identify`
/// (with `$anon_distinct_id`) and `$create_alias` (with `alias`) merge persons; `$set`/`$set_once` update them.
public struct PostHogFormat: SDKFormat {
    /// Creates the format.
    public init() {}

    public func token(in payload: JSON) -> String? {
        if let key = payload["api_key"]?.stringValue ?? payload["token"]?.stringValue { return key }
        let (items, _) = (try? SDKShapes.batch(of: payload)) ?? ([], nil)
        for item in items {
            if let key = item["api_key"]?.stringValue ?? item["token"]?.stringValue
                ?? item["properties"]?["token"]?.stringValue ?? item["properties"]?["$token"]?.stringValue
            {
                return key
            }
        }
        return nil
    }

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

/// The Segment HTTP tracking API (`/v1/track`, `identify`, `alias`, `page`, `screen`, `group`, `batch`):
/// `messageId` is the idempotency key; `userId`, else `anonymousId`, is the distinct id; `identify` traits become
/// `$set`; `identify` with both ids and `alias` merge persons. Page and screen calls become `$pageview`/`$screen`.
public struct SegmentFormat: SDKFormat {
    /// The call type implied by the path (`track`, ...), or nil for `/v1/batch` where each message has `type`.
    public let pathType: String?

    /// Creates the format for one endpoint.
    public init(pathType: String?) { self.pathType = pathType }

    public func token(in payload: JSON) -> String? { payload["writeKey"]?.stringValue }

    public func map(_ item: JSON) -> (draft: EventDraft?, identity: [IdentityOperation]) {
        let type = pathType ?? item["type"]?.stringValue ?? "track"
        let userID = text(item["userId"])
        let anonymousID = text(item["anonymousId"])
        var draft = EventDraft()
        draft.distinctID = (userID ?? anonymousID).map(JSON.string)
        draft.timestamp = item["timestamp"] ?? item["originalTimestamp"]
        draft.idempotencyKey = item["messageId"]?.stringValue
        draft.properties = item["properties"]
        var identity: [IdentityOperation] = []
        switch type {
        case "track":
            draft.event = item["event"]
        case "identify":
            draft.event = .string("$identify")
            draft.properties = item["traits"].map { .object(["$set": $0]) }
            if let userID, let anonymousID { identity.append(.merge(keep: userID, other: anonymousID)) }
            if let id = userID ?? anonymousID, let traits = SDKShapes.objectText(item["traits"]) {
                identity.append(.setProperties(distinctID: id, set: traits, setOnce: nil))
            }
        case "alias":
            draft.event = .string("$create_alias")
            if let userID, let previous = text(item["previousId"]) { identity.append(.merge(keep: userID, other: previous)) }
            draft.properties = item["previousId"].map { .object(["alias": $0]) }
        case "page", "screen":
            draft.event = .string(type == "page" ? "$pageview" : "$screen")
            var members = item["properties"]?.objectValue ?? [:]
            if let name = item["name"] { members["name"] = name }
            draft.properties = .object(members)
        case "group":
            draft.event = .string("$groupidentify")
            draft.properties = .object(["groupId": item["groupId"] ?? .null, "traits": item["traits"] ?? .object([:])])
        default:
            return (nil, [])
        }
        return (draft, identity)
    }
}

/// Mixpanel ingestion (`/track`, `/import`, `/engage`): the project token is in each event's properties (`token`)
/// or an engage update's `$token`; `$insert_id` is the idempotency key; `time` is epoch seconds or milliseconds;
/// `$create_alias` and `$identify` merge persons; `/engage` `$set`/`$set_once` update them (no event is stored).
public struct MixpanelFormat: SDKFormat {
    /// `true` for `/engage` (profile updates) rather than events.
    public let isEngage: Bool

    /// Creates the format for one endpoint.
    public init(isEngage: Bool) { self.isEngage = isEngage }

    public func items(of payload: JSON) throws(IngestError) -> ([JSON], Date?) {
        switch payload {
        case .array(let items): return (items, nil)
        case .object: return ([payload], nil)
        default: throw IngestError(.invalidBody, "Mixpanel body must be an object or an array")
        }
    }

    public func token(in payload: JSON) -> String? {
        let items = (try? items(of: payload).0) ?? []
        for item in items {
            if let token = item["properties"]?["token"]?.stringValue ?? item["$token"]?.stringValue { return token }
        }
        return nil
    }

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
