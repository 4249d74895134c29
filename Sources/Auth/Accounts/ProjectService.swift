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
        let name = try Input.name(name, field: "project name")
        let timezone = try Self.validTimezone(timezone ?? "UTC")
        try Self.validate(retentionDays: retentionDays)
        let project = Project.ID(newID())
        return try await database.withTenant(org) { tx in
            try await access.authorize(principal, .manageProjects, in: tx)
            let rows = try await tx.query(
                """
                INSERT INTO projects (org_id, project_id, name, timezone, retention_days)
                VALUES (\(org.rawValue), \(project.rawValue), \(name), \(timezone), \(retentionDays))
                RETURNING \(unescaped: Self.columns)
                """
            ).collect()
            return try Self.project(rows[0])
        }
    }

    /// The organization's projects, by name. Needs `read`.
    public func list(_ principal: Principal, org: Org.ID) async throws -> [ProjectInfo] {
        try await database.withTenant(org) { tx in
            try await access.authorize(principal, .read, in: tx)
            let rows = try await tx.query(
                "SELECT \(unescaped: Self.columns) FROM projects WHERE org_id = \(org.rawValue) ORDER BY name, project_id"
            ).collect()
            return try rows.map(Self.project)
        }
    }

    /// One project. Needs `read`.
    public func get(_ principal: Principal, project: Project.ID) async throws -> ProjectInfo {
        try await update(principal, project: project, operation: .read, apply: nil)
    }

    /// Renames a project.
    public func rename(_ principal: Principal, project: Project.ID, name: String) async throws -> ProjectInfo {
        let name = try Input.name(name, field: "project name")
        return try await update(principal, project: project, operation: .manageProjects) { tx in
            try await tx.query(
                """
                UPDATE projects SET name = \(name) WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)
                RETURNING \(unescaped: Self.columns)
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
                RETURNING \(unescaped: Self.columns)
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
                RETURNING \(unescaped: Self.columns)
                """)
        }
    }

    /// Deletes a project with all its events, persons, reports, dashboards and tokens (foreign-key cascades).
    public func delete(_ principal: Principal, project: Project.ID) async throws {
        _ = try await access.locate("project", for: principal) { tx -> Bool? in
            let rows = try await tx.query(
                "SELECT 1 FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue) FOR UPDATE"
            ).collect()
            guard !rows.isEmpty else { return nil }
            try await access.authorize(principal, .manageProjects, in: tx)
            try await tx.query("DELETE FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)")
            return true
        }
    }

    /// Runs `body` inside the project's tenant transaction after checking the principal may `operation` there
    /// (`NOT_FOUND` for projects of other organizations, like unknown IDs). Reports use it so the access check
    /// and the queries share one transaction; for reads it is a read-only snapshot (REPEATABLE READ).
    public func withProject<T: Sendable>(
        _ principal: Principal, project: Project.ID, operation: Operation = .read,
        _ body: (TenantConnection, ProjectInfo) async throws -> T
    ) async throws -> T {
        try await access.locate("project", for: principal, snapshot: operation == .read) { tx -> Found<T>? in
            let rows = try await tx.query(
                "SELECT \(unescaped: Self.columns) FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)"
            ).collect()
            guard let row = rows.first else { return nil }
            try await access.authorize(principal, operation, in: tx)
            return Found(value: try await body(tx, try Self.project(row)))
        }.value
    }

    /// A located value (`locate` uses nil for "not here", so optional results need a box).
    private struct Found<T: Sendable>: Sendable {
        let value: T
    }

    /// Finds the project among the principal's organizations, checks `operation`, runs `apply` (an UPDATE ...
    /// RETURNING the project's columns) when given, and returns the project.
    private func update(
        _ principal: Principal, project: Project.ID, operation: Operation,
        apply: ((TenantConnection) async throws -> PostgresRowSequence)?
    ) async throws -> ProjectInfo {
        try await access.locate("project", for: principal) { tx -> ProjectInfo? in
            let rows = try await tx.query(
                "SELECT \(unescaped: Self.columns) FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)"
            ).collect()
            guard let row = rows.first else { return nil }
            try await access.authorize(principal, operation, in: tx)
            guard let apply else { return try Self.project(row) }
            return try Self.project(try await apply(tx).collect()[0])
        }
    }

    static let columns = "project_id, org_id, name, timezone, retention_days, created_at"

    static func project(_ row: PostgresRow) throws -> ProjectInfo {
        let (id, org, name, timezone, retention, createdAt) = try row.decode((UUID, UUID, String, String, Int?, Date).self)
        return ProjectInfo(
            id: Project.ID(id), organizationID: Org.ID(org), name: name, timezone: timezone, retentionDays: retention,
            createdAt: createdAt)
    }

    /// The IANA zone name, or `BAD_USER_INPUT`.
    static func validTimezone(_ raw: String) throws(AuthError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 64, TimeZone(identifier: name) != nil else {
            throw AuthError(.badUserInput, "unknown time zone '\(raw)'; use an IANA name such as Europe/Paris")
        }
        // Keep the IANA spelling (Foundation reports "UTC" as "GMT"; PostgreSQL knows both).
        return TimeZone.knownTimeZoneIdentifiers.first { $0.caseInsensitiveCompare(name) == .orderedSame } ?? name
    }

    static func validate(retentionDays: Int?) throws(AuthError) {
        if let days = retentionDays, !(1...maximumRetentionDays).contains(days) {
            throw AuthError(.badUserInput, "retention must be between 1 and \(maximumRetentionDays) days")
        }
    }
}
