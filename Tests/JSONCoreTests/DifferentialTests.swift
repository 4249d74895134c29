import GraphQL
import Models
import Testing

/// The two original parsers, their results made comparable.
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
}

extension Outcome {
    /// The outcome with object keys sorted, to compare with the unordered parser.
    var sortedKeys: Outcome {
        if case .accepted(let tree) = self { return .accepted(tree.sortedKeys) }
        return self
    }
}

extension Canon {
    /// The tree with integral doubles that fit 64 bits turned into integers: what survives writing and parsing back,
    /// since both writers print `2.0` as `2`.
    var integralNumbersAsInts: Canon {
        switch self {
        case .double(let bits):
            let number = Double(bitPattern: bits)
            if number.rounded() == number, number.magnitude < 9.2e18 { return .int(Int64(number)) }
            return self
        case .array(let elements): return .array(elements.map(\.integralNumbersAsInts))
        case .object(let members): return .object(members.map { Member(key: $0.key, value: $0.value.integralNumbersAsInts) })
        default: return self
        }
    }
}

/// Runs `Models.JSON.parse` and the GraphQL engine's parser on the same inputs and checks they agree, modulo
/// representation (ordered vs unordered objects, `Int` vs `Int64`), and that the two writers print the same bytes.
/// Where they were found to disagree, the corpus records both results, so each difference is written down here.
@Suite struct DifferentialTests {
    @Test(arguments: Corpus.all)
    func handWrittenCorpus(_ entry: CorpusEntry) {
        let models = Parse.models(entry.bytes)
        let graphQL = Parse.graphQL(entry.bytes)
        switch entry.expectation {
        case .value(let tree):
            #expect(models == .accepted(tree.sortedKeys))
            #expect(graphQL == .accepted(tree))
        case .invalid(let offset):
            #expect(models == .rejected(offset: offset))
            #expect(graphQL == .rejected(offset: offset))
        case .differs(let expectedModels, let expectedGraphQL):
            #expect(models == expectedModels.sortedKeys)
            #expect(graphQL == expectedGraphQL)
            #expect(models != graphQL.sortedKeys)
        }
    }

    @Test func generatedDocumentsParseAlike() {
        var generator = DocumentGenerator(seed: 0x5EED_0001)
        var mismatches: [String] = []
        for _ in 0..<3000 {
            let (text, expected) = generator.document()
            let models = Parse.models(text)
            let graphQL = Parse.graphQL(text)
            if models != .accepted(expected.sortedKeys) || graphQL != .accepted(expected) {
                mismatches.append("\(String(decoding: text, as: UTF8.self)): models \(models), graphQL \(graphQL), expected \(expected)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
    }

    @Test func mutatedDocumentsParseAlike() {
        var generator = DocumentGenerator(seed: 0x5EED_0002)
        var unexplained: [String] = []
        var explained: [String: Int] = [:]
        var rejected = 0
        for _ in 0..<4000 {
            let text = generator.mutate(generator.document().text)
            let models = Parse.models(text)
            let graphQL = Parse.graphQL(text)
            if !graphQL.isAccepted { rejected += 1 }
            guard models != graphQL.sortedKeys else { continue }
            if let reason = Self.knownDifference(text, models: models, graphQL: graphQL) {
                explained[reason, default: 0] += 1
            } else {
                unexplained.append("\(String(decoding: text, as: UTF8.self)): models \(models), graphQL \(graphQL)")
            }
        }
        #expect(unexplained.isEmpty, "\(unexplained.count) unexplained, first: \(unexplained.prefix(3))")
        #expect(rejected > 2000, "the mutations should mostly produce invalid documents")
        print("mutated documents: \(rejected) of 4000 rejected; known differences seen: \(explained)")
    }

    /// Which documented difference explains `models` and `graphQL` disagreeing on `bytes`, if any.
    static func knownDifference(_ bytes: [UInt8], models: Outcome, graphQL: Outcome) -> String? {
        if case .rejected(let offset) = models, offset < bytes.count {
            // Models rejected a number beyond Double range; the GraphQL parser took it as an infinity.
            var number = bytes[offset...].prefix { Array("+-0123456789.eE".utf8).contains($0) }
            while !number.isEmpty && Double(String(decoding: number, as: UTF8.self)) == nil { number = number.dropLast() }
            if let value = Double(String(decoding: number, as: UTF8.self)), !value.isFinite { return "non-finite number" }
            if case .rejected(let other) = graphQL {
                // Models points at the start of a bad literal, the GraphQL parser at its first wrong byte.
                if Array("tfn".utf8).contains(bytes[offset]), other > offset, other <= offset + 5 { return "literal offset" }
                // Models points at a '-' without digits, the GraphQL parser just after it.
                if bytes[offset] == UInt8(ascii: "-"), other == offset + 1 { return "minus offset" }
            }
        }
        if models.isAccepted, graphQL.isAccepted, containsHighSurrogateBeforeEscape(bytes) {
            return "high surrogate before \\u escape"
        }
        return nil
    }

    /// True when `bytes` has `\uD800`–`\uDBFF` directly followed by another `\u` escape.
    static func containsHighSurrogateBeforeEscape(_ bytes: [UInt8]) -> Bool {
        let backslash = UInt8(ascii: "\\")
        let u = UInt8(ascii: "u")
        guard bytes.count >= 8 else { return false }
        for index in 0...(bytes.count - 8) where bytes[index] == backslash && bytes[index + 1] == u {
            let hex = String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self)
            if let code = UInt32(hex, radix: 16), (0xD800...0xDBFF).contains(code), bytes[index + 6] == backslash,
                bytes[index + 7] == u
            {
                return true
            }
        }
        return false
    }

    @Test func writersAgree() {
        var generator = DocumentGenerator(seed: 0x5EED_0003)
        var mismatches: [String] = []
        for _ in 0..<3000 {
            // Sorted, so the ordered writer prints members in the unordered writer's (sorted) order.
            let tree = generator.writerTree().sortedKeys
            let models = tree.json.jsonString
            let graphQL = tree.value.jsonString()
            if models != graphQL { mismatches.append("\(tree): models \(models), graphQL \(graphQL)") }
            let expected = Outcome.accepted(tree.integralNumbersAsInts)
            if Parse.models(Array(models.utf8)) != expected || Parse.graphQL(Array(graphQL.utf8)) != expected {
                mismatches.append("\(tree) does not round-trip through \(models)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
    }

    /// Values the two writers printed differently: doubles (Swift's `description` against JavaScript's
    /// `Number.prototype.toString`, which also prints non-finite numbers as `null` rather than invalid JSON) and
    /// backspace/form feed (`\u0008` against `\b`).
    @Test(arguments: [
        (Canon.real(1e15), "1000000000000000.0", "1000000000000000"), (.real(1e16), "1e+16", "10000000000000000"),
        (.real(9_007_199_254_740_992), "9007199254740992.0", "9007199254740992"),
        (.real(1.2345678901234568e20), "1.2345678901234568e+20", "123456789012345680000"), (.real(1e-5), "1e-05", "0.00001"),
        (.real(1e-7), "1e-07", "1e-7"), (.real(-2.5e-6), "-2.5e-06", "-0.0000025"), (.real(.nan), "nan", "null"),
        (.real(.infinity), "inf", "null"), (.real(-.infinity), "-inf", "null"), ("\u{8}", #""\u0008""#, #""\b""#),
        ("\u{C}", #""\u000c""#, #""\f""#),
    ])
    func writersDiffer(tree: Canon, models: String, graphQL: String) {
        #expect(tree.json.jsonString == models)
        #expect(tree.value.jsonString() == graphQL)
    }

    @Test(arguments: [
        (Canon.real(1e21), "1e+21"), (.real(1.5e300), "1.5e+300"), (.real(.leastNonzeroMagnitude), "5e-324"), (.real(-0.0), "0"),
        (.real(0.0001), "0.0001"), (.real(123_456.789), "123456.789"), (.int(.min), "-9223372036854775808"),
        ("\u{1F}\u{7F}/\"\\", #""\u001f"# + "\u{7F}" + #"/\"\\""#),
        (Canon.object([.init(key: "b", value: 1), .init(key: "a", value: [nil, true])]), #"{"a":[null,true],"b":1}"#),
    ])
    func writersAgreeOn(tree: Canon, expected: String) {
        #expect(tree.json.jsonString == expected)
        #expect(tree.sortedKeys.value.jsonString() == expected)
    }
}
