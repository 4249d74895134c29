import Testing

@testable import GraphQL

extension Utilities {
    /// `Value`'s JSON parsing through the shared parser in `JSONCore`: the error type and messages callers see, and
    /// the behaviour chosen where the engine's former parser differed from the models' one.
    @Suite struct JSONParsingTests {
        @Test func errorsCarryMessageAndOffset() {
            #expect(throws: JSONParseError(message: "Expected ',' or ']' in JSON array", offset: 3)) { try Value(json: "[1 2]") }
            #expect(throws: JSONParseError(message: "Invalid literal in JSON", offset: 3)) { try Value(json: "nulL") }
            #expect(
                JSONParseError(message: "Bad escaped character in JSON", offset: 2).description
                    == "Bad escaped character in JSON at offset 2")
        }

        @Test(arguments: ["1e400", "-1e400", "[1e999]", "1" + String(repeating: "0", count: 400)])
        func numbersBeyondDoubleRangeAreErrorsNotInfinities(text: String) {
            #expect(throws: JSONParseError.self) { try Value(json: text) }
        }

        @Test func aLoneHighSurrogateKeepsTheEscapeAfterIt() throws {
            #expect(try Value(json: #""\ud800\u0041""#) == "\u{FFFD}A")
            #expect(try Value(json: #""\ud800\ud83d\ude00""#) == "\u{FFFD}😀")
        }

        @Test func depthLimit() {
            #expect(Value.maxJSONDepth == 512)
            #expect(throws: Never.self) { try Value(json: String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) }
            #expect(throws: JSONParseError(message: "JSON nested deeper than 512 levels", offset: 512)) {
                try Value(json: String(repeating: "[", count: 513) + String(repeating: "]", count: 513))
            }
        }

        @Test func writesIntoBuffersAndResponses() throws {
            var buffer = Array("x".utf8)
            Value.object(["a": [1, 2.5, "\u{C}"]]).writeJSON(into: &buffer)
            #expect(String(decoding: buffer, as: UTF8.self) == #"x{"a":[1,2.5,"\f"]}"#)
            let result = ExecutionResult(data: ["b": .double(.infinity)], errors: [GraphQLError("E")])
            #expect(String(decoding: result.jsonBytes, as: UTF8.self) == #"{"errors":[{"message":"E"}],"data":{"b":null}}"#)
        }
    }
}
