import Accounts
import Tenancy
import Foundation
import GraphQL
import Logging
import Models

/// The InsightVault GraphQL API: the schema from `schema.graphql`, its resolvers and the engine that runs them.
/// HTTP-independent; `GraphQLHTTPHandler` speaks GraphQL over HTTP on top of it.
public struct GraphQLAPI: Sendable {
    /// The engine (schema, resolvers, limits, document cache).
    let engine: GraphQLEngine<APIContext>
    /// The services resolvers call.
    let services: APIServices
    /// The settings.
    public let options: APIOptions

    /// Builds the API from the schema's SDL text; an invalid schema is an `ServiceError` (`INTERNAL`) at start-up.
    public init(schemaSDL: String, services: APIServices, options: APIOptions = APIOptions()) throws {
        let schema = try SchemaSource.build(sdl: schemaSDL)
        var resolvers = Resolvers<APIContext>()
        resolvers.addAccountResolvers()
        resolvers.addSessionResolvers()
        resolvers.addOrganizationResolvers()
        resolvers.addInvitationResolvers()
        resolvers.addReportResolvers()
        resolvers.addShareResolvers()
        resolvers.addAnalyticsResolvers()
        var engineOptions = GraphQLEngineOptions(
            parse: ParseOptions(maxTokens: options.maxTokens),
            protection: ProtectionLimits(maxDepth: options.maxDepth, maxAliases: options.maxAliases, maxCost: options.maxCost),
            introspection: options.introspection != .off)
        engineOptions.fieldCosts = ReportCosts.fieldCosts
        engineOptions.documentCacheBytes = options.documentCacheBytes
        self.engine = GraphQLEngine(schema: schema, resolvers: resolvers, options: engineOptions)
        self.services = services
        self.options = options
    }

    /// The context of one request: authenticates `authorization` (a missing header is anonymous; a refused
    /// credential is remembered and reported by the fields that need a user).
    public func context(
        authorization: String?, requestID: String, clientIP: String?, userAgent: String? = nil, logger: Logger
    ) async -> APIContext {
        var caller = APIContext.Caller.anonymous
        if let authorization, !authorization.isEmpty {
            do {
                caller = .authenticated(try await services.authenticator.authenticate(authorization: authorization))
            } catch let error as ServiceError {
                caller = .rejected(error)
            } catch {
                logger.error("authentication failed", metadata: ["error": "\(String(reflecting: error))", "request_id": "\(requestID)"])
                caller = .rejected(ServiceError(.internal, "authentication failed"))
            }
        }
        var context = APIContext(caller: caller, requestID: requestID, clientIP: clientIP, services: services, logger: logger)
        context.userAgent = userAgent
        return context
    }

    /// The error for an introspection request (`__schema` or `__type` anywhere in `document`) from a caller without a
    /// valid credential while introspection needs one (`IntrospectionAccess.authenticated`): `UNAUTHENTICATED`, or
    /// the error of the refused credential. Nil when the request may run.
    public func introspectionRefusal(_ document: DocumentNode, context: APIContext) -> GraphQLError? {
        guard options.introspection == .authenticated else { return nil }
        switch context.caller {
        case .authenticated:
            return nil
        case .anonymous, .rejected:
            guard !introspectionDisabledErrors(document).isEmpty else { return nil }
            if case .rejected(let error) = context.caller { return context.clientError(error) }
            return context.clientError(
                ServiceError(.unauthenticated, "introspection needs a signed-in caller: send `Authorization: Bearer <token>`"))
        }
    }
}
