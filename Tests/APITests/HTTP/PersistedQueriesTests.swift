import Foundation
import GraphQL
import Logging
import Tenancy
import TestSupport
import Testing

@testable import API

@Suite struct PersistedQueryStoreTests {
    @Test func hashIsTheHexSHA256OfTheQueryText() {
        // printf '{ __typename }' | sha256sum
        #expect(PersistedQueryStore.hash("{ __typename }") == "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b")
    }

    @Test func keepsTheMostRecentlyUsedQueries() {
        let store = PersistedQueryStore(capacity: 2)
        store.register("a", hash: "ha")
        store.register("b", hash: "hb")
        #expect(store.query(forHash: "ha") == "a")  // a is now the most recently used
        store.register("c", hash: "hc")
        #expect(store.count == 2)
        #expect(store.query(forHash: "hb") == nil)
        #expect(store.query(forHash: "ha") == "a")
        #expect(store.query(forHash: "hc") == "c")
    }

    @Test func capacityZeroStoresNothing() {
        let store = PersistedQueryStore(capacity: 0)
        store.register("a", hash: "ha")
        #expect(store.query(forHash: "ha") == nil)
    }

    @Test func manyLargeDistinctQueriesStayWithinTheByteBudgetAndEvictTheOldest() {
        let store = PersistedQueryStore(capacity: 1_000, maxBytes: 64 * 1_024)
        var hashes: [String] = []
        for index in 0..<200 {
            let query = "query Q\(index) { __typename } #" + String(repeating: "x", count: 1_000)
            let hash = PersistedQueryStore.hash(query)
            store.register(query, hash: hash)
            hashes.append(hash)
            #expect(store.bytes <= 64 * 1_024)
        }
        // 1,219 bytes each (1,027 of text, 64 of hash, 128 of overhead): the 53 most recent fit, far fewer than the
        // 1,000 entries allowed.
        #expect(store.count == 53)
        #expect(store.query(forHash: hashes[0]) == nil)
        #expect(store.query(forHash: hashes[146]) == nil)
        #expect(store.query(forHash: hashes[147]) != nil)
        #expect(store.query(forHash: hashes[199]) != nil)
    }

    @Test func aQueryOverAQuarterOfTheBudgetIsNotKept() {
        let store = PersistedQueryStore(capacity: 1_000, maxBytes: 64 * 1_024)
        store.register("{ __typename }", hash: "small")
        let bytes = store.bytes
        store.register("{ __typename } #" + String(repeating: "x", count: 16 * 1_024), hash: "huge")
        #expect(store.query(forHash: "huge") == nil)
        #expect(store.query(forHash: "small") == "{ __typename }")
        #expect(store.count == 1 && store.bytes == bytes)
        let off = PersistedQueryStore(capacity: 1_000, maxBytes: 0)
        off.register("{ __typename }", hash: "small")
        #expect(off.count == 0)
    }

    @Test func floodOfLargeDistinctPersistedQueriesOverHTTPStaysWithinTheConfiguredBudgets() async throws {
        let path = TestDatabase.repositoryRoot.appendingPathComponent(SchemaSource.fileName).path
        let sdl = try SchemaSource.load(path: path)
        try await AuthHarness.run { harness in
            let services = APIServices(
                accounts: harness.accounts, members: harness.members, projects: harness.projects, tokens: harness.tokens,
                reports: harness.reports, dashboards: harness.dashboards, authenticator: harness.authenticator,
                access: TenantAccess(database: harness.database))
            var options = APIOptions()
            options.persistedQueryCacheBytes = 64 * 1_024
            options.documentCacheBytes = 1_048_576
            var logger = Logger(label: "persisted-query-tests")
            logger.logLevel = .critical
            let handler = GraphQLHTTPHandler(api: try GraphQLAPI(schemaSDL: sdl, services: services, options: options), logger: logger)
            func post(_ query: String?, hash: String) async throws -> (status: Int, body: String) {
                var payload: [String: Any] = ["extensions": ["persistedQuery": ["version": 1, "sha256Hash": hash]]]
                if let query { payload["query"] = query }
                let response = await handler.handle(
                    GraphQLHTTPRequest(
                        method: .post, contentType: "application/json",
                        body: Array(try JSONSerialization.data(withJSONObject: payload)), requestID: "r"))
                return (response.status, String(decoding: response.body, as: UTF8.self))
            }
            // Anonymous clients register 300 distinct 2 KB documents (the padding is a comment).
            var hashes: [String] = []
            for index in 0..<300 {
                let query = "query Q\(index) { __typename } #" + String(repeating: "x", count: 2_000)
                let hash = PersistedQueryStore.hash(query)
                let answer = try await post(query, hash: hash)
                #expect(answer.status == 200 && answer.body.contains("\"__typename\":\"Query\""), "\(answer)")
                hashes.append(hash)
                #expect(handler.persistedQueries.bytes <= 64 * 1_024)
                #expect(handler.api.engine.cachedDocumentBytes <= 1_048_576)
            }
            #expect(handler.persistedQueries.count < 40)
            #expect(handler.api.engine.cachedDocumentCount < 10)
            // The newest is still known by its hash alone; the oldest must be sent again.
            #expect(try await post(nil, hash: hashes[299]).body.contains("\"__typename\":\"Query\""))
            #expect(try await post(nil, hash: hashes[0]).body.contains("PERSISTED_QUERY_NOT_FOUND"))
        }
    }
}
