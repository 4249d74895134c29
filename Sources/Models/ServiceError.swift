/// The one error shape the services report and the API renders: a stable `code`, a `message` safe to show clients,
/// and for `RATE_LIMITED` the seconds until a retry can succeed. Accounts, tenancy, saved reports, analytics and the
/// GraphQL resolvers all throw it, so a code means the same thing wherever it comes from; the GraphQL layer turns it
/// into `extensions.code` in one place (`APIContext.clientError`).
public struct ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable error codes, the same strings as GraphQL `extensions.code`.
    public enum Code: String, Sendable, CaseIterable {
        /// No, invalid, expired or revoked credentials.
        case unauthenticated = "UNAUTHENTICATED"
        /// Authenticated, but the role (or token scope) does not allow this.
        case forbidden = "FORBIDDEN"
        /// Unknown object, or one of another organization (indistinguishable on purpose).
        case notFound = "NOT_FOUND"
        /// Invalid input value, or a request outside the limits.
        case badUserInput = "BAD_USER_INPUT"
        /// Too many attempts or too much load; retry after `retryAfter`.
        case rateLimited = "RATE_LIMITED"
        /// Anything unexpected; clients see only a masked message with the request id.
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
    public static let invalidCredentials = ServiceError(.unauthenticated, "invalid email or password")
    /// Unknown object or one of another organization.
    public static func notFound(_ what: String) -> ServiceError { ServiceError(.notFound, "\(what) not found") }
    /// The role does not allow the operation.
    public static let forbidden = ServiceError(.forbidden, "your role does not allow this")
    /// A `BAD_USER_INPUT` error.
    public static func badInput(_ message: String) -> ServiceError { ServiceError(.badUserInput, message) }
    /// The masked form of an unexpected error: clients see only that something went wrong and the request id.
    public static func masked(requestID: String) -> ServiceError {
        ServiceError(.internal, "internal error (request \(requestID))")
    }
}
