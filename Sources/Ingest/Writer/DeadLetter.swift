import Foundation
import Models
import PostgresNIO
import Storage

/// A part of a request PostgreSQL refused for its data (an event or a person update), kept in the organization's
/// `dead_letters` table (migrations/0012_dead_letters.sql) with the reason, instead of failing the whole request.
struct DeadLetter: Sendable {
    /// What a request brings, in the order the writer applies it.
    enum Item: Sendable {
        /// An event.
        case event(IngestEvent)
        /// A person update (`$set`/`$set_once`, a merge).
        case identity(IdentityOperation)
    }

    /// The refused part.
    let item: Item
    /// PostgreSQL's SQLSTATE.
    let code: String
    /// PostgreSQL's message.
    let reason: String

    /// The dead letter of `item`, refused with `error`.
    init(item: Item, error: PSQLError) {
        self.item = item
        self.code = error.serverInfo?[.sqlState] ?? "unknown"
        self.reason = error.serverInfo?[.message] ?? "refused by the database"
    }

    /// `event` or `person`, as the table's `kind` column says it.
    var kind: String {
        switch item {
        case .event: "event"
        case .identity: "person"
        }
    }

    /// The part as JSON text. Properties are copied as the text the writer sent, which need not be valid jsonb
    /// (that may be why PostgreSQL refused it), so the payload is stored as text.
    var payload: String {
        func quoted(_ text: String) -> String { JSON.string(text).jsonString }
        switch item {
        case .event(let event):
            let timestamp = event.timestamp.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            return #"{"uuid":\#(quoted(event.uuid.uuidString.lowercased())),"event":\#(quoted(event.event)),"#
                + #""distinct_id":\#(quoted(event.distinctID)),"timestamp":\#(quoted(timestamp)),"#
                + #""properties":\#(event.propertiesJSON)}"#
        case .identity(.merge(let keep, let other)):
            return #"{"operation":"merge","keep":\#(quoted(keep)),"other":\#(quoted(other))}"#
        case .identity(.setProperties(let distinctID, let set, let setOnce)):
            return #"{"operation":"set","distinct_id":\#(quoted(distinctID)),"$set":\#(set ?? "null"),"#
                + #""$set_once":\#(setOnce ?? "null")}"#
        }
    }
}

extension EventWriter {
    /// Stores `letters` of `batch` in the open tenant transaction; their `received_at` is the request's (its events'
    /// `receivedAt`; now for a request of person updates alone).
    static func storeDeadLetters(_ letters: [DeadLetter], of batch: IngestBatch, in tenant: TenantConnection) async throws {
        let received = batch.events.first?.receivedAt ?? Date()
        try await tenant.query(
            """
            INSERT INTO dead_letters (org_id, project_id, received_at, kind, code, reason, payload)
            SELECT \(batch.org.rawValue), \(batch.project.rawValue), \(received), k, c, m, p
            FROM unnest(\(letters.map(\.kind))::text[], \(letters.map(\.code))::text[], \(letters.map(\.reason))::text[],
                        \(letters.map(\.payload))::text[]) AS x(k, c, m, p)
            """)
    }
}
