import Foundation
import Testing

@testable import GraphQL

extension Validation {
    /// Property test: 100,000 mutated documents (seeded from the conformance corpus) go through parse and, when they
    /// parse, validation with every specified and protection rule against the conformance schema. Each must end in
    /// located errors or none; nothing may crash or hang. Seeded, so failures reproduce.
    @Suite struct ValidationFuzzTests {
        static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GraphQLConformance")

        @Test func hundredThousandMutatedDocumentsValidateWithoutCrashing() throws {
            let sdl = try String(contentsOf: Self.directory.appendingPathComponent("schema.graphql"), encoding: .utf8)
            let schema = try buildSchema(
                sdl,
                options: BuildSchemaOptions(
                    assumeValidSDL: false,
                    scalars: [
                        GraphQLScalarType(name: "DateTime")
                    ]))
            let corpus = try Value(jsonBytes: [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent("corpus.json"))))
            let seeds = (corpus.listValue ?? []).compactMap { $0["query"]?.stringValue }.map { Array($0.utf8) }
            #expect(seeds.count >= 300)

            var random = Language.ParserFuzzTests.SeededGenerator(state: 0x7661_6C69_6461)
            var validated = 0
            var rejected = 0
            for _ in 0..<100_000 {
                let seed = seeds.randomElement(using: &random)!
                let bytes = Random.chance(0.5, &random) ? seed : Language.ParserFuzzTests.mutate(seed, &random)
                guard
                    let document = try? parse(String(decoding: bytes, as: UTF8.self), options: ParseOptions(maxTokens: 2_000, maxDepth: 64))
                else { continue }
                let errors = validate(schema: schema, document: document, options: ValidationOptions(protection: ProtectionLimits()))
                validated += 1
                if !errors.isEmpty { rejected += 1 }
                for error in errors {
                    #expect(!error.message.isEmpty)
                }
            }
            #expect(validated > 30_000)
            #expect(rejected > 1_000)
        }
    }
}

enum Random {
    static func chance(_ probability: Double, _ random: inout Language.ParserFuzzTests.SeededGenerator) -> Bool {
        Double.random(in: 0..<1, using: &random) < probability
    }
}
