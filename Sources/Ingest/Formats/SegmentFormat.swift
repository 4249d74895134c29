import Foundation
import Models

/// The Segment HTTP tracking API (`/v1/track`, `identify`, `alias`, `page`, `screen`, `group`, `batch`):
/// `messageId` is the idempotency key; `userId`, else `anonymousId`, is the distinct id; `identify` traits become
/// `$set`; `identify` with both ids and `alias` merge persons. Page and screen calls become `$pageview`/`$screen`.
public struct SegmentFormat: IngestFormat {
    /// The call type implied by the path (`track`, ...), or nil for `/v1/batch` where each message has `type`.
    public let pathType: String?

    /// Creates the format for one endpoint.
    public init(pathType: String?) { self.pathType = pathType }

    /// The body's `writeKey`.
    public func envelope(of payload: JSON) throws(IngestError) -> IngestEnvelope {
        let (items, sentAt) = try SDKShapes.batch(of: payload)
        return IngestEnvelope(items: items, sentAt: sentAt, bodyToken: payload["writeKey"]?.stringValue)
    }

    /// The user name of HTTP Basic authentication (where the SDKs send the write key), else the body's `writeKey`.
    public func token(in envelope: IngestEnvelope, authorization: String?) -> String? {
        Self.basicUser(authorization) ?? envelope.bodyToken
    }

    /// The write key as the HTTP Basic user name, checked before the body is read.
    public func headerToken(authorization: String?) -> String? { Self.basicUser(authorization) }

    /// The user name of an HTTP Basic `Authorization` header.
    static func basicUser(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let credentials = String(data: data, encoding: .utf8)
        else { return nil }
        return credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
    }

    /// One Segment call by its type: track, identify, alias, page, screen or group.
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
