import Foundation
import Models
import PostgresNIO
import Storage

/// Who is making a request, as the `Authenticator` established it.
public struct Principal: Sendable, Equatable {
    /// How the principal authenticated.
    public enum Credential: Sendable, Equatable {
        /// A session JWT: acts in every organization the user belongs to, with the user's role there.
        case session(Session)
        /// A personal API token: acts only in `org`, only within `scopes`.
        case personalToken(id: APIToken.ID, org: Org.ID, scopes: Set<TokenScope>)
    }

    /// The user acting.
    public var userID: User.ID
    /// The credential used.
    public var credential: Credential

    /// Creates a principal.
    public init(userID: User.ID, credential: Credential) {
        self.userID = userID
        self.credential = credential
    }

    /// The one organization a personal token is limited to; `nil` for sessions.
    public var restrictedOrg: Org.ID? {
        if case .personalToken(_, let org, _) = credential { return org }
        return nil
    }

    /// Whether the credential's scopes allow `operation` (sessions allow everything the role allows).
    public func scopeAllows(_ operation: Operation) -> Bool {
        guard case .personalToken(_, _, let scopes) = credential else { return true }
        return scopes.contains(Policy.requiredScope(for: operation))
    }
}

/// Authorisation and object location shared by the services. Every tenant read goes through `Database.withTenant`.
struct TenantAccess: Sendable {
    let database: Database

    /// The principal's role in the transaction's organization after checking `operation`: `NOT_FOUND` when they are
    /// not a member (or a token of another organization), `FORBIDDEN` when role or scope do not allow it.
    @discardableResult
    func authorize(_ principal: Principal, _ operation: Operation, in tx: TenantConnection) async throws -> Role {
        guard let role = try await role(of: principal, in: tx) else { throw AuthError.notFound("organization") }
        guard principal.scopeAllows(operation) else {
            throw AuthError(.forbidden, "this API token lacks the '\(Policy.requiredScope(for: operation).rawValue)' scope")
        }
        guard Policy.allows(role, operation) else { throw AuthError.forbidden }
        return role
    }

    /// The principal's role in the transaction's organization, or `nil` when not a member (or the token's org differs).
    func role(of principal: Principal, in tx: TenantConnection) async throws -> Role? {
        if let org = principal.restrictedOrg, org != tx.org { return nil }
        let rows = try await tx.query(
            "SELECT role FROM memberships WHERE org_id = \(tx.org.rawValue) AND user_id = \(principal.userID.rawValue)"
        ).collect()
        return try rows.first.flatMap { Role(rawValue: try $0.decode(String.self)) }
    }

    /// The organizations the principal may act in with their role there: a token's one org, or all the user's orgs.
    func memberships(of principal: Principal) async throws -> [(org: Org.ID, role: Role)] {
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

    /// Runs `body` in the tenant transaction of each of the principal's organizations until it returns a value, so
    /// an object is found only where the principal is a member; other organizations' IDs give `NOT_FOUND`.
    func locate<T: Sendable>(
        _ what: String, for principal: Principal, snapshot: Bool = false, _ body: (TenantConnection) async throws -> T?
    ) async throws -> T {
        for membership in try await memberships(of: principal) {
            if let found = try await database.withTenant(membership.org, snapshot: snapshot, { try await body($0) }) { return found }
        }
        throw AuthError.notFound(what)
    }
}

extension PSQLError {
    /// The SQLSTATE of a server error, e.g. `23505` for a unique violation.
    var sqlState: String? { serverInfo?[.sqlState] }
}
