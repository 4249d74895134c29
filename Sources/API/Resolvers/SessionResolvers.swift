import Accounts
import Foundation
import GraphQL
import Models
import Tenancy

/// A `Session`: one of the caller's signed-in devices.
struct SessionNode: Sendable, GraphQLPropertyReadable {
    let info: SessionInfo
    /// Whether the request came with this session.
    let current: Bool

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "id": info.id
        case "createdAt": DateTimeText.format(info.createdAt)
        case "lastSeenAt": DateTimeText.format(info.lastSeenAt)
        case "expiresAt": DateTimeText.format(info.expiresAt)
        case "userAgent": info.userAgent
        case "ip": info.ip
        case "current": current
        default: nil
        }
    }
}

extension Resolvers where Context == APIContext {
    /// `sessions`, `revokeSession`, `logOut` and `logOutEverywhere`: the caller's own sessions only.
    mutating func addSessionResolvers() {
        resolve("Query", "sessions") { (_: Value, _, context) -> [SessionNode] in
            let principal = try context.principal()
            let current: String? =
                if case .session(let session) = principal.credential { session.tokenID.lowercased() } else { nil }
            return try await context.services.accounts.sessions(principal).map { SessionNode(info: $0, current: $0.id == current) }
        }
        resolve("Mutation", "revokeSession") { (_: Value, args, context) -> Bool in
            guard let id = args.string("id") else { throw ServiceError(.badUserInput, "id is required") }
            try await context.services.accounts.revokeSession(try context.principal(), id: id)
            return true
        }
        resolve("Mutation", "logOut") { (_: Value, _, context) -> Bool in
            try await context.services.accounts.logOut(try context.principal())
            return true
        }
        resolve("Mutation", "logOutEverywhere") { (_: Value, _, context) -> Int in
            try await context.services.accounts.logOutEverywhere(try context.principal())
        }
    }
}
