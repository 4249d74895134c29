import Testing

@testable import GraphQL

extension Language {
    @Suite struct ParserTests {
        @Test func parsesAnOperationWithEverything() throws {
            let document = try parse(
                """
                query Q($id: ID! = "1", $list: [Int!] @dir) @op {
                  alias: node(id: $id, n: null, e: ENUM, f: 1.5, o: {a: [1, "s"]}) @include(if: true) {
                    ... on User { name }
                    ...Frag
                    ... @skip(if: false) { id }
                  }
                }
                """)
            #expect(document.definitions.count == 1)
            guard case .operation(let operation) = document.definitions[0] else {
                Issue.record("expected an operation")
                return
            }
            #expect(operation.operation == .query)
            #expect(operation.name?.value == "Q")
            #expect(operation.variableDefinitions.map(\.variable.name.value) == ["id", "list"])
            #expect(TypeReference(operation.variableDefinitions[0].type) == .nonNull(.named("ID")))
            #expect(TypeReference(operation.variableDefinitions[1].type) == .list(.nonNull(.named("Int"))))
            #expect(operation.variableDefinitions[1].directives.map(\.name.value) == ["dir"])
            #expect(operation.directives.map(\.name.value) == ["op"])
            guard case .field(let field) = operation.selectionSet.selections[0] else {
                Issue.record("expected a field")
                return
            }
            #expect(field.alias?.value == "alias")
            #expect(field.name.value == "node")
            #expect(field.responseKey == "alias")
            #expect(field.arguments.map(\.name.value) == ["id", "n", "e", "f", "o"])
            #expect(field.loc.line == 2 && field.loc.column == 3)
            let selections = field.selectionSet?.selections ?? []
            #expect(selections.count == 3)
            if case .inlineFragment(let inline) = selections[0] {
                #expect(inline.typeCondition?.name.value == "User")
            } else {
                Issue.record("expected an inline fragment")
            }
            if case .fragmentSpread(let spread) = selections[1] {
                #expect(spread.name.value == "Frag")
            } else {
                Issue.record("expected a fragment spread")
            }
        }

        @Test func anonymousShorthandQuery() throws {
            let document = try parse("{ a }")
            #expect(document.operations.count == 1)
            #expect(document.operations[0].operation == .query)
            #expect(document.operations[0].name == nil)
            #expect(document.loc.start == 0 && document.loc.end == 5)
        }

        @Test func locationsSpanTheNode() throws {
            let text = "{ field(arg: \"value\") }"
            let document = try parse(text)
            guard case .field(let field) = document.operations[0].selectionSet.selections[0] else {
                Issue.record("expected a field")
                return
            }
            let utf8 = Array(text.utf8)
            #expect(String(decoding: utf8[field.loc.start..<field.loc.end], as: UTF8.self) == "field(arg: \"value\")")
            #expect(field.loc.column == 3)
        }

        @Test func noLocationOption() throws {
            let document = try parse("{ a }", options: ParseOptions(noLocation: true))
            #expect(document.loc.isUnknown)
            #expect(document.operations[0].selectionSet.loc == .unknown)
        }

        @Test func valueLiterals() throws {
            let value = try parseValue(#"[1, -2.5e3, "s", """b""", true, null, E, {k: $v}]"#)
            guard case .list(let list) = value else {
                Issue.record("expected a list")
                return
            }
            #expect(list.values.count == 8)
            if case .int(let int) = list.values[0] { #expect(int.value == "1") }
            if case .float(let float) = list.values[1] { #expect(float.value == "-2.5e3") }
            if case .string(let string) = list.values[3] { #expect(string.block && string.value == "b") }
            if case .null = list.values[5] {} else { Issue.record("expected null") }
            if case .enumValue(let enumValue) = list.values[6] { #expect(enumValue.value == "E") }
            #expect(throws: GraphQLError.self) { try parseConstValue("[$v]") }
            #expect(try print(parseConstValue(#"{a: [1, 2], b: "x"}"#)) == #"{a: [1, 2], b: "x"}"#)
        }

        @Test func constValuesRejectVariables() {
            do {
                _ = try parseConstValue("{a: $v}")
                Issue.record("expected an error")
            } catch {
                #expect(error.message == #"Syntax Error: Unexpected variable "$v" in constant value."#)
                #expect(error.locations == [SourceLocation(line: 1, column: 5)])
            }
        }

        @Test func typeReferences() throws {
            #expect(try TypeReference(parseType("[[Int!]]!")) == .nonNull(.list(.list(.nonNull(.named("Int"))))))
            #expect(throws: GraphQLError.self) { try parseType("Int!!") }
        }

        @Test func typeSystemDefinitions() throws {
            let document = try parse(
                """
                "desc" schema @s { query: Q mutation: M }
                scalar Date @specifiedBy(url: "x")
                type T implements & A & B @d { f(a: Int = 1 @x): [String!]! @deprecated }
                interface A implements B { f: Int }
                union U @u = | X | Y
                enum E { "d" A @deprecated(reason: "r") B }
                input I @oneOf { a: Int, b: String = "x" }
                directive @d(a: Int) repeatable on FIELD | OBJECT
                extend schema @s
                extend scalar Date @x
                extend type T { g: Int }
                extend interface A @y
                extend union U = Z
                extend enum E { C }
                extend input I { c: Float }
                """)
            #expect(document.definitions.count == 15)
            guard case .type(.object(let object)) = document.definitions[2] else {
                Issue.record("expected an object type")
                return
            }
            #expect(object.interfaces.map(\.name.value) == ["A", "B"])
            #expect(object.fields[0].arguments[0].defaultValue != nil)
            guard case .directive(let directive) = document.definitions[7] else {
                Issue.record("expected a directive")
                return
            }
            #expect(directive.repeatable)
            #expect(directive.locations.map(\.value) == ["FIELD", "OBJECT"])
            if case .schema(let schema) = document.definitions[0] {
                #expect(schema.description?.value == "desc")
                #expect(schema.operationTypes.map(\.operation) == [.query, .mutation])
            }
        }

        @Test func keywordsAreValidNames() throws {
            let document = try parse("query query { query: fragment(on: on) { type extend schema } }")
            #expect(print(document) == "query query {\n  query: fragment(on: on) {\n    type\n    extend\n    schema\n  }\n}")
        }

        @Test func syntaxErrorsThrowGraphQLError() {
            #expect(throws: GraphQLError.self) { try parse("") }
            #expect(throws: GraphQLError.self) { try parse("{ a } fragment") }
        }
    }
}
