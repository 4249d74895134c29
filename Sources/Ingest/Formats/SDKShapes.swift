import Foundation
import Models

/// What a format does with invalid events.
public enum BatchPolicy: Sendable {
    /// One invalid event rejects the request with `INVALID_EVENTS` and per-index details; nothing is stored. Items
    /// carry no `sentAt` of their own (only the batch does).
    case allOrNothing
    /// Invalid events are dropped and counted by reason; the rest is stored (what SDKs expect). Each item may carry
    /// its own `sentAt`.
    case dropInvalid
}

/// A request body taken apart once: its event items, the batch's `sent_at`, and the token found in the body.
public struct IngestEnvelope: Sendable {
    /// The event items (JSON objects when well-formed), in order.
    public var items: [JSON]
    /// The batch's `sent_at`/`sentAt`, for clock-skew correction.
    public var sentAt: Date?
    /// The project token carried in the body (batch, event or properties), if any.
    public var bodyToken: String?

    /// Creates an envelope.
    public init(items: [JSON], sentAt: Date?, bodyToken: String?) {
        self.items = items
        self.sentAt = sentAt
        self.bodyToken = bodyToken
    }
}

/// What one ingestion request yields: the valid events, person changes, and how many events were dropped per reason.
public struct IngestPayload: Sendable {
    /// Valid events, in order.
    public var events: [IngestEvent] = []
    /// Person changes, in order.
    public var identity: [IdentityOperation] = []
    /// Dropped event counts by `IngestError.Code` raw value (`dropInvalid` formats only).
    public var dropped: [String: Int] = [:]
}

/// An ingestion protocol: how a body splits into items, where its token is, and how an item maps onto an
/// `EventDraft`. The native format and every SDK format share one path: `envelope`, `token`, then `payload`.
public protocol IngestFormat: Sendable {
    /// What happens to invalid events.
    var policy: BatchPolicy { get }
    /// Whether the token is only ever in a header, so the request can be authenticated before its body is read.
    var tokenIsHeader: Bool { get }
    /// The body's items, batch `sent_at` and body token.
    func envelope(of payload: JSON) throws(IngestError) -> IngestEnvelope
    /// The project token: from the body, or from the `Authorization` header where the protocol puts it there.
    func token(in envelope: IngestEnvelope, authorization: String?) -> String?
    /// The token the `Authorization` header carries, if the protocol puts one there: it is checked before the body
    /// is read, so an unauthenticated client never gets a body decompressed and parsed.
    func headerToken(authorization: String?) -> String?
    /// The event draft and identity operations of one item; a nil draft stores no event (profile updates).
    func map(_ item: JSON) -> (draft: EventDraft?, identity: [IdentityOperation])
}

extension IngestFormat {
    /// Dropping invalid events is what SDKs expect.
    public var policy: BatchPolicy { .dropInvalid }

    /// SDK tokens travel in the body.
    public var tokenIsHeader: Bool { false }

    /// The common body shapes (`SDKShapes.batch`), with the token looked up in the body.
    public func envelope(of payload: JSON) throws(IngestError) -> IngestEnvelope {
        let (items, sentAt) = try SDKShapes.batch(of: payload)
        return IngestEnvelope(items: items, sentAt: sentAt, bodyToken: SDKShapes.bodyToken(payload, items: items))
    }

    /// The token in the body.
    public func token(in envelope: IngestEnvelope, authorization: String?) -> String? { envelope.bodyToken }

    /// PostHog and Mixpanel carry no token in headers.
    public func headerToken(authorization: String?) -> String? { nil }

    /// Maps and validates every item of `envelope` under the format's `policy`.
    public func payload(
        from envelope: IngestEnvelope,
        limits: IngestLimits,
        receivedAt: Date,
        projectKey: String,
        newUUID: @escaping @Sendable () -> UUID = { UUID() }
    ) throws(IngestError) -> IngestPayload {
        let items = envelope.items
        guard items.count <= limits.maxBatchEvents else {
            throw IngestError(.batchTooLarge, "at most \(limits.maxBatchEvents) events per request, got \(items.count)")
        }
        var result = IngestPayload()
        var details: [IngestError.Detail] = []
        func refuse(_ index: Int, _ code: String, _ message: String) {
            details.append(.init(index: index, code: code, message: message))
            result.dropped[code, default: 0] += 1
        }
        for (index, item) in items.enumerated() {
            guard item.objectValue != nil else {
                refuse(index, IngestError.Code.notAnObject.rawValue, "event must be a JSON object")
                continue
            }
            var sentAt = envelope.sentAt
            if policy == .dropInvalid, let own = item["sentAt"]?.stringValue.flatMap(EventTimestamp.parse(rfc3339:)) {
                sentAt = own
            }
            let normalizer = EventNormalizer(
                limits: limits, receivedAt: receivedAt, sentAt: sentAt, projectKey: projectKey, newUUID: newUUID)
            let (draft, identity) = map(item)
            if let oversized = identity.first(where: { $0.personPropertiesBytes > limits.maxPersonPropertiesBytes }) {
                refuse(
                    index, IngestError.Code.personPropertiesTooLarge.rawValue,
                    "$set/$set_once (or traits) may be at most \(limits.maxPersonPropertiesBytes / 1024) KB of JSON, got "
                        + "\(oversized.personPropertiesBytes) bytes")
                continue
            }
            if let draft {
                do {
                    result.events.append(try normalizer.normalize(draft))
                } catch {
                    refuse(index, error.code.rawValue, error.message)
                    continue
                }
            }
            result.identity += identity.filter(\.isValid)
        }
        if policy == .allOrNothing && !details.isEmpty {
            throw IngestError(
                .invalidEvents, "\(details.count) of \(items.count) events are invalid; nothing was stored", details: details)
        }
        return result
    }

    /// `envelope` then `payload`, for callers that already have the token.
    public func payload(
        from json: JSON, limits: IngestLimits, receivedAt: Date, projectKey: String
    ) throws(IngestError) -> IngestPayload {
        try payload(from: envelope(of: json), limits: limits, receivedAt: receivedAt, projectKey: projectKey)
    }
}

/// Shapes shared by the formats.
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

    /// PostHog's places for the project token: `api_key`/`token` on the batch, then on an event or in its
    /// properties (`token`, `$token`); Mixpanel's (`properties.token`, `$token`) are among them.
    static func bodyToken(_ payload: JSON, items: [JSON]) -> String? {
        if let key = payload["api_key"]?.stringValue ?? payload["token"]?.stringValue { return key }
        for item in items {
            if let key = item["api_key"]?.stringValue ?? item["token"]?.stringValue
                ?? item["properties"]?["token"]?.stringValue ?? item["properties"]?["$token"]?.stringValue
            {
                return key
            }
        }
        return nil
    }

    /// A JSON object's members as text values, for `$set`-style objects; nil when absent or not an object.
    static func objectText(_ value: JSON?) -> String? {
        guard let value, case .object(let members) = value, !members.isEmpty else { return nil }
        return value.jsonString
    }
}

extension IdentityOperation {
    /// The bytes of JSON a person-properties update carries (`$set` plus `$set_once`); 0 for merges.
    var personPropertiesBytes: Int {
        guard case .setProperties(_, let set, let setOnce) = self else { return 0 }
        return (set?.utf8.count ?? 0) + (setOnce?.utf8.count ?? 0)
    }

    /// Whether the operation's distinct ids are 1 to 200 characters (others are ignored, like PostHog).
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
