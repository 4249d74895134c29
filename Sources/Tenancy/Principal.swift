import Foundation
import Models

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
    public func scopeAllows(_ operation: Permission) -> Bool {
        guard case .personalToken(_, _, let scopes) = credential else { return true }
        return scopes.contains(Policy.requiredScope(for: operation))
    }
}

/// The verified contents of a session JWT.
public struct Session: Sendable, Equatable {
    /// The user the session acts for (`sub`).
    public var userID: User.ID
    /// When it was issued (`iat`).
    public var issuedAt: Date
    /// When it stops working (`exp`).
    public var expiresAt: Date
    /// Unique token id (`jti`).
    public var tokenID: String
    /// The user's `session_version` when issued (`pwd`); a password change bumps it and so ends older sessions.
    public var sessionVersion: Int

    /// Creates a session's claims.
    public init(userID: User.ID, issuedAt: Date, expiresAt: Date, tokenID: String, sessionVersion: Int) {
        self.userID = userID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.sessionVersion = sessionVersion
    }
}
