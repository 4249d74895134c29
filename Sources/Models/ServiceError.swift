/// The shape every error a client may see shares, whatever layer raised it: a stable machine-readable `code`, a
/// `message` safe to show, and per-item `details` where one request carried many items (an ingestion batch). Each
/// protocol renders it in one place: GraphQL in `APIContext.clientError`, HTTP in the server's `HTTPErrors.swift`.
public protocol CodedError: Error, Sendable {
    /// The stable code, e.g. `NOT_FOUND` or `INVALID_EVENTS`.
    var codeText: String { get }
    /// Human-readable message, safe for clients.
    var message: String { get }
    /// Per-item problems; empty for most errors.
    var details: [ErrorDetail] { get }
}

/// One item's problem inside a request that carried many (an event of an ingestion batch).
public struct ErrorDetail: Equatable, Sendable, Codable {
    /// Position of the item in the request, from 0.
    public var index: Int
    /// Stable code of the problem.
    public var code: String
    /// Human-readable explanation.
    public var message: String

    /// Creates a detail.
    public init(index: Int, code: String, message: String) {
        self.index = index
        self.code = code
        self.message = message
    }
}

/// The one error shape the services report and the API renders: a stable `code`, a `message` safe to show clients,
/// and for `RATE_LIMITED` the seconds until a retry can succeed. Accounts, tenancy, saved reports, analytics and the
/// GraphQL resolvers all throw it, so a code means the same thing wherever it comes from; the GraphQL layer turns it
/// into `extensions.code` in one place (`APIContext.clientError`).
public struct ServiceError: CodedError, Equatable, CustomStringConvertible {
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
        /// The server does not offer this feature as configured (e.g. password reset without outgoing mail).
        case featureDisabled = "FEATURE_DISABLED"
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
    /// The code's text.
    public var codeText: String { code.rawValue }
    /// Service errors concern the request as a whole.
    public var details: [ErrorDetail] { [] }

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
