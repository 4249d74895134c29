import Foundation
import JWTKit
import Models
import Tenancy

/// A freshly signed session token.
public struct IssuedSession: Sendable, Equatable {
    /// The JWT, for `Authorization: Bearer`.
    public var token: String
    /// Its claims.
    public var session: Session
}

/// The JWT claims InsightVault writes. Time claims are checked by `SessionTokens` with its injected clock.
struct SessionClaims: JWTPayload {
    var sub: SubjectClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var jti: IDClaim
    var pwd: Int

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Signs and verifies session JWTs (HS256) with rotating keys: one signing key, any number of older keys still
/// accepted for verification. Every token carries its key's `kid`; tokens with an unknown `kid`, another `alg`
/// (including `none`), a bad signature, or past their `exp` are refused with `UNAUTHENTICATED`.
public struct SessionTokens: Sendable {
    /// Default session lifetime: 12 hours.
    public static let defaultLifetime: TimeInterval = 12 * 3600

    private let keys: JWTKeyCollection
    private let signingKeyID: String
    private let acceptedKeyIDs: Set<String>
    /// How long new sessions last.
    public let lifetime: TimeInterval
    private let now: @Sendable () -> Date
    private let newID: @Sendable () -> UUID

    /// - Parameters:
    ///   - signingKey: signs new tokens (and verifies them).
    ///   - verificationKeys: older keys still accepted (rotation); keys must have distinct ids.
    ///   - lifetime: `exp - iat` of new tokens.
    ///   - now: the clock; `newID`: the source of `jti`s.
    public init(
        signingKey: SessionKey,
        verificationKeys: [SessionKey] = [],
        lifetime: TimeInterval = defaultLifetime,
        now: @escaping @Sendable () -> Date = { Date() },
        newID: @escaping @Sendable () -> UUID = { UUID() }
    ) async throws(SessionKeyError) {
        let all = [signingKey] + verificationKeys
        guard Set(all.map(\.id)).count == all.count else { throw SessionKeyError("JWT key ids must be distinct") }
        guard lifetime > 0 else { throw SessionKeyError("session lifetime must be positive") }
        let keys = JWTKeyCollection()
        for key in all {
            // SessionKey's initialiser already refused secrets under 32 bytes, before jwt-kit sees them.
            await keys.add(hmac: HMACKey(from: key.secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.id))
        }
        self.keys = keys
        self.signingKeyID = signingKey.id
        self.acceptedKeyIDs = Set(all.map(\.id))
        self.lifetime = lifetime
        self.now = now
        self.newID = newID
    }

    /// A new session token for `user` at `sessionVersion`.
    public func issue(for user: User.ID, sessionVersion: Int) async throws -> IssuedSession {
        // Whole seconds: JWT time claims are NumericDate and round-trip exactly.
        let issuedAt = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
        let session = Session(
            userID: user, issuedAt: issuedAt, expiresAt: issuedAt.addingTimeInterval(lifetime.rounded(.up)),
            tokenID: newID().uuidString.lowercased(), sessionVersion: sessionVersion)
        let claims = SessionClaims(
            sub: SubjectClaim(value: user.description), iat: IssuedAtClaim(value: session.issuedAt),
            exp: ExpirationClaim(value: session.expiresAt), jti: IDClaim(value: session.tokenID), pwd: sessionVersion)
        let token = try await keys.sign(claims, kid: JWKIdentifier(string: signingKeyID), header: ["typ": "JWT", "alg": "HS256"])
        return IssuedSession(token: token, session: session)
    }

    /// The session in `token`, or `UNAUTHENTICATED`. Does not check the user's current session version (the
    /// `Authenticator` does, against the database).
    public func verify(_ token: String) async throws(ServiceError) -> Session {
        let invalid = ServiceError(.unauthenticated, "invalid session token")
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count <= 8_192, let header = Self.decodeHeader(parts[0]) else { throw invalid }
        // jwt-kit falls back to its default key for an unknown kid and does not compare `alg` with the key: check both.
        guard header.alg == "HS256", let kid = header.kid, acceptedKeyIDs.contains(kid) else { throw invalid }
        let claims: SessionClaims
        do {
            claims = try await keys.verify(token, as: SessionClaims.self)
        } catch {
            throw invalid
        }
        guard let user = User.ID(uuidString: claims.sub.value) else { throw invalid }
        let current = now()
        guard claims.exp.value > current else { throw ServiceError(.unauthenticated, "session expired; log in again") }
        guard claims.iat.value <= current.addingTimeInterval(60) else { throw invalid }
        return Session(
            userID: user, issuedAt: claims.iat.value, expiresAt: claims.exp.value, tokenID: claims.jti.value,
            sessionVersion: claims.pwd)
    }

    private struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    private static func decodeHeader(_ part: Substring) -> Header? {
        var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONDecoder().decode(Header.self, from: data)
    }
}
