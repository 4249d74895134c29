/// An error a GraphQL resolver reports to clients. `code` becomes `extensions.code`; internal details never do.
public struct APIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stable error codes of the GraphQL API (CONTRACT.md, issue 4).
    public enum Code: String, Sendable, CaseIterable {
        /// No or invalid credentials.
        case unauthenticated = "UNAUTHENTICATED"
        /// Authenticated, but the role does not allow this.
        case forbidden = "FORBIDDEN"
        /// Unknown object, or one of another organization (indistinguishable on purpose).
        case notFound = "NOT_FOUND"
        /// Invalid input value.
        case badUserInput = "BAD_USER_INPUT"
        /// Too many attempts; retry later.
        case rateLimited = "RATE_LIMITED"
        /// Anything unexpected; details are logged with the request id, not returned.
        case `internal` = "INTERNAL"
    }

    /// Stable code.
    public var code: Code
    /// Message shown to the client.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The masked form of an unexpected error: clients see only that something went wrong and the request id.
    public static func masked(requestID: String) -> APIError {
        APIError(.internal, "internal error (request \(requestID))")
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
