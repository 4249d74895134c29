import Testing

@testable import GraphQL

/// Tests of `Sources/GraphQL/Type`; the namespace makes `swift test --filter Type` select them.
@Suite enum TypeSystem {}

extension TypeSystem {
    /// Built-in scalar coercion must match graphql-js 16 exactly, messages included; the tables were produced
    /// by calling graphql-js's `serialize`, `parseValue` and `parseLiteral` on the same inputs.
    @Suite struct ScalarsTests {
        /// (scalar, JSON input, serialize result, parseValue result); results are `ok <json>` or `err <message>`.
        static let valueCases: [(String, String, String, String)] = [
            ("Int", "1", "ok 1", "ok 1"),
            ("Int", "-1", "ok -1", "ok -1"),
            ("Int", "2147483647", "ok 2147483647", "ok 2147483647"),
            (
                "Int",
                "2147483648",
                "err Int cannot represent non 32-bit signed integer value: 2147483648",
                "err Int cannot represent non 32-bit signed integer value: 2147483648"
            ),
            (
                "Int",
                "-2147483649",
                "err Int cannot represent non 32-bit signed integer value: -2147483649",
                "err Int cannot represent non 32-bit signed integer value: -2147483649"
            ),
            ("Int", "1.0", "ok 1", "ok 1"),
            (
                "Int",
                "1.5",
                "err Int cannot represent non-integer value: 1.5",
                "err Int cannot represent non-integer value: 1.5"
            ),
            ("Int", "1e3", "ok 1000", "ok 1000"),
            ("Int", "\"1\"", "ok 1", "err Int cannot represent non-integer value: \"1\""),
            ("Int", "\" 12 \"", "ok 12", "err Int cannot represent non-integer value: \" 12 \""),
            (
                "Int",
                "\"\"",
                "err Int cannot represent non-integer value: \"\"",
                "err Int cannot represent non-integer value: \"\""
            ),
            (
                "Int",
                "\"abc\"",
                "err Int cannot represent non-integer value: \"abc\"",
                "err Int cannot represent non-integer value: \"abc\""
            ),
            (
                "Int",
                "\"1.5\"",
                "err Int cannot represent non-integer value: \"1.5\"",
                "err Int cannot represent non-integer value: \"1.5\""
            ),
            ("Int", "\"0x10\"", "ok 16", "err Int cannot represent non-integer value: \"0x10\""),
            ("Int", "true", "ok 1", "err Int cannot represent non-integer value: true"),
            ("Int", "false", "ok 0", "err Int cannot represent non-integer value: false"),
            (
                "Int",
                "null",
                "err Int cannot represent non-integer value: null",
                "err Int cannot represent non-integer value: null"
            ),
            (
                "Int",
                "[1]",
                "err Int cannot represent non-integer value: [1]",
                "err Int cannot represent non-integer value: [1]"
            ),
            (
                "Int",
                "{\"a\":1}",
                "err Int cannot represent non-integer value: { a: 1 }",
                "err Int cannot represent non-integer value: { a: 1 }"
            ),
            (
                "Int",
                "1e21",
                "err Int cannot represent non 32-bit signed integer value: 1e+21",
                "err Int cannot represent non 32-bit signed integer value: 1e+21"
            ),
            ("Float", "1", "ok 1", "ok 1"),
            ("Float", "-1", "ok -1", "ok -1"),
            ("Float", "2147483647", "ok 2147483647", "ok 2147483647"),
            ("Float", "2147483648", "ok 2147483648", "ok 2147483648"),
            ("Float", "-2147483649", "ok -2147483649", "ok -2147483649"),
            ("Float", "1.0", "ok 1", "ok 1"),
            ("Float", "1.5", "ok 1.5", "ok 1.5"),
            ("Float", "1e3", "ok 1000", "ok 1000"),
            ("Float", "\"1\"", "ok 1", "err Float cannot represent non numeric value: \"1\""),
            ("Float", "\" 12 \"", "ok 12", "err Float cannot represent non numeric value: \" 12 \""),
            (
                "Float",
                "\"\"",
                "err Float cannot represent non numeric value: \"\"",
                "err Float cannot represent non numeric value: \"\""
            ),
            (
                "Float",
                "\"abc\"",
                "err Float cannot represent non numeric value: \"abc\"",
                "err Float cannot represent non numeric value: \"abc\""
            ),
            ("Float", "\"1.5\"", "ok 1.5", "err Float cannot represent non numeric value: \"1.5\""),
            ("Float", "\"0x10\"", "ok 16", "err Float cannot represent non numeric value: \"0x10\""),
            ("Float", "true", "ok 1", "err Float cannot represent non numeric value: true"),
            ("Float", "false", "ok 0", "err Float cannot represent non numeric value: false"),
            (
                "Float",
                "null",
                "err Float cannot represent non numeric value: null",
                "err Float cannot represent non numeric value: null"
            ),
            (
                "Float",
                "[1]",
                "err Float cannot represent non numeric value: [1]",
                "err Float cannot represent non numeric value: [1]"
            ),
            (
                "Float",
                "{\"a\":1}",
                "err Float cannot represent non numeric value: { a: 1 }",
                "err Float cannot represent non numeric value: { a: 1 }"
            ),
            ("Float", "1e21", "ok 1e+21", "ok 1e+21"),
            ("String", "1", "ok \"1\"", "err String cannot represent a non string value: 1"),
            ("String", "-1", "ok \"-1\"", "err String cannot represent a non string value: -1"),
            ("String", "2147483647", "ok \"2147483647\"", "err String cannot represent a non string value: 2147483647"),
            ("String", "2147483648", "ok \"2147483648\"", "err String cannot represent a non string value: 2147483648"),
            (
                "String",
                "-2147483649",
                "ok \"-2147483649\"",
                "err String cannot represent a non string value: -2147483649"
            ),
            ("String", "1.0", "ok \"1\"", "err String cannot represent a non string value: 1"),
            ("String", "1.5", "ok \"1.5\"", "err String cannot represent a non string value: 1.5"),
            ("String", "1e3", "ok \"1000\"", "err String cannot represent a non string value: 1000"),
            ("String", "\"1\"", "ok \"1\"", "ok \"1\""),
            ("String", "\" 12 \"", "ok \" 12 \"", "ok \" 12 \""),
            ("String", "\"\"", "ok \"\"", "ok \"\""),
            ("String", "\"abc\"", "ok \"abc\"", "ok \"abc\""),
            ("String", "\"1.5\"", "ok \"1.5\"", "ok \"1.5\""),
            ("String", "\"0x10\"", "ok \"0x10\"", "ok \"0x10\""),
            ("String", "true", "ok \"true\"", "err String cannot represent a non string value: true"),
            ("String", "false", "ok \"false\"", "err String cannot represent a non string value: false"),
            (
                "String",
                "null",
                "err String cannot represent value: null",
                "err String cannot represent a non string value: null"
            ),
            (
                "String",
                "[1]",
                "err String cannot represent value: [1]",
                "err String cannot represent a non string value: [1]"
            ),
            (
                "String",
                "{\"a\":1}",
                "err String cannot represent value: { a: 1 }",
                "err String cannot represent a non string value: { a: 1 }"
            ),
            ("String", "1e21", "ok \"1e+21\"", "err String cannot represent a non string value: 1e+21"),
            ("Boolean", "1", "ok true", "err Boolean cannot represent a non boolean value: 1"),
            ("Boolean", "-1", "ok true", "err Boolean cannot represent a non boolean value: -1"),
            ("Boolean", "2147483647", "ok true", "err Boolean cannot represent a non boolean value: 2147483647"),
            ("Boolean", "2147483648", "ok true", "err Boolean cannot represent a non boolean value: 2147483648"),
            ("Boolean", "-2147483649", "ok true", "err Boolean cannot represent a non boolean value: -2147483649"),
            ("Boolean", "1.0", "ok true", "err Boolean cannot represent a non boolean value: 1"),
            ("Boolean", "1.5", "ok true", "err Boolean cannot represent a non boolean value: 1.5"),
            ("Boolean", "1e3", "ok true", "err Boolean cannot represent a non boolean value: 1000"),
            (
                "Boolean",
                "\"1\"",
                "err Boolean cannot represent a non boolean value: \"1\"",
                "err Boolean cannot represent a non boolean value: \"1\""
            ),
            (
                "Boolean",
                "\" 12 \"",
                "err Boolean cannot represent a non boolean value: \" 12 \"",
                "err Boolean cannot represent a non boolean value: \" 12 \""
            ),
            (
                "Boolean",
                "\"\"",
                "err Boolean cannot represent a non boolean value: \"\"",
                "err Boolean cannot represent a non boolean value: \"\""
            ),
            (
                "Boolean",
                "\"abc\"",
                "err Boolean cannot represent a non boolean value: \"abc\"",
                "err Boolean cannot represent a non boolean value: \"abc\""
            ),
            (
                "Boolean",
                "\"1.5\"",
                "err Boolean cannot represent a non boolean value: \"1.5\"",
                "err Boolean cannot represent a non boolean value: \"1.5\""
            ),
            (
                "Boolean",
                "\"0x10\"",
                "err Boolean cannot represent a non boolean value: \"0x10\"",
                "err Boolean cannot represent a non boolean value: \"0x10\""
            ),
            ("Boolean", "true", "ok true", "ok true"),
            ("Boolean", "false", "ok false", "ok false"),
            (
                "Boolean",
                "null",
                "err Boolean cannot represent a non boolean value: null",
                "err Boolean cannot represent a non boolean value: null"
            ),
            (
                "Boolean",
                "[1]",
                "err Boolean cannot represent a non boolean value: [1]",
                "err Boolean cannot represent a non boolean value: [1]"
            ),
            (
                "Boolean",
                "{\"a\":1}",
                "err Boolean cannot represent a non boolean value: { a: 1 }",
                "err Boolean cannot represent a non boolean value: { a: 1 }"
            ),
            ("Boolean", "1e21", "ok true", "err Boolean cannot represent a non boolean value: 1e+21"),
            ("ID", "1", "ok \"1\"", "ok \"1\""),
            ("ID", "-1", "ok \"-1\"", "ok \"-1\""),
            ("ID", "2147483647", "ok \"2147483647\"", "ok \"2147483647\""),
            ("ID", "2147483648", "ok \"2147483648\"", "ok \"2147483648\""),
            ("ID", "-2147483649", "ok \"-2147483649\"", "ok \"-2147483649\""),
            ("ID", "1.0", "ok \"1\"", "ok \"1\""),
            ("ID", "1.5", "err ID cannot represent value: 1.5", "err ID cannot represent value: 1.5"),
            ("ID", "1e3", "ok \"1000\"", "ok \"1000\""),
            ("ID", "\"1\"", "ok \"1\"", "ok \"1\""),
            ("ID", "\" 12 \"", "ok \" 12 \"", "ok \" 12 \""),
            ("ID", "\"\"", "ok \"\"", "ok \"\""),
            ("ID", "\"abc\"", "ok \"abc\"", "ok \"abc\""),
            ("ID", "\"1.5\"", "ok \"1.5\"", "ok \"1.5\""),
            ("ID", "\"0x10\"", "ok \"0x10\"", "ok \"0x10\""),
            ("ID", "true", "err ID cannot represent value: true", "err ID cannot represent value: true"),
            ("ID", "false", "err ID cannot represent value: false", "err ID cannot represent value: false"),
            ("ID", "null", "err ID cannot represent value: null", "err ID cannot represent value: null"),
            ("ID", "[1]", "err ID cannot represent value: [1]", "err ID cannot represent value: [1]"),
            ("ID", "{\"a\":1}", "err ID cannot represent value: { a: 1 }", "err ID cannot represent value: { a: 1 }"),
            ("ID", "1e21", "ok \"1e+21\"", "ok \"1e+21\""),
        ]

        /// (scalar, literal, parseLiteral result).
        static let literalCases: [(String, String, String)] = [
            ("Int", "1", "ok 1"),
            ("Int", "2147483648", "err Int cannot represent non 32-bit signed integer value: 2147483648"),
            ("Int", "1.5", "err Int cannot represent non-integer value: 1.5"),
            ("Int", "\"s\"", "err Int cannot represent non-integer value: \"s\""),
            ("Int", "true", "err Int cannot represent non-integer value: true"),
            ("Int", "null", "err Int cannot represent non-integer value: null"),
            ("Int", "ENUM", "err Int cannot represent non-integer value: ENUM"),
            ("Int", "[1]", "err Int cannot represent non-integer value: [1]"),
            ("Int", "{a: 1}", "err Int cannot represent non-integer value: {a: 1}"),
            (
                "Int",
                "123456789012345678901234567890",
                "err Int cannot represent non 32-bit signed integer value: 123456789012345678901234567890"
            ),
            ("Float", "1", "ok 1"),
            ("Float", "2147483648", "ok 2147483648"),
            ("Float", "1.5", "ok 1.5"),
            ("Float", "\"s\"", "err Float cannot represent non numeric value: \"s\""),
            ("Float", "true", "err Float cannot represent non numeric value: true"),
            ("Float", "null", "err Float cannot represent non numeric value: null"),
            ("Float", "ENUM", "err Float cannot represent non numeric value: ENUM"),
            ("Float", "[1]", "err Float cannot represent non numeric value: [1]"),
            ("Float", "{a: 1}", "err Float cannot represent non numeric value: {a: 1}"),
            ("Float", "123456789012345678901234567890", "ok 1.2345678901234568e+29"),
            ("String", "1", "err String cannot represent a non string value: 1"),
            ("String", "2147483648", "err String cannot represent a non string value: 2147483648"),
            ("String", "1.5", "err String cannot represent a non string value: 1.5"),
            ("String", "\"s\"", "ok \"s\""),
            ("String", "true", "err String cannot represent a non string value: true"),
            ("String", "null", "err String cannot represent a non string value: null"),
            ("String", "ENUM", "err String cannot represent a non string value: ENUM"),
            ("String", "[1]", "err String cannot represent a non string value: [1]"),
            ("String", "{a: 1}", "err String cannot represent a non string value: {a: 1}"),
            (
                "String",
                "123456789012345678901234567890",
                "err String cannot represent a non string value: 123456789012345678901234567890"
            ),
            ("Boolean", "1", "err Boolean cannot represent a non boolean value: 1"),
            ("Boolean", "2147483648", "err Boolean cannot represent a non boolean value: 2147483648"),
            ("Boolean", "1.5", "err Boolean cannot represent a non boolean value: 1.5"),
            ("Boolean", "\"s\"", "err Boolean cannot represent a non boolean value: \"s\""),
            ("Boolean", "true", "ok true"),
            ("Boolean", "null", "err Boolean cannot represent a non boolean value: null"),
            ("Boolean", "ENUM", "err Boolean cannot represent a non boolean value: ENUM"),
            ("Boolean", "[1]", "err Boolean cannot represent a non boolean value: [1]"),
            ("Boolean", "{a: 1}", "err Boolean cannot represent a non boolean value: {a: 1}"),
            (
                "Boolean",
                "123456789012345678901234567890",
                "err Boolean cannot represent a non boolean value: 123456789012345678901234567890"
            ),
            ("ID", "1", "ok \"1\""),
            ("ID", "2147483648", "ok \"2147483648\""),
            ("ID", "1.5", "err ID cannot represent a non-string and non-integer value: 1.5"),
            ("ID", "\"s\"", "ok \"s\""),
            ("ID", "true", "err ID cannot represent a non-string and non-integer value: true"),
            ("ID", "null", "err ID cannot represent a non-string and non-integer value: null"),
            ("ID", "ENUM", "err ID cannot represent a non-string and non-integer value: ENUM"),
            ("ID", "[1]", "err ID cannot represent a non-string and non-integer value: [1]"),
            ("ID", "{a: 1}", "err ID cannot represent a non-string and non-integer value: {a: 1}"),
            ("ID", "123456789012345678901234567890", "ok \"123456789012345678901234567890\""),
        ]

        static func scalar(_ name: String) -> GraphQLScalarType {
            GraphQLScalarType.specifiedScalars.first { $0.name == name }!
        }

        static func outcome(_ body: () throws(GraphQLError) -> Value) -> String {
            do {
                return "ok " + (try body()).jsonString()
            } catch {
                return "err " + error.message
            }
        }

        @Test(arguments: 0..<valueCases.count)
        func serializeAndParseValue(index: Int) throws {
            let (name, input, serialized, parsed) = Self.valueCases[index]
            let scalar = Self.scalar(name)
            let value = try Value(json: input)
            #expect(Self.outcome { () throws(GraphQLError) in try scalar.serialize(value) } == serialized, "\(name) \(input)")
            #expect(Self.outcome { () throws(GraphQLError) in try scalar.parseValue(value) } == parsed, "\(name) \(input)")
        }

        @Test(arguments: 0..<literalCases.count)
        func parseLiteral(index: Int) throws {
            let (name, literal, expected) = Self.literalCases[index]
            let node = try parseValue(literal)
            let scalar = Self.scalar(name)
            #expect(Self.outcome { () throws(GraphQLError) in try scalar.parseLiteral(node) } == expected, "\(name) \(literal)")
        }

        @Test func literalErrorsAreLocated() throws {
            let node = try parseValue("  \"s\"")
            do {
                _ = try GraphQLScalarType.int.parseLiteral(node)
                Issue.record("expected an error")
            } catch {
                #expect(error.locations == [SourceLocation(line: 1, column: 3)])
            }
        }

        @Test func intBoundaries() throws {
            #expect(try GraphQLScalarType.int.parseValue(.int(graphQLMaxInt)) == .int(2_147_483_647))
            #expect(try GraphQLScalarType.int.parseValue(.int(graphQLMinInt)) == .int(-2_147_483_648))
            #expect(throws: GraphQLError.self) { try GraphQLScalarType.int.parseValue(.int(1 << 31)) }
            #expect(throws: GraphQLError.self) { try GraphQLScalarType.int.parseValue(.double(.nan)) }
        }

        @Test func floatRefusesNonFiniteValues() throws {
            for value in [Value.double(.nan), .double(.infinity), .double(-.infinity)] {
                #expect(throws: GraphQLError.self) { try GraphQLScalarType.float.parseValue(value) }
                #expect(throws: GraphQLError.self) { try GraphQLScalarType.float.serialize(value) }
            }
            #expect(try GraphQLScalarType.float.parseValue(.int(3)) == .double(3))
        }

        @Test func idAcceptsIntegersAndStringsOnly() throws {
            #expect(try GraphQLScalarType.id.parseValue(.int(42)) == .string("42"))
            #expect(try GraphQLScalarType.id.parseLiteral(parseValue("42")) == .string("42"))
            #expect(throws: GraphQLError.self) { try GraphQLScalarType.id.parseValue(.double(1.5)) }
            #expect(throws: GraphQLError.self) { try GraphQLScalarType.id.parseValue(.bool(true)) }
        }

        @Test func stringRefusesNonStringInput() {
            for value in [Value.int(1), .bool(true), .double(1.5), .list([]), .object([:])] {
                #expect(throws: GraphQLError.self) { try GraphQLScalarType.string.parseValue(value) }
            }
        }

        @Test func customScalarsDefaultToPassThrough() throws {
            let scalar = GraphQLScalarType(name: "Anything")
            #expect(try scalar.serialize(["a": [1, 2]]) == ["a": [1, 2]])
            #expect(try scalar.parseLiteral(parseValue("{a: [1, $v], b: ENUM}"), variables: ["v": 2]) == ["a": [1, 2], "b": "ENUM"])
            #expect(try GraphQLScalarType.json.parseValue([1, "x"]) == [1, "x"])
        }
    }
}
