import Foundation
import Models
import PostgresNIO
import Storage

/// A stored event as the explorer shows it.
public struct StoredEvent: Sendable, Equatable {
    /// The event's uuid (its idempotency key).
    public var id: UUID
    /// The event name.
    public var event: String
    /// The distinct id the event was sent with.
    public var distinctID: String
    /// The person after identity merges (nil: the distinct id was never merged).
    public var personID: UUID?
    /// When the event happened (as sent).
    public var timestamp: Date
    /// When the server stored it (the live tail's order).
    public var receivedAt: Date
    /// The properties as JSON text.
    public var propertiesJSON: String
    /// `timestamp` and `receivedAt` in exact microseconds (cursors must not go through floating point).
    var timestampMicros: Int64 = 0
    /// `receivedAt` in exact microseconds, for the live tail's cursor.
    var receivedMicros: Int64 = 0
}

/// Explorer filters (`EventFilter`).
public struct EventFilter: Sendable {
    /// Only events of this name.
    public var event: String?
    /// Only events of this distinct id.
    public var distinctID: String?
    /// Only events of one of these distinct ids (a person's, after merges).
    public var distinctIDs: [String]?
    /// Only events at or after this.
    public var from: Date?
    /// Only events before this.
    public var to: Date?
    /// Conditions every event meets.
    public var properties: [PropertyFilter]

    /// Creates a filter; nil and empty parts match everything.
    public init(
        event: String? = nil, distinctID: String? = nil, distinctIDs: [String]? = nil, from: Date? = nil, to: Date? = nil,
        properties: [PropertyFilter] = []
    ) {
        self.event = event
        self.distinctID = distinctID
        self.distinctIDs = distinctIDs
        self.from = from
        self.to = to
        self.properties = properties
    }
}

/// A page of events, newest first.
public struct EventPage: Sendable {
    /// The events, each with the cursor that continues after it.
    public var events: [(event: StoredEvent, cursor: String)]
    /// Whether older events follow the page.
    public var hasNextPage: Bool
}

/// New events since a cursor, oldest first.
public struct LiveEventBatch: Sendable {
    /// The events, by receive time.
    public var events: [StoredEvent]
    /// Pass back to get only newer events.
    public var cursor: String?
}

/// The event explorer, the live tail and the pickers' event names and property keys.
public enum EventExplorer {
    /// Largest page.
    public static let maxPageSize = 1_000
    /// How long the live tail waits before showing an event, so that a transaction that started earlier but
    /// committed later (its `received_at` is older) is not skipped by a cursor that already moved past it.
    public static let liveSettleSeconds = 1.0

    /// The columns `read` decodes, with exact microseconds for the cursors.
    static let columns: SQLText = """
        e.uuid, e.event, e.distinct_id, pd.person_id, e."timestamp", e.received_at, e.properties::text,
        \(EventSQL.micros("e.\"timestamp\"")) AS timestamp_micros, \(EventSQL.micros("e.received_at")) AS received_micros
        """

    /// A cursor's microseconds as a timestamptz, exactly.
    static func instant(_ micros: SQLText) -> SQLText { "('epoch'::timestamptz + \(micros)::int8 * interval '1 microsecond')" }

    /// Events newest first (timestamp, then uuid, both descending), `first` per page, after an opaque cursor.
    /// Keyset pagination: events inserted while paging never shift or repeat the pages.
    public static func page(
        _ filter: EventFilter, first: Int, after: String?, scope: ReportScope, on tx: TenantConnection
    ) async throws -> EventPage {
        guard (1...maxPageSize).contains(first) else { throw ServiceError.badInput("first must be 1 to \(maxPageSize)") }
        try ReportLimits.check(filter.properties)
        var b = SQLBuilder()
        var conditions = EventSQL.project(scope, &b)
        if let event = filter.event { conditions += " AND e.event = \(b.bind(event))" }
        if let distinctID = filter.distinctID { conditions += " AND e.distinct_id = \(b.bind(distinctID))" }
        if let distinctIDs = filter.distinctIDs { conditions += " AND e.distinct_id = ANY(\(b.bind(distinctIDs)))" }
        if let from = filter.from { conditions += " AND e.\"timestamp\" >= \(b.bind(from))" }
        if let to = filter.to { conditions += " AND e.\"timestamp\" < \(b.bind(to))" }
        conditions += EventSQL.filters(filter.properties, &b)
        if let after {
            guard let (time, uuid) = Cursor.decode(after) else { throw ServiceError.badInput("after is not a cursor of this list") }
            conditions += " AND (e.\"timestamp\", e.uuid) < (\(instant(b.bind(time))), \(b.bind(uuid)))"
        }
        b.append(
            """
            SELECT \(columns) \(EventSQL.fromEventsWithPersons) WHERE \(conditions)
            ORDER BY e."timestamp" DESC, e.uuid DESC LIMIT \(b.bind(first + 1))
            """)
        var events = try await read(b.query, tx)
        let hasNext = events.count > first
        events = Array(events.prefix(first))
        return EventPage(events: events.map { ($0, Cursor.encode($0.timestampMicros, $0.id)) }, hasNextPage: hasNext)
    }

    /// Events received after `after` (a cursor from an earlier call), oldest first, at most `limit`; without a
    /// cursor the latest `limit` events. Events show up `liveSettleSeconds` after they are stored.
    public static func live(after: String?, limit: Int, scope: ReportScope, on tx: TenantConnection) async throws -> LiveEventBatch {
        guard (1...maxPageSize).contains(limit) else { throw ServiceError.badInput("limit must be 1 to \(maxPageSize)") }
        var b = SQLBuilder()
        let settled: SQLText = "statement_timestamp() - make_interval(secs => \(b.bind(liveSettleSeconds)))"
        let conditions: SQLText = "\(EventSQL.project(scope, &b)) AND e.received_at <= \(settled)"
        if let after {
            guard let (time, uuid) = Cursor.decode(after) else { throw ServiceError.badInput("after is not a cursor of liveEvents") }
            b.append(
                """
                SELECT \(columns) \(EventSQL.fromEventsWithPersons)
                WHERE \(conditions) AND (e.received_at, e.uuid) > (\(instant(b.bind(time))), \(b.bind(uuid)))
                ORDER BY e.received_at, e.uuid LIMIT \(b.bind(limit))
                """)
            let events = try await read(b.query, tx)
            return LiveEventBatch(events: events, cursor: events.last.map { Cursor.encode($0.receivedMicros, $0.id) } ?? after)
        }
        b.append(
            """
            SELECT * FROM (SELECT \(columns) \(EventSQL.fromEventsWithPersons) WHERE \(conditions)
              AND e.received_at > \(settled) - interval '1 day'
              ORDER BY e.received_at DESC, e.uuid DESC LIMIT \(b.bind(limit))) latest
            ORDER BY received_at, uuid
            """)
        let events = try await read(b.query, tx)
        if let last = events.last { return LiveEventBatch(events: events, cursor: Cursor.encode(last.receivedMicros, last.id)) }
        // Nothing recent: start the tail at the settle horizon.
        var horizonSQL = SQLBuilder()
        horizonSQL.append(
            "SELECT \(EventSQL.micros("statement_timestamp() - make_interval(secs => \(horizonSQL.bind(liveSettleSeconds)))"))")
        let now = try await tx.query(horizonSQL.query).collect()
        let horizon = try now[0].decode(Int64.self)
        return LiveEventBatch(events: [], cursor: Cursor.encode(horizon, UUID(uuidString: "00000000-0000-0000-0000-000000000000")!))
    }

    /// Event names, most frequent first (ties by name).
    public static func eventNames(limit: Int, scope: ReportScope, on tx: TenantConnection) async throws -> [String] {
        guard (1...maxPageSize).contains(limit) else { throw ServiceError.badInput("limit must be 1 to \(maxPageSize)") }
        if let rolledUp = try await RollupReports.eventNames(limit: limit, scope: scope, on: tx) { return rolledUp }
        var b = SQLBuilder()
        b.append(
            """
            SELECT e.event FROM events e WHERE \(EventSQL.project(scope, &b))
            GROUP BY e.event ORDER BY count(*) DESC, e.event COLLATE "C" LIMIT \(b.bind(limit))
            """)
        return try await tx.query(b.query).collect().map { try $0.decode(String.self) }
    }

    /// How many of the newest events `propertyKeys` samples.
    public static let propertyKeySample = 10_000

    /// Property keys of the newest `propertyKeySample` events (of one event name when given), most frequent first.
    public static func propertyKeys(event: String?, limit: Int, scope: ReportScope, on tx: TenantConnection) async throws -> [String] {
        guard (1...maxPageSize).contains(limit) else { throw ServiceError.badInput("limit must be 1 to \(maxPageSize)") }
        var b = SQLBuilder()
        var conditions = EventSQL.project(scope, &b)
        if let event { conditions += " AND e.event = \(b.bind(event))" }
        b.append(
            """
            SELECT key FROM (SELECT e.properties FROM events e WHERE \(conditions)
              ORDER BY e."timestamp" DESC LIMIT \(b.bind(propertyKeySample))) recent, jsonb_object_keys(recent.properties) key
            GROUP BY key ORDER BY count(*) DESC, key COLLATE "C" LIMIT \(b.bind(limit))
            """)
        return try await tx.query(b.query).collect().map { try $0.decode(String.self) }
    }

    /// Runs a statement selecting `columns` and decodes its events.
    static func read(_ query: PostgresQuery, _ tx: TenantConnection) async throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        let rows = try await tx.query(query).decode((UUID, String, String, UUID?, Date, Date, String, Int64, Int64).self)
        for try await (id, name, distinctID, person, timestamp, receivedAt, properties, timeMicros, receivedMicros) in rows {
            events.append(
                StoredEvent(
                    id: id, event: name, distinctID: distinctID, personID: person, timestamp: timestamp,
                    receivedAt: receivedAt, propertiesJSON: properties, timestampMicros: timeMicros, receivedMicros: receivedMicros))
        }
        return events
    }
}

/// Opaque cursors: base64 of "<microseconds since 1970>:<uuid>". Opaque so that clients do not build them; exact
/// microseconds so that a page never repeats or skips an event.
enum Cursor {
    /// The cursor of an event at `micros` with uuid `id`.
    static func encode(_ micros: Int64, _ id: UUID) -> String {
        Data("\(micros):\(id.uuidString.lowercased())".utf8).base64EncodedString()
    }

    /// The microseconds and uuid of a cursor; nil for anything this server did not make.
    static func decode(_ text: String) -> (Int64, UUID)? {
        guard text.utf8.count <= 200, let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = plain.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
        return (micros, id)
    }
}
