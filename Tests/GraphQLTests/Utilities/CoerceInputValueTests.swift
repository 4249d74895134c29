import Testing

@testable import GraphQL

/// Tests of `Sources/GraphQL/Utilities`; the namespace makes `swift test --filter Utilities` select them.
@Suite enum Utilities {}

extension Utilities {
    /// `coerceInputValue` must behave like graphql-js 16: same results, same errors with the same paths, same
    /// default-handler message. The table was produced by graphql-js on the shared test schema.
    @Suite struct CoerceInputValueTests {
        static var schema: GraphQLSchema { TypeSystem.SchemaTests.schema }

        /// (type, JSON input, JSON result when valid, errors as (path, message), default handler's thrown message).
        static let cases: [(String, String, String?, [(String, String)], String?)] = [
            ("Int", "1", "1", [], nil),
            (
                "Int", "\"1\"", nil,
                [
                    ("", "Int cannot represent non-integer value: \"1\"")
                ],
                "Invalid value \"1\": Int cannot represent non-integer value: \"1\""
            ),
            (
                "Int!", "null", nil,
                [
                    ("", "Expected non-nullable type \"Int!\" not to be null.")
                ],
                "Invalid value null: Expected non-nullable type \"Int!\" not to be null."
            ),
            ("[Int]", "1", "[1]", [], nil),
            (
                "[Int]", "[1, \"x\", 3]", nil,
                [
                    ("[1]", "Int cannot represent non-integer value: \"x\"")
                ],
                "Invalid value \"x\" at \"value[1]\": Int cannot represent non-integer value: \"x\""
            ),
            (
                "[Int!]", "[1, null]", nil,
                [
                    ("[1]", "Expected non-nullable type \"Int!\" not to be null.")
                ],
                "Invalid value null at \"value[1]\": Expected non-nullable type \"Int!\" not to be null."
            ),
            ("DocumentFilter", "{\"limit\": 5}", "{\"limit\":5,\"order\":[\"DESC\"]}", [], nil),
            ("DocumentFilter", "{}", "{\"limit\":20,\"order\":[\"DESC\"]}", [], nil),
            (
                "DocumentFilter", "{\"limt\": 5}", nil,
                [
                    ("", "Field \"limt\" is not defined by type \"DocumentFilter\". Did you mean \"limit\"?")
                ],
                "Invalid value { limt: 5 }: Field \"limt\" is not defined by type \"DocumentFilter\". Did you mean \"limit\"?"
            ),
            ("DocumentFilter", "{\"order\": \"ASC\"}", "{\"limit\":20,\"order\":[\"ASC\"]}", [], nil),
            (
                "DocumentFilter", "{\"order\": [\"ASK\"]}", nil,
                [
                    (".order[0]", "Value \"ASK\" does not exist in \"Order\" enum. Did you mean the enum value \"ASC\"?")
                ],
                "Invalid value \"ASK\" at \"value.order[0]\": Value \"ASK\" does not exist in \"Order\" enum."
                    + " Did you mean the enum value \"ASC\"?"
            ),
            (
                "DocumentFilter", "\"x\"", nil,
                [
                    ("", "Expected type \"DocumentFilter\" to be an object.")
                ],
                "Invalid value \"x\": Expected type \"DocumentFilter\" to be an object."
            ),
            (
                "DocumentFilter", "[1]", nil,
                [
                    ("", "Field \"0\" is not defined by type \"DocumentFilter\".")
                ],
                "Invalid value [1]: Field \"0\" is not defined by type \"DocumentFilter\"."
            ),
            ("Order", "\"DESC\"", "\"DESC\"", [], nil),
            (
                "Order", "1", nil,
                [
                    ("", "Enum \"Order\" cannot represent non-string value: 1.")
                ],
                "Invalid value 1: Enum \"Order\" cannot represent non-string value: 1."
            ),
            ("[[Int]]", "[[1], 2]", "[[1],[2]]", [], nil),
            ("ID", "12", "\"12\"", [], nil),
            ("ID", "1.5", nil, [("", "ID cannot represent value: 1.5")], "Invalid value 1.5: ID cannot represent value: 1.5"),
            ("Float", "1", "1", [], nil),
            (
                "String", "{\"a\": [1, {\"b\": [2, [3]]}]}", nil,
                [
                    ("", "String cannot represent a non string value: { a: [1, [Object]] }")
                ],
                "Invalid value { a: [1, [Object]] }: String cannot represent a non string value: { a: [1, [Object]] }"
            ),
            (
                "DocumentFilter", "{\"titleContains\": 1, \"limit\": \"x\", \"other\": true}", nil,
                [
                    (".titleContains", "String cannot represent a non string value: 1"),
                    (".limit", "Int cannot represent non-integer value: \"x\""),
                    ("", "Field \"other\" is not defined by type \"DocumentFilter\". Did you mean \"order\"?"),
                ],
                "Invalid value 1 at \"value.titleContains\": String cannot represent a non string value: 1"
            ),
        ]

        @Test(arguments: 0..<cases.count)
        func coercesLikeGraphQLJS(index: Int) throws {
            let (typeText, input, expectedResult, expectedErrors, expectedThrown) = Self.cases[index]
            let type = TypeReference(try parseType(typeText))
            let value = try Value(json: input)
            var errors: [(String, String)] = []
            let result = coerceInputValue(value, type: type, schema: Self.schema) { path, _, error in
                errors.append((printPathArray(path), error.message))
            }
            #expect(errors.map(\.0) == expectedErrors.map(\.0), "\(typeText) \(input)")
            #expect(errors.map(\.1) == expectedErrors.map(\.1), "\(typeText) \(input)")
            if let expectedResult {
                #expect(result?.jsonString() == (try Value(json: expectedResult)).jsonString(), "\(typeText) \(input)")
            }
            do {
                _ = try coerceInputValue(value, type: type, schema: Self.schema)
                #expect(expectedThrown == nil)
            } catch {
                #expect(error.message == expectedThrown, "\(typeText) \(input)")
            }
        }

        @Test func oneOfAcceptsExactlyOneNonNullField() throws {
            let lookup = TypeReference.named("Lookup")
            #expect(try coerceInputValue(["id": 1], type: lookup, schema: Self.schema) == ["id": "1"])
            var messages: [String] = []
            var paths: [String] = []
            func check(_ value: Value) {
                messages = []
                paths = []
                _ = coerceInputValue(value, type: lookup, schema: Self.schema) { path, _, error in
                    messages.append(error.message)
                    paths.append(printPathArray(path))
                }
            }
            check(["id": 1, "url": "u"])
            #expect(messages == [#"Exactly one key must be specified for OneOf type "Lookup"."#])
            check([:])
            #expect(messages == [#"Exactly one key must be specified for OneOf type "Lookup"."#])
            check(["url": nil])
            #expect(messages == [#"Field "url" must be non-null."#])
            #expect(paths == [".url"])
            check(["id": nil, "url": "u"])
            #expect(
                messages == [
                    #"Exactly one key must be specified for OneOf type "Lookup"."#, #"Field "id" must be non-null."#,
                ])
            do {
                _ = try coerceInputValue(["url": nil], type: lookup, schema: Self.schema)
                Issue.record("expected an error")
            } catch {
                #expect(error.message == #"Invalid value null at "value.url": Field "url" must be non-null."#)
            }
        }
    }
}
