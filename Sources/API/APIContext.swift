import Analytics
import Accounts
import Tenancy
import Foundation
import GraphQL
import Logging
import Storage
import Models

/// The services the resolvers call; every tenant-touching operation goes through them (and so `withTenant`).
public struct APIServices: Sendable {
    /// Sign-up, log-in, `me`, password changes.
    public var accounts: AccountService
    /// Memberships.
    public var members: MemberService
    /// Projects.
    public var projects: ProjectService
    /// API tokens.
    public var tokens: APITokenService
    /// Saved reports.
    public var reports: ReportService
    /// Dashboards.
    public var dashboards: DashboardService
    /// Turns `Authorization` headers into principals.
    public var authenticator: Authenticator
    /// Membership and role checks, and `withProject` for the reports.
    public var access: TenantAccess
    /// The clock relative report ranges are resolved with.
    public var now: @Sendable () -> Date
    /// Dashboards' read-only links.
    public var shares: DashboardShareService
    /// How often one client may open one shared dashboard.
    public var shareThrottle: ShareThrottle

    /// Groups the services; the links' service defaults to one over `access`'s database.
    public init(
        accounts: AccountService, members: MemberService, projects: ProjectService, tokens: APITokenService,
        reports: ReportService, dashboards: DashboardService, authenticator: Authenticator, access: TenantAccess,
        now: @escaping @Sendable () -> Date = { Date() }, shares: DashboardShareService? = nil,
        shareThrottle: ShareThrottle = ShareThrottle()
    ) {
        self.now = now
        self.shares = shares ?? DashboardShareService(database: access.database)
        self.shareThrottle = shareThrottle
        self.accounts = accounts
        self.members = members
        self.projects = projects
        self.tokens = tokens
        self.reports = reports
        self.dashboards = dashboards
        self.authenticator = authenticator
        self.access = access
    }
}

/// Everything one GraphQL request's resolvers know: who calls, from where, under which request id.
public struct APIContext: Sendable {
    /// The outcome of authenticating the request.
    public enum Caller: Sendable {
        /// No `Authorization` header: only `signUp`, `logIn` and introspection work.
        case anonymous
        /// A valid session or personal token.
        case authenticated(Principal)
        /// A credential was sent but refused; fields needing a user report this error.
        case rejected(ServiceError)
    }

    /// Who is calling.
    public let caller: Caller
    /// The request id, in logs and in masked internal errors.
    public let requestID: String
    /// The client's address, for log-in throttling.
    public let clientIP: String?
    /// The client's `User-Agent`, recorded with the sessions it starts.
    public var userAgent: String?
    /// The services.
    let services: APIServices
    /// A logger carrying the request id.
    let logger: Logger

    /// Creates a context.
    public init(caller: Caller, requestID: String, clientIP: String?, services: APIServices, logger: Logger) {
        self.caller = caller
        self.requestID = requestID
        self.clientIP = clientIP
        self.services = services
        var logger = logger
        logger[metadataKey: "request_id"] = "\(requestID)"
        self.logger = logger
    }

    /// The authenticated principal, or `UNAUTHENTICATED`.
    func principal() throws -> Principal {
        switch caller {
        case .authenticated(let principal): return principal
        case .anonymous: throw ServiceError(.unauthenticated, "sign in: send `Authorization: Bearer <token>`")
        case .rejected(let error): throw error
        }
    }

    /// The GraphQL error a client sees for `error`, the one place where service errors become GraphQL errors: a
    /// `ServiceError` keeps its code and message (and `retryAfter`), a report's `DATABASE_TIMEOUT` its code; anything else is logged with the request id and
    /// masked as `INTERNAL`.
    func clientError(_ error: any Error) -> GraphQLError {
        switch error {
        case let error as GraphQLError:
            return error
        case let error as ServiceError:
            if error.code == .internal { return masked(error) }
            var extensions: OrderedObject = ["code": .string(error.code.rawValue)]
            if let retryAfter = error.retryAfter { extensions["retryAfter"] = .int(retryAfter) }
            return GraphQLError(error.message, extensions: extensions)
        case is CancellationError:
            // The client went away (or the server is stopping): nobody reads this answer.
            return GraphQLError("the request was cancelled", extensions: ["code": .string("CANCELLED")])
        case let error as StorageError where error.code == .timeout:
            // A report stopped by its statement timeout: the client may narrow it and retry.
            return GraphQLError(error.message, extensions: ["code": .string(error.code.rawValue)])
        default:
            return masked(error)
        }
    }

    private func masked(_ error: any Error) -> GraphQLError {
        logger.error("GraphQL resolver failed", metadata: ["error": "\(String(reflecting: error))"])
        let masked = ServiceError.masked(requestID: requestID)
        return GraphQLError(masked.message, extensions: ["code": .string(masked.code.rawValue)])
    }
}
