import Foundation
import Models
import Storage

/// An event or person update PostgreSQL refused at ingestion, kept with its reason (migrations/0012_dead_letters.sql).
public struct DeadLetter: Sendable, Equatable {
    /// Identifier.
    public var id: UUID
    /// `event` or `person`.
    public var kind: String
    /// PostgreSQL's SQLSTATE, e.g. `22003`.
    public var code: String
    /// PostgreSQL's message.
    public var reason: String
    /// The refused part as JSON text (not necessarily valid JSON for PostgreSQL: that may be why it was refused).
    public var payload: String
    /// When its request arrived.
    public var receivedAt: Date
    /// When it was kept.
    public var storedAt: Date
}

/// The dead letters of a project: how many there are, and the newest.
public enum DeadLetters {
    /// Most dead letters one request lists.
    public static let maxLimit = 100

    /// The number of the project's dead letters and the newest `limit` of them.
    public static func list(limit: Int, scope: ReportScope, on tx: TenantConnection) async throws -> (total: Int, items: [DeadLetter]) {
        guard (0...maxLimit).contains(limit) else { throw ServiceError.badInput("limit must be 0 to \(maxLimit)") }
        let count = try await tx.query(
            "SELECT count(*)::int FROM dead_letters WHERE org_id = \(scope.org.rawValue) AND project_id = \(scope.project.rawValue)"
        ).collect()
        let rows = try await tx.query(
            """
            SELECT dead_letter_id, kind, code, reason, payload, received_at, stored_at FROM dead_letters
            WHERE org_id = \(scope.org.rawValue) AND project_id = \(scope.project.rawValue)
            ORDER BY stored_at DESC, dead_letter_id LIMIT \(limit)
            """
        ).collect()
        let items = try rows.map { row in
            let (id, kind, code, reason, payload, received, stored) = try row.decode(
                (UUID, String, String, String, String, Date, Date).self)
            return DeadLetter(id: id, kind: kind, code: code, reason: reason, payload: payload, receivedAt: received, storedAt: stored)
        }
        return (try count.first?.decode(Int.self) ?? 0, items)
    }
}
