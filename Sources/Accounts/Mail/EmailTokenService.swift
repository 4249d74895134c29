import Foundation
import Logging
import Models
import PostgresNIO
import Storage
import Tenancy

/// Mailed one-time tokens: email verification and password reset. Both need SMTP (`IV_SMTP_URL`); without it the
/// mutations that send or redeem them answer `FEATURE_DISABLED` (the operator resets passwords with
/// `insightvault users reset-password`). Tokens are single use, expire, and are stored as their SHA-256.
public struct EmailTokenService: Sendable {
    /// What a token proves.
    public enum Purpose: String, Sendable {
        /// The address receives mail.
        case verifyEmail = "VERIFY_EMAIL"
        /// The holder may set a new password.
        case resetPassword = "RESET_PASSWORD"
    }

    let database: Database
    let passwords: PasswordService
    let settings: AccountEmailSettings
    let mailer: (any Mailer)?
    let now: @Sendable () -> Date

    /// - Parameters: mailer: nil turns verification and reset off; now: the clock (expiry, the hourly throttle).
    public init(
        database: Database, passwords: PasswordService, settings: AccountEmailSettings, mailer: (any Mailer)?,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.passwords = passwords
        self.settings = settings
        self.mailer = mailer
        self.now = now
    }

    /// Whether mail is configured: email verification and password reset are offered.
    public var isEnabled: Bool { mailer != nil }

    /// Sends a new verification link to the user's address (after sign-up, or on request), unless mail is off, the
    /// address is verified, or `tokensPerHour` links were sent in the last hour. Returns whether a mail was queued.
    @discardableResult
    public func sendVerification(to user: User.ID) async throws -> Bool {
        guard let mailer else { return false }
        let at = now()
        let token = OneTimeToken.generate()
        let email = try await database.withGlobalTransaction { connection -> String? in
            let rows = try await connection.query(
                "SELECT email, email_verified_at FROM users WHERE user_id = \(user.rawValue) FOR UPDATE", logger: database.logger
            ).collect()
            guard let (email, verifiedAt) = try rows.first?.decode((String, Date?).self), verifiedAt == nil else { return nil }
            guard try await recentCount(user, .verifyEmail, at: at, on: connection) < settings.tokensPerHour else { return nil }
            try await insert(token, user: user, email: email, purpose: .verifyEmail, at: at, on: connection)
            return email
        }
        guard let email else { return false }
        let hours = settings.verificationHours
        mailer.submit(
            MailMessage(
                to: email, subject: "Verify your email address for InsightVault",
                body: """
                    Please confirm that this is your address by opening:

                    \(settings.link("verify-email", token))

                    The link works once and expires in \(hours) hour\(hours == 1 ? "" : "s"). If you did not sign up
                    for InsightVault, ignore this mail.
                    """))
        return true
    }

    /// `resendVerificationEmail`: `FEATURE_DISABLED` without mail; true also when nothing was sent because the
    /// address is verified; `RATE_LIMITED` after `tokensPerHour` links in an hour.
    public func resendVerification(_ principal: Principal) async throws -> Bool {
        guard isEnabled else { throw Self.disabled("email verification") }
        let at = now()
        let rows = try await database.client.query(
            "SELECT email_verified_at FROM users WHERE user_id = \(principal.userID.rawValue)", logger: database.logger
        ).collect()
        guard let row = rows.first else { throw ServiceError(.unauthenticated, "unknown user") }
        if try row.decode(Date?.self) != nil { return true }
        if try await !sendVerification(to: principal.userID) {
            let oldest = try await database.client.query(
                """
                SELECT min(created_at) FROM (SELECT created_at FROM email_tokens
                  WHERE user_id = \(principal.userID.rawValue) AND purpose = 'VERIFY_EMAIL' AND created_at > \(at.addingTimeInterval(-3_600))
                  ORDER BY created_at DESC LIMIT \(settings.tokensPerHour)) recent
                """, logger: database.logger
            ).collect()
            let since = (try oldest.first?.decode(Date?.self) ?? nil) ?? at
            let seconds: TimeInterval = since.addingTimeInterval(3_600).timeIntervalSince(at)
            let wait = max(1, Int(seconds.rounded(.up)))
            throw ServiceError(.rateLimited, "too many verification mails; try again later", retryAfter: wait)
        }
        return true
    }

    /// Whether the user's address is verified.
    public func isVerified(_ user: User.ID) async throws -> Bool {
        let rows = try await database.client.query(
            "SELECT email_verified_at FROM users WHERE user_id = \(user.rawValue)", logger: database.logger
        ).collect()
        guard let row = rows.first else { return false }
        return try row.decode(Date?.self) != nil
    }

    /// `verifyEmail(token)`: marks the address the token was sent to as verified. `NOT_FOUND` for an unknown token,
    /// `BAD_USER_INPUT` when it was used or expired. Works without signing in.
    public func verifyEmail(token: String) async throws -> Bool {
        let at = now()
        try await database.withGlobalTransaction { connection in
            let (user, email) = try await redeem(token, .verifyEmail, at: at, on: connection)
            try await connection.query(
                """
                UPDATE users SET email_verified_at = COALESCE(email_verified_at, \(at))
                WHERE user_id = \(user.rawValue) AND lower(email) = lower(\(email))
                """, logger: database.logger)
        }
        return true
    }

    /// `requestPasswordReset(email)`: mails a reset link when the address has an account and fewer than
    /// `tokensPerHour` links went to it in the last hour. True for every well-formed address (no account enumeration);
    /// `BAD_USER_INPUT` for a malformed one or one over 254 characters;
    /// `FEATURE_DISABLED` without mail.
    public func requestPasswordReset(email rawEmail: String) async throws -> Bool {
        guard let mailer else { throw Self.disabled("password reset") }
        // A malformed or over-long address is bad input (it says nothing about which accounts exist).
        let email = try InputCheck.email(rawEmail)
        let at = now()
        let token = OneTimeToken.generate()
        let sentTo = try await database.withGlobalTransaction { connection -> String? in
            let rows = try await connection.query(
                "SELECT user_id, email FROM users WHERE lower(email) = lower(\(email)) FOR UPDATE", logger: database.logger
            ).collect()
            guard let (id, stored) = try rows.first?.decode((UUID, String).self) else { return nil }
            guard try await recentCount(User.ID(id), .resetPassword, at: at, on: connection) < settings.tokensPerHour else {
                return nil
            }
            try await insert(token, user: User.ID(id), email: stored, purpose: .resetPassword, at: at, on: connection)
            return stored
        }
        guard let sentTo else { return true }
        let minutes = settings.passwordResetMinutes
        mailer.submit(
            MailMessage(
                to: sentTo, subject: "Reset your InsightVault password",
                body: """
                    Someone (hopefully you) asked to reset the password of your InsightVault account. To choose a new
                    password, open:

                    \(settings.link("reset-password", token))

                    The link works once and expires in \(minutes) minute\(minutes == 1 ? "" : "s"). Setting a new password
                    signs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is.
                    """))
        return true
    }

    /// `resetPassword`: sets a new password with a reset token, ends every session (the session version goes up),
    /// marks the address verified and voids the user's other reset links. No session is issued: log in afterwards.
    /// `FEATURE_DISABLED` without mail, `NOT_FOUND` for an unknown token, `BAD_USER_INPUT` for a used or expired
    /// token or an invalid password.
    public func resetPassword(token: String, newPassword: String) async throws -> Bool {
        guard isEnabled else { throw Self.disabled("password reset") }
        let hash = try await passwords.hash(newPassword)
        let at = now()
        try await database.withGlobalTransaction { connection in
            let (user, _) = try await redeem(token, .resetPassword, at: at, on: connection)
            try await Self.setPassword(hash: hash, of: user, at: at, verifiedAt: at, on: connection, logger: database.logger)
            try await connection.query(
                """
                UPDATE email_tokens SET used_at = \(at)
                WHERE user_id = \(user.rawValue) AND purpose = 'RESET_PASSWORD' AND used_at IS NULL
                """, logger: database.logger)
        }
        return true
    }

    /// Sets a password hash and ends every session of `user` (session version + 1, and every session row revoked as
    /// of `at`); with `verifiedAt`, also marks the address verified. `NOT_FOUND` when there is no such user. Shared
    /// with the operator's reset command.
    public static func setPassword(
        hash: String, of user: User.ID, at: Date, verifiedAt: Date?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let rows = try await connection.query(
            """
            UPDATE users SET password_hash = \(hash), password_changed_at = now(), session_version = session_version + 1,
                email_verified_at = COALESCE(email_verified_at, \(verifiedAt))
            WHERE user_id = \(user.rawValue) RETURNING user_id
            """, logger: logger
        ).collect()
        guard !rows.isEmpty else { throw ServiceError.notFound("user") }
        try await connection.query("SELECT iv_sessions_revoke_all(\(user.rawValue), \(at))", logger: logger)
    }

    // MARK: - Tokens

    /// Marks the token used and returns its user and address, or throws (`NOT_FOUND` unknown, `BAD_USER_INPUT` used
    /// or expired).
    private func redeem(
        _ token: String, _ purpose: Purpose, at: Date, on connection: PostgresConnection
    ) async throws -> (User.ID, String) {
        let what = purpose == .verifyEmail ? "verification link" : "password reset link"
        guard OneTimeToken.isWellFormed(token) else { throw ServiceError.notFound(what) }
        let hash = OneTimeToken.hash(token)
        let rows = try await connection.query(
            """
            SELECT user_id, email, expires_at, used_at FROM email_tokens
            WHERE token_hash = \(hash) AND purpose = \(purpose.rawValue) FOR UPDATE
            """, logger: database.logger
        ).collect()
        guard let (user, email, expiresAt, usedAt) = try rows.first?.decode((UUID, String, Date, Date?).self) else {
            throw ServiceError.notFound(what)
        }
        guard usedAt == nil else { throw ServiceError(.badUserInput, "this \(what) was already used") }
        guard expiresAt > at else { throw ServiceError(.badUserInput, "this \(what) has expired; ask for a new one") }
        try await connection.query("UPDATE email_tokens SET used_at = \(at) WHERE token_hash = \(hash)", logger: database.logger)
        return (User.ID(user), email)
    }

    private func insert(
        _ token: String, user: User.ID, email: String, purpose: Purpose, at: Date, on connection: PostgresConnection
    ) async throws {
        let lifetime: TimeInterval =
            purpose == .verifyEmail ? TimeInterval(settings.verificationHours) * 3_600 : TimeInterval(settings.passwordResetMinutes) * 60
        try await connection.query(
            """
            INSERT INTO email_tokens (token_hash, user_id, purpose, email, created_at, expires_at)
            VALUES (\(OneTimeToken.hash(token)), \(user.rawValue), \(purpose.rawValue), \(email), \(at), \(at.addingTimeInterval(lifetime)))
            """, logger: database.logger)
    }

    /// Tokens of `purpose` created for `user` in the hour before `at`.
    private func recentCount(_ user: User.ID, _ purpose: Purpose, at: Date, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            SELECT count(*) FROM email_tokens
            WHERE user_id = \(user.rawValue) AND purpose = \(purpose.rawValue) AND created_at > \(at.addingTimeInterval(-3_600))
            """, logger: database.logger
        ).collect()
        return try rows.first?.decode(Int.self) ?? 0
    }

    static func disabled(_ feature: String) -> ServiceError {
        ServiceError(.featureDisabled, "\(feature) needs outgoing mail, which this server has not configured (IV_SMTP_URL)")
    }
}
