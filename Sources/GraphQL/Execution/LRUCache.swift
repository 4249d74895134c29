import Synchronization

/// A fixed-capacity least-recently-used map: lookups and insertions are O(1); inserting into a full
/// cache evicts the entry used longest ago, so it never grows past `capacity`.
struct LRUCache<Key: Hashable, Element> {
    private struct Entry {
        var key: Key
        var element: Element
        var previous: Int
        var next: Int
    }

    /// The most entries kept.
    let capacity: Int
    private var slots: [Key: Int] = [:]
    private var entries: [Entry] = []
    /// Most recently used entry, or -1.
    private var head = -1
    /// Least recently used entry, or -1.
    private var tail = -1

    /// An empty cache holding at most `capacity` entries.
    init(capacity: Int) {
        self.capacity = max(0, capacity)
        slots.reserveCapacity(min(self.capacity, 4096))
    }

    /// The number of entries.
    var count: Int { entries.count }

    /// The keys from most to least recently used.
    var keysByRecency: [Key] {
        var keys: [Key] = []
        var index = head
        while index >= 0 {
            keys.append(entries[index].key)
            index = entries[index].next
        }
        return keys
    }

    /// The element for `key`, marking it most recently used.
    mutating func get(_ key: Key) -> Element? {
        guard let index = slots[key] else { return nil }
        moveToFront(index)
        return entries[index].element
    }

    /// Stores `element`, evicting the least recently used entry when full.
    mutating func set(_ key: Key, _ element: Element) {
        guard capacity > 0 else { return }
        if let index = slots[key] {
            entries[index].element = element
            moveToFront(index)
            return
        }
        if entries.count < capacity {
            entries.append(Entry(key: key, element: element, previous: -1, next: -1))
            let index = entries.count - 1
            slots[key] = index
            linkAtFront(index)
            return
        }
        // Reuse the least recently used slot.
        let index = tail
        unlink(index)
        slots[entries[index].key] = nil
        entries[index] = Entry(key: key, element: element, previous: -1, next: -1)
        slots[key] = index
        linkAtFront(index)
    }

    private mutating func moveToFront(_ index: Int) {
        guard head != index else { return }
        unlink(index)
        linkAtFront(index)
    }

    private mutating func unlink(_ index: Int) {
        let previous = entries[index].previous
        let next = entries[index].next
        if previous >= 0 { entries[previous].next = next } else { head = next }
        if next >= 0 { entries[next].previous = previous } else { tail = previous }
        entries[index].previous = -1
        entries[index].next = -1
    }

    private mutating func linkAtFront(_ index: Int) {
        entries[index].next = head
        entries[index].previous = -1
        if head >= 0 { entries[head].previous = index }
        head = index
        if tail < 0 { tail = index }
    }
}

/// A thread-safe LRU cache shared by the copies of a `GraphQLEngine`.
final class SharedLRUCache<Key: Hashable & Sendable, Element: Sendable>: Sendable {
    private let storage: Mutex<LRUCache<Key, Element>>
    private let counters = Mutex((hits: 0, misses: 0))

    /// An empty cache holding at most `capacity` entries.
    init(capacity: Int) { storage = Mutex(LRUCache(capacity: capacity)) }

    /// The element for `key` (counted as a hit or a miss).
    func get(_ key: Key) -> Element? {
        let element = storage.withLock { $0.get(key) }
        counters.withLock { element == nil ? ($0.misses += 1) : ($0.hits += 1) }
        return element
    }

    /// Stores an element, evicting the least recently used one when full.
    func set(_ key: Key, _ element: Element) { storage.withLock { $0.set(key, element) } }

    /// The number of entries.
    var count: Int { storage.withLock { $0.count } }
    /// The most entries kept.
    var capacity: Int { storage.withLock { $0.capacity } }
    /// Lookups that found / did not find an entry.
    var statistics: (hits: Int, misses: Int) { counters.withLock { $0 } }
}
