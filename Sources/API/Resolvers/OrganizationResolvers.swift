import Accounts
import Tenancy
import Foundation
import GraphQL
import Models

extension Resolvers where Context == APIContext {
    /// `organization`, `project`, the organization and membership mutations, and the fields that reach them.
    mutating func addOrganizationResolvers() {
        resolve("Query", "organization") { (_: Value, args, context) -> OrganizationNode in
            let principal = try context.principal()
            let id: Org.ID = try Input.id(args, "id", "organization")
            return OrganizationNode(info: try await context.organization(id, for: principal), principal: principal)
        }
        resolve("Query", "project") { (_: Value, args, context) -> ProjectNode in
            let principal = try context.principal()
            let id: Project.ID = try Input.id(args, "id", "project")
            return ProjectNode(info: try await context.services.projects.get(principal, project: id), principal: principal)
        }
        resolve("Organization", "projects") { (org: OrganizationNode, _, context) -> [ProjectNode] in
            try await context.services.projects.list(org.principal, org: org.id).map { ProjectNode(info: $0, principal: org.principal) }
        }
        resolve("Organization", "members") { (org: OrganizationNode, _, context) -> [MembershipNode] in
            let info = try await context.organization(org.id, for: org.principal)
            return try await context.services.members.list(org.principal, org: org.id).map {
                MembershipNode(role: $0.role, user: $0.user, organization: info, principal: org.principal)
            }
        }
        resolve("Organization", "apiTokens") { (org: OrganizationNode, _, context) -> [APITokenNode] in
            try await context.services.tokens.list(org.principal, org: org.id).map { APITokenNode(info: $0, principal: org.principal) }
        }
        resolve("Project", "organization") { (project: ProjectNode, _, context) -> OrganizationNode in
            let info = try await context.organization(project.info.organizationID, for: project.principal)
            return OrganizationNode(info: info, principal: project.principal)
        }
        resolve("ApiToken", "project") { (token: APITokenNode, _, context) -> ProjectNode? in
            guard let project = token.info.projectID else { return nil }
            return ProjectNode(info: try await context.services.projects.get(token.principal, project: project), principal: token.principal)
        }
        addMemberResolvers()
        addProjectResolvers()
        addTokenResolvers()
    }

    private mutating func addMemberResolvers() {
        resolve("Mutation", "changeMemberRole") { (_: Value, args, context) -> MembershipNode in
            let principal = try context.principal()
            let input = try Input(args)
            let org: Org.ID = try input.id("organizationId", "organization")
            let user: User.ID = try input.id("userId", "member")
            let member = try await context.services.members.changeRole(principal, org: org, user: user, role: try input.role("role"))
            let info = try await context.organization(org, for: principal)
            return MembershipNode(role: member.role, user: member.user, organization: info, principal: principal)
        }
        resolve("Mutation", "removeMember") { (_: Value, args, context) -> Bool in
            let principal = try context.principal()
            let org: Org.ID = try Input.id(args, "organizationId", "organization")
            let user: User.ID = try Input.id(args, "userId", "member")
            try await context.services.members.removeMember(principal, org: org, user: user)
            return true
        }
    }

    private mutating func addProjectResolvers() {
        resolve("Mutation", "createProject") { (_: Value, args, context) -> ProjectNode in
            let principal = try context.principal()
            let input = try Input(args)
            let org: Org.ID = try input.id("organizationId", "organization")
            let project = try await context.services.projects.create(
                principal, org: org, name: try input.string("name"), timezone: input.optionalString("timezone"),
                retentionDays: input.optionalInt("retentionDays"))
            return ProjectNode(info: project, principal: principal)
        }
        resolve("Mutation", "updateProject") { (_: Value, args, context) -> ProjectNode in
            let principal = try context.principal()
            let input = try Input(args)
            let id: Project.ID = try input.id("id", "project")
            let projects = context.services.projects
            guard ["name", "timezone", "retentionDays"].contains(where: input.contains) else {
                throw ServiceError(.badUserInput, "give name, timezone or retentionDays to update")
            }
            // Read first: an unknown (or other organization's) project is NOT_FOUND, a refused role FORBIDDEN,
            // before any change is applied.
            _ = try await projects.get(principal, project: id)
            let project = try await projects.update(
                principal, project: id, name: input.optionalString("name"), timezone: input.optionalString("timezone"),
                retentionDays: input.contains("retentionDays") ? .some(input.optionalInt("retentionDays")) : nil)
            return ProjectNode(info: project, principal: principal)
        }
        resolve("Mutation", "deleteProject") { (_: Value, args, context) -> Bool in
            let principal = try context.principal()
            let id: Project.ID = try Input.id(args, "id", "project")
            try await context.services.projects.delete(principal, project: id)
            return true
        }
    }

    private mutating func addTokenResolvers() {
        resolve("Mutation", "createApiToken") { (_: Value, args, context) -> CreatedTokenNode in
            let principal = try context.principal()
            let input = try Input(args)
            let project: Project.ID = try input.id("projectId", "project")
            let name = try input.string("name")
            let created: CreatedAPIToken
            switch try input.string("kind") {
            case TokenKind.ingest.rawValue:
                created = try await context.services.tokens.createIngestToken(principal, project: project, name: name)
            case TokenKind.personal.rawValue:
                // The project names the organization the token acts in.
                let org = try await context.services.projects.get(principal, project: project).organizationID
                let scopes = try Self.scopes(input.object["scopes"])
                created = try await context.services.tokens.createPersonalToken(
                    principal, org: org, name: name, scopes: scopes, expiresAt: try input.optionalDate("expiresAt"))
            default:
                throw ServiceError(.badUserInput, "unknown token kind")
            }
            return CreatedTokenNode(token: created.token, apiToken: APITokenNode(info: created.info, principal: principal))
        }
        resolve("Mutation", "revokeApiToken") { (_: Value, args, context) -> APITokenNode in
            let principal = try context.principal()
            let id: APIToken.ID = try Input.id(args, "id", "token")
            return APITokenNode(info: try await context.services.tokens.revoke(principal, token: id), principal: principal)
        }
    }

    /// `[ApiTokenScope!]` as token scopes; absent or null means `[READ]`.
    private static func scopes(_ value: Value?) throws -> Set<TokenScope> {
        guard let list = value?.listValue else { return [.read] }
        return Set(
            try list.map { item in
                guard let scope = item.stringValue.flatMap({ TokenScope(rawValue: $0.lowercased()) }) else {
                    throw ServiceError(.badUserInput, "unknown token scope")
                }
                return scope
            })
    }
}
