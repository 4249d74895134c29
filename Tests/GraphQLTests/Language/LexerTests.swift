import Testing

@testable import GraphQL

/// Tests of `Sources/GraphQL/Language`; the namespace makes `swift test --filter Language` select them.
@Suite enum Language {}

extension Language {
    @Suite struct LexerTests {
        func tokens(_ text: String) throws(GraphQLError) -> [Token] {
            try Lexer.tokenize(Source(text))
        }

        func lexOne(_ text: String) throws -> Token {
            let all = try tokens(text).filter { $0.kind != .comment }
            return all[0]
        }

        func lexError(_ text: String) -> GraphQLError? {
            do {
                _ = try tokens(text)
                return nil
            } catch {
                return error
            }
        }

        @Test func punctuatorsAndEOF() throws {
            let kinds = try tokens("! $ & ( ) ... : = @ [ ] { | }").map(\.kind)
            #expect(
                kinds == [
                    .bang, .dollar, .amp, .parenL, .parenR, .spread, .colon, .equals, .at, .bracketL, .bracketR, .braceL,
                    .pipe, .braceR, .eof,
                ])
        }

        @Test func ignoresBOMWhitespaceCommasAndReportsPositions() throws {
            let token = try lexOne("\u{FEFF} \t,,\n\r\n\r  foo")
            #expect(token.kind == .name)
            #expect(token.value == "foo")
            #expect(token.line == 4)
            #expect(token.column == 3)
            #expect(token.start == 13)
            #expect(token.end == 16)
        }

        @Test func commentsAreTokensWithTheirText() throws {
            let all = try tokens("# hello é\nfoo")
            #expect(all[0].kind == .comment)
            #expect(all[0].value == " hello é")
            #expect(all[1].value == "foo")
            #expect(all[1].line == 2 && all[1].column == 1)
        }

        @Test func columnsCountUTF16UnitsLikeJavaScript() throws {
            // "é" is 2 UTF-8 bytes / 1 UTF-16 unit; "😀" is 4 bytes / 2 units.
            let all = try tokens("\"é😀\" x")
            #expect(all[1].value == "x")
            #expect(all[1].start == 9)
            #expect(all[1].column == 7)
            let block = try tokens("\"\"\"a\né😀\"\"\" y")
            #expect(block[1].line == 2)
            #expect(block[1].column == 8)
        }

        @Test func lexerPositionsAgreeWithSourceLocation() throws {
            let text = "\u{FEFF}query Q { a(x: \"é😀\", y: \"\"\"\n  😀 block\n\"\"\") # c 😀\r\n  b\r c }"
            let source = Source(text)
            for token in try Lexer.tokenize(source) {
                let location = source.location(atOffset: token.start)
                #expect(location == SourceLocation(line: token.line, column: token.column), "token \(token)")
            }
        }

        @Test func strings() throws {
            #expect(try lexOne(#""simple""#).value == "simple")
            #expect(try lexOne(#"" white space ""#).value == " white space ")
            #expect(try lexOne(#""quote \"""#).value == "quote \"")
            #expect(try lexOne(#""escaped \n\r\b\t\f""#).value == "escaped \n\r\u{8}\t\u{C}")
            #expect(try lexOne(#""slashes \\ \/""#).value == "slashes \\ /")
            #expect(try lexOne(#""unicode \u1234\u5678\u90AB\uCDEF""#).value == "unicode \u{1234}\u{5678}\u{90AB}\u{CDEF}")
            #expect(try lexOne(#""\u{1F600} and \uD83D\uDE00""#).value == "😀 and 😀")
            #expect(try lexOne(#""\u{0}""#).value == "\u{0}")
            #expect(try lexOne("\"unicode é😀 raw\"").value == "unicode é😀 raw")
            #expect(try lexOne(#""""#).value == "")
        }

        @Test func stringErrors() {
            #expect(lexError("\"")?.message == "Syntax Error: Unterminated string.")
            #expect(lexError("\"no end\nx\"")?.locations == [SourceLocation(line: 1, column: 8)])
            #expect(lexError(#""bad \z esc""#)?.message == #"Syntax Error: Invalid character escape sequence: "\z"."#)
            #expect(lexError(#""bad \u{D800}""#)?.message == #"Syntax Error: Invalid Unicode escape sequence: "\u{D800}"."#)
            #expect(lexError(#""bad \uDE00""#)?.message == #"Syntax Error: Invalid Unicode escape sequence: "\uDE00"."#)
            #expect(lexError(#""\uD83D\u0041""#)?.message == #"Syntax Error: Invalid Unicode escape sequence: "\uD83D"."#)
        }

        @Test func blockStringsAreDedented() throws {
            let token = try lexOne("\"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\"")
            #expect(token.kind == .blockString)
            #expect(token.value == "Hello,\n  World!\n\nYours,\n  GraphQL.")
            #expect(try lexOne("\"\"\"contains \\\"\"\" triple quote\"\"\"").value == "contains \"\"\" triple quote")
            #expect(try lexOne("\"\"\"  first line kept\n   second\"\"\"").value == "  first line kept\nsecond")
            #expect(try lexOne("\"\"\"a\r\n  b\r  c\"\"\"").value == "a\nb\nc")
            #expect(try lexOne("\"\"\"\"\"\"").value == "")
        }

        @Test func blockStringErrors() {
            #expect(lexError("\"\"\"no end")?.message == "Syntax Error: Unterminated string.")
            #expect(lexError("\"\"\"no end\n")?.locations == [SourceLocation(line: 2, column: 1)])
        }

        @Test func numbers() throws {
            #expect(try lexOne("4").kind == .int)
            #expect(try lexOne("-4").value == "-4")
            #expect(try lexOne("0").value == "0")
            #expect(try lexOne("4.123").kind == .float)
            #expect(try lexOne("-1.123e4").value == "-1.123e4")
            #expect(try lexOne("1E-10").kind == .float)
            #expect(try lexOne("1e+4").value == "1e+4")
        }

        @Test func numberErrors() {
            #expect(lexError("00")?.message == #"Syntax Error: Invalid number, unexpected digit after 0: "0"."#)
            #expect(lexError("01")?.locations == [SourceLocation(line: 1, column: 2)])
            #expect(lexError("1.")?.message == "Syntax Error: Invalid number, expected digit but got: <EOF>.")
            #expect(lexError("1.A")?.message == #"Syntax Error: Invalid number, expected digit but got: "A"."#)
            #expect(lexError("1a")?.message == #"Syntax Error: Invalid number, expected digit but got: "a"."#)
            #expect(lexError("1.2.3")?.message == #"Syntax Error: Invalid number, expected digit but got: "."."#)
            #expect(lexError("-")?.message == "Syntax Error: Invalid number, expected digit but got: <EOF>.")
            #expect(lexError("1e")?.message == "Syntax Error: Invalid number, expected digit but got: <EOF>.")
            #expect(lexError("1_0")?.message == #"Syntax Error: Invalid number, expected digit but got: "_"."#)
        }

        @Test func unexpectedCharacters() {
            #expect(lexError("..")?.message == #"Syntax Error: Unexpected character: "."."#)
            #expect(lexError("?")?.message == #"Syntax Error: Unexpected character: "?"."#)
            #expect(lexError("\u{7}")?.message == "Syntax Error: Unexpected character: U+0007.")
            #expect(lexError("\u{203B}")?.message == "Syntax Error: Unexpected character: U+203B.")
            #expect(lexError("😀")?.message == "Syntax Error: Unexpected character: U+1F600.")
            #expect(
                lexError("'x'")?.message
                    == "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?")
            #expect(lexError("é x")?.locations == [SourceLocation(line: 1, column: 1)])
            #expect(lexError("\"é\" ?")?.locations == [SourceLocation(line: 1, column: 5)])
        }

        @Test func eofTokenSitsAtTheEnd() throws {
            let all = try tokens("a\n")
            #expect(all.last?.kind == .eof)
            #expect(all.last?.start == 2)
            #expect(all.last?.line == 2)
            #expect(all.last?.column == 1)
        }
    }
}
