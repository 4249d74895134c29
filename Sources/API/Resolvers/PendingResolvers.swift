import Auth
import Foundation
import GraphQL
import Models

extension Resolvers where Context == APIContext {
    /// Saved reports and dashboards (issue 6). Until they exist their fields answer `NOT_IMPLEMENTED`; fields
    /// taking a `projectId` first check the project like every other field, so another organization's project
    /// is still `NOT_FOUND` and a signed-out caller still `UNAUTHENTICATED`.
    mutating func addPendingResolvers() {
        for field in ["reports", "dashboards"] {
            resolve("Query", field) { (_: Value, args, context) -> Value in
                let principal = try context.principal()
                let project: Project.ID = try Input.id(args, "projectId", "project")
                _ = try await context.services.projects.get(principal, project: project)
                throw Self.notImplemented(field)
            }
        }
        for field in ["report", "dashboard"] {
            resolve("Query", field) { (_: Value, _, context) -> Value in
                _ = try context.principal()
                throw Self.notImplemented(field)
            }
        }
        for field in ["saveReport", "createDashboard"] {
            resolve("Mutation", field) { (_: Value, args, context) -> Value in
                let principal = try context.principal()
                let project: Project.ID = try Input(args).id("projectId", "project")
                _ = try await context.services.projects.get(principal, project: project)
                throw Self.notImplemented(field)
            }
        }
        for field in ["updateReport", "deleteReport", "updateDashboard", "deleteDashboard"] {
            resolve("Mutation", field) { (_: Value, _, context) -> Value in
                _ = try context.principal()
                throw Self.notImplemented(field)
            }
        }
    }

    /// The error of a field not implemented yet.
    static func notImplemented(_ field: String) -> GraphQLError {
        GraphQLError("\(field) is not implemented yet", extensions: ["code": "NOT_IMPLEMENTED"])
    }
}
