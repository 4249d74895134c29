import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy

/// One report on a dashboard: its place and size on a 12-column grid.
public struct DashboardItemInfo: Sendable, Equatable {
    /// 0-based place in the dashboard's order.
    public var position: Int
    /// Width in grid columns, 1...12.
    public var width: Int
    /// Height in grid rows, 1...12.
    public var height: Int
    /// The report shown.
    public var report: ReportInfo
}

/// A dashboard as the API shows it, with its items in order.
public struct DashboardInfo: Sendable, Equatable {
    /// Identifier.
    public var id: Dashboard.ID
    /// Its project.
    public var projectID: Project.ID
    /// The project's organization.
    public var organizationID: Org.ID
    /// Display name.
    public var name: String
    /// Optional description.
    public var description: String?
    /// The reports shown, ordered by position.
    public var items: [DashboardItemInfo]
    /// The range every report on it runs over instead of its own, as it was given (`{"dateFrom", "dateTo"}` or
    /// `{"range": {...}}`, checked by the API layer); nil: each report's own.
    public var dateRange: JSON?
    /// Who created it (`nil` once that user is deleted).
    public var createdBy: User.ID?
    /// When it was created.
    public var createdAt: Date
    /// When its name, description or items last changed.
    public var updatedAt: Date
}

/// A report to place on a dashboard, as `updateDashboard` receives it.
public struct DashboardItemSpec: Sendable, Equatable {
    /// The report; it must belong to the dashboard's project.
    public var reportID: Report.ID
    /// Width in grid columns, 1...12.
    public var width: Int
    /// Height in grid rows, 1...12.
    public var height: Int

    /// Creates an item; the sizes default like `DashboardItemInput`'s.
    public init(reportID: Report.ID, width: Int = 6, height: Int = 4) {
        self.reportID = reportID
        self.width = width
        self.height = height
    }
}

/// Dashboards: list and read (VIEWER and up), create, change and delete (MEMBER and up, `saveDashboards`).
/// Dashboards of organizations the principal does not belong to behave exactly like unknown IDs (`NOT_FOUND`).
/// Lists are ordered by name (then ID).
public struct DashboardService: Sendable {
    /// Most reports one dashboard may show.
    public static let maximumItems = 100
    /// Longest accepted description.
    public static let maximumDescriptionLength = 2_000

    let database: Database
    let access: TenantAccess
    let newID: @Sendable () -> UUID

    /// - Parameter newID: the source of new dashboard IDs.
    public init(database: Database, newID: @escaping @Sendable () -> UUID = { UUID() }) {
        self.database = database
        self.access = TenantAccess(database: database)
        self.newID = newID
    }

    /// Creates an empty dashboard in `project`. An empty description is none.
    public func create(
        _ principal: Principal, project: Project.ID, name: String, description: String? = nil
    ) async throws -> DashboardInfo {
        let name = try InputCheck.name(name, field: "dashboard name")
        let description = try Self.validDescription(description)
        let dashboard = Dashboard.ID(newID())
        return try await access.locate(.project(project), for: principal) { tx, role -> DashboardInfo? in
            guard try await ReportService.projectExists(project, in: tx) else { return nil }
            try access.check(principal, .saveDashboards, role: role)
            try await tx.query(
                """
                INSERT INTO dashboards (org_id, dashboard_id, project_id, name, description, created_by)
                VALUES (\(tx.org.rawValue), \(dashboard.rawValue), \(project.rawValue), \(name), \(description),
                        \(principal.userID.rawValue))
                """)
            return try await Self.find(dashboard, in: tx, lock: false)
        }
    }

    /// The project's dashboards with their items, by name. Needs `read`.
    public func list(_ principal: Principal, project: Project.ID) async throws -> [DashboardInfo] {
        try await access.locate(.project(project), for: principal) { tx, role -> [DashboardInfo]? in
            guard try await ReportService.projectExists(project, in: tx) else { return nil }
            try access.check(principal, .read, role: role)
            let rows = try await tx.query(
                """
                SELECT \(unescaped: Self.columns) FROM dashboards
                WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue) ORDER BY name, dashboard_id
                """
            ).collect()
            return try await Self.withItems(try rows.map(Self.dashboard), in: tx)
        }
    }

    /// One dashboard with its items. Needs `read`.
    public func get(_ principal: Principal, dashboard: Dashboard.ID) async throws -> DashboardInfo {
        try await access.locate(.dashboard(dashboard), for: principal) { tx, role -> DashboardInfo? in
            guard let found = try await Self.find(dashboard, in: tx, lock: false) else { return nil }
            try access.check(principal, .read, role: role)
            return found
        }
    }

    /// Changes name, description (`.some(nil)` or empty clears it), items and/or date range (`.some(nil)` clears it;
    /// a range must be a JSON object, whose fields the API layer checks). `items` replaces the dashboard's reports in the given
    /// order (position = index); each must be a report of the dashboard's project (otherwise `NOT_FOUND` "report not
    /// found"), listed once, with width and height 1...12. Bumps `updatedAt`.
    public func update(
        _ principal: Principal, dashboard: Dashboard.ID, name: String? = nil, description: String?? = nil,
        items: [DashboardItemSpec]? = nil, dateRange: JSON?? = nil
    ) async throws -> DashboardInfo {
        guard name != nil || description != nil || items != nil || dateRange != nil else {
            throw ServiceError(.badUserInput, "give name, description, items or dateRange to update")
        }
        if case .some(.some(let range)) = dateRange, range.objectValue == nil {
            throw ServiceError(.badUserInput, "dateRange is an object")
        }
        let name = try name.map { try InputCheck.name($0, field: "dashboard name") }
        let newDescription = try description.map { try Self.validDescription($0) }
        if let items { try Self.validate(items) }
        return try await access.locate(.dashboard(dashboard), for: principal) { tx, role -> DashboardInfo? in
            guard let found = try await Self.find(dashboard, in: tx, lock: true) else { return nil }
            try access.check(principal, .saveDashboards, role: role)
            if let items { try await Self.replaceItems(of: found, with: items, in: tx) }
            try await tx.query(
                """
                UPDATE dashboards SET name = \(name ?? found.name),
                    description = \(newDescription ?? found.description),
                    date_range = \((dateRange ?? found.dateRange)?.jsonString)::jsonb, updated_at = clock_timestamp()
                WHERE org_id = \(tx.org.rawValue) AND dashboard_id = \(dashboard.rawValue)
                """)
            return try await Self.find(dashboard, in: tx, lock: false)
        }
    }

    /// Deletes a dashboard; its reports stay.
    public func delete(_ principal: Principal, dashboard: Dashboard.ID) async throws {
        _ = try await access.locate(.dashboard(dashboard), for: principal) { tx, role -> Bool? in
            let rows = try await tx.query(
                """
                SELECT 1 FROM dashboards WHERE org_id = \(tx.org.rawValue) AND dashboard_id = \(dashboard.rawValue) FOR UPDATE
                """
            ).collect()
            guard !rows.isEmpty else { return nil }
            try access.check(principal, .saveDashboards, role: role)
            try await tx.query(
                "DELETE FROM dashboards WHERE org_id = \(tx.org.rawValue) AND dashboard_id = \(dashboard.rawValue)")
            return true
        }
    }

    // MARK: - Storage

    /// Replaces the items after checking every report belongs to the dashboard's project.
    private static func replaceItems(of dashboard: DashboardInfo, with items: [DashboardItemSpec], in tx: TenantConnection)
        async throws
    {
        let ids = items.map(\.reportID.rawValue)
        let rows = try await tx.query(
            """
            SELECT report_id FROM reports
            WHERE org_id = \(tx.org.rawValue) AND project_id = \(dashboard.projectID.rawValue) AND report_id = ANY(\(ids))
            FOR KEY SHARE
            """
        ).collect()
        let known = Set(try rows.map { try $0.decode(UUID.self) })
        guard known.count == Set(ids).count else { throw ServiceError.notFound("report") }
        try await tx.query(
            "DELETE FROM dashboard_items WHERE org_id = \(tx.org.rawValue) AND dashboard_id = \(dashboard.id.rawValue)")
        guard !items.isEmpty else { return }
        let positions = items.indices.map { Int32($0) }
        let widths = items.map { Int32($0.width) }
        let heights = items.map { Int32($0.height) }
        try await tx.query(
            """
            INSERT INTO dashboard_items (org_id, dashboard_id, report_id, position, width, height)
            SELECT \(tx.org.rawValue), \(dashboard.id.rawValue), r, p, w, h
            FROM unnest(\(ids)::uuid[], \(positions)::int[], \(widths)::int[], \(heights)::int[]) AS t (r, p, w, h)
            """)
    }

    /// The dashboard with its items, in the transaction's organization.
    static func find(_ dashboard: Dashboard.ID, in tx: TenantConnection, lock: Bool) async throws -> DashboardInfo? {
        let rows = try await tx.query(
            """
            SELECT \(unescaped: columns) FROM dashboards
            WHERE org_id = \(tx.org.rawValue) AND dashboard_id = \(dashboard.rawValue) \(unescaped: lock ? "FOR UPDATE" : "")
            """
        ).collect()
        guard let row = rows.first else { return nil }
        return try await withItems([try Self.dashboard(row)], in: tx).first
    }

    /// Fills in the items of `dashboards` (one query), ordered by position.
    static func withItems(_ dashboards: [DashboardInfo], in tx: TenantConnection) async throws -> [DashboardInfo] {
        guard !dashboards.isEmpty else { return [] }
        let rows = try await tx.query(
            """
            SELECT i.dashboard_id, i.position, i.width, i.height, r.report_id, r.project_id, r.org_id, r.name, r.kind,
                   r.definition::text, r.created_by, r.created_at, r.updated_at
            FROM dashboard_items i JOIN reports r ON r.org_id = i.org_id AND r.report_id = i.report_id
            WHERE i.org_id = \(tx.org.rawValue) AND i.dashboard_id = ANY(\(dashboards.map(\.id.rawValue)))
            ORDER BY i.dashboard_id, i.position, r.report_id
            """
        ).collect()
        var items: [UUID: [DashboardItemInfo]] = [:]
        for row in rows {
            let (dashboard, position, width, height, id, project, org, name, kind, definition, createdBy, createdAt, updatedAt) =
                try row.decode((UUID, Int, Int, Int, UUID, UUID, UUID, String, String, String, UUID?, Date, Date).self)
            let report = try ReportService.report(
                id: id, project: project, org: org, name: name, kind: kind, definition: definition, createdBy: createdBy,
                createdAt: createdAt, updatedAt: updatedAt)
            items[dashboard, default: []].append(DashboardItemInfo(position: position, width: width, height: height, report: report))
        }
        return dashboards.map { dashboard in
            var dashboard = dashboard
            dashboard.items = items[dashboard.id.rawValue] ?? []
            return dashboard
        }
    }

    static let columns = "dashboard_id, project_id, org_id, name, description, created_by, created_at, updated_at, date_range::text"

    /// Decodes a row of `columns` (items empty).
    static func dashboard(_ row: PostgresRow) throws -> DashboardInfo {
        let (id, project, org, name, description, createdBy, createdAt, updatedAt, range) = try row.decode(
            (UUID, UUID, UUID, String, String?, UUID?, Date, Date, String?).self)
        let dateRange = try range.map { try ReportService.storedJSON($0, "dashboard date range") }
        return DashboardInfo(
            id: Dashboard.ID(id), projectID: Project.ID(project), organizationID: Org.ID(org), name: name,
            description: description, items: [], dateRange: dateRange, createdBy: createdBy.map(User.ID.init),
            createdAt: createdAt, updatedAt: updatedAt)
    }

    // MARK: - Input checks

    /// A trimmed description of at most `maximumDescriptionLength` characters; empty means none.
    static func validDescription(_ raw: String?) throws(ServiceError) -> String? {
        guard let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= maximumDescriptionLength else {
            throw ServiceError(.badUserInput, "dashboard description must be at most \(maximumDescriptionLength) characters")
        }
        return text
    }

    /// At most `maximumItems` items, each report once, sizes 1...12.
    static func validate(_ items: [DashboardItemSpec]) throws(ServiceError) {
        guard items.count <= maximumItems else {
            throw ServiceError(.badUserInput, "a dashboard shows at most \(maximumItems) reports")
        }
        var seen = Set<Report.ID>()
        for (index, item) in items.enumerated() {
            guard (1...12).contains(item.width), (1...12).contains(item.height) else {
                throw ServiceError(.badUserInput, "items[\(index)]: width and height must be between 1 and 12")
            }
            guard seen.insert(item.reportID).inserted else {
                throw ServiceError(.badUserInput, "items[\(index)]: report \(item.reportID) is listed twice")
            }
        }
    }
}
