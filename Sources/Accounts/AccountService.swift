import Foundation
import Metrics
import Models
import PostgresNIO
import Storage
import Tenancy

/// Sign-up, log-in, `me` and password changes.
public struct AccountService: Sendable {
    let database: Database
    let passwords: PasswordService
    let sessions: SessionTokens
    let throttle: LoginThrottle
    /// Server-side sessions: every issued JWT gets a row.
    let store: SessionStore
    let access: TenantAccess
    let newID: @Sendable () -> UUID
    /// Email verification and password reset (off without mail).
    public let emails: EmailTokenService

    /// - Parameters: newID: the source of new user and organization IDs (inject a sequence in tests); emails: mailed
    ///   tokens (default: none, mail off).
    public init(
        database: Database, passwords: PasswordService, sessions: SessionTokens, throttle: LoginThrottle,
        newID: @escaping @Sendable () -> UUID = { UUID() }, emails: EmailTokenService? = nil,
        sessionStore: SessionStore? = nil
    ) {
        self.database = database
        self.passwords = passwords
        self.sessions = sessions
        self.throttle = throttle
        self.store = sessionStore ?? SessionStore(database: database, now: throttle.now)
        self.access = TenantAccess(database: database)
        self.newID = newID
        self.emails =
            emails
            ?? EmailTokenService(
                database: database, passwords: passwords, settings: AccountEmailSettings(publicURL: "http://127.0.0.1:8080"),
                mailer: nil)
    }

    /// Creates the user, their first organization and their OWNER membership in one transaction, and logs them in.
    /// `BAD_USER_INPUT` for invalid input or an email already registered (in any letter case); `RATE_LIMITED` past
    /// the sign-ups allowed per address (`ip`). The session records `ip` and `userAgent`.
    public func signUp(
        email: String, password: String, name: String?, organizationName: String, ip: String? = nil, userAgent: String? = nil
    ) async throws -> SignUpResult {
        try await throttle.reserveSignUp(address: ip)
        let email = try InputCheck.email(email)
        let name = try InputCheck.optionalName(name, field: "name")
        let organizationName = try InputCheck.name(organizationName, field: "organization name")
        let hash = try await passwords.hash(password)
        let user = User.ID(newID())
        let org = Org.ID(newID())
        let (userInfo, orgInfo) = try await database.withTenant(org) { tx -> (UserInfo, OrganizationInfo) in
            let userRows: [PostgresRow]
            do {
                userRows = try await tx.query(
                    """
                    INSERT INTO users (user_id, email, name, password_hash) VALUES (\(user.rawValue), \(email), \(name), \(hash))
                    RETURNING created_at
                    """
                ).collect()
            } catch let error as PSQLError where error.sqlState == "23505" {
                throw ServiceError(.badUserInput, "an account with this email already exists")
            }
            let orgRows = try await tx.query(
                "INSERT INTO organizations (org_id, name) VALUES (\(org.rawValue), \(organizationName)) RETURNING created_at"
            ).collect()
            try await tx.query(
                "INSERT INTO memberships (org_id, user_id, role) VALUES (\(org.rawValue), \(user.rawValue), \(Role.owner.rawValue))")
            return (
                UserInfo(id: user, email: email, name: name, createdAt: try userRows[0].decode(Date.self)),
                OrganizationInfo(id: org, name: organizationName, createdAt: try orgRows[0].decode(Date.self))
            )
        }
        // After the commit: a failed send is logged by the outbox, and a link that cannot be stored (the user can ask
        // again with resendVerificationEmail) does not fail the sign-up either.
        _ = try? await emails.sendVerification(to: user)
        let session = try await startSession(for: user, version: 0, ip: ip, userAgent: userAgent)
        return SignUpResult(session: session, user: userInfo, organization: orgInfo)
    }

    /// Creates an organization with the principal as OWNER, inside the new organization's tenant transaction.
    /// Sessions only (`FORBIDDEN` for API tokens: a personal token is limited to its one organization).
    public func createOrganization(_ principal: Principal, name: String) async throws -> OrganizationInfo {
        guard case .session = principal.credential else {
            throw ServiceError(.forbidden, "API tokens cannot create organizations; log in with email and password")
        }
        let name = try InputCheck.name(name, field: "organization name")
        let org = Org.ID(newID())
        let createdAt = try await database.withTenant(org) { tx -> Date in
            let rows = try await tx.query(
                "INSERT INTO organizations (org_id, name) VALUES (\(org.rawValue), \(name)) RETURNING created_at"
            ).collect()
            try await tx.query(
                """
                INSERT INTO memberships (org_id, user_id, role)
                VALUES (\(org.rawValue), \(principal.userID.rawValue), \(Role.owner.rawValue))
                """)
            return try rows[0].decode(Date.self)
        }
        return OrganizationInfo(id: org, name: name, createdAt: createdAt)
    }

    /// Logs in with email and password. Every failure is the same `UNAUTHENTICATED` "invalid email or password",
    /// taking the same time whether the email exists or not; an email over 254 characters is `BAD_USER_INPUT`.
    /// Attempts are reserved in the throttle before the password is checked (`RATE_LIMITED` with a retry-after once
    /// the account from this `ip`, or this `ip` over all accounts, failed too often). Re-hashes the password when the
    /// argon2id parameters changed. The new session records `ip` and `userAgent`.
    public func logIn(email rawEmail: String, password: String, ip: String?, userAgent: String? = nil) async throws -> LogInResult {
        let email = try InputCheck.email(rawEmail)
        let reservation: LoginThrottle.Reservation
        do {
            reservation = try await throttle.reserveLogIn(email: email, address: ip)
        } catch let error as ServiceError where error.code == .rateLimited {
            Self.loginFailed(reason: "throttled")
            throw error
        }
        // The hash comes through a SECURITY DEFINER function: the application role cannot read the column.
        let rows = try await database.client.query(
            "SELECT user_id, email, name, created_at, password_hash, session_version FROM iv_login_lookup(\(email))",
            logger: database.logger
        ).collect()
        let found = try rows.first.map { try $0.decode((UUID, String, String?, Date, String, Int).self) }
        guard try await passwords.verify(password, against: found?.4), let found else {
            Self.loginFailed(reason: "bad_credentials")
            throw ServiceError.invalidCredentials
        }
        try await throttle.succeeded(reservation)
        let (id, storedEmail, name, createdAt, hash, version) = found
        if passwords.needsRehash(hash), let newHash = try? await passwords.hash(password) {
            // Only if nobody changed the password meanwhile; the session version stays (same password).
            _ = try? await database.client.query(
                "SELECT iv_replace_password_hash(\(id), \(hash), \(newHash))", logger: database.logger)
        }
        let session = try await startSession(for: User.ID(id), version: version, ip: ip, userAgent: userAgent)
        return LogInResult(session: session, user: UserInfo(id: User.ID(id), email: storedEmail, name: name, createdAt: createdAt))
    }

    /// Counts a refused log-in (`insightvault_login_failures_total{reason}`: `bad_credentials` or `throttled`).
    static func loginFailed(reason: String) {
        Counter(label: "insightvault_login_failures_total", dimensions: [("reason", reason)]).increment()
    }

    /// Changes the principal's password after checking the current one (sessions only, not API tokens). Bumps the
    /// session version and revokes every session, so every older session stops working; returns a new session
    /// recording `ip` and `userAgent`.
    public func changePassword(
        _ principal: Principal, current: String, new: String, ip: String? = nil, userAgent: String? = nil
    ) async throws -> IssuedSession {
        guard case .session = principal.credential else {
            throw ServiceError(.forbidden, "log in with email and password to change the password")
        }
        try PasswordService.validate(new)
        let rows = try await database.client.query(
            "SELECT iv_password_hash(\(principal.userID.rawValue))", logger: database.logger
        ).collect()
        guard let oldHash = try rows.first?.decode(String?.self) else { throw ServiceError(.unauthenticated, "unknown user") }
        guard try await passwords.verify(current, against: oldHash) else {
            throw ServiceError(.badUserInput, "the current password is wrong")
        }
        let newHash = try await passwords.hash(new)
        let updated = try await database.client.query(
            """
            UPDATE users SET password_hash = \(newHash), password_changed_at = now(), session_version = session_version + 1
            WHERE user_id = \(principal.userID.rawValue) RETURNING session_version
            """,
            logger: database.logger
        ).collect()
        guard let version = try updated.first?.decode(Int.self) else { throw ServiceError(.unauthenticated, "unknown user") }
        try await store.revokeAll(user: principal.userID)
        return try await startSession(for: principal.userID, version: version, ip: ip, userAgent: userAgent)
    }

    /// The principal's user and memberships; each organization is read inside its own tenant transaction.
    public func me(_ principal: Principal) async throws -> MeResult {
        let rows = try await database.client.query(
            "SELECT email, name, created_at, email_verified_at FROM users WHERE user_id = \(principal.userID.rawValue)",
            logger: database.logger
        ).collect()
        guard let row = rows.first else { throw ServiceError(.unauthenticated, "unknown user") }
        let (email, name, createdAt, verifiedAt) = try row.decode((String, String?, Date, Date?).self)
        var memberships: [MembershipInfo] = []
        for (org, role) in try await access.memberships(of: principal) {
            let info = try await database.withTenant(org) { tx -> OrganizationInfo? in
                let rows = try await tx.query("SELECT name, created_at FROM organizations WHERE org_id = \(org.rawValue)").collect()
                return try rows.first.map { row in
                    let (name, createdAt) = try row.decode((String, Date).self)
                    return OrganizationInfo(id: org, name: name, createdAt: createdAt)
                }
            }
            if let info { memberships.append(MembershipInfo(organization: info, role: role)) }
        }
        return MeResult(
            user: UserInfo(id: principal.userID, email: email, name: name, createdAt: createdAt), memberships: memberships,
            emailVerified: verifiedAt != nil)
    }
}
