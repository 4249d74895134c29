import Foundation
import Testing

@testable import GraphQL

extension Validation {
    /// Parse and validation results must match graphql-js on the conformance corpus
    /// (`Tests/GraphQLConformance`): same phase, same error count, same locations per error.
    @Suite struct ConformanceValidationTests {
        static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("GraphQLConformance")

        static func load(_ name: String) throws -> Value {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
            return try Value(jsonBytes: Array(bytes))
        }

        /// The corpus schema with `DateTime` implemented as `oracle.js` does.
        static func schema() throws -> GraphQLSchema {
            let sdl = try String(contentsOf: directory.appendingPathComponent("schema.graphql"), encoding: .utf8)
            @Sendable func check(_ value: Value) throws(GraphQLError) -> Value {
                guard case .string(let string) = value, isDateTime(string) else {
                    throw GraphQLError("DateTime cannot represent value: \(value.jsonString())")
                }
                return value
            }
            let dateTime = GraphQLScalarType(
                name: "DateTime", serialize: check, parseValue: check,
                parseLiteral: { node, _ throws(GraphQLError) in
                    guard case .string(let string) = node else {
                        throw GraphQLError("DateTime cannot represent non-string literal: \(print(node))")
                    }
                    return try check(.string(string.value))
                })
            return try buildSchema(sdl, options: BuildSchemaOptions(scalars: [dateTime]))
        }

        static func isDateTime(_ string: String) -> Bool {
            let pattern = Array("dddd-dd-ddTdd:dd:ddZ".utf8)
            let bytes = Array(string.utf8)
            guard bytes.count == pattern.count else { return false }
            for (byte, expected) in zip(bytes, pattern) {
                if expected == UInt8(ascii: "d") {
                    guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return false }
                } else if byte != expected {
                    return false
                }
            }
            return true
        }

        /// Sorted "line:column,…" strings, one per error.
        static func locationKeys(_ errors: [Value]) -> [String] {
            errors.map { error in
                (error["locations"]?.listValue ?? []).map { "\($0["line"]?.intValue ?? 0):\($0["column"]?.intValue ?? 0)" }
                    .sorted().joined(separator: ",")
            }.sorted()
        }

        static func mismatches(corpus: String, expected: String) throws -> (matched: Int, failures: [String]) {
            let schema = try schema()
            let cases = try load(corpus).listValue ?? []
            var expectedByID: [String: Value] = [:]
            for result in try load(expected).listValue ?? [] {
                if let id = result["id"]?.stringValue { expectedByID[id] = result }
            }
            var matched = 0
            var failures: [String] = []
            for testCase in cases {
                guard let id = testCase["id"]?.stringValue, let query = testCase["query"]?.stringValue,
                    let want = expectedByID[id], let wantPhase = want["phase"]?.stringValue
                else { continue }
                var phase = "ok"
                var errors: [GraphQLError] = []
                do {
                    let document = try parse(query)
                    errors = validate(schema: schema, document: document, options: ValidationOptions(protection: nil))
                    if !errors.isEmpty { phase = "validate" }
                    // The default protection limits must not reject anything graphql-js accepts.
                    if errors.isEmpty && !validate(schema: schema, document: document).isEmpty {
                        failures.append("\(id): rejected by protection rules")
                        continue
                    }
                } catch {
                    phase = "parse"
                    errors = [error]
                }
                let gotLocations = locationKeys(errors.map(\.jsonValue))
                switch wantPhase {
                case "parse", "validate":
                    let wantLocations = locationKeys(want["errors"]?.listValue ?? [])
                    if phase != wantPhase || gotLocations != wantLocations {
                        failures.append(
                            "\(id): want \(wantPhase) \(wantLocations), got \(phase) \(gotLocations) "
                                + errors.map(\.message).joined(separator: " | "))
                        continue
                    }
                default:
                    if phase != "ok" {
                        failures.append("\(id): want no errors, got \(phase) " + errors.map(\.description).joined(separator: " | "))
                        continue
                    }
                }
                matched += 1
            }
            return (matched, failures)
        }

        @Test func corpusMatchesGraphQLJS() throws {
            let (matched, failures) = try Self.mismatches(corpus: "corpus.json", expected: "expected.json")
            #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.joined(separator: "\n"))")
            #expect(matched == 760)
        }

        @Test func extraCorpusMatchesGraphQLJS() throws {
            let (matched, failures) = try Self.mismatches(corpus: "corpus-extra.json", expected: "expected-extra.json")
            #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.joined(separator: "\n"))")
            #expect(matched == 19)
        }
    }
}
