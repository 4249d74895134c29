import Foundation
import GraphQL
import Models

/// Loads and builds the API's schema from `schema.graphql`, the API's single source.
public enum SchemaSource {
    /// The schema file's name.
    public static let fileName = "schema.graphql"

    /// Reads the SDL at `path`; a missing or unreadable file is an `ServiceError` naming the path.
    public static func load(path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ServiceError(.internal, "cannot read the GraphQL schema at \(path); set IV_SCHEMA_PATH")
        }
    }

    /// Builds the schema with the `DateTime` and `JSON` scalars implemented.
    static func build(sdl: String) throws -> GraphQLSchema {
        do {
            return try buildSchema(sdl, options: BuildSchemaOptions(scalars: [APIScalars.dateTime, APIScalars.json]))
        } catch {
            throw ServiceError(.internal, "schema.graphql is invalid: \(error.description)")
        }
    }
}
