import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy

/// One live session as its user sees it in their list of signed-in devices.
public struct SessionInfo: Sendable, Equatable {
    /// The session id (the JWT's `jti`).
    public var id: String
    /// When it was issued.
    public var createdAt: Date
    /// When it was last used (to the minute).
    public var lastSeenAt: Date
    /// When it stops working.
    public var expiresAt: Date
    /// The client's `User-Agent` when it logged in (at most 256 characters).
    public var userAgent: String?
    /// The client's address when it logged in.
    public var ip: String?
}

/// The server side of sessions (`sessions` table, reached through SECURITY DEFINER functions): a session JWT works
/// only while its row exists, is not revoked and has not expired. Each user keeps at most `maxLivePerUser` live
/// sessions (starting one more revokes the oldest); expired rows are deleted when sessions start.
public struct SessionStore: Sendable {
    /// Default bound on one user's live sessions.
    public static let defaultMaxLivePerUser = 100

    let database: Database
    /// Most live sessions per user.
    public let maxLivePerUser: Int
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - maxLivePerUser: starting a session beyond this revokes the user's oldest.
    ///   - now: the clock for expiry and `lastSeenAt`.
    public init(
        database: Database, maxLivePerUser: Int = defaultMaxLivePerUser, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.maxLivePerUser = maxLivePerUser
        self.now = now
    }

    /// Records a freshly issued session with the client's user agent and address.
    public func record(_ session: Session, userAgent: String?, ip: String?) async throws {
        guard let id = UUID(uuidString: session.tokenID) else { throw ServiceError(.internal, "session id is not a UUID") }
        _ = try await database.client.query(
            """
            SELECT iv_session_start(
                \(id), \(session.userID.rawValue), \(session.issuedAt), \(session.expiresAt),
                \(userAgent.map { String($0.prefix(256)) }), \(ip.map { String($0.prefix(64)) }), \(maxLivePerUser)::integer, \(now()))
            """,
            logger: database.logger)
    }

    /// The user's session version if `session` is live (recorded, not revoked, not expired), else nil.
    func liveVersion(of session: Session) async throws -> Int? {
        guard let id = UUID(uuidString: session.tokenID) else { return nil }
        let rows = try await database.client.query(
            "SELECT iv_session_check(\(id), \(session.userID.rawValue), \(now()))", logger: database.logger
        ).collect()
        return try rows.first?.decode(Int?.self)
    }

    /// The user's live sessions, newest first.
    public func list(user: User.ID) async throws -> [SessionInfo] {
        let rows = try await database.client.query(
            """
            SELECT session_id, created_at, last_seen_at, expires_at, user_agent, ip FROM iv_sessions_of(\(user.rawValue), \(now()))
            """,
            logger: database.logger
        ).collect()
        return try rows.map { row in
            let (id, created, seen, expires, agent, ip) = try row.decode((UUID, Date, Date, Date, String?, String?).self)
            return SessionInfo(
                id: id.uuidString.lowercased(), createdAt: created, lastSeenAt: seen, expiresAt: expires, userAgent: agent, ip: ip)
        }
    }

    /// Revokes one live session of `user`; false when `user` has none with that id.
    public func revoke(user: User.ID, id: String) async throws -> Bool {
        guard let id = UUID(uuidString: id) else { return false }
        let rows = try await database.client.query(
            "SELECT iv_session_revoke(\(user.rawValue), \(id), \(now()))", logger: database.logger
        ).collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Revokes every live session of `user`; how many.
    @discardableResult
    public func revokeAll(user: User.ID) async throws -> Int {
        let rows = try await database.client.query(
            "SELECT iv_sessions_revoke_all(\(user.rawValue), \(now()))", logger: database.logger
        ).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }
}
