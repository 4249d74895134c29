import Testing

@testable import GraphQL

extension Execution {
    @Suite struct EngineTests {
        static func engine(capacity: Int = 1_000) -> GraphQLEngine<Void> {
            GraphQLEngine(
                schema: Execution.schema, resolvers: Resolvers<Void>(),
                options: GraphQLEngineOptions(documentCacheCapacity: capacity),
                rootValue: Value.object(["hello": "hi"]))
        }

        @Test func phasesTellRequestErrorsFromExecution() async {
            let engine = Self.engine()
            let syntax = await engine.execute(query: "{ hello", context: ())
            #expect(syntax.phase == .parse && syntax.isRequestError && syntax.result.data == nil)
            let invalid = await engine.execute(query: "{ nope }", context: ())
            #expect(invalid.phase == .validation && invalid.isRequestError)
            let badVariables = await engine.execute(
                query: "query ($id: Int!) { item(id: $id) { id } }", variables: ["id": "x"], context: ())
            #expect(badVariables.phase == .request && badVariables.result.data == nil)
            let notAnObject = await engine.execute(query: "{ hello }", variables: [1], context: ())
            #expect(notAnObject.phase == .request)
            let ok = await engine.execute(query: "{ hello }", context: ())
            #expect(ok.phase == .execution && !ok.isRequestError)
            #expect(String(decoding: ok.result.jsonBytes, as: UTF8.self) == #"{"data":{"hello":"hi"}}"#)
        }

        @Test func repeatedQueriesHitTheCache() async {
            let engine = Self.engine()
            _ = await engine.execute(query: "{ hello }", context: ())
            _ = await engine.execute(query: "{ hello }", context: ())
            _ = await engine.execute(query: "{ nope }", context: ())
            _ = await engine.execute(query: "{ nope }", context: ())
            #expect(engine.cacheStatistics.hits == 2)
            #expect(engine.cacheStatistics.misses == 2)
            #expect(engine.cachedDocumentCount == 2)
        }

        @Test func cacheEvictsLeastRecentlyUsedAndStaysBounded() throws {
            let engine = Self.engine(capacity: 2)
            _ = try engine.prepare(query: "{ a: hello }")
            _ = try engine.prepare(query: "{ b: hello }")
            _ = try engine.prepare(query: "{ a: hello }")  // a is now the most recent
            _ = try engine.prepare(query: "{ c: hello }")  // evicts b
            #expect(engine.cachedDocumentCount == 2)
            _ = try engine.prepare(query: "{ a: hello }")
            #expect(engine.cacheStatistics.hits == 2)
            _ = try engine.prepare(query: "{ b: hello }")
            #expect(engine.cacheStatistics.misses == 4)
            for index in 0..<50 { _ = try engine.prepare(query: "{ x\(index): hello }") }
            #expect(engine.cachedDocumentCount == 2)
        }

        @Test func lruOrderFollowsUse() {
            var cache = LRUCache<String, Int>(capacity: 3)
            cache.set("a", 1)
            cache.set("b", 2)
            cache.set("c", 3)
            #expect(cache.get("a") == 1)
            cache.set("d", 4)
            #expect(cache.keysByRecency == ["d", "a", "c"])
            #expect(cache.get("b") == nil)
            cache.set("c", 30)
            #expect(cache.keysByRecency == ["c", "d", "a"])
            #expect(cache.get("c") == 30)
        }

        @Test func preparedDocumentsExecuteWithDifferentDirectiveVariables() async throws {
            let engine = Self.engine()
            let prepared = try engine.prepare(query: "query ($s: Boolean!) { hello @skip(if: $s) x: hello }")
            let skipped = await engine.execute(prepared: prepared, variables: ["s": true], context: ())
            let kept = await engine.execute(prepared: prepared, variables: ["s": false], context: ())
            #expect(skipped.result.jsonValue.jsonString() == #"{"data":{"x":"hi"}}"#)
            #expect(kept.result.jsonValue.jsonString() == #"{"data":{"hello":"hi","x":"hi"}}"#)
        }
    }
}
