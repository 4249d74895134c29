import Foundation

/// Links, lifetimes and limits of invitations and mailed tokens, from the configuration.
public struct AccountEmailSettings: Sendable, Equatable {
    /// The server's externally visible base URL, without a trailing slash (`IV_PUBLIC_URL`); links are
    /// `<publicURL>/invite/<token>`, `<publicURL>/verify-email/<token>` and `<publicURL>/reset-password/<token>`.
    public var publicURL: String
    /// Days an invitation can be accepted (`IV_INVITATION_DAYS`, default 7).
    public var invitationDays = 7
    /// Most pending invitations of one organization (`IV_MAX_PENDING_INVITATIONS`, default 1,000).
    public var maxPendingInvitations = 1_000
    /// Hours an email-verification link works (`IV_EMAIL_VERIFICATION_HOURS`, default 48).
    public var verificationHours = 48
    /// Minutes a password-reset link works (`IV_PASSWORD_RESET_MINUTES`, default 60).
    public var passwordResetMinutes = 60
    /// Most password-reset (and, separately, verification) mails per account in an hour
    /// (`IV_EMAIL_TOKENS_PER_HOUR`, default 3); further requests send nothing.
    public var tokensPerHour = 3

    /// Settings with the defaults and `publicURL` (a trailing `/` is dropped).
    public init(publicURL: String) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }

    /// `<publicURL>/<path>/<token>`.
    func link(_ path: String, _ token: String) -> String { "\(publicURL)/\(path)/\(token)" }
}
