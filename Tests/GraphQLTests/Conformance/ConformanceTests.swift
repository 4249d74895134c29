import Foundation
import GraphQL
import Testing

extension Execution {
    /// Runs the conformance corpus (Tests/GraphQLConformance) through parse → validate → execute and compares
    /// with graphql-js 16's results using the rules of `oracle.js --compare`.
    @Suite struct ConformanceTests {
        /// The one documented difference from the oracle: the September 2025 spec (our target) gives `__Type` an
        /// `isOneOf` field, which graphql-js 16.6 (Debian's, the oracle) predates. Our introspection of `__Type`
        /// therefore lists one field more; it is removed from our side before comparing, and nothing else is.
        static func withoutIsOneOfField(_ value: Value) -> Value {
            switch value {
            case .list(let items):
                return .list(items.map(withoutIsOneOfField))
            case .object(let object):
                var copy = OrderedObject()
                let isTypeType = object["name"] == .string("__Type")
                for (key, member) in object {
                    if isTypeType, key == "fields", case .list(let fields) = member {
                        copy[key] = .list(fields.filter { $0["name"] != .string("isOneOf") })
                    } else {
                        copy[key] = withoutIsOneOfField(member)
                    }
                }
                return .object(copy)
            default:
                return value
            }
        }

        static let directory: URL = {
            if let override = ProcessInfo.processInfo.environment["IV_CONFORMANCE_DIR"] {
                return URL(fileURLWithPath: override)
            }
            return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("GraphQLConformance")
        }()

        static func load(_ name: String) throws -> Value {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
            return try Value(jsonBytes: [UInt8](bytes))
        }

        static func makeSchema() throws -> GraphQLSchema {
            let sdl = try String(contentsOf: directory.appendingPathComponent("schema.graphql"), encoding: .utf8)
            return try buildSchema(sdl, options: BuildSchemaOptions(scalars: [ConformanceResolvers.dateTime]))
        }

        /// Runs one case and returns its result in the `expected.json` format.
        static func run(
            _ testCase: Value, schema: GraphQLSchema, resolvers: Resolvers<ConformanceContext>, data: Value
        ) async -> Value {
            let id = testCase["id"] ?? .null
            func result(_ phase: String, _ errors: [GraphQLError], data: Value?) -> Value {
                var object: OrderedObject = ["id": id, "phase": .string(phase), "errorCount": .int(errors.count)]
                object["errors"] = .list(
                    errors.map { error in
                        var entry: OrderedObject = ["message": .string(error.message)]
                        if !error.locations.isEmpty { entry["locations"] = .list(error.locations.map(\.jsonValue)) }
                        if let path = error.path { entry["path"] = .list(path.map(\.jsonValue)) }
                        return .object(entry)
                    })
                if let data { object["data"] = data }
                return .object(object)
            }
            let document: DocumentNode
            do {
                document = try parse(testCase["query"]?.stringValue ?? "")
            } catch {
                return result("parse", [error], data: nil)
            }
            let validationErrors = validate(
                schema: schema, document: document, rules: specifiedRules, options: ValidationOptions(protection: nil))
            if !validationErrors.isEmpty { return result("validate", validationErrors, data: nil) }
            let outcome = await execute(
                schema: schema, document: document, resolvers: resolvers, rootValue: data["query"] ?? .null,
                context: ConformanceContext(data: data), variables: testCase["variables"]?.objectValue ?? [:],
                operationName: testCase["operationName"]?.stringValue)
            return result(outcome.errors.isEmpty ? "ok" : "execute", outcome.errors, data: outcome.data)
        }

        /// The differences `oracle.js --compare` would report for one case.
        static func differences(expected: Value, actual: Value) -> [String] {
            var diffs: [String] = []
            if expected["phase"] != actual["phase"] {
                diffs.append("phase \(expected["phase"]?.stringValue ?? "?") != \(actual["phase"]?.stringValue ?? "?")")
            }
            let expectedErrors = expected["errors"]?.listValue ?? []
            let actualErrors = actual["errors"]?.listValue ?? []
            if expectedErrors.count != actualErrors.count {
                diffs.append("error count \(expectedErrors.count) != \(actualErrors.count)")
            }
            func keys(_ errors: [Value]) -> [String] {
                errors.map { error in
                    let locations = (error["locations"]?.listValue ?? []).map {
                        "\($0["line"]?.intValue ?? 0):\($0["column"]?.intValue ?? 0)"
                    }.sorted()
                    return "\(locations) \(error["path"]?.jsonString() ?? "null")"
                }.sorted()
            }
            if keys(expectedErrors) != keys(actualErrors) {
                diffs.append("error locations/paths \(keys(expectedErrors)) != \(keys(actualErrors))")
            }
            let expectedData = expected["data"]?.jsonString() ?? "undefined"
            let actualData = actual["data"].map { withoutIsOneOfField($0).jsonString() } ?? "undefined"
            if expectedData != actualData { diffs.append("data \(expectedData) != \(actualData)") }
            return diffs
        }

        static func runCorpus(_ corpusName: String, _ expectedName: String, _ outName: String) async throws {
            let schema = try makeSchema()
            let resolvers = ConformanceResolvers.make()
            let data = try load("data.json")
            let corpus = try load(corpusName).listValue ?? []
            var expected: [String: Value] = [:]
            for entry in try load(expectedName).listValue ?? [] {
                if let id = entry["id"]?.stringValue { expected[id] = entry }
            }
            var actual: [Value] = []
            var passed = 0
            var failed: [String] = []
            for testCase in corpus {
                let id = testCase["id"]?.stringValue ?? "?"
                let outcome = await run(testCase, schema: schema, resolvers: resolvers, data: data)
                actual.append(outcome)
                let diffs = expected[id].map { differences(expected: $0, actual: outcome) } ?? ["no expected result"]
                if diffs.isEmpty {
                    passed += 1
                } else {
                    failed.append(id)
                    Issue.record("\(id): \(diffs.joined(separator: "; "))")
                }
            }
            let outDirectory =
                ProcessInfo.processInfo.environment["IV_CONFORMANCE_OUT"] ?? FileManager.default.temporaryDirectory.path
            let text = "[\n" + actual.map { $0.jsonString() }.joined(separator: ",\n") + "\n]\n"
            try text.write(toFile: outDirectory + "/" + outName, atomically: true, encoding: .utf8)
            print("conformance (\(corpusName), graphql-js 16.6 as the oracle):")
            print("conformance: \(passed) passed, \(failed.count) failed")
            if !failed.isEmpty { print("mismatches: \(failed.prefix(40))") }
            #expect(corpus.count > 0)
        }

        @Test func corpus() async throws {
            try await Self.runCorpus("corpus.json", "expected.json", "actual.json")
        }

        @Test func extraCorpus() async throws {
            try await Self.runCorpus("corpus-extra.json", "expected-extra.json", "actual-extra.json")
        }
    }
}
