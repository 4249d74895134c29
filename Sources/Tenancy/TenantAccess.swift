import Foundation
import Models
import PostgresNIO
import Storage

/// Authorisation and object location shared by the services: the principal's role in an organization, and the one
/// place where an object named by ID alone is found in its organization. Every tenant read goes through
/// `Database.withTenant`, so row-level security backs every check made here.
public struct TenantAccess: Sendable {
    /// The application-role database.
    public let database: Database

    /// Creates the access checks over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// The principal's role in the transaction's organization after checking `operation`: `NOT_FOUND` when they are
    /// not a member (or a token of another organization), `FORBIDDEN` when role or scope do not allow it.
    @discardableResult
    public func authorize(_ principal: Principal, _ operation: Permission, in tx: TenantConnection) async throws -> Role {
        guard let role = try await role(of: principal, in: tx) else { throw ServiceError.notFound("organization") }
        return try check(principal, operation, role: role)
    }

    /// `role` (the principal's, already read) after checking that it and the credential's scopes allow `operation`:
    /// `FORBIDDEN` otherwise. `locate` hands its body the role, so the body checks without another query.
    @discardableResult
    public func check(_ principal: Principal, _ operation: Permission, role: Role) throws(ServiceError) -> Role {
        guard principal.scopeAllows(operation) else {
            throw ServiceError(.forbidden, "this API token lacks the '\(Policy.requiredScope(for: operation).rawValue)' scope")
        }
        guard Policy.allows(role, operation) else { throw ServiceError.forbidden }
        return role
    }

    /// The principal's role in the transaction's organization, or `nil` when not a member (or the token's org differs).
    public func role(of principal: Principal, in tx: TenantConnection) async throws -> Role? {
        if let org = principal.restrictedOrg, org != tx.org { return nil }
        let rows = try await tx.query(
            "SELECT role FROM memberships WHERE org_id = \(tx.org.rawValue) AND user_id = \(principal.userID.rawValue)"
        ).collect()
        return try rows.first.flatMap { Role(rawValue: try $0.decode(String.self)) }
    }

    /// The organizations the principal may act in with their role there: a token's one org, or all the user's orgs.
    public func memberships(of principal: Principal) async throws -> [(org: Org.ID, role: Role)] {
        let rows = try await database.client.query(
            "SELECT org_id, role FROM iv_user_memberships(\(principal.userID.rawValue))", logger: database.logger
        ).collect()
        return try rows.compactMap { row in
            let (org, role) = try row.decode((UUID, String).self)
            guard let role = Role(rawValue: role) else { return nil }
            if let only = principal.restrictedOrg, only.rawValue != org { return nil }
            return (Org.ID(org), role)
        }
    }

    /// Runs `body` in the tenant transaction of the organization that owns `object` (one lookup, one transaction,
    /// however many organizations the principal belongs to) when the principal is a member there, with the
    /// principal's role there (check it with `check`). `body` returns `nil` for "not here". Unknown IDs, IDs of other organizations' objects and `nil` from `body` all give the
    /// same `NOT_FOUND` ("project not found", ...), so IDs reveal nothing across tenants.
    public func locate<T: Sendable>(
        _ object: OwnedObject, for principal: Principal, snapshot: Bool = false,
        _ body: (TenantConnection, Role) async throws -> T?
    ) async throws -> T {
        // Reports are admitted per organization and per user (`ReportGate`).
        let found = try await ReportGate.$requester.withValue(principal.userID.description) {
            try await database.withTenant(owning: object, snapshot: snapshot) { tx -> T? in
                guard let role = try await role(of: principal, in: tx) else { return nil }
                return try await body(tx, role)
            }
        }
        guard let found else { throw ServiceError.notFound(object.kind) }
        return found
    }
}

extension PSQLError {
    /// The SQLSTATE of a server error, e.g. `23505` for a unique violation.
    public var sqlState: String? { serverInfo?[.sqlState] }
}
