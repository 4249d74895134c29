import Hummingbird
import Logging

/// Logs every error a handler throws that is not an HTTP error of its own making (those carry a status and a safe
/// message), with the request id, and answers it with a bare 500: details never reach clients.
struct ErrorLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error(
                "unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            throw HTTPError(.internalServerError, message: "internal error")
        }
    }
}
