import Foundation
import Models
import PostgresNIO
import Storage

/// A project as the API shows it.
public struct ProjectInfo: Sendable, Equatable {
    /// Identifier.
    public var id: Project.ID
    /// Its organization.
    public var organizationID: Org.ID
    /// Display name.
    public var name: String
    /// IANA time zone used for day/week/month buckets.
    public var timezone: String
    /// Days events are kept; `nil` keeps them forever.
    public var retentionDays: Int?
    /// When it was created.
    public var createdAt: Date
}

extension ProjectInfo {
    /// The columns `decode` reads, in order.
    package static let columns = "project_id, org_id, name, timezone, retention_days, created_at"

    /// Decodes a row of `columns`.
    package static func decode(_ row: PostgresRow) throws -> ProjectInfo {
        let (id, org, name, timezone, retention, createdAt) = try row.decode((UUID, UUID, String, String, Int?, Date).self)
        return ProjectInfo(
            id: Project.ID(id), organizationID: Org.ID(org), name: name, timezone: timezone, retentionDays: retention,
            createdAt: createdAt)
    }
}

extension TenantAccess {
    /// Runs `body` inside the project's tenant transaction after checking the principal may `operation` there
    /// (`NOT_FOUND` for projects of other organizations, like unknown IDs). Reports use it so the access check
    /// and the queries share one transaction; for reads it is a read-only snapshot (REPEATABLE READ).
    public func withProject<T: Sendable>(
        _ principal: Principal, project: Project.ID, operation: Permission = .read,
        _ body: (TenantConnection, ProjectInfo) async throws -> T
    ) async throws -> T {
        try await locate(.project(project), for: principal, snapshot: operation == .read) { tx, role -> Found<T>? in
            let rows = try await tx.query(
                "SELECT \(unescaped: ProjectInfo.columns) FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)"
            ).collect()
            guard let row = rows.first else { return nil }
            try check(principal, operation, role: role)
            return Found(value: try await body(tx, try ProjectInfo.decode(row)))
        }.value
    }

    /// A located value (`locate` uses nil for "not here", so optional results need a box).
    private struct Found<T: Sendable>: Sendable {
        let value: T
    }
}
