import Foundation
import Models
import NIOCore
import PostgresNIO
import Storage
import Tenancy

/// Turns an `Authorization` header value into a `Principal`: `Bearer <session JWT>` or `Bearer iv_pat_…`.
/// Anything else (missing, malformed, expired, revoked, unknown key, a session older than the last password change,
/// a session JWT without a live `sessions` row (logged out, revoked), a token whose user left the organization, an
/// ingest token) is `UNAUTHENTICATED`.
public struct Authenticator: Sendable {
    /// `lastUsedAt` is written only when the stored value is older than this, so busy tokens don't write per request.
    public static let lastUsedResolution: TimeInterval = 60

    let database: Database
    let sessions: SessionTokens
    let store: SessionStore
    let now: @Sendable () -> Date

    /// - Parameter now: the clock for token expiry and `lastUsedAt`.
    public init(database: Database, sessions: SessionTokens, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.sessions = sessions
        self.store = SessionStore(database: database, now: now)
        self.now = now
    }

    /// The principal behind an `Authorization` header value.
    public func authenticate(authorization: String?) async throws -> Principal {
        guard let authorization, let space = authorization.firstIndex(of: " "),
            authorization[..<space].lowercased() == "bearer"
        else { throw ServiceError(.unauthenticated, "missing or malformed Authorization header; use `Bearer <token>`") }
        let credential = authorization[authorization.index(after: space)...].trimmingCharacters(in: .whitespaces)
        return try await authenticate(token: credential)
    }

    /// The principal behind a bearer credential (a session JWT or a personal API token).
    public func authenticate(token: String) async throws -> Principal {
        if token.hasPrefix(APITokenService.prefix(for: .personal)) { return try await personalToken(token) }
        if token.hasPrefix(APITokenService.prefix(for: .ingest)) {
            throw ServiceError(.unauthenticated, "ingest tokens can only send events; use a personal API token")
        }
        let session = try await sessions.verify(token)
        guard let version = try await store.liveVersion(of: session) else {
            throw ServiceError(.unauthenticated, "session ended (logged out, revoked or expired); log in again")
        }
        guard version == session.sessionVersion else {
            throw ServiceError(.unauthenticated, "session ended (password changed); log in again")
        }
        return Principal(userID: session.userID, credential: .session(session))
    }

    private func personalToken(_ token: String) async throws -> Principal {
        let invalid = ServiceError(.unauthenticated, "unknown, revoked or expired API token")
        guard token.utf8.count <= 200 else { throw invalid }
        let rows = try await database.client.query(
            """
            SELECT org_id, token_id, user_id, scopes, role, expires_at, revoked_at, last_used_at
            FROM iv_lookup_personal_token(\(ByteBuffer(bytes: APITokenService.hash(token))))
            """,
            logger: database.logger
        ).collect()
        guard let row = rows.first else { throw invalid }
        let (org, id, user, scopes, role, expires, revoked, lastUsed) = try row.decode(
            (UUID, UUID, UUID, [String], String?, Date?, Date?, Date?).self)
        let current = now()
        guard revoked == nil, expires.map({ $0 > current }) ?? true, role != nil else { throw invalid }
        if lastUsed.map({ current.timeIntervalSince($0) >= Self.lastUsedResolution }) ?? true {
            let cutoff = current.addingTimeInterval(-Self.lastUsedResolution)
            try await database.withTenant(Org.ID(org)) { tx in
                _ = try await tx.query(
                    """
                    UPDATE api_tokens SET last_used_at = \(current)
                    WHERE org_id = \(org) AND token_id = \(id) AND (last_used_at IS NULL OR last_used_at <= \(cutoff))
                    """)
            }
        }
        return Principal(
            userID: User.ID(user),
            credential: .personalToken(
                id: APIToken.ID(id), org: Org.ID(org), scopes: Set(scopes.compactMap(TokenScope.init(rawValue:)))))
    }
}
