import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy

/// An invitation to join an organization.
public enum Invitation {
    /// Tag type for invitation identifiers.
    public enum Tag {}
    /// An invitation's identifier.
    public typealias ID = TypedID<Tag>

    /// Where an invitation stands.
    public enum Status: String, Sendable, CaseIterable {
        /// Can still be accepted.
        case pending = "PENDING"
        /// Accepted: its invitee is a member.
        case accepted = "ACCEPTED"
        /// Revoked by an admin.
        case revoked = "REVOKED"
        /// Not accepted in time.
        case expired = "EXPIRED"
    }
}

/// An invitation as admins see it; `link` (holding the secret token) only in the answer that created it.
public struct InvitationInfo: Sendable, Equatable {
    /// Identifier.
    public var id: Invitation.ID
    /// The organization it is for.
    public var organizationID: Org.ID
    /// The invited address, as entered.
    public var email: String
    /// The role accepting it grants.
    public var role: Role
    /// Where it stands at the time of reading.
    public var status: Invitation.Status
    /// When it was created.
    public var createdAt: Date
    /// When it stops being acceptable.
    public var expiresAt: Date
    /// Who invited (nil once that account is deleted).
    public var invitedBy: UserInfo?
    /// `<IV_PUBLIC_URL>/invite/<token>`: only right after `invite`, never when listed.
    public var link: String?
    /// The secret token inside `link` (only right after `invite`).
    public var token: String?
}

/// What accepting an invitation gives: the new membership and its organization.
public struct AcceptedInvitation: Sendable, Equatable {
    /// The new member (the caller) and their role.
    public var member: MemberInfo
    /// The organization joined.
    public var organization: OrganizationInfo
}

/// Invitations: joining an organization takes the invitee's consent. `invite` (ADMIN and up; only OWNERs invite
/// OWNERs and ADMINs) stores an expiring token's SHA-256 and answers the same whatever the address (registered or not,
/// already a member or not); `accept` by a signed-in user whose email matches makes them a member, once.
public struct InvitationService: Sendable {
    let database: Database
    let access: TenantAccess
    let settings: AccountEmailSettings
    let mailer: (any Mailer)?
    let now: @Sendable () -> Date
    let newID: @Sendable () -> UUID

    /// - Parameters: mailer: sends the invitation mail (nil: the inviter shares the link); now: the clock (expiry).
    public init(
        database: Database, settings: AccountEmailSettings, mailer: (any Mailer)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, newID: @escaping @Sendable () -> UUID = { UUID() }
    ) {
        self.database = database
        self.access = TenantAccess(database: database)
        self.settings = settings
        self.mailer = mailer
        self.now = now
        self.newID = newID
    }

    /// Invites `email` with `role`, replacing an open invitation of the same address (its link stops working).
    /// `FORBIDDEN` when the actor may not grant `role` (or replace the open invitation's role), `BAD_USER_INPUT` for
    /// an invalid address or when the organization already has `maxPendingInvitations` pending ones.
    public func invite(_ principal: Principal, org: Org.ID, email rawEmail: String, role: Role) async throws -> InvitationInfo {
        let email = try InputCheck.email(rawEmail)
        guard SMTPClient.isSafeAddress(email) else { throw ServiceError(.badUserInput, "invalid email address") }
        let token = OneTimeToken.generate()
        let id = Invitation.ID(newID())
        let createdAt = now()
        let expiresAt = createdAt.addingTimeInterval(TimeInterval(settings.invitationDays) * 86_400)
        let (organization, inviter) = try await database.withTenant(org) { tx -> (String, UserInfo?) in
            let actor = try await access.authorize(principal, .manageMembers, in: tx)
            guard Policy.canManage(actor: actor, target: role) else { throw ServiceError.forbidden }
            // One invitation at a time per organization: the pending count and the open-address index stay exact.
            let orgRows = try await tx.query("SELECT name FROM organizations WHERE org_id = \(org.rawValue) FOR UPDATE").collect()
            guard let organization = try orgRows.first?.decode(String.self) else { throw ServiceError.notFound("organization") }
            let open = try await tx.query(
                """
                SELECT invitation_id, role FROM invitations
                WHERE org_id = \(org.rawValue) AND lower(email) = lower(\(email)) AND accepted_at IS NULL AND revoked_at IS NULL
                """
            ).collect()
            for row in open {
                let (openID, openRole) = try row.decode((UUID, String).self)
                guard let openRole = Role(rawValue: openRole), Policy.canManage(actor: actor, target: openRole) else {
                    throw ServiceError.forbidden
                }
                try await tx.query("DELETE FROM invitations WHERE org_id = \(org.rawValue) AND invitation_id = \(openID)")
            }
            let pending = try await tx.query(
                """
                SELECT count(*) FROM invitations
                WHERE org_id = \(org.rawValue) AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > \(createdAt)
                """
            ).collect()
            if try pending.first?.decode(Int.self) ?? 0 >= settings.maxPendingInvitations {
                throw ServiceError(
                    .badUserInput,
                    "this organization has \(settings.maxPendingInvitations) pending invitations; revoke some before inviting more")
            }
            try await tx.query(
                """
                INSERT INTO invitations (org_id, invitation_id, email, role, token_hash, invited_by, created_at, expires_at)
                VALUES (\(org.rawValue), \(id.rawValue), \(email), \(role.rawValue), \(OneTimeToken.hash(token)),
                        \(principal.userID.rawValue), \(createdAt), \(expiresAt))
                """)
            return (organization, try await Self.user(principal.userID, in: tx.connection, logger: tx.logger))
        }
        let link = settings.link("invite", token)
        mailer?.submit(
            Self.invitationMail(
                to: email, organization: organization, inviter: inviter, role: role, link: link,
                days: settings.invitationDays))
        return InvitationInfo(
            id: id, organizationID: org, email: email, role: role, status: .pending, createdAt: createdAt, expiresAt: expiresAt,
            invitedBy: inviter, link: link, token: token)
    }

    /// The organization's invitations, newest first, at most `listLimit` (ADMIN and up); without links.
    public func list(_ principal: Principal, org: Org.ID) async throws -> [InvitationInfo] {
        let at = now()
        return try await database.withTenant(org) { tx in
            try await access.authorize(principal, .manageMembers, in: tx)
            let rows = try await tx.query(
                """
                SELECT \(unescaped: Self.columns) FROM invitations i LEFT JOIN users u ON u.user_id = i.invited_by
                WHERE i.org_id = \(org.rawValue) ORDER BY i.created_at DESC, i.invitation_id LIMIT \(Self.listLimit)
                """
            ).collect()
            return try rows.map { try Self.info($0, org: org, at: at) }
        }
    }

    /// Most invitations `list` returns.
    public static let listLimit = 1_000

    /// Revokes a pending invitation (its link stops working); revoking a revoked one changes nothing. `NOT_FOUND` for
    /// unknown IDs and other organizations' invitations alike, `FORBIDDEN` when the actor may not manage its role,
    /// `BAD_USER_INPUT` once it was accepted (remove the member instead).
    public func revoke(_ principal: Principal, invitation id: Invitation.ID) async throws -> InvitationInfo {
        let at = now()
        let owner = try await database.client.query(
            "SELECT iv_invitation_org(\(id.rawValue))", logger: database.logger
        ).collect()
        guard let org = try owner.first?.decode(UUID?.self).map(Org.ID.init) else { throw ServiceError.notFound("invitation") }
        return try await database.withTenant(org) { tx in
            guard let actor = try await access.role(of: principal, in: tx) else { throw ServiceError.notFound("invitation") }
            try access.check(principal, .manageMembers, role: actor)
            guard var info = try await Self.locked(id, in: tx, at: at) else { throw ServiceError.notFound("invitation") }
            guard Policy.canManage(actor: actor, target: info.role) else { throw ServiceError.forbidden }
            switch info.status {
            case .accepted:
                throw ServiceError(.badUserInput, "this invitation was accepted; remove the member instead")
            case .revoked:
                return info
            case .pending, .expired:
                try await tx.query(
                    "UPDATE invitations SET revoked_at = \(at) WHERE org_id = \(org.rawValue) AND invitation_id = \(id.rawValue)")
                info.status = .revoked
                return info
            }
        }
    }

    /// Accepts the invitation holding `token` for the signed-in caller (sessions only: `FORBIDDEN` for API tokens).
    /// `NOT_FOUND` for an unknown token; `BAD_USER_INPUT` when it was used, revoked or expired, or the caller is
    /// already a member; `FORBIDDEN` when it was sent to another address than the caller's.
    public func accept(_ principal: Principal, token: String) async throws -> AcceptedInvitation {
        guard case .session = principal.credential else {
            throw ServiceError(.forbidden, "log in with email and password to accept an invitation")
        }
        guard OneTimeToken.isWellFormed(token) else { throw ServiceError.notFound("invitation") }
        let found = try await database.client.query(
            "SELECT org_id, invitation_id FROM iv_invitation_by_token(\(OneTimeToken.hash(token)))", logger: database.logger
        ).collect()
        guard let (org, id) = try found.first?.decode((UUID, UUID).self) else { throw ServiceError.notFound("invitation") }
        let at = now()
        return try await database.withTenant(Org.ID(org)) { tx in
            guard let invitation = try await Self.locked(Invitation.ID(id), in: tx, at: at) else {
                throw ServiceError.notFound("invitation")
            }
            switch invitation.status {
            case .accepted: throw ServiceError(.badUserInput, "this invitation was already used")
            case .revoked: throw ServiceError(.badUserInput, "this invitation was revoked; ask for a new one")
            case .expired: throw ServiceError(.badUserInput, "this invitation has expired; ask for a new one")
            case .pending: break
            }
            guard let user = try await Self.user(principal.userID, in: tx.connection, logger: tx.logger) else {
                throw ServiceError(.unauthenticated, "unknown user")
            }
            guard user.email.lowercased() == invitation.email.lowercased() else {
                throw ServiceError(
                    .forbidden, "this invitation is for another email address; sign in with the address it was sent to")
            }
            let inserted = try await tx.query(
                """
                INSERT INTO memberships (org_id, user_id, role) VALUES (\(org), \(user.id.rawValue), \(invitation.role.rawValue))
                ON CONFLICT (org_id, user_id) DO NOTHING RETURNING created_at
                """
            ).collect()
            guard let joinedAt = try inserted.first?.decode(Date.self) else {
                throw ServiceError(.badUserInput, "you are already a member of this organization")
            }
            try await tx.query(
                """
                UPDATE invitations SET accepted_at = \(at), accepted_by = \(user.id.rawValue)
                WHERE org_id = \(org) AND invitation_id = \(id)
                """)
            let orgRows = try await tx.query("SELECT name, created_at FROM organizations WHERE org_id = \(org)").collect()
            guard let (name, createdAt) = try orgRows.first?.decode((String, Date).self) else {
                throw ServiceError.notFound("invitation")
            }
            return AcceptedInvitation(
                member: MemberInfo(user: user, role: invitation.role, joinedAt: joinedAt),
                organization: OrganizationInfo(id: Org.ID(org), name: name, createdAt: createdAt))
        }
    }

    // MARK: - Rows

    private static let columns = """
        i.invitation_id, i.email, i.role, i.created_at, i.expires_at, i.accepted_at, i.revoked_at,
        u.user_id, u.email, u.name, u.created_at
        """

    /// The invitation `id` of the transaction's organization, row locked; nil when there is none.
    private static func locked(_ id: Invitation.ID, in tx: TenantConnection, at: Date) async throws -> InvitationInfo? {
        let rows = try await tx.query(
            """
            SELECT \(unescaped: columns) FROM invitations i LEFT JOIN users u ON u.user_id = i.invited_by
            WHERE i.org_id = \(tx.org.rawValue) AND i.invitation_id = \(id.rawValue) FOR UPDATE OF i
            """
        ).collect()
        return try rows.first.map { try info($0, org: tx.org, at: at) }
    }

    private static func info(_ row: PostgresRow, org: Org.ID, at: Date) throws -> InvitationInfo {
        let (id, email, role, createdAt, expiresAt, acceptedAt, revokedAt, inviterID, inviterEmail, inviterName, inviterCreated) =
            try row.decode((UUID, String, String, Date, Date, Date?, Date?, UUID?, String?, String?, Date?).self)
        guard let role = Role(rawValue: role) else { throw ServiceError(.internal, "unknown role \(role)") }
        let status: Invitation.Status =
            acceptedAt != nil ? .accepted : revokedAt != nil ? .revoked : expiresAt <= at ? .expired : .pending
        var inviter: UserInfo?
        if let inviterID, let inviterEmail, let inviterCreated {
            inviter = UserInfo(id: User.ID(inviterID), email: inviterEmail, name: inviterName, createdAt: inviterCreated)
        }
        return InvitationInfo(
            id: Invitation.ID(id), organizationID: org, email: email, role: role, status: status, createdAt: createdAt,
            expiresAt: expiresAt, invitedBy: inviter, link: nil, token: nil)
    }

    /// A user by ID (users are global: readable in any transaction).
    static func user(_ id: User.ID, in connection: PostgresConnection, logger: Logger) async throws -> UserInfo? {
        let rows = try await connection.query(
            "SELECT email, name, created_at FROM users WHERE user_id = \(id.rawValue)", logger: logger
        ).collect()
        return try rows.first.map { row in
            let (email, name, createdAt) = try row.decode((String, String?, Date).self)
            return UserInfo(id: id, email: email, name: name, createdAt: createdAt)
        }
    }

    /// The invitation mail.
    static func invitationMail(
        to email: String, organization: String, inviter: UserInfo?, role: Role, link: String, days: Int
    ) -> MailMessage {
        let who = inviter.map { user in user.name.map { "\($0) (\(user.email))" } ?? user.email } ?? "Someone"
        return MailMessage(
            to: email, subject: "You are invited to join \(organization) on InsightVault",
            body: """
                \(who) invited you to join the organization "\(organization)" on InsightVault as \(role.rawValue.lowercased()).

                To accept, sign in (or sign up) with this email address and open:

                \(link)

                The link works once and expires in \(days) day\(days == 1 ? "" : "s"). If you did not expect this invitation,
                ignore this mail: nothing happens unless you accept.
                """)
    }
}
