import Accounts
import Tenancy
import Foundation
import GraphQL
import Models

extension Resolvers where Context == APIContext {
    /// Registers an asynchronous resolver whose errors are turned into client errors (codes kept, the rest masked)
    /// and whose arguments have every NUL replaced (`Arguments.replacingNUL`).
    mutating func resolve<Parent, Result: Sendable>(
        _ typeName: String, _ fieldName: String,
        _ body: @escaping @Sendable (Parent, Arguments, APIContext) async throws -> Result
    ) {
        field(typeName, fieldName) { (parent: Parent, args: Arguments, context: APIContext, _: ResolveInfo) async throws -> Result in
            do {
                return try await body(parent, args.replacingNUL(), context)
            } catch {
                throw context.clientError(error)
            }
        }
    }

    /// `me`, `signUp`, `logIn`, `changePassword`, `createOrganization` and the `User`/`Membership` fields.
    mutating func addAccountResolvers() {
        resolve("Query", "me") { (_: Value, _, context) -> UserNode in
            let principal = try context.principal()
            let me = try await context.services.accounts.me(principal)
            return UserNode(info: me.user, reachedThrough: nil, principal: principal)
        }
        resolve("User", "memberships") { (user: UserNode, _, context) -> [MembershipNode] in
            guard user.info.id == user.principal.userID else { return user.reachedThrough.map { [$0] } ?? [] }
            let me = try await context.services.accounts.me(user.principal)
            return me.memberships.map {
                MembershipNode(role: $0.role, user: me.user, organization: $0.organization, principal: user.principal)
            }
        }
        resolve("Mutation", "signUp") { (_: Value, args, context) -> AuthPayloadNode in
            let input = try Input(args)
            let result = try await context.services.accounts.signUp(
                email: try input.string("email"), password: try input.string("password"), name: input.optionalString("name"),
                organizationName: try input.string("organizationName"), ip: context.clientIP, userAgent: context.userAgent)
            let principal = Principal(userID: result.user.id, credential: .session(result.session.session))
            return AuthPayloadNode(
                token: result.session.token, user: UserNode(info: result.user, reachedThrough: nil, principal: principal),
                organization: OrganizationNode(info: result.organization, principal: principal))
        }
        resolve("Mutation", "logIn") { (_: Value, args, context) -> AuthPayloadNode in
            let input = try Input(args)
            let result = try await context.services.accounts.logIn(
                email: try input.string("email"), password: try input.string("password"), ip: context.clientIP,
                userAgent: context.userAgent)
            let principal = Principal(userID: result.user.id, credential: .session(result.session.session))
            return AuthPayloadNode(
                token: result.session.token, user: UserNode(info: result.user, reachedThrough: nil, principal: principal),
                organization: nil)
        }
        resolve("Mutation", "changePassword") { (_: Value, args, context) -> Bool in
            let input = try Input(args)
            _ = try await context.services.accounts.changePassword(
                try context.principal(), current: try input.string("currentPassword"), new: try input.string("newPassword"),
                ip: context.clientIP, userAgent: context.userAgent)
            return true
        }
        resolve("Mutation", "createOrganization") { (_: Value, args, context) -> OrganizationNode in
            let principal = try context.principal()
            let info = try await context.services.accounts.createOrganization(principal, name: try Input(args).string("name"))
            return OrganizationNode(info: info, principal: principal)
        }
    }
}

extension APIContext {
    /// The principal's organization `id` (through their memberships), or `NOT_FOUND` like an unknown ID.
    func organization(_ id: Org.ID, for principal: Principal) async throws -> OrganizationInfo {
        let me = try await services.accounts.me(principal)
        guard let membership = me.memberships.first(where: { $0.organization.id == id }) else {
            throw ServiceError(.notFound, "organization not found")
        }
        return membership.organization
    }
}
