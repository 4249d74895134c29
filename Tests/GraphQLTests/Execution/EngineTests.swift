import Caching
import Testing

@testable import GraphQL

extension Execution {
    @Suite struct EngineTests {
        static func engine(
            capacity: Int = 1_000, bytes: Int = GraphQLEngineOptions.defaultDocumentCacheBytes
        ) -> GraphQLEngine<Void> {
            var options = GraphQLEngineOptions(documentCacheCapacity: capacity)
            options.documentCacheBytes = bytes
            return GraphQLEngine(
                schema: Execution.schema, resolvers: Resolvers<Void>(), options: options,
                rootValue: Value.object(["hello": "hi"]))
        }

        /// A valid document of exactly `length` bytes (a long string argument), distinct per `index`.
        static func document(_ index: Int, length: Int) -> String {
            let head = "{ d\(index): echo(text: \""
            return head + String(repeating: "x", count: length - head.utf8.count - 4) + "\") }"
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

        @Test func manyLargeDistinctDocumentsStayWithinTheByteBudgetAndEvictTheOldest() throws {
            let budget = 2 * 1_048_576
            let engine = Self.engine(bytes: budget)
            let documents = (0..<100).map { Self.document($0, length: 2_000) }
            for document in documents {
                _ = try engine.prepare(query: document)
                #expect(engine.cachedDocumentBytes <= budget)
            }
            // Each is estimated at over 200 KB (text, syntax tree, plans): far fewer than the 1,000 entries allowed.
            #expect(engine.cachedDocumentCount > 1 && engine.cachedDocumentCount < 10)
            let misses = engine.cacheStatistics.misses
            _ = try engine.prepare(query: documents[99])
            #expect(engine.cacheStatistics.misses == misses)
            _ = try engine.prepare(query: documents[0])
            #expect(engine.cacheStatistics.misses == misses + 1)
        }

        @Test func manyLargeDistinctFailingDocumentsStayWithinTheByteBudget() {
            let budget = 64 * 1_024
            let engine = Self.engine(bytes: budget)
            for index in 0..<200 {
                let unterminated = "{ d\(index): echo(text: \"" + String(repeating: "x", count: 2_000)
                #expect(throws: PreparationFailure.self) { try engine.prepare(query: unterminated) }
                let invalid = "{ d\(index): nope" + String(repeating: " ", count: 2_000) + "}"
                #expect(throws: PreparationFailure.self) { try engine.prepare(query: invalid) }
                #expect(engine.cachedDocumentBytes <= budget)
            }
            #expect(engine.cachedDocumentCount > 1 && engine.cachedDocumentCount < 40)
        }

        @Test func aDocumentOverAQuarterOfTheBudgetIsNotCached() throws {
            let engine = Self.engine(bytes: 2 * 1_048_576)
            _ = try engine.prepare(query: Self.document(0, length: 2_000))
            let bytes = engine.cachedDocumentBytes
            let huge = Self.document(1, length: 6_000)  // estimated at over 600 KB, more than 512 KiB
            _ = try engine.prepare(query: huge)
            #expect(engine.cachedDocumentCount == 1 && engine.cachedDocumentBytes == bytes)
            let misses = engine.cacheStatistics.misses
            _ = try engine.prepare(query: huge)
            #expect(engine.cacheStatistics.misses == misses + 1)
        }

        @Test func plansForMoreDirectiveValuesAreChargedToTheDocument() async throws {
            let query = "query ($s: Boolean!) { hello @skip(if: $s) x: hello }"
            let engine = Self.engine()
            let prepared = try engine.prepare(query: query)
            let bytes = engine.cachedDocumentBytes
            _ = await engine.execute(prepared: prepared, variables: ["s": true], context: ())
            #expect(engine.cachedDocumentBytes == bytes)  // the first set of plans is part of the estimate
            _ = await engine.execute(prepared: prepared, variables: ["s": false], context: ())
            let more = DocumentCacheCost.additionalPlans(query: query)
            #expect(engine.cachedDocumentBytes == bytes + more)
            #expect(prepared.plans.contextVariables.count == 2)

            // When the document's share of the budget has no room for another set, the plans are not kept.
            let tight = Self.engine(bytes: 4 * (bytes + more / 2))
            let tightPrepared = try tight.prepare(query: query)
            _ = await tight.execute(prepared: tightPrepared, variables: ["s": true], context: ())
            _ = await tight.execute(prepared: tightPrepared, variables: ["s": false], context: ())
            #expect(tight.cachedDocumentBytes == bytes)
            #expect(tightPrepared.plans.contextVariables.count == 1)

            // Nor once the document has left the cache.
            let single = Self.engine(capacity: 1)
            let evicted = try single.prepare(query: query)
            _ = try single.prepare(query: "{ hello }")
            _ = await single.execute(prepared: evicted, variables: ["s": true], context: ())
            _ = await single.execute(prepared: evicted, variables: ["s": false], context: ())
            #expect(evicted.plans.contextVariables.count == 1)
        }

        @Test func cachedPlansKeepOnlyTheDirectiveVariables() async throws {
            let engine = Self.engine()
            let prepared = try engine.prepare(query: "query ($s: Boolean!, $text: String) { hello @skip(if: $s) echo(text: $text) }")
            let big = String(repeating: "v", count: 100_000)
            let response = await engine.execute(prepared: prepared, variables: ["s": false, "text": .string(big)], context: ())
            #expect(response.phase == .execution)
            #expect(prepared.plans.contextVariables.map(\.keys) == [["s"]])
        }
    }
}
