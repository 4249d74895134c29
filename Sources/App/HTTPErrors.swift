import Foundation
import HTTPTypes
import Hummingbird
import Ingest
import Models

/// The one place where errors become plain-HTTP responses (GraphQL errors are rendered by `GraphQLHTTPHandler`).
/// Every coded error is `{"error": {"code", "message", "details"}}`; anything else is logged by
/// `ErrorLoggingMiddleware` and answered with a bare 500, so details never reach clients.
struct HTTPErrorBody: Encodable {
    /// The `error` member.
    struct Inner: Encodable {
        let code: String
        let message: String
        let details: [ErrorDetail]?
    }
    let error: Inner

    /// The wire form of `error`.
    init(_ error: some CodedError) {
        self.error = Inner(code: error.codeText, message: error.message, details: error.details.isEmpty ? nil : error.details)
    }
}

/// A JSON response from an encodable value.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try JSONEncoder().encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

extension IngestError: HTTPResponseError {
    /// The HTTP status for each code.
    public var status: HTTPResponse.Status {
        switch code {
        case .invalidToken: .unauthorized
        case .bodyTooLarge, .batchTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .overloaded, .shuttingDown, .storageFailed, .databaseUnavailable: .serviceUnavailable
        default: .badRequest
        }
    }

    /// The coded-error body, with `Retry-After` when the server sheds load.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try jsonResponse(HTTPErrorBody(self), status: status)
        if status == .serviceUnavailable { response.headers[HTTPField.Name("Retry-After")!] = "1" }
        return response
    }
}
