import Caching
import Testing

@testable import GraphQL

extension Execution {
    // `LRUCache`'s methods are mutating, so their results are taken before `#expect` looks at them.
    @Suite struct LRUCacheTests {
        @Test func manyLargeDistinctKeysStayWithinTheByteBudgetAndEvictTheOldest() {
            var cache = LRUCache<String, String>(capacity: 1_000, maxBytes: 10_000)
            var keys: [String] = []
            for index in 0..<200 {
                let key = "\(index):" + String(repeating: "k", count: 500)
                let value = String(repeating: "v", count: 500)
                let stored = cache.set(key, value, bytes: key.utf8.count + value.utf8.count)
                #expect(stored)
                keys.append(key)
                #expect(cache.bytes <= 10_000)
            }
            // About 1,005 bytes each: the 9 most recent fit, far fewer than the 1,000 entries allowed.
            #expect(cache.count == 9)
            #expect(cache.keysByRecency == Array(keys.suffix(9).reversed()))
            let oldest = cache.get(keys[0])
            let newest = cache.get(keys[199])
            #expect(oldest == nil && newest != nil)
        }

        @Test func anEntryOverItsLimitIsNotCachedAndEvictsNothing() {
            var cache = LRUCache<String, Int>(capacity: 10, maxBytes: 1_000, maxEntryBytes: 250)
            cache.set("a", 1, bytes: 200)
            cache.set("b", 2, bytes: 200)
            let huge = cache.set("huge", 3, bytes: 251)
            #expect(!huge && !cache.contains("huge"))
            #expect(cache.keysByRecency == ["b", "a"] && cache.bytes == 400)
            // An oversize replacement drops the old entry instead of keeping a stale one.
            let replaced = cache.set("a", 4, bytes: 5_000)
            #expect(!replaced)
            #expect(cache.keysByRecency == ["b"] && cache.bytes == 200)
            // Without an entry cap, the whole budget is the cap.
            var whole = LRUCache<String, Int>(capacity: 10, maxBytes: 1_000)
            let fits = whole.set("fits", 1, bytes: 1_000)
            let over = whole.set("over", 2, bytes: 1_001)
            #expect(fits && !over)
            #expect(whole.keysByRecency == ["fits"] && whole.bytes == 1_000)
        }

        @Test func growingAnEntryEvictsOthersUpToItsLimit() {
            var cache = LRUCache<String, Int>(capacity: 10, maxBytes: 1_000, maxEntryBytes: 500)
            cache.set("a", 1, bytes: 300)
            cache.set("b", 2, bytes: 300)
            cache.set("c", 3, bytes: 300)
            let grown = cache.grow("a", by: 150)  // a (450) becomes the most recent; b, now the oldest, goes
            #expect(grown)
            #expect(cache.keysByRecency == ["a", "c"] && cache.bytes == 750)
            let overCap = cache.grow("a", by: 51)
            let unknown = cache.grow("gone", by: 1)
            #expect(!overCap && !unknown)
            #expect(cache.keysByRecency == ["a", "c"] && cache.bytes == 750)
        }

        @Test func agreesWithAListModelOverManyOperations() {
            var cache = LRUCache<Int, Int>(capacity: 8, maxBytes: 400, maxEntryBytes: 150)
            var model: [(key: Int, bytes: Int)] = []  // most recent first
            var random = Language.ParserFuzzTests.SeededGenerator(state: 7)
            func total() -> Int { model.reduce(0) { $0 + $1.bytes } }
            for _ in 0..<5_000 {
                let key = Int.random(in: 0..<20, using: &random)
                let found = model.firstIndex { $0.key == key }
                switch Int.random(in: 0..<3, using: &random) {
                case 0:
                    let element = cache.get(key)
                    #expect(element == (found == nil ? nil : key))
                    if let found { model.insert(model.remove(at: found), at: 0) }
                case 1:
                    let bytes = Int.random(in: 0..<200, using: &random)
                    let stored = cache.set(key, key, bytes: bytes)
                    #expect(stored == (bytes <= 150))
                    if let found { model.remove(at: found) }
                    if bytes <= 150 {
                        while !model.isEmpty, model.count >= 8 || total() + bytes > 400 { model.removeLast() }
                        model.insert((key, bytes), at: 0)
                    }
                default:
                    let delta = Int.random(in: 0..<100, using: &random)
                    let fits = found.map { model[$0].bytes + delta <= 150 } ?? false
                    let grown = cache.grow(key, by: delta)
                    #expect(grown == fits)
                    if let found, fits {
                        let entry = model.remove(at: found)
                        model.insert((key, entry.bytes + delta), at: 0)
                        while model.count > 1, total() > 400 { model.removeLast() }
                    }
                }
                #expect(cache.keysByRecency == model.map(\.key))
                #expect(cache.bytes == total() && cache.bytes <= 400)
            }
        }
    }
}
