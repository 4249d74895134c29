import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy

/// A read-only link to a dashboard, as the API shows it (never its token).
public struct DashboardShareInfo: Sendable, Equatable {
    /// Identifier.
    public var id: DashboardShare.ID
    /// The dashboard it opens.
    public var dashboardID: Dashboard.ID
    /// The token's first characters, to tell links apart.
    public var prefix: String
    /// Whether a viewer may run the reports over another range.
    public var allowRangeChange: Bool
    /// When it was created.
    public var createdAt: Date
    /// When it was revoked; nil while it works.
    public var revokedAt: Date?
}

/// A new link with its token, which exists only in this answer (the database keeps its SHA-256).
public struct CreatedDashboardShare: Sendable {
    /// The secret: `iv_shr_` and 32 base62 characters.
    public var token: String
    /// The link.
    public var share: DashboardShareInfo
}

/// A live link and where its reports run: its dashboard's project and that project's time zone
/// (`DashboardShareService.withSharedLink`).
public struct SharedLink: Sendable {
    /// The link.
    public var share: DashboardShareInfo
    /// The project of the link's dashboard.
    public var projectID: Project.ID
    /// The project's IANA time zone.
    public var timezone: String
}

/// A live link with its dashboard (`DashboardShareService.withShared`).
public struct SharedDashboardInfo: Sendable {
    /// The link.
    public var share: DashboardShareInfo
    /// The dashboard and its reports.
    public var dashboard: DashboardInfo
    /// The project's IANA time zone.
    public var timezone: String
}

/// Read-only links to dashboards (migrations/0021_dashboard_shares.sql): created, listed and revoked by MEMBER and up
/// (`saveDashboards`; a VIEWER sees none), opened by anyone holding the token. A token opens its dashboard's reports
/// and nothing else: the lookup before the tenant is known returns only the link's organization and ID, and the rest
/// is read in that organization's tenant transaction.
public struct DashboardShareService: Sendable {
    /// What every share token starts with.
    public static let tokenPrefix = "iv_shr_"
    /// Characters of the token shown as the link's `prefix` (the `iv_shr_` and four random ones).
    static let shownPrefixLength = 11

    let database: Database
    let access: TenantAccess
    let newID: @Sendable () -> UUID

    /// - Parameter newID: the source of new link IDs.
    public init(database: Database, newID: @escaping @Sendable () -> UUID = { UUID() }) {
        self.database = database
        self.access = TenantAccess(database: database)
        self.newID = newID
    }

    /// A new random token: `iv_shr_` and 32 base62 characters from the system CSPRNG.
    static func generateToken() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return tokenPrefix + String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Creates a link to `dashboard`; the token is returned once and stored as its SHA-256 (computed by PostgreSQL).
    public func create(_ principal: Principal, dashboard: Dashboard.ID, allowRangeChange: Bool) async throws -> CreatedDashboardShare {
        let token = Self.generateToken()
        let share = DashboardShare.ID(newID())
        let created = try await access.locate(.dashboard(dashboard), for: principal) { tx, role -> DashboardShareInfo? in
            guard try await DashboardService.find(dashboard, in: tx, lock: false) != nil else { return nil }
            try access.check(principal, .saveDashboards, role: role)
            let rows = try await tx.query(
                """
                INSERT INTO dashboard_shares AS s (org_id, share_id, dashboard_id, token_hash, prefix, allow_range_change, created_by)
                VALUES (\(tx.org.rawValue), \(share.rawValue), \(dashboard.rawValue), sha256(convert_to(\(token), 'UTF8')),
                        \(String(token.prefix(Self.shownPrefixLength))), \(allowRangeChange), \(principal.userID.rawValue))
                RETURNING \(unescaped: Self.columns)
                """
            ).collect()
            return try Self.share(rows[0])
        }
        return CreatedDashboardShare(token: token, share: created)
    }

    /// The dashboard's links, newest first; none for a role that may not change dashboards.
    public func list(_ principal: Principal, dashboard: Dashboard.ID) async throws -> [DashboardShareInfo] {
        try await access.locate(.dashboard(dashboard), for: principal) { tx, role -> [DashboardShareInfo]? in
            guard (try? access.check(principal, .saveDashboards, role: role)) != nil else { return [] }
            let rows = try await tx.query(
                """
                SELECT \(unescaped: Self.columns) FROM dashboard_shares s
                WHERE org_id = \(tx.org.rawValue) AND dashboard_id = \(dashboard.rawValue) ORDER BY created_at DESC, share_id
                """
            ).collect()
            return try rows.map(Self.share)
        }
    }

    /// Revokes a link at once (a second revoke keeps the first time).
    public func revoke(_ principal: Principal, share: DashboardShare.ID) async throws -> DashboardShareInfo {
        try await access.locate(.share(share), for: principal) { tx, role -> DashboardShareInfo? in
            let found = try await tx.query(
                "SELECT 1 FROM dashboard_shares WHERE org_id = \(tx.org.rawValue) AND share_id = \(share.rawValue) FOR UPDATE"
            ).collect()
            guard !found.isEmpty else { return nil }
            try access.check(principal, .saveDashboards, role: role)
            let rows = try await tx.query(
                """
                UPDATE dashboard_shares AS s SET revoked_at = coalesce(s.revoked_at, clock_timestamp())
                WHERE s.org_id = \(tx.org.rawValue) AND s.share_id = \(share.rawValue)
                RETURNING \(unescaped: Self.columns)
                """
            ).collect()
            return try Self.share(rows[0])
        }
    }

    /// Runs `body` in a report snapshot of the organization whose live link `token` is, with the link and its
    /// dashboard; `NOT_FOUND` ("shared dashboard not found") for a malformed, unknown or revoked token. Reports run
    /// under the organization's report admission, with the link as the requester.
    public func withShared<T: Sendable>(
        token: String, _ body: (TenantConnection, SharedDashboardInfo) async throws -> T
    ) async throws -> T {
        try await withSharedLink(token: token) { tx, link in
            guard let dashboard = try await DashboardService.find(link.share.dashboardID, in: tx, lock: false) else {
                throw Self.notFound
            }
            return try await body(tx, SharedDashboardInfo(share: link.share, dashboard: dashboard, timezone: link.timezone))
        }
    }

    /// As `withShared`, with the link, its dashboard's project and the project's time zone only (one query): what
    /// each report of a shared dashboard needs to reopen the link without reading the dashboard and its items again.
    public func withSharedLink<T: Sendable>(
        token: String, _ body: (TenantConnection, SharedLink) async throws -> T
    ) async throws -> T {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count == Self.tokenPrefix.utf8.count + 32 else { throw Self.notFound }
        let rows = try await database.client.query(
            "SELECT org_id, share_id FROM iv_lookup_dashboard_share(sha256(convert_to(\(token), 'UTF8')))", logger: database.logger
        ).collect()
        guard let (org, share) = try rows.first?.decode((UUID, UUID).self) else { throw Self.notFound }
        let result = try await ReportGate.$requester.withValue("share:\(share)") {
            try await database.withTenant(Org.ID(org), snapshot: true) { tx -> T? in
                let rows = try await tx.query(
                    """
                    SELECT \(unescaped: Self.columns), d.project_id, p.timezone FROM dashboard_shares s
                    JOIN dashboards d ON d.org_id = s.org_id AND d.dashboard_id = s.dashboard_id
                    JOIN projects p ON p.org_id = d.org_id AND p.project_id = d.project_id
                    WHERE s.org_id = \(tx.org.rawValue) AND s.share_id = \(share) AND s.revoked_at IS NULL
                    """
                ).collect()
                guard let row = rows.first else { return nil }
                let columns = row.makeRandomAccess()
                let link = SharedLink(
                    share: try Self.share(row), projectID: Project.ID(try columns[Self.columnCount].decode(UUID.self)),
                    timezone: try columns[Self.columnCount + 1].decode(String.self))
                return try await body(tx, link)
            }
        }
        guard let result else { throw Self.notFound }
        return result
    }

    /// A malformed, unknown or revoked link.
    static let notFound = ServiceError(.notFound, "shared dashboard not found: the link is not valid or was revoked")

    static let columns = "s.share_id, s.dashboard_id, s.prefix, s.allow_range_change, s.created_at, s.revoked_at"
    static let columnCount = 6

    /// Decodes the first `columnCount` columns of a row of `columns`.
    static func share(_ row: PostgresRow) throws -> DashboardShareInfo {
        let columns = row.makeRandomAccess()
        return DashboardShareInfo(
            id: DashboardShare.ID(try columns[0].decode(UUID.self)), dashboardID: Dashboard.ID(try columns[1].decode(UUID.self)),
            prefix: try columns[2].decode(String.self), allowRangeChange: try columns[3].decode(Bool.self),
            createdAt: try columns[4].decode(Date.self), revokedAt: try columns[5].decode(Date?.self))
    }
}
