import Foundation
import Models

/// A user as the API shows it (never the password hash).
public struct UserInfo: Sendable, Equatable {
    /// Identifier.
    public var id: User.ID
    /// Email as entered at sign-up (compared case-insensitively).
    public var email: String
    /// Display name.
    public var name: String?
    /// When the account was created.
    public var createdAt: Date
}

/// An organization (tenant).
public struct OrganizationInfo: Sendable, Equatable {
    /// Identifier.
    public var id: Org.ID
    /// Display name.
    public var name: String
    /// When it was created.
    public var createdAt: Date
}

/// One of a user's memberships.
public struct MembershipInfo: Sendable, Equatable {
    /// The organization.
    public var organization: OrganizationInfo
    /// The user's role there.
    public var role: Role
}

/// A member of an organization.
public struct MemberInfo: Sendable, Equatable {
    /// The user.
    public var user: UserInfo
    /// Their role.
    public var role: Role
    /// When they joined.
    public var joinedAt: Date
}

/// What `signUp` returns.
public struct SignUpResult: Sendable, Equatable {
    /// A session for the new user.
    public var session: IssuedSession
    /// The new user.
    public var user: UserInfo
    /// Their first organization, where they are OWNER.
    public var organization: OrganizationInfo
}

/// What `logIn` returns.
public struct LogInResult: Sendable, Equatable {
    /// A new session.
    public var session: IssuedSession
    /// The user.
    public var user: UserInfo
}

/// What `me` returns.
public struct MeResult: Sendable, Equatable {
    /// The user.
    public var user: UserInfo
    /// Their memberships, oldest first (for a personal token: only the token's organization).
    public var memberships: [MembershipInfo]
    /// Whether the user proved their address (a verification link, a password reset).
    public var emailVerified = false
}
