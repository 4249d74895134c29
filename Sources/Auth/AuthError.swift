/// An error of the authentication and account services. `code` uses the same strings as the GraphQL API's
/// `extensions.code` (`API.APIError.Code`), so the API layer maps it one to one; `message` is safe to show clients.
public struct AuthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable error codes.
    public enum Code: String, Sendable, CaseIterable {
        /// No, invalid, expired or revoked credentials.
        case unauthenticated = "UNAUTHENTICATED"
        /// Authenticated, but the role (or token scope) does not allow this.
        case forbidden = "FORBIDDEN"
        /// Unknown object, or one of another organization (indistinguishable on purpose).
        case notFound = "NOT_FOUND"
        /// Invalid input value.
        case badUserInput = "BAD_USER_INPUT"
        /// Too many attempts or too much load; retry after `retryAfter`.
        case rateLimited = "RATE_LIMITED"
        /// Anything unexpected.
        case `internal` = "INTERNAL"
    }

    /// Stable code.
    public var code: Code
    /// Human-readable message, safe for clients.
    public var message: String
    /// For `RATE_LIMITED`: seconds until a retry can succeed (rounded up).
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// `CODE: message`, for logs.
    public var description: String { "\(code.rawValue): \(message)" }

    /// The one log-in failure message, for unknown emails and wrong passwords alike (no account enumeration).
    static let invalidCredentials = AuthError(.unauthenticated, "invalid email or password")
    /// Unknown object or one of another organization.
    static func notFound(_ what: String) -> AuthError { AuthError(.notFound, "\(what) not found") }
    /// The role does not allow the operation.
    static let forbidden = AuthError(.forbidden, "your role does not allow this")
}
