import GraphQL
import JSONCore
import Models
import Testing

/// The shared parser through each of its builders, results made comparable.
enum Parse {
    /// `Models.JSON.parse` (objects come out with sorted keys).
    static func models(_ bytes: [UInt8]) -> Outcome {
        do {
            return .accepted(Canon(try JSON.parse(bytes: bytes)))
        } catch {
            return .rejected(offset: error.offset)
        }
    }

    /// The GraphQL engine's `Value(jsonBytes:)` (objects keep their order).
    static func graphQL(_ bytes: [UInt8]) -> Outcome {
        do {
            return .accepted(Canon(try Value(jsonBytes: bytes)))
        } catch {
            return .rejected(offset: error.offset)
        }
    }

    /// `JSONParser` with this test's own builder.
    static func core(_ bytes: [UInt8]) -> Outcome {
        do {
            return .accepted(try CanonBuilder.parse(bytes))
        } catch {
            return .rejected(offset: error.offset)
        }
    }

    /// The error `JSONParser` reports for `text`, if any.
    static func error(_ text: String) -> JSONParseError? {
        do {
            _ = try CanonBuilder.parse(text)
            return nil
        } catch {
            return error
        }
    }
}

extension Outcome {
    /// The outcome with object keys sorted, to compare with the unordered `Models.JSON`.
    var sortedKeys: Outcome {
        if case .accepted(let tree) = self { return .accepted(tree.sortedKeys) }
        return self
    }

    /// The outcome with every number as a double (see `Canon.numbersAsDoubles`).
    var numbersAsDoubles: Outcome {
        if case .accepted(let tree) = self { return .accepted(tree.numbersAsDoubles) }
        return self
    }
}

/// The shared parser building `Models.JSON`, GraphQL `Value` and a test tree, on a hand-written corpus, on generated
/// documents whose meaning is known, and on damaged documents. Started as a differential test of the two parsers
/// this one replaced; the corpus keeps the inputs on which they disagreed, with the behaviour that was kept.
@Suite struct ParserTests {
    @Test(arguments: Corpus.all)
    func handWrittenCorpus(_ entry: CorpusEntry) {
        switch entry.expectation {
        case .value(let tree):
            #expect(Parse.core(entry.bytes) == .accepted(tree))
            #expect(Parse.graphQL(entry.bytes) == .accepted(tree))
            #expect(Parse.models(entry.bytes) == .accepted(tree.sortedKeys))
        case .invalid(let offset):
            #expect(Parse.core(entry.bytes) == .rejected(offset: offset))
            #expect(Parse.graphQL(entry.bytes) == .rejected(offset: offset))
            #expect(Parse.models(entry.bytes) == .rejected(offset: offset))
        }
    }

    @Test(arguments: [
        ("", "Unexpected end of JSON input", 0), ("[1] 2", "Unexpected data after JSON value", 4),
        ("x", "Unexpected character in JSON", 0), ("nul", "Unexpected end of JSON input", 3), ("nulL", "Invalid literal in JSON", 3),
        ("[1,]", "Unexpected character in JSON", 3), ("{1:2}", "Expected string key in JSON object", 1),
        (#"{"a" 1}"#, "Expected ':' in JSON object", 5), (#"{"a":1 "#, "Expected ',' or '}' in JSON object", 7),
        ("[1 2]", "Expected ',' or ']' in JSON array", 3), ("-", "Invalid number in JSON", 1), ("1.e5", "Invalid number in JSON", 2),
        ("1e+", "Invalid number in JSON", 3), ("1e400", "Number out of range in JSON", 0),
        ("\"a\u{1}\"", "Bad control character in JSON string", 2),
        (#""\q""#, "Bad escaped character in JSON", 2), (#""\u00G0""#, "Bad Unicode escape in JSON", 5),
        ("\"abc", "Unterminated string in JSON", 4),
        (String(repeating: "[", count: 513), "JSON nested deeper than 512 levels", 512),
    ])
    func errorMessagesAndOffsets(text: String, message: String, offset: Int) {
        #expect(Parse.error(text) == JSONParseError(message: message, offset: offset))
        #expect(Parse.error(text)?.description == "\(message) at offset \(offset)")
    }

    @Test func generatedDocumentsParseToWhatTheyMean() {
        var generator = DocumentGenerator(seed: 0x5EED_0001)
        var mismatches: [String] = []
        for _ in 0..<3000 {
            let (text, expected) = generator.document()
            let core = Parse.core(text)
            let graphQL = Parse.graphQL(text)
            let models = Parse.models(text)
            if core != .accepted(expected) || graphQL != .accepted(expected) || models != .accepted(expected.sortedKeys) {
                mismatches.append("\(String(decoding: text, as: UTF8.self)): \(core), \(graphQL), \(models); expected \(expected)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
    }

    @Test func damagedDocumentsGiveTheSameResultThroughEveryBuilder() {
        var generator = DocumentGenerator(seed: 0x5EED_0002)
        var mismatches: [String] = []
        var rejected = 0
        for _ in 0..<4000 {
            let text = generator.mutate(generator.document().text)
            let core = Parse.core(text)
            let graphQL = Parse.graphQL(text)
            let models = Parse.models(text)
            switch core {
            case .rejected(let offset):
                rejected += 1
                if offset < 0 || offset > text.count { mismatches.append("offset \(offset) outside the input") }
            case .accepted(let tree):
                // What was accepted writes and parses back to the same tree.
                let written = Array(tree.value.jsonString().utf8)
                if Parse.core(written).numbersAsDoubles != .accepted(tree.numbersAsDoubles) {
                    mismatches.append("\(tree) does not round-trip")
                }
            }
            if graphQL != core || models != core.sortedKeys {
                mismatches.append("\(String(decoding: text, as: UTF8.self)): \(core), \(graphQL), \(models)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
        #expect(rejected > 2000, "the damage should mostly make invalid documents")
    }

    /// Random decimal texts: the parser's doubles (exact path or not) equal the standard library's conversion.
    @Test func doublesMatchTheStandardLibrary() {
        var random = SeededGenerator(seed: 0x5EED_0004)
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            var text = Bool.random(using: &random) ? "-" : ""
            let digits = (0..<Int.random(in: 1...22, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }
            let point = Int.random(in: 1...digits.count, using: &random)
            let integer = digits[..<point].joined().drop { $0 == "0" }
            text += integer.isEmpty ? "0" : String(integer)
            if point < digits.count { text += "." + digits[point...].joined() }
            if Bool.random(using: &random) { text += "e" + String(Int.random(in: -40...40, using: &random)) }
            if !text.contains(".") && !text.contains("e") { text += ".0" }
            if Parse.core(Array(text.utf8)) != .accepted(.real(Double(text)!)) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        for opener in ["[", #"{"a":"#] {
            let deep = String(repeating: opener, count: 200_000)
            #expect(Parse.core(Array(deep.utf8)) == .rejected(offset: 512 * opener.utf8.count))
        }
    }

    @Test func parsesFromEveryKindOfInput() throws {
        let text = #"{"a": [1, "é"]}"#
        let expected: Canon = ["a": [1, "é"]]
        let bytes = Array(text.utf8)
        #expect(try CanonBuilder.parse(text) == expected)
        #expect(try CanonBuilder.parse(bytes) == expected)
        #expect(
            try bytes.withUnsafeBufferPointer { buffer in try Result { () throws(JSONParseError) in try CanonBuilder.parse(buffer) }.get() }
                == expected)
        #expect(try Value(jsonBytes: bytes[...]) == expected.value)
        #expect(try Value(jsonBytes: Set([UInt8(ascii: "1")])) == 1)
        #expect(throws: JSONParseError(message: "Unexpected end of JSON input", offset: 0)) { try CanonBuilder.parse([]) }
    }
}
