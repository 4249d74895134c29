import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy

/// Projects: list and read (any member), create, rename, set time zone and retention, delete (ADMIN and up).
/// Projects of organizations the principal does not belong to behave exactly like unknown IDs (`NOT_FOUND`).
public struct ProjectService: Sendable {
    /// Longest accepted retention (100 years).
    public static let maximumRetentionDays = 36_500

    let database: Database
    let access: TenantAccess
    let newID: @Sendable () -> UUID

    /// - Parameter newID: the source of new project IDs.
    public init(database: Database, newID: @escaping @Sendable () -> UUID = { UUID() }) {
        self.database = database
        self.access = TenantAccess(database: database)
        self.newID = newID
    }

    /// Creates a project. `timezone` defaults to UTC and must be an IANA name; `retentionDays` is 1...36500 or nil.
    public func create(
        _ principal: Principal, org: Org.ID, name: String, timezone: String? = nil, retentionDays: Int? = nil
    ) async throws -> ProjectInfo {
        let name = try InputCheck.name(name, field: "project name")
        let timezone = try Self.validTimezone(timezone ?? "UTC")
        try Self.validate(retentionDays: retentionDays)
        let project = Project.ID(newID())
        return try await database.withTenant(org) { tx in
            try await access.authorize(principal, .manageProjects, in: tx)
            let rows = try await tx.query(
                """
                INSERT INTO projects (org_id, project_id, name, timezone, retention_days)
                VALUES (\(org.rawValue), \(project.rawValue), \(name), \(timezone), \(retentionDays))
                RETURNING \(unescaped: ProjectInfo.columns)
                """
            ).collect()
            return try ProjectInfo.decode(rows[0])
        }
    }

    /// The organization's projects, by name. Needs `read`.
    public func list(_ principal: Principal, org: Org.ID) async throws -> [ProjectInfo] {
        try await database.withTenant(org) { tx in
            try await access.authorize(principal, .read, in: tx)
            let rows = try await tx.query(
                "SELECT \(unescaped: ProjectInfo.columns) FROM projects WHERE org_id = \(org.rawValue) ORDER BY name, project_id"
            ).collect()
            return try rows.map(ProjectInfo.decode)
        }
    }

    /// One project. Needs `read`.
    public func get(_ principal: Principal, project: Project.ID) async throws -> ProjectInfo {
        try await update(principal, project: project, operation: .read, apply: nil)
    }

    /// Renames a project.
    public func rename(_ principal: Principal, project: Project.ID, name: String) async throws -> ProjectInfo {
        let name = try InputCheck.name(name, field: "project name")
        return try await update(principal, project: project, operation: .manageProjects) { tx in
            try await tx.query(
                """
                UPDATE projects SET name = \(name) WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)
                RETURNING \(unescaped: ProjectInfo.columns)
                """)
        }
    }

    /// Sets a project's IANA time zone.
    public func setTimezone(_ principal: Principal, project: Project.ID, timezone: String) async throws -> ProjectInfo {
        let timezone = try Self.validTimezone(timezone)
        return try await update(principal, project: project, operation: .manageProjects) { tx in
            try await tx.query(
                """
                UPDATE projects SET timezone = \(timezone) WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)
                RETURNING \(unescaped: ProjectInfo.columns)
                """)
        }
    }

    /// Sets a project's retention in days (`nil`: keep forever).
    public func setRetention(_ principal: Principal, project: Project.ID, days: Int?) async throws -> ProjectInfo {
        try Self.validate(retentionDays: days)
        return try await update(principal, project: project, operation: .manageProjects) { tx in
            try await tx.query(
                """
                UPDATE projects SET retention_days = \(days) WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)
                RETURNING \(unescaped: ProjectInfo.columns)
                """)
        }
    }

    /// Changes any of name, time zone and retention (`.some(nil)`: keep forever) in one transaction: every value is
    /// checked before anything changes, so a refused update changes nothing.
    public func update(
        _ principal: Principal, project: Project.ID, name: String?, timezone: String?, retentionDays: Int??
    ) async throws -> ProjectInfo {
        let name = try name.map { try InputCheck.name($0, field: "project name") }
        let timezone = try timezone.map { try Self.validTimezone($0) }
        if case .some(let days) = retentionDays { try Self.validate(retentionDays: days) }
        let setsRetention = retentionDays != nil
        let days = retentionDays ?? nil
        return try await update(principal, project: project, operation: .manageProjects) { tx in
            try await tx.query(
                """
                UPDATE projects SET name = coalesce(\(name), name), timezone = coalesce(\(timezone), timezone),
                    retention_days = CASE WHEN \(setsRetention) THEN \(days) ELSE retention_days END
                WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)
                RETURNING \(unescaped: ProjectInfo.columns)
                """)
        }
    }

    /// Deletes a project with all its events, persons, reports, dashboards and tokens (foreign-key cascades).
    public func delete(_ principal: Principal, project: Project.ID) async throws {
        _ = try await access.locate(.project(project), for: principal) { tx, role -> Bool? in
            let rows = try await tx.query(
                "SELECT 1 FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue) FOR UPDATE"
            ).collect()
            guard !rows.isEmpty else { return nil }
            try access.check(principal, .manageProjects, role: role)
            try await tx.query("DELETE FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)")
            return true
        }
    }

    /// Finds the project among the principal's organizations, checks `operation`, runs `apply` (an UPDATE ...
    /// RETURNING the project's columns) when given, and returns the project.
    private func update(
        _ principal: Principal, project: Project.ID, operation: Permission,
        apply: ((TenantConnection) async throws -> PostgresRowSequence)?
    ) async throws -> ProjectInfo {
        try await access.locate(.project(project), for: principal) { tx, role -> ProjectInfo? in
            let rows = try await tx.query(
                "SELECT \(unescaped: ProjectInfo.columns) FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)"
            ).collect()
            guard let row = rows.first else { return nil }
            try access.check(principal, operation, role: role)
            guard let apply else { return try ProjectInfo.decode(row) }
            return try ProjectInfo.decode(try await apply(tx).collect()[0])
        }
    }

    /// The IANA zone name, or `BAD_USER_INPUT`.
    static func validTimezone(_ raw: String) throws(ServiceError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 64, TimeZone(identifier: name) != nil else {
            throw ServiceError(.badUserInput, "unknown time zone '\(raw)'; use an IANA name such as Europe/Paris")
        }
        // Keep the IANA spelling (Foundation reports "UTC" as "GMT"; PostgreSQL knows both).
        return TimeZone.knownTimeZoneIdentifiers.first { $0.caseInsensitiveCompare(name) == .orderedSame } ?? name
    }

    static func validate(retentionDays: Int?) throws(ServiceError) {
        if let days = retentionDays, !(1...maximumRetentionDays).contains(days) {
            throw ServiceError(.badUserInput, "retention must be between 1 and \(maximumRetentionDays) days")
        }
    }
}
