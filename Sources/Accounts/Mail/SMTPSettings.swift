import Foundation
import Models

/// Where and how mail is sent: `IV_SMTP_URL` (`smtp://[user:password@]host[:port]`, port 25 by default; user and
/// password percent-encoded) and `IV_SMTP_FROM` (`Name <address>` or a bare address). Plain SMTP with `AUTH PLAIN`
/// when credentials are given; other schemes (`smtps://`, STARTTLS) are refused at start-up, so run a local relay
/// (Postfix, an SMTP sidecar) for providers that require TLS.
public struct SMTPSettings: Sendable, Equatable {
    /// Default sender, `IV_SMTP_FROM`.
    public static let defaultFrom = "InsightVault <no-reply@localhost>"

    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// `AUTH PLAIN` user, when given.
    public var username: String?
    /// `AUTH PLAIN` password, when given.
    public var password: String?
    /// The `From:` header as configured.
    public var from: String
    /// The envelope sender (`MAIL FROM`), the address inside `from`.
    public var fromAddress: String
    /// Longest time one delivery (connect, dialogue, data) may take, in seconds (`IV_SMTP_TIMEOUT_SECONDS`, 30).
    public var timeoutSeconds: Int

    /// Parses `IV_SMTP_URL` and `IV_SMTP_FROM`; the error message names what is wrong.
    public init(url text: String, from: String = SMTPSettings.defaultFrom, timeoutSeconds: Int = 30) throws(ServiceError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw ServiceError(.badUserInput, "IV_SMTP_URL must look like smtp://[user:password@]host[:port]")
        }
        guard scheme == "smtp" else {
            throw ServiceError(
                .badUserInput, "IV_SMTP_URL: only smtp:// (plain SMTP, AUTH PLAIN) is supported; relay through a local MTA for TLS")
        }
        guard let host = components.host, !host.isEmpty else { throw ServiceError(.badUserInput, "IV_SMTP_URL has no host") }
        guard (components.path.isEmpty || components.path == "/"), components.query == nil else {
            throw ServiceError(.badUserInput, "IV_SMTP_URL takes no path or options")
        }
        self.host = host
        self.port = components.port ?? 25
        guard (1...65_535).contains(port) else { throw ServiceError(.badUserInput, "IV_SMTP_URL: invalid port") }
        self.username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if (username == nil) != (password == nil) {
            throw ServiceError(.badUserInput, "IV_SMTP_URL: give both user and password, or neither")
        }
        guard let address = Self.address(in: from) else {
            throw ServiceError(.badUserInput, "IV_SMTP_FROM must be 'Name <address@domain>' or 'address@domain'")
        }
        self.from = from
        self.fromAddress = address
        self.timeoutSeconds = timeoutSeconds
    }

    /// The address in `Name <address>` or a bare address; nil when it is not a plausible single address.
    static func address(in text: String) -> String? {
        var candidate = text.trimmingCharacters(in: .whitespaces)
        if let open = candidate.lastIndex(of: "<"), candidate.hasSuffix(">") {
            candidate = String(candidate[candidate.index(after: open)..<candidate.index(before: candidate.endIndex)])
        }
        guard SMTPClient.isSafeAddress(candidate), !text.contains(where: { $0 == "\r" || $0 == "\n" }) else { return nil }
        return candidate
    }
}
