/// A report request the analytics layer refuses, with a stable code clients can switch on.
public struct AnalyticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes (GraphQL `extensions.code`).
    public enum Code: String, Sendable {
        /// The input is malformed or outside the limits.
        case badUserInput = "BAD_USER_INPUT"
    }

    /// The code.
    public let code: Code
    /// A message for people.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A `BAD_USER_INPUT` error.
    static func badInput(_ message: String) -> AnalyticsError { AnalyticsError(.badUserInput, message) }

    public var description: String { "\(code.rawValue): \(message)" }
}
