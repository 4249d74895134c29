import Models

/// What a member may try to do inside an organization (a permission); `Policy` says which roles have it.
public enum Permission: String, Sendable, CaseIterable {
    /// Read projects, events, reports, dashboards, members.
    case read = "READ"
    /// Create personal API tokens for oneself.
    case createPersonalToken = "CREATE_PERSONAL_TOKEN"
    /// Leave the organization (remove one's own membership): any role, but a write, so not with a READ token.
    case leaveOrganization = "LEAVE_ORGANIZATION"
    /// Create, change and delete saved reports.
    case saveReports = "SAVE_REPORTS"
    /// Create, change and delete dashboards.
    case saveDashboards = "SAVE_DASHBOARDS"
    /// Create, change and delete projects.
    case manageProjects = "MANAGE_PROJECTS"
    /// Create and revoke ingest tokens, and revoke other members' personal tokens.
    case manageTokens = "MANAGE_TOKENS"
    /// Add, change and remove MEMBER and VIEWER memberships.
    case manageMembers = "MANAGE_MEMBERS"
    /// Add, change and remove ADMIN memberships.
    case manageAdmins = "MANAGE_ADMINS"
    /// Add, change and remove OWNER memberships.
    case manageOwners = "MANAGE_OWNERS"
    /// Rename or delete the organization.
    case manageOrganization = "MANAGE_ORGANIZATION"
}

/// API-token scopes of personal tokens.
public enum TokenScope: String, Sendable, Codable, CaseIterable, Comparable {
    /// Queries.
    case read
    /// Mutations.
    case write

    /// Alphabetical, so stored scope arrays are sorted the same way every time.
    public static func < (lhs: TokenScope, rhs: TokenScope) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The role policy: VIEWER reads; MEMBER also saves reports and dashboards; ADMIN also manages projects, tokens and
/// members below ADMIN; OWNER everything, including other admins and owners.
public enum Policy {
    /// The least role allowed to perform `operation`.
    public static func minimumRole(for operation: Permission) -> Role {
        switch operation {
        case .read, .createPersonalToken, .leaveOrganization: .viewer
        case .saveReports, .saveDashboards: .member
        case .manageProjects, .manageTokens, .manageMembers: .admin
        case .manageAdmins, .manageOwners, .manageOrganization: .owner
        }
    }

    /// Whether `role` may perform `operation`.
    public static func allows(_ role: Role, _ operation: Permission) -> Bool {
        role.includes(minimumRole(for: operation))
    }

    /// The operation needed to grant, change or remove a membership with role `target`.
    public static func operation(forManaging target: Role) -> Permission {
        switch target {
        case .owner: .manageOwners
        case .admin: .manageAdmins
        case .member, .viewer: .manageMembers
        }
    }

    /// Whether `actor` may grant, change or remove memberships holding `target` (ADMIN only below ADMIN).
    public static func canManage(actor: Role, target: Role) -> Bool {
        allows(actor, operation(forManaging: target))
    }

    /// The personal-token scope an operation needs: `read` for reads, `write` for everything else.
    public static func requiredScope(for operation: Permission) -> TokenScope {
        operation == .read ? .read : .write
    }
}
