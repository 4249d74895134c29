import Testing

@testable import GraphQL

extension Utilities {
    @Suite struct ValueTests {
        @Test func parsesJSONKeepingKeyOrderAndNumberKinds() throws {
            let value = try Value(json: #" {"z": 1, "a": [1.0, -2, 3e2, 0.5, true, null, "s"], "m": {"k": "v"}} "#)
            #expect(value.objectValue?.keys == ["z", "a", "m"])
            #expect(value["a"] == [.double(1), .int(-2), .double(300), .double(0.5), true, nil, "s"])
            #expect(value["m"]?["k"] == "v")
            #expect(value.jsonString() == #"{"z":1,"a":[1,-2,300,0.5,true,null,"s"],"m":{"k":"v"}}"#)
        }

        @Test func bigIntegersBecomeDoubles() throws {
            #expect(try Value(json: "9223372036854775807") == .int(Int.max))
            #expect(try Value(json: "-9223372036854775808") == .int(Int.min))
            #expect(try Value(json: "9223372036854775808") == .double(9_223_372_036_854_775_808))
            #expect(try Value(json: "123456789012345678901234567890").doubleValue == 1.2345678901234568e29)
        }

        @Test func stringEscapes() throws {
            let value = try Value(json: #""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\u0000""#)
            #expect(value == .string("a\"b\\c/d\u{8}\u{C}\n\r\té😀\u{0}"))
            #expect(value.jsonString() == #""a\"b\\c/d\b\f\n\r\té😀\u0000""#)
            #expect(Value.string("\u{1F}\u{7F}").jsonString() == "\"\\u001f\u{7F}\"")
        }

        @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
            #expect(try Value(json: #"{"a": 1, "b": 2, "a": 3}"#).jsonString() == #"{"a":3,"b":2}"#)
        }

        @Test(arguments: [
            "", " ", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "tru", "nul", "\"abc",
            "\"\u{1}\"", "\"\\x\"", "[1] 2", "{a: 1}", "'s'", "NaN", "\"\\u12\"",
        ])
        func rejectsInvalidJSON(text: String) {
            #expect(throws: JSONParseError.self) { try Value(json: text) }
        }

        @Test func nestingIsBounded() {
            let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            #expect(throws: JSONParseError.self) { try Value(json: deep) }
            let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
            #expect(throws: Never.self) { try Value(json: fine) }
        }

        @Test func parsesFromBytes() throws {
            let bytes: [UInt8] = Array(#"{"x": [1, 2]}"#.utf8)
            #expect(try Value(jsonBytes: bytes) == ["x": [1, 2]])
            #expect(try Value(jsonBytes: bytes[...]) == ["x": [1, 2]])
        }

        @Test(arguments: [
            (0.1, "0.1"), (100, "100"), (1e21, "1e+21"), (1e-7, "1e-7"), (1.23e-18, "1.23e-18"), (Double.leastNonzeroMagnitude, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (-1.5, "-1.5"), (0.000001, "0.000001"),
            (123456.789, "123456.789"), (9_007_199_254_740_992, "9007199254740992"),
            (18_446_744_073_709_551_616, "18446744073709552000"), (1.0 / 3.0, "0.3333333333333333"),
            (1e20, "100000000000000000000"), (12345678.9, "12345678.9"), (-0.0, "0"), (1, "1"),
        ])
        func formatsNumbersLikeJavaScript(number: Double, expected: String) {
            #expect(JSNumber.format(number) == expected)
            #expect(Value.double(number).jsonString() == expected)
        }

        @Test func nonFiniteDoublesSerialiseAsNull() {
            #expect(Value.list([.double(.nan), .double(.infinity)]).jsonString() == "[null,null]")
            #expect(JSNumber.format(.nan) == "NaN")
            #expect(JSNumber.format(-.infinity) == "-Infinity")
        }

        @Test func orderedObjectOperations() {
            var object: OrderedObject = ["b": 1, "a": 2]
            object["c"] = 3
            object["b"] = 4
            #expect(object.keys == ["b", "a", "c"])
            #expect(object["b"] == 4)
            object["a"] = nil
            #expect(object.keys == ["b", "c"])
            #expect(object.contains(key: "c"))
            var large = OrderedObject()
            for index in 0..<100 { large["k\(index)"] = .int(index) }
            #expect(large["k57"] == 57)
            large["k3"] = nil
            #expect(large["k4"] == 4 && large["k3"] == nil && large.count == 99)
            #expect(large.index(forKey: "k99") == 98)
        }

        @Test func graphQLErrorJSONShape() throws {
            var error = GraphQLError(
                "Boom", locations: [SourceLocation(line: 2, column: 3)], path: [.key("a"), .index(0), .key("b")])
            error.code = "INTERNAL"
            #expect(
                error.jsonValue.jsonString()
                    == #"{"message":"Boom","locations":[{"line":2,"column":3}],"path":["a",0,"b"],"extensions":{"code":"INTERNAL"}}"#
            )
            #expect(GraphQLError("Plain").jsonValue.jsonString() == #"{"message":"Plain"}"#)
            let document = try parse("{\n  field\n}")
            let located = GraphQLError("At field", nodes: [document.operations[0].selectionSet.selections[0]])
            #expect(located.locations == [SourceLocation(line: 2, column: 3)])
            #expect(located.description == "At field (2:3)")
        }

        @Test func accessors() {
            #expect(Value.double(2).intValue == 2)
            #expect(Value.double(2.5).intValue == nil)
            #expect(Value.int(3).doubleValue == 3)
            #expect(Value.null.isNull)
            #expect(Value.list([1, 2])[1] == 2)
            #expect(Value.string("x").description == "\"x\"")
        }
    }

    @Suite struct InspectTests {
        @Test(arguments: [
            ("null", "null"), ("true", "true"), ("1", "1"), ("-0.5", "-0.5"), ("1e21", "1e+21"), ("1e-7", "1e-7"),
            ("0.000001", "0.000001"), ("1.5e300", "1.5e+300"), (#""a\nb\"c""#, #""a\nb\"c""#), ("[]", "[]"), ("{}", "{}"),
            ("[1,[2,[3,[4]]]]", "[1, [2, [Array]]]"), (#"{"a":{"b":{"c":{}}}}"#, "{ a: { b: [Object] } }"),
            (#"{"a":{"b":{"c":1}}}"#, "{ a: { b: [Object] } }"),
            ("[1,2,3,4,5,6,7,8,9,10,11]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 1 more item]"),
            ("[1,2,3,4,5,6,7,8,9,10,11,12]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items]"),
            (#"{"x":[{"y":1}]}"#, "{ x: [[Object]] }"),
        ])
        func inspectsLikeGraphQLJS(json: String, expected: String) throws {
            #expect(inspect(try Value(json: json)) == expected)
        }

        @Test func suggestionsLikeGraphQLJS() {
            #expect(
                suggestionList("limt", options: ["limit", "list", "lime", "order", "LIMIT", "l"]) == ["LIMIT", "lime", "limit", "list"])
            #expect(suggestionList("a10", options: ["a2", "a10x", "a9", "A10"]) == ["A10", "a10x", "a2", "a9"])
            #expect(didYouMean(["a", "b", "c", "d", "e", "f"]) == #" Did you mean "a", "b", "c", "d", or "e"?"#)
            #expect(didYouMean("the enum value", ["X"]) == #" Did you mean the enum value "X"?"#)
            #expect(didYouMean(["a", "b"]) == #" Did you mean "a" or "b"?"#)
            #expect(didYouMean([]) == "")
            #expect(naturalCompare("a2", "a10") < 0)
        }
    }
}
