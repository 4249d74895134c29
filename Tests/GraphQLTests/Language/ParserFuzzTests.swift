import Testing

@testable import GraphQL

extension Language {
    /// Property test: 100,000 mutated documents (bytes and tokens deleted, inserted, duplicated, swapped) must each
    /// either parse or throw a located syntax error, and whatever parses must survive a print/parse round trip.
    /// The generator is seeded, so failures reproduce.
    @Suite struct ParserFuzzTests {
        /// SplitMix64: small, fast and deterministic.
        struct SeededGenerator: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }

        static let fragments: [[UInt8]] = [
            "{", "}", "(", ")", "[", "]", ":", "=", "@", "$", "!", "|", "&", "...", ".", "\"", "\"\"\"", "\\", "\\u", "\\u{",
            "#", "\n", "\r", "\r\n", ",", " ", "query", "mutation", "subscription", "fragment", "on", "extend", "type",
            "schema", "input", "enum", "union", "interface", "scalar", "directive", "repeatable", "implements", "true",
            "false", "null", "0", "-", "1.5", "1e3", "00", "é", "😀", "\u{FEFF}", "\u{0}", "'", "FIELD", "x", "\\\"\"\"",
        ].map { Array($0.utf8) }

        static let seeds: [[UInt8]] = {
            let documents = [
                PrinterTests.kitchenSinkQuery, PrinterTests.kitchenSinkSDL, PrinterTests.tricky,
                "{ a }", "query Q($v: [Int!]! = [1]) { a(x: $v) @include(if: true) { ...F } }",
                "fragment F on T { a b(c: {d: [1, 2.5, \"s\", E, null]}) }",
                "type Query { a(b: Int = 1): [String!]! @deprecated }",
                "\"\"\"\n  block\n\"\"\"\ninput I @oneOf { a: Int, b: String }",
            ]
            let lines = documents.flatMap { $0.split(separator: "\n").map(String.init) }
            return (documents + lines).map { Array($0.utf8) }
        }()

        static func mutate(_ input: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
            var bytes = input
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                if bytes.isEmpty {
                    bytes = fragments.randomElement(using: &random)!
                    continue
                }
                let index = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0:
                    let end = min(bytes.count, index + Int.random(in: 1...6, using: &random))
                    bytes.removeSubrange(index..<end)
                case 1:
                    bytes.insert(contentsOf: fragments.randomElement(using: &random)!, at: index)
                case 2:
                    let end = min(bytes.count, index + Int.random(in: 1...20, using: &random))
                    bytes.insert(contentsOf: bytes[index..<end], at: end)
                case 3:
                    if bytes.count > 2 {
                        let other = Int.random(in: 0..<bytes.count, using: &random)
                        bytes.swapAt(min(index, bytes.count - 1), other)
                    }
                case 4:
                    bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                default:
                    bytes.removeSubrange(index...)
                }
            }
            return bytes
        }

        @Test func hundredThousandMutatedDocumentsNeverCrash() throws {
            var random = SeededGenerator(state: 0x6772_6170_686C)
            var parsed = 0
            var failed = 0
            for iteration in 0..<100_000 {
                let seed = Self.seeds.randomElement(using: &random)!
                let bytes = Self.mutate(seed, &random)
                let text = String(decoding: bytes, as: UTF8.self)
                do {
                    let document = try parse(text, options: ParseOptions(maxTokens: 2_000, maxDepth: 64))
                    parsed += 1
                    if iteration % 16 == 0 {
                        let printed = print(document)
                        let reparsed = try parse(printed, options: ParseOptions(maxTokens: nil, maxDepth: 64))
                        #expect(print(reparsed) == printed, "round trip of \(text.debugDescription)")
                    }
                } catch {
                    failed += 1
                    #expect(error.isSyntaxError)
                    #expect(error.locations.count == 1)
                    let location = error.locations[0]
                    #expect(location.line >= 1 && location.column >= 1, "\(text.debugDescription): \(error)")
                }
            }
            #expect(parsed + failed == 100_000)
            #expect(parsed > 1_000)
        }
    }
}
