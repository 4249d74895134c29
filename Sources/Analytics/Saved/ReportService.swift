import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy

/// What a saved report computes; its definition is the GraphQL input of that report.
public enum ReportKind: String, Sendable, CaseIterable {
    /// A `trends` query; the definition is a `TrendsInput`.
    case trends = "TRENDS"
    /// A `funnel` query; the definition is a `FunnelInput`.
    case funnel = "FUNNEL"
    /// A `retention` query; the definition is a `RetentionInput`.
    case retention = "RETENTION"
}

/// A saved report as the API shows it.
public struct ReportInfo: Sendable, Equatable {
    /// Identifier.
    public var id: Report.ID
    /// Its project.
    public var projectID: Project.ID
    /// The project's organization.
    public var organizationID: Org.ID
    /// Display name.
    public var name: String
    /// What it computes.
    public var kind: ReportKind
    /// The report's input (a JSON object), as it was saved.
    public var definition: JSON
    /// Who saved it (`nil` once that user is deleted).
    public var createdBy: User.ID?
    /// When it was saved.
    public var createdAt: Date
    /// When its name or definition last changed.
    public var updatedAt: Date
}

/// Checks a definition for a kind beyond "is a JSON object" (the API layer checks it against the GraphQL input type);
/// throws `BAD_USER_INPUT` errors. Runs after the project or report was found and the role was checked.
public typealias ReportDefinitionCheck = @Sendable (ReportKind, JSON) throws -> Void

/// Saved reports: list and read (VIEWER and up), save, change and delete (MEMBER and up, `saveReports`).
/// Reports of organizations the principal does not belong to behave exactly like unknown IDs (`NOT_FOUND`).
/// Lists are ordered by name (then ID), like projects, so a report keeps its place on the page when edited.
public struct ReportService: Sendable {
    let database: Database
    let access: TenantAccess
    let newID: @Sendable () -> UUID

    /// - Parameter newID: the source of new report IDs.
    public init(database: Database, newID: @escaping @Sendable () -> UUID = { UUID() }) {
        self.database = database
        self.access = TenantAccess(database: database)
        self.newID = newID
    }

    /// Saves a report in `project`. `name` is 1...200 characters; `definition` must be a JSON object that `check`
    /// accepts.
    public func save(
        _ principal: Principal, project: Project.ID, name: String, kind: ReportKind, definition: JSON,
        check: ReportDefinitionCheck? = nil
    ) async throws -> ReportInfo {
        let name = try InputCheck.name(name, field: "report name")
        let report = Report.ID(newID())
        return try await access.locate(.project(project), for: principal) { tx, role -> ReportInfo? in
            guard try await Self.projectExists(project, in: tx) else { return nil }
            try access.check(principal, .saveReports, role: role)
            try Self.validate(definition, kind: kind, check: check)
            let rows = try await tx.query(
                """
                INSERT INTO reports (org_id, report_id, project_id, name, kind, definition, created_by)
                VALUES (\(tx.org.rawValue), \(report.rawValue), \(project.rawValue), \(name), \(kind.rawValue),
                        \(definition.jsonString)::jsonb, \(principal.userID.rawValue))
                RETURNING \(unescaped: Self.columns)
                """
            ).collect()
            return try Self.report(rows[0])
        }
    }

    /// The project's reports, by name. Needs `read`.
    public func list(_ principal: Principal, project: Project.ID) async throws -> [ReportInfo] {
        try await access.locate(.project(project), for: principal) { tx, role -> [ReportInfo]? in
            guard try await Self.projectExists(project, in: tx) else { return nil }
            try access.check(principal, .read, role: role)
            let rows = try await tx.query(
                """
                SELECT \(unescaped: Self.columns) FROM reports
                WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue) ORDER BY name, report_id
                """
            ).collect()
            return try rows.map(Self.report)
        }
    }

    /// One report. Needs `read`.
    public func get(_ principal: Principal, report: Report.ID) async throws -> ReportInfo {
        try await access.locate(.report(report), for: principal) { tx, role -> ReportInfo? in
            guard let found = try await Self.find(report, in: tx, lock: false) else { return nil }
            try access.check(principal, .read, role: role)
            return found
        }
    }

    /// Renames a report and/or replaces its definition (checked against the report's kind); bumps `updatedAt`.
    /// At least one of `name` and `definition` must be given.
    public func update(
        _ principal: Principal, report: Report.ID, name: String? = nil, definition: JSON? = nil,
        check: ReportDefinitionCheck? = nil
    ) async throws -> ReportInfo {
        guard name != nil || definition != nil else { throw ServiceError(.badUserInput, "give name or definition to update") }
        let name = try name.map { try InputCheck.name($0, field: "report name") }
        return try await access.locate(.report(report), for: principal) { tx, role -> ReportInfo? in
            guard let found = try await Self.find(report, in: tx, lock: true) else { return nil }
            try access.check(principal, .saveReports, role: role)
            if let definition { try Self.validate(definition, kind: found.kind, check: check) }
            let rows = try await tx.query(
                """
                UPDATE reports SET name = coalesce(\(name), name),
                    definition = coalesce(\(definition?.jsonString)::jsonb, definition), updated_at = clock_timestamp()
                WHERE org_id = \(tx.org.rawValue) AND report_id = \(report.rawValue)
                RETURNING \(unescaped: Self.columns)
                """
            ).collect()
            return try Self.report(rows[0])
        }
    }

    /// Deletes a report; dashboards showing it lose that item (foreign-key cascade).
    public func delete(_ principal: Principal, report: Report.ID) async throws {
        _ = try await access.locate(.report(report), for: principal) { tx, role -> Bool? in
            guard try await Self.find(report, in: tx, lock: true) != nil else { return nil }
            try access.check(principal, .saveReports, role: role)
            try await tx.query("DELETE FROM reports WHERE org_id = \(tx.org.rawValue) AND report_id = \(report.rawValue)")
            return true
        }
    }

    /// Whether the transaction's organization has `project`.
    static func projectExists(_ project: Project.ID, in tx: TenantConnection) async throws -> Bool {
        let rows = try await tx.query(
            "SELECT 1 FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)"
        ).collect()
        return !rows.isEmpty
    }

    /// The report in the transaction's organization, locked for update when `lock`.
    static func find(_ report: Report.ID, in tx: TenantConnection, lock: Bool) async throws -> ReportInfo? {
        let rows = try await tx.query(
            """
            SELECT \(unescaped: columns) FROM reports WHERE org_id = \(tx.org.rawValue) AND report_id = \(report.rawValue)
            \(unescaped: lock ? "FOR UPDATE" : "")
            """
        ).collect()
        return try rows.first.map(Self.report)
    }

    /// A definition must be a JSON object that `check` accepts.
    static func validate(_ definition: JSON, kind: ReportKind, check: ReportDefinitionCheck?) throws {
        guard case .object = definition else {
            throw ServiceError(.badUserInput, "definition must be a JSON object (the report's \(kind.inputTypeName))")
        }
        try check?(kind, definition)
    }

    static let columns = "report_id, project_id, org_id, name, kind, definition::text, created_by, created_at, updated_at"

    /// Decodes a row of `columns`.
    static func report(_ row: PostgresRow) throws -> ReportInfo {
        let (id, project, org, name, kind, definition, createdBy, createdAt, updatedAt) = try row.decode(
            (UUID, UUID, UUID, String, String, String, UUID?, Date, Date).self)
        return try report(
            id: id, project: project, org: org, name: name, kind: kind, definition: definition, createdBy: createdBy,
            createdAt: createdAt, updatedAt: updatedAt)
    }

    /// A JSON column read as text (`what` names it in the error when it does not parse, which is never expected).
    static func storedJSON(_ text: String, _ what: String) throws -> JSON {
        do {
            return try JSON.parse(Data(text.utf8))
        } catch {
            throw ServiceError(.internal, "stored \(what) is not JSON")
        }
    }

    /// Builds a report from its stored columns.
    static func report(
        id: UUID, project: UUID, org: UUID, name: String, kind: String, definition: String, createdBy: UUID?,
        createdAt: Date, updatedAt: Date
    ) throws -> ReportInfo {
        guard let kind = ReportKind(rawValue: kind) else { throw ServiceError(.internal, "unknown report kind '\(kind)'") }
        let json = try storedJSON(definition, "report definition")
        return ReportInfo(
            id: Report.ID(id), projectID: Project.ID(project), organizationID: Org.ID(org), name: name, kind: kind,
            definition: json, createdBy: createdBy.map(User.ID.init), createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension ReportKind {
    /// The GraphQL input type its definition follows: `TrendsInput`, `FunnelInput` or `RetentionInput`.
    public var inputTypeName: String {
        switch self {
        case .trends: "TrendsInput"
        case .funnel: "FunnelInput"
        case .retention: "RetentionInput"
        }
    }
}
