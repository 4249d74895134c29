import Testing

@testable import GraphQL

extension Language {
    /// Syntax errors must be reported exactly where graphql-js 16 reports them, with the same wording.
    /// The table was produced by running each document through graphql-js `parse`.
    @Suite struct ParserErrorTests {
        static let cases: [(document: String, message: String, line: Int, column: Int)] = [
            ("{", "Expected Name, found <EOF>.", 1, 2),
            ("{ a", "Expected Name, found <EOF>.", 1, 4),
            ("query", "Expected \"{\", found <EOF>.", 1, 6),
            ("query {", "Expected Name, found <EOF>.", 1, 8),
            ("{ a(b: ) }", "Unexpected \")\".", 1, 8),
            ("{ a(b: $) }", "Expected Name, found \")\".", 1, 9),
            ("fragment on on T { a }", "Unexpected Name \"on\".", 1, 10),
            ("fragment \"on\" on T { a }", "Unexpected String \"on\".", 1, 10),
            ("{ ... }", "Expected \"{\", found \"}\".", 1, 7),
            ("{ ...on }", "Expected Name, found \"}\".", 1, 9),
            ("{ a: }", "Expected Name, found \"}\".", 1, 6),
            ("\"desc\" query { a }", "Unexpected description, descriptions are supported only on type definitions.", 1, 1),
            ("\"desc\" { a }", "Unexpected \"{\".", 1, 8),
            ("\"desc\" \"other\" type A { a: Int }", "Unexpected String \"other\".", 1, 8),
            ("\"desc\" extend type A { a: Int }", "Unexpected description, descriptions are supported only on type definitions.", 1, 1),
            ("extend type A", "Unexpected <EOF>.", 1, 14),
            ("extend scalar S", "Unexpected <EOF>.", 1, 16),
            ("extend schema", "Unexpected <EOF>.", 1, 14),
            ("extend foo", "Unexpected Name \"foo\".", 1, 8),
            ("extend \"x\"", "Unexpected String \"x\".", 1, 8),
            ("enum E { true }", "Name \"true\" is reserved and cannot be used for an enum value.", 1, 10),
            ("enum E { \"desc\" null }", "Name \"null\" is reserved and cannot be used for an enum value.", 1, 17),
            ("enum E { \"false\" }", "Expected Name, found \"}\".", 1, 18),
            ("directive @d on FIELD | FOO", "Unexpected Name \"FOO\".", 1, 25),
            ("directive @d(a: Int = $x) on FIELD", "Unexpected variable \"$x\" in constant value.", 1, 23),
            ("input I { a: Int = $v }", "Unexpected variable \"$v\" in constant value.", 1, 20),
            ("{ a(b: \"unterminated) }", "Unterminated string.", 1, 24),
            ("{ a(b: \"bad \\x escape\") }", "Invalid character escape sequence: \"\\x\".", 1, 13),
            ("{ a(b: \"\\u{110000}\") }", "Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 9),
            ("{ a(b: \"\\u{}\") }", "Invalid Unicode escape sequence: \"\\u{}\".", 1, 9),
            ("{ a(b: \"\\u{FFFFFFFFF}\") }", "Invalid Unicode escape sequence: \"\\u{FFFFFFFF\".", 1, 9),
            ("{ a(b: \"\\uD83D\") }", "Invalid Unicode escape sequence: \"\\uD83D\".", 1, 9),
            ("{ a(b: \"\\uDE00\\uD83D\") }", "Invalid Unicode escape sequence: \"\\uDE00\".", 1, 9),
            ("{ a(b: \"\\uD83Dx\") }", "Invalid Unicode escape sequence: \"\\uD83D\".", 1, 9),
            ("{ a(b: \"\\u12\") }", "Invalid Unicode escape sequence: \"\\u12\")\".", 1, 9),
            ("{ a(b: 00) }", "Invalid number, unexpected digit after 0: \"0\".", 1, 9),
            ("{ a(b: 01) }", "Invalid number, unexpected digit after 0: \"1\".", 1, 9),
            ("{ a(b: 1.) }", "Invalid number, expected digit but got: \")\".", 1, 10),
            ("{ a(b: 1a) }", "Invalid number, expected digit but got: \"a\".", 1, 9),
            ("{ a(b: 1.5e) }", "Invalid number, expected digit but got: \")\".", 1, 12),
            ("{ a(b: 1.5e+) }", "Invalid number, expected digit but got: \")\".", 1, 13),
            ("{ a(b: -) }", "Invalid number, expected digit but got: \")\".", 1, 9),
            ("{ a(b: -a) }", "Invalid number, expected digit but got: \"a\".", 1, 9),
            ("{ a(b: 1.5.3) }", "Invalid number, expected digit but got: \".\".", 1, 11),
            ("{ a(b: 0x1) }", "Invalid number, expected digit but got: \"x\".", 1, 9),
            ("{ a(b: .5) }", "Unexpected character: \".\".", 1, 8),
            ("{ a(b: 'x') }", "Unexpected single quote character ('), did you mean to use a double quote (\")?", 1, 8),
            ("{ a(b: é) }", "Unexpected character: U+00E9.", 1, 8),
            ("{ a ? }", "Unexpected character: \"?\".", 1, 5),
            ("{ a } }", "Unexpected \"}\".", 1, 7),
            ("{ a } ..", "Unexpected character: \".\".", 1, 7),
            ("{ a(b: \"é\" c: ?) }", "Unexpected character: \"?\".", 1, 15),
            ("# é 😀", "Unexpected <EOF>.", 1, 7),
            ("query { a(x: \"😀\") ? }", "Unexpected character: \"?\".", 1, 20),
            ("{ a(x: \"\"\"😀", "Unterminated string.", 1, 13),
            ("  é\"\"\" y: ~) }", "Unexpected character: U+00E9.", 1, 3),
            ("type T implements { a: Int }", "Expected Name, found \"{\".", 1, 19),
            ("union U = | ", "Expected Name, found <EOF>.", 1, 13),
            ("union U = A |", "Expected Name, found <EOF>.", 1, 14),
            ("schema { query: Q mutation }", "Expected \":\", found \"}\".", 1, 28),
            ("schema { query Q }", "Expected \":\", found Name \"Q\".", 1, 16),
            ("subscription S", "Expected \"{\", found <EOF>.", 1, 15),
            ("{ a(b: [1, 2) }", "Unexpected \")\".", 1, 13),
            ("{ a(b: {c: 1 d: }) }", "Unexpected \"}\".", 1, 17),
            ("{ a(b: {c}) }", "Expected \":\", found \"}\".", 1, 10),
            ("query Q($a) { a }", "Expected \":\", found \")\".", 1, 11),
            ("query Q($a: ) { a }", "Expected Name, found \")\".", 1, 13),
            ("query Q($a: [Int) { a }", "Expected \"]\", found \")\".", 1, 17),
            ("query Q($a: Int!!) { a }", "Expected \"$\", found \"!\".", 1, 17),
            ("query Q(a: Int) { a }", "Expected \"$\", found Name \"a\".", 1, 9),
            ("query Q($a: Int = $b) { a }", "Unexpected variable \"$b\" in constant value.", 1, 19),
            ("{ a @ }", "Expected Name, found \"}\".", 1, 7),
            ("{ a @include(if: ) }", "Unexpected \")\".", 1, 18),
            ("fragment F { a }", "Expected \"on\", found \"{\".", 1, 12),
            ("fragment F on { a }", "Expected Name, found \"{\".", 1, 15),
            ("fragment F on T", "Expected \"{\", found <EOF>.", 1, 16),
            ("type T { a(b: Int, c: ): Int }", "Expected Name, found \")\".", 1, 23),
            ("type T { a: }", "Expected Name, found \"}\".", 1, 13),
            ("interface I implements A & { a: Int }", "Expected Name, found \"{\".", 1, 28),
            ("input I { a: Int @d(x: $y) }", "Unexpected variable \"$y\" in constant value.", 1, 24),
            ("directive @d(a: Int) repeatable on", "Expected Name, found <EOF>.", 1, 35),
            ("directive d on FIELD", "Expected \"@\", found Name \"d\".", 1, 11),
            ("directive @d on field", "Unexpected Name \"field\".", 1, 17),
            ("scalar", "Expected Name, found <EOF>.", 1, 7),
            ("\"\"\"unterminated block", "Unterminated string.", 1, 22),
            ("\"\"\"a\"\"\" \"\"\"b\"\"\"", "Unexpected BlockString \"b\".", 1, 9),
            ("\"\"\"a\"\"\" 1", "Unexpected Int \"1\".", 1, 9),
            ("query Q @dir(x: 1) @ { a }", "Expected Name, found \"{\".", 1, 22),
            ("{ alias: field(arg: 1) @dir, other: [) }", "Expected Name, found \"[\".", 1, 37),
            ("{ a(b: \"\\u{1F600}\", c: \"\\uD83D\\uDE00\") b(c: é) }", "Unexpected character: U+00E9.", 1, 45),
            ("{", "Expected Name, found <EOF>.", 1, 2),
            ("  a(b: \"x", "Unexpected Name \"a\".", 1, 3),
            ("", "Unexpected <EOF>.", 1, 1),
            ("\u{FEFF}{ a ? }", "Unexpected character: \"?\".", 1, 6),
            ("{ a(x: \"\u{2028}\") ! }", "Expected Name, found \"!\".", 1, 13),
            ("{ a(x: \"\u{7}\") ! }", "Expected Name, found \"!\".", 1, 13),
            ("{ a \u{7} }", "Unexpected character: U+0007.", 1, 5),
            ("{ a \u{A0} }", "Unexpected character: U+00A0.", 1, 5),
        ]

        @Test(arguments: 0..<cases.count)
        func reportsGraphQLJSMessageAndLocation(index: Int) {
            let (document, message, line, column) = Self.cases[index]
            do {
                _ = try parse(document, options: ParseOptions(maxTokens: nil))
                Issue.record("expected a syntax error for \(document)")
            } catch {
                #expect(error.message == "Syntax Error: " + message, "document: \(document)")
                #expect(error.locations == [SourceLocation(line: line, column: column)], "document: \(document)")
                #expect(error.isSyntaxError)
            }
        }

        @Test func maxTokensAbortsAtTheFirstTokenTooMany() {
            let document = "{ a b c d e }"
            do {
                _ = try parse(document, options: ParseOptions(maxTokens: 4))
                Issue.record("expected the token limit to trigger")
            } catch {
                #expect(error.message == "Syntax Error: Document contains more than 4 tokens. Parsing aborted.")
                #expect(error.locations == [SourceLocation(line: 1, column: 9)])
            }
            #expect((try? parse(document, options: ParseOptions(maxTokens: 7))) != nil)
        }

        @Test func commentsDoNotCountAsTokens() throws {
            let document = "# one\n# two\n{ a }"
            #expect(throws: Never.self) { try parse(document, options: ParseOptions(maxTokens: 3)) }
        }

        @Test func defaultTokenLimitIs15000() {
            let fields = String(repeating: "a ", count: 15_000)
            #expect(throws: GraphQLError.self) { try parse("{ \(fields) }") }
            #expect(throws: Never.self) { try parse("{ \(String(repeating: "a ", count: 14_990)) }") }
        }

        @Test func errorJSONHasMessageAndLocations() {
            do {
                _ = try parse("{ a(b: ) }")
            } catch {
                #expect(
                    error.jsonValue.jsonString()
                        == #"{"message":"Syntax Error: Unexpected \")\".","locations":[{"line":1,"column":8}]}"#)
            }
        }
    }
}
