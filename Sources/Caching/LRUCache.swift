import Synchronization

/// A least-recently-used map bounded both in entries and in approximate bytes: lookups and insertions are O(1);
/// an insertion evicts the entries used longest ago until both `capacity` and `maxBytes` hold again. Each entry's
/// size is the caller's estimate (key and element together); an entry larger than `maxEntryBytes` is not kept, so
/// one huge key can neither exceed the budget nor flush the whole cache.
package struct LRUCache<Key: Hashable, Element> {
    private struct Entry {
        var key: Key
        var element: Element
        var bytes: Int
        var previous: Int
        var next: Int
    }

    /// The most entries kept.
    package let capacity: Int
    /// The most bytes (sum of the entries' estimates) kept.
    package let maxBytes: Int
    /// The largest single entry kept; larger ones are not cached.
    package let maxEntryBytes: Int
    /// The sum of the entries' byte estimates, at most `maxBytes`.
    package private(set) var bytes = 0
    private var slots: [Key: Int] = [:]
    private var entries: [Entry] = []
    /// Most recently used entry, or -1.
    private var head = -1
    /// Least recently used entry, or -1.
    private var tail = -1

    /// An empty cache holding at most `capacity` entries and `maxBytes` bytes, none larger than `maxEntryBytes`
    /// (default: the whole budget).
    package init(capacity: Int, maxBytes: Int = .max, maxEntryBytes: Int? = nil) {
        self.capacity = max(0, capacity)
        self.maxBytes = max(0, maxBytes)
        self.maxEntryBytes = min(self.maxBytes, max(0, maxEntryBytes ?? .max))
        slots.reserveCapacity(min(self.capacity, 4096))
    }

    /// The number of entries.
    package var count: Int { entries.count }

    /// The keys from most to least recently used.
    package var keysByRecency: [Key] {
        var keys: [Key] = []
        var index = head
        while index >= 0 {
            keys.append(entries[index].key)
            index = entries[index].next
        }
        return keys
    }

    /// Whether `key` has an entry (without marking it used).
    package func contains(_ key: Key) -> Bool { slots[key] != nil }

    /// The element for `key`, marking it most recently used.
    package mutating func get(_ key: Key) -> Element? {
        guard let index = slots[key] else { return nil }
        moveToFront(index)
        return entries[index].element
    }

    /// Stores `element` as the most recently used entry, estimated at `bytes` (key included), evicting the least
    /// recently used entries until both bounds hold. An entry over `maxEntryBytes` is not stored (and replaces
    /// nothing: an older entry of the same key is removed). Returns whether it was stored.
    @discardableResult
    package mutating func set(_ key: Key, _ element: Element, bytes size: Int = 0) -> Bool {
        if let index = slots[key] { remove(index) }
        guard capacity > 0, size >= 0, size <= maxEntryBytes else { return false }
        while tail >= 0, entries.count >= capacity || bytes > maxBytes - size { remove(tail) }
        entries.append(Entry(key: key, element: element, bytes: size, previous: -1, next: -1))
        let index = entries.count - 1
        slots[key] = index
        bytes += size
        linkAtFront(index)
        return true
    }

    /// Adds `delta` estimated bytes to the entry of `key`, marking it most recently used and evicting the least
    /// recently used other entries until the budget holds. Refuses (false) when `key` has no entry or the entry
    /// would outgrow `maxEntryBytes`.
    package mutating func grow(_ key: Key, by delta: Int) -> Bool {
        guard let index = slots[key], delta >= 0, entries[index].bytes <= maxEntryBytes - delta else { return false }
        moveToFront(index)
        entries[index].bytes += delta
        bytes += delta
        while bytes > maxBytes, tail != head { remove(tail) }
        return true
    }

    /// Removes the entry of `key`, if any.
    package mutating func removeValue(forKey key: Key) {
        if let index = slots[key] { remove(index) }
    }

    /// Removes the entry at `index`, moving the last slot into its place so the storage stays dense.
    private mutating func remove(_ index: Int) {
        unlink(index)
        slots[entries[index].key] = nil
        bytes -= entries[index].bytes
        let last = entries.count - 1
        if index != last {
            let moved = entries[last]
            entries[index] = moved
            slots[moved.key] = index
            if moved.previous >= 0 { entries[moved.previous].next = index } else { head = index }
            if moved.next >= 0 { entries[moved.next].previous = index } else { tail = index }
        }
        entries.removeLast()
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

/// A thread-safe `LRUCache` shared by the copies of a `GraphQLEngine` (and by the API's persisted queries).
package final class SharedLRUCache<Key: Hashable & Sendable, Element: Sendable>: Sendable {
    private let storage: Mutex<LRUCache<Key, Element>>
    private let counters = Mutex((hits: 0, misses: 0))

    /// An empty cache holding at most `capacity` entries and `maxBytes` bytes, none larger than `maxEntryBytes`.
    package init(capacity: Int, maxBytes: Int = .max, maxEntryBytes: Int? = nil) {
        storage = Mutex(LRUCache(capacity: capacity, maxBytes: maxBytes, maxEntryBytes: maxEntryBytes))
    }

    /// The element for `key` (counted as a hit or a miss).
    package func get(_ key: Key) -> Element? {
        let element = storage.withLock { $0.get(key) }
        counters.withLock { element == nil ? ($0.misses += 1) : ($0.hits += 1) }
        return element
    }

    /// Stores an element estimated at `bytes` (key included), evicting least recently used ones until both bounds
    /// hold; returns whether it was stored (see `LRUCache.set`).
    @discardableResult
    package func set(_ key: Key, _ element: Element, bytes: Int = 0) -> Bool {
        storage.withLock { $0.set(key, element, bytes: bytes) }
    }

    /// Adds `delta` bytes to the entry of `key` (see `LRUCache.grow`); false when it is gone or would grow too large.
    package func grow(_ key: Key, by delta: Int) -> Bool { storage.withLock { $0.grow(key, by: delta) } }

    /// Whether `key` has an entry (not counted, not marked used).
    package func contains(_ key: Key) -> Bool { storage.withLock { $0.contains(key) } }
    /// The number of entries.
    package var count: Int { storage.withLock { $0.count } }
    /// The sum of the entries' byte estimates.
    package var bytes: Int { storage.withLock { $0.bytes } }
    /// The most entries kept.
    package var capacity: Int { storage.withLock { $0.capacity } }
    /// The most bytes kept.
    package var maxBytes: Int { storage.withLock { $0.maxBytes } }
    /// Lookups that found / did not find an entry.
    package var statistics: (hits: Int, misses: Int) { counters.withLock { $0 } }
}
