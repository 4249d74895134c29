import Foundation
import Testing

@testable import GraphQL

extension Execution {
    /// Introspection results compared byte for byte with graphql-js 16.6 (see Fixtures/README.md).
    @Suite struct IntrospectionTests {
        static let fixtures = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")

        static func load() throws -> (GraphQLSchema, OrderedObject) {
            let sdl = try String(
                contentsOf: fixtures.appendingPathComponent("introspection-schema.graphql"), encoding: .utf8)
            let expected = try Value(
                jsonBytes: [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("introspection-expected.json"))))
            return (try buildSchema(sdl), expected.objectValue ?? [:])
        }

        @Test(arguments: ["default", "all", "minimal", "extra"])
        func matchesGraphQLJS(variant: String) async throws {
            let (schema, fixtures) = try Self.load()
            let fixture = try #require(fixtures[variant])
            let query = try #require(fixture["query"]?.stringValue)
            let expected = try #require(fixture["result"]?.stringValue)
            let result = await execute(schema: schema, document: try parse(query))
            #expect(result.jsonValue.jsonString() == expected)
        }

        @Test func typeOfUnknownNameIsNullAndTypenameWorksEverywhere() async throws {
            let (schema, _) = try Self.load()
            let result = await execute(
                schema: schema, document: try parse("{ __type(name: \"Nope\") { name } __typename }"))
            #expect(result.jsonValue.jsonString() == #"{"data":{"__type":null,"__typename":"Query"}}"#)
        }

        @Test func disabledIntrospectionRejectsSchemaAndTypeButNotTypename() async throws {
            let (schema, _) = try Self.load()
            let engine = GraphQLEngine(
                schema: schema, resolvers: Resolvers<Void>(), options: GraphQLEngineOptions(introspection: false))
            let rejected = await engine.execute(
                query: "{ __typename ...F } fragment F on Query { __schema { queryType { name } } }", context: ())
            #expect(rejected.phase == .validation)
            #expect(rejected.result.errors.map(\.code) == ["INTROSPECTION_DISABLED"])
            #expect(rejected.result.errors.first?.locations == [SourceLocation(line: 1, column: 43)])
            let allowed = await engine.execute(query: "{ __typename }", context: ())
            #expect(allowed.result.jsonValue.jsonString() == #"{"data":{"__typename":"Query"}}"#)
        }
    }
}
