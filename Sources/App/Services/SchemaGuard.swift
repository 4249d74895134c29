import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Models
import PostgresNIO
import ServiceLifecycle
import Storage
import Synchronization

/// Keeps a server off a schema it cannot work with: migrations of a newer build that were not declared compatible
/// with older binaries, or its own migrations not applied yet (`IV_AUTO_MIGRATE=false` before the migration Job ran).
/// `SchemaWatch` looks every few seconds; while the schema is refused, every route but `/healthz` and `/readyz`
/// answers 503 `SCHEMA_INCOMPATIBLE` with `Retry-After` (and `/readyz` says why), so a load balancer moves the
/// traffic to servers that fit the schema and no request is answered from tables this build does not understand.
/// A database that does not answer is not a refusal here: ingestion and reports have their own answers for that.
public final class SchemaGuard: Sendable {
    private let refusalText = Mutex<String?>(nil)

    /// No refusal until a check finds one.
    public init() {}

    /// Why requests are refused now, or nil.
    public var refusal: String? { refusalText.withLock { $0 } }

    /// Records the outcome of a check.
    func update(_ refusal: String?) { refusalText.withLock { $0 = refusal } }
}

/// The error every refused request gets while the schema is refused.
struct SchemaRefusedError: CodedError, HTTPResponseError {
    let message: String
    var codeText: String { "SCHEMA_INCOMPATIBLE" }
    var details: [ErrorDetail] { [] }
    var status: HTTPResponse.Status { .serviceUnavailable }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try jsonResponse(HTTPErrorBody(self), status: status)
        response.headers[HTTPField.Name("Retry-After")!] = "5"
        return response
    }
}

/// Answers 503 `SCHEMA_INCOMPATIBLE` while `schemaGuard` refuses the schema (the routes it wraps: all but health).
struct SchemaGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let schemaGuard: SchemaGuard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = schemaGuard.refusal { throw SchemaRefusedError(message: refusal) }
        return try await next(request, context)
    }
}

/// Checks the schema at start and then every `interval` and tells `schemaGuard` (see `SchemaGuard`).
struct SchemaWatch: Service {
    let schemaGuard: SchemaGuard
    let migrator: Migrator
    let client: PostgresClient
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await repeatUntilShutdown(every: interval) { await check() }
    }

    /// One check; an unreachable database leaves the last outcome as it was.
    func check() async {
        let migrator = self.migrator
        let client = self.client
        guard let status = try? await withTimeout(.seconds(5), { try await migrator.status(client: client) }) else { return }
        let refusal = status.refusal
        if refusal != schemaGuard.refusal {
            if let refusal {
                logger.error("refusing requests: the schema does not fit this build", metadata: ["reason": "\(refusal)"])
            } else {
                logger.info("the schema fits this build again; serving")
            }
        }
        schemaGuard.update(refusal)
    }
}

/// Runs `work` now and then once per `interval` until graceful shutdown or cancellation, which also ends the wait
/// between two runs at once (the watch services' loop).
func repeatUntilShutdown(every interval: Duration, _ work: () async -> Void) async {
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
        await work()
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        } catch {
            return
        }
    }
}
