import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy

/// Organization memberships: list, invite (`addMember`), change role, remove. ADMINs manage only MEMBER and VIEWER memberships;
/// OWNERs manage all. The last OWNER can neither leave nor be demoted (`BAD_USER_INPUT`). Anyone may leave.
public struct MemberService: Sendable {
    let database: Database
    let access: TenantAccess
    /// Invitations, which `addMember` creates.
    public let invitations: InvitationService

    /// Creates the service; without `invitations`, links point at `http://127.0.0.1:8080` and no mail is sent.
    public init(database: Database, invitations: InvitationService? = nil) {
        self.database = database
        self.access = TenantAccess(database: database)
        self.invitations =
            invitations ?? InvitationService(database: database, settings: AccountEmailSettings(publicURL: "http://127.0.0.1:8080"))
    }

    /// The organization's members, oldest first. Needs `read`.
    public func list(_ principal: Principal, org: Org.ID) async throws -> [MemberInfo] {
        try await database.withTenant(org) { tx in
            try await access.authorize(principal, .read, in: tx)
            let rows = try await tx.query(
                """
                SELECT u.user_id, u.email, u.name, u.created_at, m.role, m.created_at
                FROM memberships m JOIN users u ON u.user_id = m.user_id
                WHERE m.org_id = \(org.rawValue) ORDER BY m.created_at, u.user_id
                """
            ).collect()
            return try rows.map(Self.member)
        }
    }

    /// Invites `email` with `role` (see `InvitationService.invite`): nobody becomes a member until the invitee accepts
    /// with the invitation's token, and the answer is the same whether or not the address has an account.
    public func addMember(_ principal: Principal, org: Org.ID, email: String, role: Role) async throws -> InvitationInfo {
        try await invitations.invite(principal, org: org, email: email, role: role)
    }

    /// Changes a member's role. The actor must be allowed to manage both the old and the new role.
    public func changeRole(_ principal: Principal, org: Org.ID, user: User.ID, role: Role) async throws -> MemberInfo {
        try await database.withTenant(org) { tx in
            let actor = try await access.authorize(principal, .manageMembers, in: tx)
            let owners = try await lockOwners(in: tx)
            let current = try await lockedRole(of: user, in: tx)
            guard Policy.canManage(actor: actor, target: current), Policy.canManage(actor: actor, target: role) else {
                throw ServiceError.forbidden
            }
            if current == .owner && role != .owner && owners.subtracting([user]).isEmpty {
                throw ServiceError(.badUserInput, "the last owner can't be demoted")
            }
            try await tx.query(
                "UPDATE memberships SET role = \(role.rawValue) WHERE org_id = \(org.rawValue) AND user_id = \(user.rawValue)")
            return try await member(user, in: tx)
        }
    }

    /// Removes a member, or lets the principal leave (`user == principal.userID`).
    public func removeMember(_ principal: Principal, org: Org.ID, user: User.ID) async throws {
        try await database.withTenant(org) { tx in
            let actor = try await access.authorize(principal, user == principal.userID ? .leaveOrganization : .manageMembers, in: tx)
            let owners = try await lockOwners(in: tx)
            let current = try await lockedRole(of: user, in: tx)
            if user != principal.userID {
                guard Policy.canManage(actor: actor, target: current) else { throw ServiceError.forbidden }
            }
            if current == .owner && owners.subtracting([user]).isEmpty {
                throw ServiceError(.badUserInput, "the last owner can't leave the organization")
            }
            try await tx.query("DELETE FROM memberships WHERE org_id = \(org.rawValue) AND user_id = \(user.rawValue)")
        }
    }

    /// The member's role, locking the row; `NOT_FOUND` when they are not a member.
    private func lockedRole(of user: User.ID, in tx: TenantConnection) async throws -> Role {
        let rows = try await tx.query(
            "SELECT role FROM memberships WHERE org_id = \(tx.org.rawValue) AND user_id = \(user.rawValue) FOR UPDATE"
        ).collect()
        guard let role = try rows.first.flatMap({ Role(rawValue: try $0.decode(String.self)) }) else {
            throw ServiceError.notFound("member")
        }
        return role
    }

    /// The organization's owners, locking their rows first and in a fixed order, so two owners demoting each other
    /// at once are serialised (the second sees one owner left) instead of deadlocking.
    private func lockOwners(in tx: TenantConnection) async throws -> Set<User.ID> {
        let rows = try await tx.query(
            """
            SELECT user_id FROM memberships WHERE org_id = \(tx.org.rawValue) AND role = 'OWNER' ORDER BY user_id FOR UPDATE
            """
        ).collect()
        return Set(try rows.map { User.ID(try $0.decode(UUID.self)) })
    }

    private func member(_ user: User.ID, in tx: TenantConnection) async throws -> MemberInfo {
        let rows = try await tx.query(
            """
            SELECT u.user_id, u.email, u.name, u.created_at, m.role, m.created_at
            FROM memberships m JOIN users u ON u.user_id = m.user_id
            WHERE m.org_id = \(tx.org.rawValue) AND m.user_id = \(user.rawValue)
            """
        ).collect()
        guard let row = rows.first else { throw ServiceError.notFound("member") }
        return try Self.member(row)
    }

    private static func member(_ row: PostgresRow) throws -> MemberInfo {
        let (id, email, name, createdAt, role, joinedAt) = try row.decode((UUID, String, String?, Date, String, Date).self)
        guard let role = Role(rawValue: role) else { throw ServiceError(.internal, "unknown role \(role)") }
        return MemberInfo(
            user: UserInfo(id: User.ID(id), email: email, name: name, createdAt: createdAt), role: role, joinedAt: joinedAt)
    }
}
