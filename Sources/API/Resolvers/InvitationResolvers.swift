import Accounts
import Foundation
import GraphQL
import Models
import Tenancy

extension Resolvers where Context == APIContext {
    /// `addMember` (an invitation), `invitations`, `revokeInvitation`, `acceptInvitation`, email verification,
    /// password reset, `serverFeatures` and `User.emailVerified`.
    mutating func addInvitationResolvers() {
        resolve("Mutation", "addMember") { (_: Value, args, context) -> InvitationNode in
            let principal = try context.principal()
            let input = try Input(args)
            let org: Org.ID = try input.id("organizationId", "organization")
            let invitation = try await context.services.members.addMember(
                principal, org: org, email: try input.string("email"), role: try input.role("role"))
            return InvitationNode(info: invitation, principal: principal)
        }
        resolve("Query", "invitations") { (_: Value, args, context) -> [InvitationNode] in
            let principal = try context.principal()
            let org: Org.ID = try Input.id(args, "organizationId", "organization")
            return try await context.services.members.invitations.list(principal, org: org).map {
                InvitationNode(info: $0, principal: principal)
            }
        }
        resolve("Mutation", "revokeInvitation") { (_: Value, args, context) -> InvitationNode in
            let principal = try context.principal()
            let id: Invitation.ID = try Input.id(args, "id", "invitation")
            return InvitationNode(
                info: try await context.services.members.invitations.revoke(principal, invitation: id), principal: principal)
        }
        resolve("Mutation", "acceptInvitation") { (_: Value, args, context) -> MembershipNode in
            let principal = try context.principal()
            guard let token = args.string("token") else { throw ServiceError(.badUserInput, "token is required") }
            let accepted = try await context.services.members.invitations.accept(principal, token: token)
            return MembershipNode(
                role: accepted.member.role, user: accepted.member.user, organization: accepted.organization, principal: principal)
        }
        resolve("Mutation", "verifyEmail") { (_: Value, args, context) -> Bool in
            guard let token = args.string("token") else { throw ServiceError(.badUserInput, "token is required") }
            return try await context.services.accounts.emails.verifyEmail(token: token)
        }
        resolve("Mutation", "resendVerificationEmail") { (_: Value, _, context) -> Bool in
            try await context.services.accounts.emails.resendVerification(try context.principal())
        }
        resolve("Mutation", "requestPasswordReset") { (_: Value, args, context) -> Bool in
            guard let email = args.string("email") else { throw ServiceError(.badUserInput, "email is required") }
            return try await context.services.accounts.emails.requestPasswordReset(email: email)
        }
        resolve("Mutation", "resetPassword") { (_: Value, args, context) -> Bool in
            let input = try Input(args)
            return try await context.services.accounts.emails.resetPassword(
                token: try input.string("token"), newPassword: try input.string("newPassword"))
        }
        resolve("Query", "serverFeatures") { (_: Value, _, context) -> ServerFeaturesNode in
            ServerFeaturesNode(mail: context.services.accounts.emails.isEnabled)
        }
        resolve("User", "emailVerified") { (user: UserNode, _, context) -> Bool? in
            guard user.info.id == user.principal.userID else { return nil }
            return try await context.services.accounts.emails.isVerified(user.info.id)
        }
    }
}

/// An `Invitation`.
struct InvitationNode: Sendable, GraphQLPropertyReadable {
    let info: InvitationInfo
    let principal: Principal

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "id": info.id.description
        case "email": info.email
        case "role": info.role.rawValue
        case "status": info.status.rawValue
        case "createdAt": DateTimeText.format(info.createdAt)
        case "expiresAt": DateTimeText.format(info.expiresAt)
        case "invitedBy": info.invitedBy.map { UserNode(info: $0, reachedThrough: nil, principal: principal) }
        case "link": info.link
        default: nil
        }
    }
}

/// `ServerFeatures`: what this server offers as configured.
struct ServerFeaturesNode: Sendable, GraphQLPropertyReadable {
    let mail: Bool

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "passwordReset", "emailVerification", "invitationEmails": mail
        default: nil
        }
    }
}
