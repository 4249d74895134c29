import Accounts
import Foundation
import Logging
import Models
import PostgresNIO
import Storage

/// `insightvault users reset-password`: the operator sets a user's password when the server sends no mail (or the
/// user cannot receive it). Connects as the owner role, like the other admin commands; the new password follows the
/// same rules as sign-up, and every session of the user ends (the session version goes up).
public enum PasswordResetCommand {
    /// Characters of a generated password: 24 base62 characters (about 143 bits) from the system CSPRNG.
    public static let generatedLength = 24

    /// A random password for the operator to hand over.
    public static func generatePassword() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<generatedLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A refusal to show the operator as is: unknown address, invalid password.
    public struct Failure: Error, CustomStringConvertible {
        /// What is wrong.
        public let message: String
        /// The message.
        public var description: String { message }
    }

    /// Sets `password` for the account registered with `email` (any letter case) and ends its sessions. Returns the
    /// address as registered; `Failure` for an unknown address or an invalid password.
    public static func run(config: AppConfig, email: String, password: String, logger: Logger) async throws -> String {
        do {
            return try await reset(config: config, email: email, password: password, logger: logger)
        } catch let error as ServiceError where error.code != .internal {
            throw Failure(message: error.message)
        }
    }

    private static func reset(config: AppConfig, email: String, password: String, logger: Logger) async throws -> String {
        let passwords = try PasswordService()
        let hash = try await passwords.hash(password)
        return try await DatabaseEndpoints.using(config: config, logger: logger) { endpoints in
            try await endpoints.owner.withConnection(logger: logger) { connection in
                let rows = try await connection.query(
                    "SELECT user_id, email FROM users WHERE lower(email) = lower(\(email.trimmingCharacters(in: .whitespaces)))",
                    logger: logger
                ).collect()
                guard let (user, stored) = try rows.first?.decode((UUID, String).self) else {
                    throw ServiceError(.notFound, "no account is registered with this email address")
                }
                try await EmailTokenService.setPassword(
                    hash: hash, of: User.ID(user), at: Date(), verifiedAt: nil, on: connection, logger: logger)
                return stored
            }
        }
    }
}
