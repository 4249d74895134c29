import Testing

@testable import GraphQL

extension TypeSystem {
    /// Schema validation must report what graphql-js `validateSchema` reports, in the same order and at the same
    /// locations; the table was produced by graphql-js from the same SDL (built with `assumeValidSDL`).
    @Suite struct ValidateTests {
        static let cases: [(sdl: String, errors: [(String, [(Int, Int)])])] = [
            (
                "type Query { a: Int } type Empty",
                [
                    ("Type Empty must define one or more fields.", [(1, 23)])
                ]
            ),
            (
                "schema { query: Q } interface Q { a: Int } type T { a: Int }",
                [
                    ("Query root type must be Object type, it cannot be Q.", [(1, 17)])
                ]
            ),
            (
                "type Mutation { a: Int }",
                [
                    ("Query root type must be provided.", [])
                ]
            ),
            (
                "type Query { __bad: Int a(__arg: Int): String } type __Type2 { a: Int }",
                [
                    ("Name \"__bad\" must not begin with \"__\", which is reserved by GraphQL introspection.", [(1, 14)]),
                    ("Name \"__arg\" must not begin with \"__\", which is reserved by GraphQL introspection.", [(1, 27)]),
                    ("Name \"__Type2\" must not begin with \"__\", which is reserved by GraphQL introspection.", [(1, 49)]),
                ]
            ),
            (
                "type Query { a: In } input In { b: Query }",
                [
                    ("The type of Query.a must be Output Type but got: In.", [(1, 17)]),
                    ("The type of In.b must be Input Type but got: Query.", [(1, 36)]),
                ]
            ),
            (
                "type Query { a(x: Query): Int }",
                [
                    ("The type of Query.a(x:) must be Input Type but got: Query.", [(1, 19)])
                ]
            ),
            (
                "type Query implements I & I & Query { a: Int } interface I { a: Int }",
                [
                    ("Type Query can only implement I once.", [(1, 23), (1, 27)]),
                    ("Type Query must only implement Interface types, it cannot implement Query.", [(1, 31)]),
                ]
            ),
            (
                "type Query implements I { b: Int } interface I { a(x: Int): String }",
                [
                    ("Interface field I.a expected but Query does not provide it.", [(1, 50), (1, 1)])
                ]
            ),
            (
                "type Query implements I { a(y: Int!): Int } interface I { a(x: String): String }",
                [
                    ("Interface field I.a expects type String but Query.a is type Int.", [(1, 73), (1, 39)]),
                    ("Interface field argument I.a(x:) expected but Query.a does not provide it.", [(1, 61), (1, 27)]),
                    (
                        "Object field Query.a includes required argument y that is missing from the Interface field I.a.",
                        [(1, 29), (1, 59)]
                    ),
                ]
            ),
            (
                "type Query implements I { a(x: Int): String } interface I { a(x: String): String }",
                [
                    ("Interface field argument I.a(x:) expects type String but Query.a(x:) is type Int.", [(1, 66), (1, 32)])
                ]
            ),
            (
                "type Query implements J { a: Int } interface I { a: Int } interface J implements I { a: Int }",
                [
                    ("Type Query must implement I because it is implemented by J.", [(1, 82), (1, 23)])
                ]
            ),
            (
                "type Query { a: Int } interface I implements I { a: Int }",
                [
                    ("Type I cannot implement itself because it would create a circular reference.", [(1, 46)])
                ]
            ),
            (
                "type Query { a: U } union U = Query | Query | I | In interface I { a: Int } input In { a: Int }",
                [
                    ("Union type U can only include type Query once.", [(1, 31), (1, 39)]),
                    ("Union type U can only include Object types, it cannot include I.", [(1, 47)]),
                    ("Union type U can only include Object types, it cannot include In.", [(1, 51)]),
                ]
            ),
            (
                "type Query { a: U } union U",
                [
                    ("Union type U must define one or more member types.", [(1, 21)])
                ]
            ),
            (
                "type Query { a: E } enum E",
                [
                    ("Enum type E must define one or more values.", [(1, 21)])
                ]
            ),
            (
                "type Query { a(x: In): Int } input In",
                [
                    ("Input Object type In must define one or more fields.", [(1, 30)])
                ]
            ),
            (
                "type Query { a(x: A): Int } input A { b: B! } input B { c: C! d: A } input C { a: A! }",
                [
                    (
                        "Cannot reference Input Object \"A\" within itself through a series of non-null fields: \"b.c.a\".",
                        [(1, 39), (1, 57), (1, 80)]
                    )
                ]
            ),
            (
                "type Query { a(x: Int! @deprecated): Int } input In { f: Int! @deprecated } directive @d(x: Int! @deprecated) on FIELD",
                [
                    ("Required argument @d(x:) cannot be deprecated.", [(1, 98), (1, 93)]),
                    ("Required argument Query.a(x:) cannot be deprecated.", [(1, 24), (1, 19)]),
                    ("Required input field In.f cannot be deprecated.", [(1, 63), (1, 58)]),
                ]
            ),
            (
                "type Query { a: Int } directive @__d(__a: Int, b: Query) on FIELD",
                [
                    ("Name \"__d\" must not begin with \"__\", which is reserved by GraphQL introspection.", [(1, 23)]),
                    ("Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection.", [(1, 38)]),
                    ("The type of @__d(b:) must be Input Type but got: Query.", [(1, 48)]),
                ]
            ),
        ]

        @Test(arguments: 0..<cases.count)
        func reportsLikeGraphQLJS(index: Int) throws {
            let (sdl, expected) = Self.cases[index]
            let schema = try buildSchema(sdl, options: BuildSchemaOptions(assumeValidSDL: true))
            let actual = schema.validationErrors.map { error in
                (error.message, error.locations.map { ($0.line, $0.column) })
            }
            #expect(actual.map(\.0) == expected.map(\.0), "\(sdl)")
            for (actualError, expectedError) in zip(actual, expected) {
                #expect(actualError.1.map { "\($0.0):\($0.1)" } == expectedError.1.map { "\($0.0):\($0.1)" }, "\(sdl)")
            }
        }

        @Test func validSchemaHasNoErrors() throws {
            let schema = try buildSchema(TypeSystem.SchemaTests.testSDL)
            #expect(schema.validationErrors.isEmpty)
            #expect(throws: Never.self) { try schema.assertValid() }
        }

        @Test func oneOfFieldsMustBeNullableWithoutDefaults() throws {
            let schema = try buildSchema(
                #"type Query { a(x: O): Int } input O @oneOf { a: Int! b: String = "x" c: Int }"#)
            #expect(
                schema.validationErrors.map(\.message) == [
                    "OneOf input field O.a must be nullable.", "OneOf input field O.b cannot have a default value.",
                ])
            #expect(schema.validationErrors[0].locations == [SourceLocation(line: 1, column: 49)])
            #expect(throws: GraphQLError.self) { try schema.assertValid() }
        }

        @Test func unknownTypeReferencesAreReported() {
            let query = GraphQLObjectType(name: "Query", fields: [GraphQLField(name: "a", type: .named("Missing"))])
            let schema = GraphQLSchema(query: query)
            #expect(schema.validationErrors.map(\.message) == [#"Unknown type "Missing" (referenced by Query.a)."#])
        }

        @Test func duplicateTypeNamesAreReported() {
            let first = GraphQLObjectType(name: "T", fields: [GraphQLField(name: "a", type: .named("Int"))])
            let second = GraphQLObjectType(name: "T", fields: [GraphQLField(name: "b", type: .named("Int"))])
            let query = GraphQLObjectType(name: "Query", fields: [GraphQLField(name: "t", type: .named("T"))])
            let schema = GraphQLSchema(query: query, types: [.object(first), .object(second)])
            #expect(
                schema.validationErrors.map(\.message) == [
                    #"Schema must contain uniquely named types but contains multiple types named "T"."#
                ])
        }
    }
}
