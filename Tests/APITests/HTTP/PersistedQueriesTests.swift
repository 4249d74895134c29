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
}
