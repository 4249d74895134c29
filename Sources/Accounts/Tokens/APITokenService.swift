import Crypto
import Foundation
import Models
import NIOCore
import PostgresNIO
import Storage
import Tenancy

/// An API token's metadata (never the secret).
public struct APITokenInfo: Sendable, Equatable {
    /// Identifier.
    public var id: APIToken.ID
    /// Its organization.
    public var organizationID: Org.ID
    /// INGEST or PERSONAL.
    public var kind: TokenKind
    /// Display name.
    public var name: String
    /// The first characters of the token, to recognise it in lists (`iv_ing_Ab3x`).
    public var prefix: String
    /// INGEST: the project it writes to.
    public var projectID: Project.ID?
    /// PERSONAL: the user it acts for.
    public var userID: User.ID?
    /// PERSONAL: its scopes.
    public var scopes: Set<TokenScope>
    /// When it was created.
    public var createdAt: Date
    /// Last use, recorded at most once a minute.
    public var lastUsedAt: Date?
    /// When it stops working, if ever.
    public var expiresAt: Date?
    /// When it was revoked, if it was.
    public var revokedAt: Date?
}

/// A token just created: the only time the secret is available.
public struct CreatedAPIToken: Sendable, Equatable {
    /// The secret (`iv_ing_…` / `iv_pat_…`); shown once, stored only as its SHA-256.
    public var token: String
    /// Its metadata.
    public var info: APITokenInfo
}

/// Creates, lists and revokes API tokens. INGEST tokens (ADMIN and up) write events to one project; PERSONAL tokens
/// (any member, for themselves) act for their user in one organization within their scopes. Revoking someone
/// else's token needs ADMIN; one's own personal token can always be revoked.
public struct APITokenService: Sendable {
    /// Random characters after the kind prefix: 32 base62 characters, about 190 bits.
    public static let randomLength = 32
    /// Characters of the token kept as its display prefix (kind prefix plus 4 random characters).
    static let displayLength = 11

    let database: Database
    let access: TenantAccess
    let now: @Sendable () -> Date
    let newID: @Sendable () -> UUID

    /// - Parameters: now: the clock (expiry checks); newID: the source of token IDs.
    public init(
        database: Database, now: @escaping @Sendable () -> Date = { Date() }, newID: @escaping @Sendable () -> UUID = { UUID() }
    ) {
        self.database = database
        self.access = TenantAccess(database: database)
        self.now = now
        self.newID = newID
    }

    /// A new random token of `kind`: `iv_ing_` or `iv_pat_` and 32 base62 characters from the system CSPRNG.
    public static func generate(_ kind: TokenKind) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let random = (0..<randomLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return prefix(for: kind) + String(random)
    }

    /// `iv_ing_` or `iv_pat_`.
    public static func prefix(for kind: TokenKind) -> String {
        switch kind {
        case .ingest: "iv_ing_"
        case .personal: "iv_pat_"
        }
    }

    /// The SHA-256 of a token, as stored in `api_tokens.token_hash`.
    public static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }

    /// Creates an INGEST token for `project` (needs `manageTokens`).
    public func createIngestToken(_ principal: Principal, project: Project.ID, name: String) async throws -> CreatedAPIToken {
        let name = try InputCheck.name(name, field: "token name")
        let token = Self.generate(.ingest)
        let id = APIToken.ID(newID())
        return try await access.locate(.project(project), for: principal) { tx, role -> CreatedAPIToken? in
            let found = try await tx.query(
                "SELECT 1 FROM projects WHERE org_id = \(tx.org.rawValue) AND project_id = \(project.rawValue)"
            ).collect()
            guard !found.isEmpty else { return nil }
            try access.check(principal, .manageTokens, role: role)
            let rows = try await tx.query(
                """
                INSERT INTO api_tokens (org_id, token_id, kind, name, project_id, prefix, token_hash)
                VALUES (\(tx.org.rawValue), \(id.rawValue), 'INGEST', \(name), \(project.rawValue),
                        \(String(token.prefix(Self.displayLength))), \(ByteBuffer(bytes: Self.hash(token))))
                RETURNING \(unescaped: Self.columns)
                """
            ).collect()
            return CreatedAPIToken(token: token, info: try Self.info(rows[0]))
        }
    }

    /// Creates a PERSONAL token acting for the principal in `org` with `scopes` (at least one) and an optional
    /// future `expiresAt`. A personal token cannot create further tokens with more scopes than it has, nor one that
    /// outlives it (`FORBIDDEN`): created by an expiring token, the new one must expire no later.
    public func createPersonalToken(
        _ principal: Principal, org: Org.ID, name: String, scopes: Set<TokenScope>, expiresAt: Date? = nil
    ) async throws -> CreatedAPIToken {
        let name = try InputCheck.name(name, field: "token name")
        guard !scopes.isEmpty else { throw ServiceError(.badUserInput, "a personal token needs at least one scope") }
        if case .personalToken(_, _, let own) = principal.credential, !scopes.isSubset(of: own) {
            throw ServiceError(.forbidden, "a token cannot grant scopes it does not have")
        }
        if let expiresAt, expiresAt <= now() { throw ServiceError(.badUserInput, "expiresAt must be in the future") }
        let token = Self.generate(.personal)
        let id = APIToken.ID(newID())
        return try await database.withTenant(org) { tx in
            try await access.authorize(principal, .createPersonalToken, in: tx)
            if case .personalToken(let creator, _, _) = principal.credential {
                let rows = try await tx.query(
                    "SELECT expires_at FROM api_tokens WHERE org_id = \(org.rawValue) AND token_id = \(creator.rawValue)"
                ).collect()
                // PostgreSQL keeps microseconds: a time equal to the creator's up to that precision is not later.
                if let ends = try rows.first?.decode(Date?.self), expiresAt.map({ $0.timeIntervalSince(ends) >= 0.000_001 }) ?? true {
                    throw ServiceError(.forbidden, "a token cannot outlive the token that creates it (set expiresAt no later)")
                }
            }
            let rows = try await tx.query(
                """
                INSERT INTO api_tokens (org_id, token_id, kind, name, user_id, prefix, token_hash, scopes, expires_at)
                VALUES (\(org.rawValue), \(id.rawValue), 'PERSONAL', \(name), \(principal.userID.rawValue),
                        \(String(token.prefix(Self.displayLength))), \(ByteBuffer(bytes: Self.hash(token))),
                        \(scopes.sorted().map(\.rawValue)), \(expiresAt))
                RETURNING \(unescaped: Self.columns)
                """
            ).collect()
            return CreatedAPIToken(token: token, info: try Self.info(rows[0]))
        }
    }

    /// The organization's tokens, newest first: all of them for ADMIN and up, otherwise the principal's own.
    public func list(_ principal: Principal, org: Org.ID) async throws -> [APITokenInfo] {
        try await database.withTenant(org) { tx in
            let role = try await access.authorize(principal, .read, in: tx)
            let all = Policy.allows(role, .manageTokens)
            let rows = try await tx.query(
                """
                SELECT \(unescaped: Self.columns) FROM api_tokens
                WHERE org_id = \(org.rawValue) AND (\(all) OR user_id = \(principal.userID.rawValue))
                ORDER BY created_at DESC, token_id
                """
            ).collect()
            return try rows.map(Self.info)
        }
    }

    /// Revokes a token at once (personal tokens stop working on the next request; ingest tokens within the ingest
    /// cache's TTL). Revoking again keeps the first revocation time.
    public func revoke(_ principal: Principal, token: APIToken.ID) async throws -> APITokenInfo {
        try await access.locate(.token(token), for: principal) { tx, role -> APITokenInfo? in
            let rows = try await tx.query(
                "SELECT kind, user_id FROM api_tokens WHERE org_id = \(tx.org.rawValue) AND token_id = \(token.rawValue) FOR UPDATE"
            ).collect()
            guard let row = rows.first else { return nil }
            let (kind, owner) = try row.decode((String, UUID?).self)
            let own = kind == TokenKind.personal.rawValue && owner == principal.userID.rawValue
            try access.check(principal, own ? .createPersonalToken : .manageTokens, role: role)
            let updated = try await tx.query(
                """
                UPDATE api_tokens SET revoked_at = coalesce(revoked_at, \(now()))
                WHERE org_id = \(tx.org.rawValue) AND token_id = \(token.rawValue)
                RETURNING \(unescaped: Self.columns)
                """
            ).collect()
            return try Self.info(updated[0])
        }
    }

    static let columns =
        "token_id, org_id, kind, name, prefix, project_id, user_id, scopes, created_at, last_used_at, expires_at, revoked_at"

    static func info(_ row: PostgresRow) throws -> APITokenInfo {
        let (id, org, kind, name, prefix, project, user, scopes, createdAt, lastUsed, expires, revoked) = try row.decode(
            (UUID, UUID, String, String, String, UUID?, UUID?, [String], Date, Date?, Date?, Date?).self)
        guard let kind = TokenKind(rawValue: kind) else { throw ServiceError(.internal, "unknown token kind \(kind)") }
        return APITokenInfo(
            id: APIToken.ID(id), organizationID: Org.ID(org), kind: kind, name: name, prefix: prefix,
            projectID: project.map(Project.ID.init), userID: user.map(User.ID.init),
            scopes: Set(scopes.compactMap(TokenScope.init(rawValue:))), createdAt: createdAt, lastUsedAt: lastUsed,
            expiresAt: expires, revokedAt: revoked)
    }
}
