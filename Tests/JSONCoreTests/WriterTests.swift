import GraphQL
import JSONCore
import Models
import Testing

/// The shared writer (`JSONOutput`, `JSNumber`, `JSONWriter`) on its own and through `JSON.jsonString` and
/// `Value.jsonString()`, which print the same bytes for the same value (`Models.JSON` sorts keys, `Value` keeps its
/// order; the tests give `Value` sorted keys). Before the writers were shared, `JSON.jsonString` printed doubles with
/// Swift's `description` (`1e-05`, `1e+16`, and the invalid `nan`/`inf`) and backspace/form feed as `\u0008`/`\u000c`;
/// both now write what JavaScript's `JSON.stringify` writes.
@Suite struct WriterTests {
    /// A plain reference for `JSONOutput.writeString`.
    static func referenceQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{8}": result += "\\b"
            case "\u{C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    @Test func randomTreesPrintAlikeAndParseBack() {
        var generator = DocumentGenerator(seed: 0x5EED_0003)
        var mismatches: [String] = []
        for _ in 0..<3000 {
            // Sorted, so the ordered `Value` prints members in the unordered `JSON`'s (sorted) order.
            let tree = generator.writerTree().sortedKeys
            let models = tree.json.jsonString
            let graphQL = tree.value.jsonString()
            if models != graphQL { mismatches.append("\(tree): \(models) against \(graphQL)") }
            let expected = Outcome.accepted(tree.numbersAsDoubles)
            let bytes = Array(models.utf8)
            let parsed = [Parse.core(bytes), Parse.models(bytes), Parse.graphQL(bytes)].map(\.numbersAsDoubles)
            if parsed.contains(where: { $0 != expected }) {
                mismatches.append("\(tree) does not round-trip through \(models)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
    }

    /// Values and what `JSON.stringify` prints for them.
    static let stringified: [(Canon, String)] = [
        (Canon.real(1e15), "1000000000000000"), (.real(1e16), "10000000000000000"), (.real(9_007_199_254_740_992), "9007199254740992"),
        (.real(1.2345678901234568e20), "123456789012345680000"), (.real(1e-5), "0.00001"), (.real(1e-7), "1e-7"),
        (.real(-2.5e-6), "-0.0000025"), (.real(.nan), "null"), (.real(.infinity), "null"), (.real(-.infinity), "null"),
        ("\u{8}\u{C}", #""\b\f""#), (.real(1e21), "1e+21"), (.real(1.5e300), "1.5e+300"), (.real(.leastNonzeroMagnitude), "5e-324"),
        (.real(-0.0), "0"), (.real(0.0001), "0.0001"), (.real(123_456.789), "123456.789"), (.real(2.0), "2"),
        (.int(.min), "-9223372036854775808"), (.int(.max), "9223372036854775807"), (.int(0), "0"), (.int(-7), "-7"),
        ("\u{1F}\u{7F}/\"\\é😀", #""\u001f"# + "\u{7F}" + #"/\"\\é😀""#), ([nil, true, false, [], [:]], "[null,true,false,[],{}]"),
        (Canon.object([.init(key: "b", value: 1), .init(key: "a", value: [nil, true])]), #"{"a":[null,true],"b":1}"#),
    ]

    @Test(arguments: stringified)
    func printsLikeJSONStringify(tree: Canon, expected: String) {
        #expect(tree.json.jsonString == expected)
        #expect(tree.sortedKeys.value.jsonString() == expected)
    }

    @Test func modelsSortKeysAndValuesKeepTheirOrder() throws {
        let text = #"{"b":1,"a":{"d":2,"c":3}}"#
        #expect(try JSON.parse(bytes: Array(text.utf8)).jsonString == #"{"a":{"c":3,"d":2},"b":1}"#)
        #expect(try Value(json: text).jsonString() == text)
    }

    @Test func escapesEveryByteWhereverItFallsInTheEightByteBlocks() {
        var output = JSONOutput(capacity: 1)
        var expected = ""
        for special in ["\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{8}", "é"] {
            for length in 0..<20 {
                for position in 0...length {
                    var text = String(repeating: "x", count: length)
                    text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                    output.writeString(text)
                    expected += Self.referenceQuoted(text)
                }
            }
        }
        #expect(output.string() == expected)
        #expect(output.bytes() == Array(expected.utf8))
    }

    @Test func writesIntegersAndLiterals() {
        var output = JSONOutput(capacity: 0)
        let numbers: [Int64] = [0, 9, 10, -1, -10, 99, 100, 1_234_567_890, .max, .min, .max - 1, .min + 1]
        for number in numbers {
            output.writeInt(number)
            output.append(UInt8(ascii: ","))
        }
        output.writeInt(Int(42))
        output.writeNull()
        output.writeBool(true)
        output.writeBool(false)
        output.writeDouble(0.5)
        output.writeDouble(-.nan)
        output.append("!")
        let expected = numbers.map(String.init).joined(separator: ",") + ",42nulltruefalse0.5null!"
        var appended: [UInt8] = [UInt8(ascii: ">")]
        output.appendBytes(to: &appended)
        #expect(output.string() == expected)
        #expect(appended == Array((">" + expected).utf8))
    }

    @Test func writerHelpersAppendToArrays() {
        var buffer = Array("[".utf8)
        JSONWriter.writeInt(-12, into: &buffer)
        buffer.append(UInt8(ascii: ","))
        JSONWriter.writeString("a\"b\u{C}", into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"[-12,"a\"b\f""#)
    }

    @Test(arguments: [
        (0.1, "0.1"), (100, "100"), (1e21, "1e+21"), (1e-7, "1e-7"), (1.23e-18, "1.23e-18"), (.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (-1.5, "-1.5"), (0.000001, "0.000001"),
        (18_446_744_073_709_551_616, "18446744073709552000"),
        (1e20, "100000000000000000000"), (-0.0, "0"), (.nan, "NaN"), (.infinity, "Infinity"), (-.infinity, "-Infinity"),
    ])
    func formatsNumbersLikeJavaScript(number: Double, expected: String) {
        #expect(JSNumber.format(number) == expected)
    }
}
