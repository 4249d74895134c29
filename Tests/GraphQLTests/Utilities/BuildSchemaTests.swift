import Testing

@testable import GraphQL

extension Utilities {
    @Suite struct BuildSchemaTests {
        /// SDL mistakes are reported with graphql-js 16's messages and locations (from its `validateSDL`).
        static let invalidSDL: [(String, [(String, [(Int, Int)])])] = [
            (
                "type Query { a: Strin }",
                [
                    ("Unknown type \"Strin\". Did you mean \"String\"?", [(1, 17)])
                ]
            ),
            (
                "type Query { a: Int } type Query { b: Int }",
                [
                    ("There can be only one type named \"Query\".", [(1, 6), (1, 28)])
                ]
            ),
            (
                "schema { query: Q } schema { query: Q } type Q { a: Int }",
                [
                    ("Must provide only one schema definition.", [(1, 21)]),
                    ("There can be only one query type in schema.", [(1, 10), (1, 30)]),
                ]
            ),
            (
                "schema { query: Q query: Q } type Q { a: Int }",
                [
                    ("There can be only one query type in schema.", [(1, 10), (1, 19)])
                ]
            ),
            (
                "directive @d on FIELD directive @d on FIELD type Query { a: Int }",
                [
                    ("There can be only one directive named \"@d\".", [(1, 12), (1, 34)])
                ]
            ),
            (
                "type Query { a: Int a: String }",
                [
                    ("Field \"Query.a\" can only be defined once.", [(1, 14), (1, 21)])
                ]
            ),
            (
                "type Query { a: Int } extend type Query { a: String }",
                [
                    ("Field \"Query.a\" can only be defined once.", [(1, 14), (1, 43)])
                ]
            ),
            (
                "enum E { A A } type Query { a: E }",
                [
                    ("Enum value \"E.A\" can only be defined once.", [(1, 10), (1, 12)])
                ]
            ),
            (
                "type Query { a(x: Int, x: Int): Int }",
                [
                    ("Argument \"Query.a(x:)\" can only be defined once.", [(1, 16), (1, 24)])
                ]
            ),
            (
                "directive @d(x: Int, x: Int) on FIELD type Query { a: Int }",
                [
                    ("Argument \"@d(x:)\" can only be defined once.", [(1, 14), (1, 22)])
                ]
            ),
            (
                "type Query { a: Int @unknown }",
                [
                    ("Unknown directive \"@unknown\".", [(1, 21)])
                ]
            ),
            (
                "type Query @deprecated { a: Int }",
                [
                    ("Directive \"@deprecated\" may not be used on OBJECT.", [(1, 12)])
                ]
            ),
            (
                "type Query { a: Int @deprecated @deprecated }",
                [
                    ("The directive \"@deprecated\" can only be used once at this location.", [(1, 21), (1, 33)])
                ]
            ),
            (
                "extend type Missing { a: Int } type Query { a: Int }",
                [
                    ("Cannot extend type \"Missing\" because it is not defined.", [(1, 13)])
                ]
            ),
            (
                "type Query { a: Int } extend input Query { b: Int }",
                [
                    ("Cannot extend non-input object type \"Query\".", [(1, 1), (1, 23)])
                ]
            ),
            (
                "type Query { a: Int @deprecated(reasn: \"x\") }",
                [
                    ("Unknown argument \"reasn\" on directive \"@deprecated\". Did you mean \"reason\"?", [(1, 33)])
                ]
            ),
            (
                "directive @d(x: Int!) on FIELD_DEFINITION type Query { a: Int @d }",
                [
                    ("Directive \"@d\" argument \"x\" of type \"Int!\" is required, but it was not provided.", [(1, 63)])
                ]
            ),
            (
                "type Query { a: Int @deprecated(reason: \"a\", reason: \"b\") }",
                [
                    ("There can be only one argument named \"reason\".", [(1, 33), (1, 46)])
                ]
            ),
            (
                "directive @d(x: In) on FIELD_DEFINITION input In { a: Int } type Query { a: Int @d(x: {a: 1, a: 2}) }",
                [
                    ("There can be only one input field named \"a\".", [(1, 88), (1, 94)])
                ]
            ),
            (
                "scalar S @specifiedBy type Query { a: S }",
                [
                    ("Directive \"@specifiedBy\" argument \"url\" of type \"String!\" is required, but it was not provided.", [(1, 10)])
                ]
            ),
        ]

        @Test(arguments: 0..<invalidSDL.count)
        func reportsSDLErrorsLikeGraphQLJS(index: Int) {
            let (sdl, expected) = Self.invalidSDL[index]
            do {
                _ = try buildSchema(sdl)
                Issue.record("expected SDL errors for \(sdl)")
            } catch {
                #expect(error.errors.map(\.message) == expected.map(\.0), "\(sdl)")
                #expect(
                    error.errors.map { $0.locations.map { "\($0.line):\($0.column)" } }
                        == expected.map { $0.1.map { "\($0.0):\($0.1)" } }, "\(sdl)")
            }
        }

        @Test func syntaxErrorsAreReported() {
            do {
                _ = try buildSchema("type Query {")
                Issue.record("expected a syntax error")
            } catch {
                #expect(error.errors.map(\.message) == ["Syntax Error: Expected Name, found <EOF>."])
            }
        }

        @Test func defaultRootTypeNames() throws {
            let schema = try buildSchema("type Query { a: Int } type Mutation { b: Int } type Subscription { c: Int }")
            #expect(schema.queryType?.name == "Query")
            #expect(schema.mutationType?.name == "Mutation")
            #expect(schema.subscriptionType?.name == "Subscription")
            let custom = try buildSchema("schema { query: Root } type Root { a: Int } type Mutation { b: Int }")
            #expect(custom.queryType?.name == "Root")
            #expect(custom.mutationType == nil)
        }

        @Test func extensionsAreMerged() throws {
            let schema = try buildSchema(
                """
                type Query { a: Int }
                extend type Query implements Node { id: ID! }
                interface Node { id: ID! }
                enum E { A }
                extend enum E { B }
                input I { x: Int }
                extend input I @oneOf { y: Int }
                union U = Query
                extend union U = Other
                type Other { z: Int }
                scalar S
                extend scalar S @specifiedBy(url: "https://example.com")
                extend schema { mutation: Other }
                """)
            let query = try #require(schema.queryType)
            #expect(query.fields.names == ["a", "id"])
            #expect(query.interfaces == ["Node"])
            #expect(query.extensionASTNodes.count == 1)
            #expect(schema.type(named: "E")?.asEnum?.values.names == ["A", "B"])
            #expect(schema.type(named: "I")?.asInputObject?.fields.names == ["x", "y"])
            #expect(schema.type(named: "I")?.asInputObject?.isOneOf == true)
            #expect(schema.type(named: "U")?.asUnion?.types == ["Query", "Other"])
            #expect(schema.type(named: "S")?.asScalar?.specifiedByURL == "https://example.com")
            #expect(schema.mutationType?.name == "Other")
            #expect(schema.validationErrors.isEmpty)
        }

        @Test func customScalarImplementations() throws {
            let upper = GraphQLScalarType(
                name: "Upper",
                serialize: { value throws(GraphQLError) in .string((value.stringValue ?? "").uppercased()) })
            let schema = try buildSchema(
                "\"Shouts.\" scalar Upper type Query { a: Upper }", options: BuildSchemaOptions(scalars: [upper]))
            let scalar = try #require(schema.type(named: "Upper")?.asScalar)
            #expect(try scalar.serialize("abc") == "ABC")
            #expect(scalar.description == "Shouts.")
            #expect(scalar.astNode != nil)
        }

        @Test func redefinedBuiltInsAreReplacedByTheStandardOnes() throws {
            let schema = try buildSchema("scalar String type Query { a: String } directive @skip on FIELD")
            #expect(schema.type(named: "String")?.asScalar === GraphQLScalarType.string)
            #expect(schema.directives.filter { $0.name == "skip" }.count == 1)
            #expect(schema.directive(named: "skip")?.args.isEmpty == true)
        }

        @Test func largeSchemasAreNotTokenLimited() throws {
            let fields = (0..<6_000).map { "f\($0): Int" }.joined(separator: " ")
            let schema = try buildSchema("type Query { \(fields) }")
            #expect(schema.queryType?.fields.count == 6_000)
        }

        @Test func invalidDefaultValuesAreDropped() throws {
            let schema = try buildSchema(#"type Query { a(x: Int = "no", y: [Int] = 1, z: Int = null): Int }"#)
            let field = try #require(schema.queryType?.fields["a"])
            #expect(field.argument(named: "x")?.defaultValue == nil)
            #expect(field.argument(named: "y")?.defaultValue == [1])
            #expect(field.argument(named: "z")?.defaultValue == .null)
        }
    }
}
