import Foundation
import Models

/// One event ready to be written: every SDK format is mapped onto this.
public struct IngestEvent: Sendable, Equatable {
    /// Idempotency key within the project: given by the client, derived from `messageId`/`$insert_id`, or random.
    public var uuid: UUID
    /// Event name, 1-200 characters.
    public var event: String
    /// Who did it, 1-200 characters, before identity merges.
    public var distinctID: String
    /// When it happened, corrected for client clock skew.
    public var timestamp: Date
    /// When the server received it.
    public var receivedAt: Date
    /// Event properties as a JSON object text.
    public var propertiesJSON: String

    /// Creates an event from validated parts.
    public init(uuid: UUID, event: String, distinctID: String, timestamp: Date, receivedAt: Date, propertiesJSON: String) {
        self.uuid = uuid
        self.event = event
        self.distinctID = distinctID
        self.timestamp = timestamp
        self.receivedAt = receivedAt
        self.propertiesJSON = propertiesJSON
    }
}

/// A change to persons that an event carries; applied in order after the batch's events are written.
public enum IdentityOperation: Sendable, Equatable {
    /// Make `other` the same person as `keep` (`$identify`, `$create_alias`, Segment `alias`).
    case merge(keep: String, other: String)
    /// Update the person of `distinctID`: `set` overwrites, `setOnce` fills in (JSON object texts).
    case setProperties(distinctID: String, set: String?, setOnce: String?)
}

/// What a request contributes to one project: its events and identity operations, in arrival order.
public struct IngestBatch: Sendable {
    /// Tenant of the project.
    public var org: Org.ID
    /// Project the events belong to.
    public var project: Project.ID
    /// Events to store.
    public var events: [IngestEvent]
    /// Person changes to apply after the events.
    public var identity: [IdentityOperation]

    /// Creates a batch.
    public init(org: Org.ID, project: Project.ID, events: [IngestEvent], identity: [IdentityOperation]) {
        self.org = org
        self.project = project
        self.events = events
        self.identity = identity
    }
}

/// Limits applied to every request; all configurable (see README).
public struct IngestLimits: Sendable {
    /// Largest body after decompression, in bytes (default 5 MB).
    public var maxBodyBytes = 5 * 1024 * 1024
    /// Most events in one request (default 10,000).
    public var maxBatchEvents = 10_000
    /// Largest properties object as JSON, in bytes (64 KB).
    public var maxPropertiesBytes = 64 * 1024
    /// Largest person-properties update (`$set` plus `$set_once`, `/engage`, Segment traits) as JSON, in bytes (64 KB).
    public var maxPersonPropertiesBytes = 64 * 1024
    /// Deepest nesting of properties (10).
    public var maxPropertiesDepth = 10
    /// How far in the future a timestamp may be (24 h).
    public var maxFutureSkew: TimeInterval = 24 * 3_600
    /// Earliest accepted timestamp (2000-01-01T00:00:00Z).
    public var earliest = Date(timeIntervalSince1970: 946_684_800)

    /// The defaults.
    public init() {}
}
