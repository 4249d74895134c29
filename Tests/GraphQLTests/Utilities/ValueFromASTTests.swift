import Testing

@testable import GraphQL

extension Utilities {
    @Suite struct ValueFromASTTests {
        static var schema: GraphQLSchema { TypeSystem.SchemaTests.schema }
        static let variables: OrderedObject = ["v": 5, "n": nil, "s": "str", "o": ["ASC"]]

        /// (type, literal, JSON of the coerced value or nil when invalid), as graphql-js `valueFromAST` returns them.
        static let cases: [(String, String, String?)] = [
            ("Int", "1", "1"),
            ("Int", "\"1\"", nil),
            ("Int!", "null", nil),
            ("Int", "null", "null"),
            ("[Int]", "1", "[1]"),
            ("[Int]", "[1, $missing, 3]", "[1,null,3]"),
            ("[Int!]", "[1, $missing]", nil),
            ("[Int!]", "[1, $n]", nil),
            ("Int!", "$n", nil),
            ("Int", "$v", "5"),
            ("Int", "$missing", nil),
            ("DocumentFilter", "{limit: 5}", "{\"limit\":5,\"order\":[\"DESC\"]}"),
            ("DocumentFilter", "{}", "{\"limit\":20,\"order\":[\"DESC\"]}"),
            ("DocumentFilter", "{limt: 5}", "{\"limit\":20,\"order\":[\"DESC\"]}"),
            ("DocumentFilter", "{order: ASC}", "{\"limit\":20,\"order\":[\"ASC\"]}"),
            ("DocumentFilter", "{order: [DESC, ASC], limit: $missing}", "{\"limit\":20,\"order\":[\"DESC\",\"ASC\"]}"),
            ("DocumentFilter", "{order: $o}", "{\"limit\":20,\"order\":[\"ASC\"]}"),
            ("DocumentFilter", "{limit: 1, limit: 2}", "{\"limit\":2,\"order\":[\"DESC\"]}"),
            ("Order", "DESC", "\"DESC\""),
            ("Order", "\"DESC\"", nil),
            ("Float", "1", "1"),
            ("ID", "12", "\"12\""),
            ("JSON", "{a: [1, $v, $missing], b: $missing}", "{\"a\":[1,5,null]}"),
            ("[[Int]]", "[[1], 2]", "[[1],[2]]"),
            ("String", "$s", "\"str\""),
        ]

        @Test(arguments: 0..<cases.count)
        func coercesLiteralsLikeGraphQLJS(index: Int) throws {
            let (typeText, literal, expected) = Self.cases[index]
            let type = TypeReference(try parseType(typeText))
            let value = valueFromAST(try parseValue(literal), type: type, schema: Self.schema, variables: Self.variables)
            #expect(value?.jsonString() == expected, "\(typeText) \(literal)")
        }

        @Test func oneOfLiterals() throws {
            let lookup = TypeReference.named("Lookup")
            func coerce(_ literal: String) throws -> Value? {
                valueFromAST(try parseValue(literal), type: lookup, schema: Self.schema, variables: Self.variables)
            }
            #expect(try coerce("{id: 1}") == ["id": "1"])
            #expect(try coerce(#"{id: 1, url: "u"}"#) == nil)
            #expect(try coerce("{id: null}") == nil)
            #expect(try coerce("{}") == nil)
            #expect(try coerce("{id: $missing}") == nil)
        }

        @Test func untypedConversion() throws {
            let value = valueFromASTUntyped(
                try parseValue(#"{a: 1, b: 2.5, c: "s", d: ENUM, e: true, f: null, g: [$v], h: 99999999999999999999}"#),
                variables: ["v": "x"])
            #expect(value == ["a": 1, "b": 2.5, "c": "s", "d": "ENUM", "e": true, "f": nil, "g": ["x"], "h": 1e20])
        }
    }
}
