import Foundation
import Models
import Testing

@Suite struct JSONTests {
    @Test func parsesEveryKindAndKeepsBooleansApartFromNumbers() throws {
        let json = try JSON.parse(bytes: Array(#" {"a": [1, -2.5e2, true, false, null, "x\"\u00e9\ud83d\ude00"], "b": {}, "c": 0} "#.utf8))
        #expect(json["a"] == .array([.int(1), .double(-250), .bool(true), .bool(false), .null, .string("x\"é😀")]))
        #expect(json["b"] == .object([:]))
        #expect(json["c"] == .int(0))
        #expect(json.depth == 2)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"\\x\"", "[1] 2", "\"a\nb\""])
    func refusesInvalidJSON(text: String) {
        #expect(throws: JSON.ParseError.self) { try JSON.parse(bytes: Array(text.utf8)) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSON.ParseError.self) { try JSON.parse(bytes: Array(deep.utf8)) }
    }

    @Test func writesCompactSortedJSONThatParsesBack() throws {
        let value = JSON.object(["b": .string("line\nbreak \"q\""), "a": .array([.int(1), .double(2.5), .null])])
        #expect(value.jsonString == #"{"a":[1,2.5,null],"b":"line\nbreak \"q\""}"#)
        #expect(try JSON.parse(bytes: Array(value.jsonString.utf8)) == value)
    }
}
