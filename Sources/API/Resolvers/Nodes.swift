import Accounts
import Tenancy
import Foundation
import GraphQL
import Models
import Analytics

// The values resolvers hand to the engine. Each carries the principal it was read for, so nested fields (an
// organization's projects, a user's memberships) are read with the same rights, also right after `signUp`/`logIn`.

/// A `User`.
struct UserNode: Sendable, GraphQLPropertyReadable {
    let info: UserInfo
    /// The membership this user was reached through, shown when the user is not the principal.
    let reachedThrough: MembershipNode?
    let principal: Principal

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "id": info.id.description
        case "email": info.email
        case "name": info.name
        default: nil
        }
    }
}

/// A `Membership`.
struct MembershipNode: Sendable, GraphQLPropertyReadable {
    let role: Role
    let user: UserInfo
    let organization: OrganizationInfo
    let principal: Principal

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "role": role.rawValue
        case "user": UserNode(info: user, reachedThrough: self, principal: principal)
        case "organization": OrganizationNode(info: organization, principal: principal)
        default: nil
        }
    }
}

/// An `Organization`.
struct OrganizationNode: Sendable, GraphQLPropertyReadable {
    let id: Org.ID
    let name: String
    let createdAt: Date
    let principal: Principal

    init(id: Org.ID, name: String, createdAt: Date, principal: Principal) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.principal = principal
    }

    init(info: OrganizationInfo, principal: Principal) {
        self.init(id: info.id, name: info.name, createdAt: info.createdAt, principal: principal)
    }

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "id": id.description
        case "name": self.name
        case "createdAt": DateTimeText.format(createdAt)
        default: nil
        }
    }
}

/// A `Project`.
struct ProjectNode: Sendable, GraphQLPropertyReadable {
    let info: ProjectInfo
    let principal: Principal

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "id": info.id.description
        case "name": info.name
        case "timezone": info.timezone
        case "retentionDays": info.retentionDays
        case "createdAt": DateTimeText.format(info.createdAt)
        default: nil
        }
    }
}

/// An `ApiToken`.
struct APITokenNode: Sendable, GraphQLPropertyReadable {
    let info: APITokenInfo
    let principal: Principal

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "id": info.id.description
        case "name": info.name
        case "kind": info.kind.rawValue
        case "prefix": info.prefix
        case "scopes": Value.list(info.scopes.sorted().map { .string($0.rawValue.uppercased()) })
        case "createdAt": DateTimeText.format(info.createdAt)
        case "lastUsedAt": info.lastUsedAt.map(DateTimeText.format)
        case "expiresAt": info.expiresAt.map(DateTimeText.format)
        case "revokedAt": info.revokedAt.map(DateTimeText.format)
        default: nil
        }
    }
}

/// An `AuthPayload`.
struct AuthPayloadNode: Sendable, GraphQLPropertyReadable {
    let token: String
    let user: UserNode
    let organization: OrganizationNode?

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "token": token
        case "user": user
        case "organization": organization
        default: nil
        }
    }
}

/// A `CreateApiTokenPayload`.
struct CreatedTokenNode: Sendable, GraphQLPropertyReadable {
    let token: String
    let apiToken: APITokenNode

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "token": token
        case "apiToken": apiToken
        default: nil
        }
    }
}

/// A `Report` (`project` has its own resolver).
struct ReportNode: Sendable, GraphQLPropertyReadable {
    let info: ReportInfo
    let principal: Principal

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "id": info.id.description
        case "name": info.name
        case "kind": info.kind.rawValue
        case "definition": Value(info.definition)
        case "createdAt": DateTimeText.format(info.createdAt)
        case "updatedAt": DateTimeText.format(info.updatedAt)
        default: nil
        }
    }
}

/// A `DashboardItem`.
struct DashboardItemNode: Sendable, GraphQLPropertyReadable {
    let info: DashboardItemInfo
    let principal: Principal

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "position": info.position
        case "width": info.width
        case "height": info.height
        case "report": ReportNode(info: info.report, principal: principal)
        default: nil
        }
    }
}

/// A `Dashboard` (`project` has its own resolver).
struct DashboardNode: Sendable, GraphQLPropertyReadable {
    let info: DashboardInfo
    let principal: Principal

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "id": info.id.description
        case "name": info.name
        case "description": info.description
        case "items": info.items.map { DashboardItemNode(info: $0, principal: principal) }
        case "dateRange": info.dateRange.map(Value.init) ?? Value.null
        case "createdAt": DateTimeText.format(info.createdAt)
        case "updatedAt": DateTimeText.format(info.updatedAt)
        default: nil
        }
    }
}
