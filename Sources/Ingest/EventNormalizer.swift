import Crypto
import Foundation
import Models

/// The fields every format extracts from its own shape, before validation.
public struct EventDraft: Sendable {
    /// Event name as sent.
    public var event: JSON?
    /// Distinct id as sent (string or number).
    public var distinctID: JSON?
    /// Timestamp as sent: RFC 3339 string or epoch number; nil means "now".
    public var timestamp: JSON?
    /// Milliseconds before `sent_at` the event happened (PostHog/Segment `offset`), if sent instead of a timestamp.
    public var offsetMilliseconds: Double?
    /// Properties as sent.
    public var properties: JSON?
    /// Explicit event UUID (PostHog `uuid`, native `uuid`).
    public var uuid: JSON?
    /// Another idempotency key (Segment `messageId`, Mixpanel `$insert_id`), mapped to a UUID per project.
    public var idempotencyKey: String?

    /// An empty draft.
    public init() {}
}

/// Validates drafts and turns them into `IngestEvent`s, applying clock-skew correction:
/// `timestamp + (received_at - sent_at)` when the batch carries `sent_at`.
public struct EventNormalizer: Sendable {
    let limits: IngestLimits
    let receivedAt: Date
    let sentAt: Date?
    let projectKey: String
    let newUUID: @Sendable () -> UUID

    /// - Parameters:
    ///   - receivedAt: when the request arrived (the server's clock); events without a timestamp happen then.
    ///   - projectKey: the project's id as text; deterministic UUIDs are derived within it.
    ///   - newUUID: the source of UUIDs for events that bring neither a `uuid` nor an idempotency key.
    public init(
        limits: IngestLimits, receivedAt: Date, sentAt: Date?, projectKey: String,
        newUUID: @escaping @Sendable () -> UUID = { UUID() }
    ) {
        self.limits = limits
        self.receivedAt = receivedAt
        self.sentAt = sentAt
        self.projectKey = projectKey
        self.newUUID = newUUID
    }

    /// The validated event, or the first problem found.
    public func normalize(_ draft: EventDraft) throws(IngestError) -> IngestEvent {
        guard let name = draft.event?.stringValue, (1...200).contains(name.count) else {
            throw IngestError(.invalidEventName, "event must be a string of 1 to 200 characters")
        }
        guard let distinctID = Self.distinctIDString(draft.distinctID), (1...200).contains(distinctID.count) else {
            throw IngestError(.invalidDistinctID, "distinct id (user_id/distinct_id) must be 1 to 200 characters")
        }
        let timestamp = try resolveTimestamp(draft)
        let propertiesJSON = try Self.propertiesJSON(draft.properties, limits: limits)
        let uuid: UUID
        if let explicit = draft.uuid, explicit != .null {
            guard let text = explicit.stringValue, let parsed = UUIDText.parse(text) else {
                throw IngestError(.invalidUUID, "uuid must be a UUID string")
            }
            uuid = parsed
        } else if let key = draft.idempotencyKey, !key.isEmpty {
            uuid = Self.deterministicUUID(project: projectKey, key: key)
        } else {
            uuid = newUUID()
        }
        return IngestEvent(
            uuid: uuid, event: name, distinctID: distinctID, timestamp: timestamp, receivedAt: receivedAt,
            propertiesJSON: propertiesJSON)
    }

    func resolveTimestamp(_ draft: EventDraft) throws(IngestError) -> Date {
        var timestamp: Date
        switch draft.timestamp {
        case nil, .null?:
            if let offset = draft.offsetMilliseconds {
                timestamp = receivedAt.addingTimeInterval(-offset / 1_000)
            } else {
                timestamp = receivedAt
            }
            guard valid(timestamp) else { throw IngestError(.timestampOutOfRange, "timestamp out of range") }
            return timestamp
        case .string(let text)?:
            if let parsed = EventTimestamp.parse(rfc3339: text) {
                timestamp = parsed
            } else if let number = Double(text), let parsed = EventTimestamp.parse(epoch: number) {
                timestamp = parsed
            } else {
                throw IngestError(.invalidTimestamp, "timestamp must be RFC 3339 or epoch seconds/milliseconds")
            }
        case .int?, .double?:
            guard let parsed = EventTimestamp.parse(epoch: draft.timestamp?.doubleValue ?? -1) else {
                throw IngestError(.invalidTimestamp, "timestamp must be a non-negative epoch number")
            }
            timestamp = parsed
        default:
            throw IngestError(.invalidTimestamp, "timestamp must be RFC 3339 or epoch seconds/milliseconds")
        }
        if let sentAt {
            timestamp = timestamp.addingTimeInterval(receivedAt.timeIntervalSince(sentAt))
        }
        guard valid(timestamp) else {
            throw IngestError(.timestampOutOfRange, "timestamp must be after 2000-01-01 and at most 24 h in the future")
        }
        return timestamp
    }

    func valid(_ date: Date) -> Bool {
        date >= limits.earliest && date <= receivedAt.addingTimeInterval(limits.maxFutureSkew)
    }

    /// Distinct ids arrive as strings or numbers; numbers are kept as their integer text where possible.
    static func distinctIDString(_ value: JSON?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .double(let number)?: return String(number)
        default: return nil
        }
    }

    /// Properties as JSON object text; absent or null properties are `{}`.
    static func propertiesJSON(_ properties: JSON?, limits: IngestLimits) throws(IngestError) -> String {
        switch properties {
        case nil, .null?:
            return "{}"
        case .object?:
            guard let properties, properties.depth <= limits.maxPropertiesDepth else {
                throw IngestError(.propertiesTooDeep, "properties may nest at most \(limits.maxPropertiesDepth) levels")
            }
            let text = properties.jsonString
            guard text.utf8.count <= limits.maxPropertiesBytes else {
                throw IngestError(.propertiesTooLarge, "properties may be at most \(limits.maxPropertiesBytes / 1024) KB of JSON")
            }
            return text
        default:
            throw IngestError(.invalidProperties, "properties must be a JSON object")
        }
    }

    /// A UUID derived from `(project, key)` with SHA-256 (version 8 layout), so retries with the same
    /// `messageId`/`$insert_id` map to the same event.
    public static func deterministicUUID(project: String, key: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data((project + "\u{0}" + key).utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
