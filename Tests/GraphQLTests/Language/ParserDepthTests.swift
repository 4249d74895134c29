import Testing

@testable import GraphQL

extension Language {
    /// Hostile nesting must end in a syntax error, never in a stack overflow. The parse runs inside a `Task`
    /// because Swift concurrency threads have smaller stacks than the main thread.
    @Suite struct ParserDepthTests {
        static let depthError = "Syntax Error: Document exceeds the maximum nesting depth of \(ParseOptions.defaultMaxDepth)."

        static func nested(_ kind: String, depth: Int) -> String {
            switch kind {
            case "selection": return String(repeating: "{ a ", count: depth) + String(repeating: "}", count: depth)
            case "list": return "{ a(x: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + ") }"
            case "object":
                return "{ a(x: " + String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth) + ") }"
            default:
                return "query ($v: " + String(repeating: "[", count: depth) + "Int" + String(repeating: "]", count: depth)
                    + ") { a }"
            }
        }

        @Test(arguments: ["selection", "list", "object", "type"])
        func tenThousandLevelsGiveASyntaxError(kind: String) async {
            let document = Self.nested(kind, depth: 10_000)
            let message = await Task { () -> String in
                do throws(GraphQLError) {
                    _ = try parse(document)
                    return "parsed"
                } catch {
                    return error.message
                }
            }.value
            #expect(message == Self.depthError)
        }

        @Test func errorIsAtTheFirstTokenTooDeep() {
            do {
                _ = try parse(Self.nested("selection", depth: 300))
                Issue.record("expected a depth error")
            } catch {
                let column = 1 + 4 * ParseOptions.defaultMaxDepth
                #expect(error.locations == [SourceLocation(line: 1, column: column)])
            }
        }

        @Test(arguments: ["selection", "list", "object", "type"])
        func theLimitItselfIsAccepted(kind: String) async throws {
            // A selection set inside the operation counts as one level, as do the field's value brackets.
            let depth = kind == "selection" || kind == "type" ? ParseOptions.defaultMaxDepth : ParseOptions.defaultMaxDepth - 1
            let document = Self.nested(kind, depth: depth)
            let printed = try await Task { () throws(GraphQLError) -> String in
                let parsed = try parse(document)
                var counter = FieldCounter()
                visit(parsed, &counter)
                return print(parsed) + "\(counter.fields)"
            }.value
            #expect(!printed.isEmpty)
            #expect(throws: GraphQLError.self) { try parse(Self.nested(kind, depth: depth + 1)) }
        }

        @Test func customLimits() throws {
            let document = Self.nested("selection", depth: 20)
            #expect(throws: GraphQLError.self) { try parse(document, options: ParseOptions(maxDepth: 10)) }
            #expect(throws: Never.self) { try parse(document, options: ParseOptions(maxDepth: 20)) }
        }

        struct FieldCounter: ASTVisitor {
            var fields = 0
            mutating func enter(field: FieldNode) -> VisitAction {
                fields += 1
                return .continue
            }
        }
    }
}
