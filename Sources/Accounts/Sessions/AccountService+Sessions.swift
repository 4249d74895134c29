import Foundation
import Models
import Tenancy

/// Sessions as their user manages them: list the signed-in devices, end one, log out, log out everywhere. Only a
/// session may do this (`FORBIDDEN` for personal API tokens, which are revoked with `revokeApiToken`).
extension AccountService {
    /// Signs a session JWT and records its row; every session starts here.
    func startSession(for user: User.ID, version: Int, ip: String?, userAgent: String?) async throws -> IssuedSession {
        let issued = try await sessions.issue(for: user, sessionVersion: version)
        try await store.record(issued.session, userAgent: userAgent, ip: ip)
        return issued
    }

    /// The caller's live sessions, newest first.
    public func sessions(_ principal: Principal) async throws -> [SessionInfo] {
        _ = try Self.currentSession(principal)
        return try await store.list(user: principal.userID)
    }

    /// Ends one of the caller's own live sessions (possibly the current one); `NOT_FOUND` for any other id, whether
    /// unknown, ended or another user's (also for API tokens, which get `FORBIDDEN` only for their user's own ids).
    public func revokeSession(_ principal: Principal, id: String) async throws {
        guard case .session = principal.credential else {
            let own = try await store.list(user: principal.userID).contains { $0.id == id.lowercased() }
            if own { _ = try Self.currentSession(principal) }  // FORBIDDEN
            throw ServiceError.notFound("session")
        }
        guard try await store.revoke(user: principal.userID, id: id.lowercased()) else { throw ServiceError.notFound("session") }
    }

    /// Ends the session the caller is using.
    public func logOut(_ principal: Principal) async throws {
        let current = try Self.currentSession(principal)
        _ = try await store.revoke(user: principal.userID, id: current.tokenID)
    }

    /// Ends every session of the caller, the current one included; how many ended.
    public func logOutEverywhere(_ principal: Principal) async throws -> Int {
        _ = try Self.currentSession(principal)
        return try await store.revokeAll(user: principal.userID)
    }

    /// The session behind `principal`, or `FORBIDDEN` for an API token.
    static func currentSession(_ principal: Principal) throws(ServiceError) -> Session {
        guard case .session(let session) = principal.credential else {
            throw ServiceError(
                .forbidden, "API tokens have no sessions; log in with email and password (revoke tokens with revokeApiToken)")
        }
        return session
    }
}
