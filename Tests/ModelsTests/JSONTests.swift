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

    @Test(arguments: ["1e400", "-1e400", "[1, 1e999]", "{\"a\": 2e308}"])
    func refusesNumbersBeyondDoubleRange(text: String) {
        #expect(throws: JSON.ParseError.self) { try JSON.parse(bytes: Array(text.utf8)) }
    }

    @Test func reportsWhereParsingStopped() {
        func offset(_ text: String) -> Int? {
            do {
                _ = try JSON.parse(Data(text.utf8))
                return nil
            } catch {
                return error.offset
            }
        }
        #expect(offset("tru") == 3)
        #expect(offset(#"{"a": x}"#) == 6)
        #expect(offset("[1]") == nil)
    }

    @Test func loneSurrogateEscapesBecomeReplacementCharacters() throws {
        #expect(try JSON.parse(bytes: Array(#""\ud800\u0041\udc00""#.utf8)) == .string("\u{FFFD}A\u{FFFD}"))
    }

    @Test func writesNumbersAndEscapesLikeJSONStringify() {
        let value = JSON.array([.double(1e16), .double(1e-7), .double(0.00001), .double(.nan), .double(-.infinity), .string("\u{8}\u{C}")])
        #expect(value.jsonString == #"[10000000000000000,1e-7,0.00001,null,null,"\b\f"]"#)
    }
}
