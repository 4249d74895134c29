import Auth
import Foundation
import GraphQL
import Models

extension Resolvers where Context == APIContext {
    /// Events and reports (issue 6), until they exist.
    mutating func addPendingAnalyticsResolvers() {
        for field in ["events", "liveEvents", "eventNames", "propertyKeys", "trends", "funnel", "retention"] {
            resolve("Query", field) { (_: Value, args, context) -> Value in
                let principal = try context.principal()
                let project: Project.ID = try Input.id(args, "projectId", "project")
                _ = try await context.services.projects.get(principal, project: project)
                throw Self.notImplemented(field)
            }
        }
    }

    /// The error of a field not implemented yet.
    static func notImplemented(_ field: String) -> GraphQLError {
        GraphQLError("\(field) is not implemented yet", extensions: ["code": "NOT_IMPLEMENTED"])
    }
}
