import Crypto
import Foundation
import Logging
import Models
import NIOCore
import PostgresNIO
import Storage
import Synchronization

/// Finds the project an ingest token writes to. Lookups (hits and misses) are cached for `ttl` (5 s by default),
/// so ingestion does not query the database per request, and a revoked token stops working within `ttl`.
///
/// The cache is bounded in bytes as well as in entries, so that a flood of distinct bogus tokens cannot grow the
/// server's memory: tokens over `maxTokenBytes` are refused before they are hashed or cached, and misses live in
/// their own quarter of `cacheBytes`, so they evict each other, never the tokens that resolve.
public final class TokenResolver: Sendable {
    /// Where an ingest token writes.
    public struct Target: Sendable, Equatable {
        /// The organization.
        public var org: Org.ID
        /// The project.
        public var project: Project.ID
    }

    /// What the cache holds, for monitoring and tests.
    package struct CacheUsage: Sendable, Equatable {
        /// Cached tokens that resolve.
        package var validCount = 0
        /// Their estimated bytes.
        package var validBytes = 0
        /// Cached tokens that do not resolve (unknown or revoked).
        package var invalidCount = 0
        /// Their estimated bytes.
        package var invalidBytes = 0
        /// All cached bytes.
        package var bytes: Int { validBytes + invalidBytes }
    }

    /// Longest token looked up, in UTF-8 bytes; longer ones are refused with `INVALID_TOKEN` before hashing.
    public static let maxTokenBytes = 200
    /// Default byte budget of the lookup cache (`IV_TOKEN_CACHE_BYTES`): 4 MiB.
    public static let defaultCacheBytes = 4 * 1_048_576
    /// Most cached lookups of each kind (valid, invalid), whatever their size.
    static let maxEntries = 10_000
    /// Estimated bytes of an entry besides its token's: dictionary slot, list links, target, expiry, string header.
    static let entryOverheadBytes = 128

    struct Entry {
        let target: Target?
        let expires: ContinuousClock.Instant
    }

    let client: PostgresClient
    let ttl: Duration
    let logger: Logger
    /// The cache's byte budget; tokens that do not resolve get a quarter of it, valid ones the rest.
    package let cacheBytes: Int
    private let cache: Mutex<(valid: TokenLRU, invalid: TokenLRU)>

    /// - Parameters:
    ///   - ttl: how long a lookup is trusted; also the longest a revoked token keeps working.
    ///   - cacheBytes: the most bytes (tokens plus a fixed overhead per entry) the cache holds; 0 turns it off.
    public init(client: PostgresClient, ttl: Duration = .seconds(5), cacheBytes: Int = defaultCacheBytes, logger: Logger) {
        self.client = client
        self.ttl = ttl
        self.logger = logger
        self.cacheBytes = max(0, cacheBytes)
        let invalidBytes = self.cacheBytes / 4
        cache = Mutex(
            (
                TokenLRU(capacity: Self.maxEntries, maxBytes: self.cacheBytes - invalidBytes),
                TokenLRU(capacity: Self.maxEntries, maxBytes: invalidBytes)
            ))
    }

    /// The SHA-256 of a token, as stored in `api_tokens.token_hash`.
    public static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }

    /// The project of a valid (known, unrevoked, unexpired) INGEST token; throws `INVALID_TOKEN` otherwise.
    public func resolve(_ token: String?) async throws -> Target {
        guard let token, !token.isEmpty else { throw IngestError(.invalidToken, "missing project token") }
        guard token.utf8.count <= Self.maxTokenBytes else {
            throw IngestError(.invalidToken, "project token too long (at most \(Self.maxTokenBytes) bytes)")
        }
        let now = ContinuousClock.now
        let cached = cache.withLock { cache -> Entry? in
            guard let entry = cache.valid.get(token) ?? cache.invalid.get(token), entry.expires > now else { return nil }
            return entry
        }
        let entry: Entry
        if let cached {
            entry = cached
        } else {
            let rows = try await client.query(
                "SELECT org_id, project_id, revoked FROM iv_lookup_ingest_token(\(ByteBuffer(bytes: Self.hash(token))))", logger: logger
            ).collect()
            var target: Target?
            if let row = rows.first {
                let (org, project, revoked) = try row.decode((UUID, UUID, Bool).self)
                if !revoked { target = Target(org: Org.ID(org), project: Project.ID(project)) }
            }
            entry = Entry(target: target, expires: now.advanced(by: ttl))
            let bytes = token.utf8.count + Self.entryOverheadBytes
            cache.withLock { cache in
                cache.valid.remove(token)
                cache.invalid.remove(token)
                if target == nil {
                    cache.invalid.set(token, entry, bytes: bytes)
                } else {
                    cache.valid.set(token, entry, bytes: bytes)
                }
            }
        }
        guard let target = entry.target else { throw IngestError(.invalidToken, "unknown, revoked or expired project token") }
        return target
    }

    /// How many lookups and estimated bytes the cache holds.
    package var cacheUsage: CacheUsage {
        cache.withLock { cache in
            CacheUsage(
                validCount: cache.valid.count, validBytes: cache.valid.bytes, invalidCount: cache.invalid.count,
                invalidBytes: cache.invalid.bytes)
        }
    }

    /// The byte budgets of valid and invalid tokens (together `cacheBytes`).
    package var cacheBudget: (valid: Int, invalid: Int) { cache.withLock { ($0.valid.maxBytes, $0.invalid.maxBytes) } }

    /// Whether a lookup of `token` is cached (expired or not), without marking it used.
    package func isCached(_ token: String) -> Bool {
        cache.withLock { $0.valid.contains(token) || $0.invalid.contains(token) }
    }
}

/// Token lookups by token, least recently used evicted first, bounded in entries and in estimated bytes; an
/// entry larger than the whole budget is not kept. A doubly linked list threaded through an array, so lookups,
/// insertions and evictions are O(1).
struct TokenLRU {
    private struct Slot {
        var key: String
        var entry: TokenResolver.Entry
        var bytes: Int
        var previous: Int
        var next: Int
    }

    /// Most entries kept.
    let capacity: Int
    /// Most estimated bytes kept.
    let maxBytes: Int
    /// Estimated bytes held, at most `maxBytes`.
    private(set) var bytes = 0
    private var index: [String: Int] = [:]
    private var slots: [Slot] = []
    /// Most recently used slot, or -1.
    private var head = -1
    /// Least recently used slot, or -1.
    private var tail = -1

    /// An empty cache.
    init(capacity: Int, maxBytes: Int) {
        self.capacity = max(0, capacity)
        self.maxBytes = max(0, maxBytes)
    }

    /// Entries held.
    var count: Int { slots.count }

    /// Whether `key` has an entry (not marked used).
    func contains(_ key: String) -> Bool { index[key] != nil }

    /// The entry of `key`, marked most recently used.
    mutating func get(_ key: String) -> TokenResolver.Entry? {
        guard let position = index[key] else { return nil }
        unlink(position)
        linkAtFront(position)
        return slots[position].entry
    }

    /// Stores an entry of `size` estimated bytes as the most recently used, evicting the least recently used
    /// ones until both bounds hold; one larger than `maxBytes` is not stored.
    mutating func set(_ key: String, _ entry: TokenResolver.Entry, bytes size: Int) {
        remove(key)
        guard capacity > 0, size <= maxBytes else { return }
        while tail >= 0, slots.count >= capacity || bytes > maxBytes - size { remove(at: tail) }
        slots.append(Slot(key: key, entry: entry, bytes: size, previous: -1, next: -1))
        index[key] = slots.count - 1
        bytes += size
        linkAtFront(slots.count - 1)
    }

    /// Removes the entry of `key`, if any.
    mutating func remove(_ key: String) {
        if let position = index[key] { remove(at: position) }
    }

    /// Removes a slot, moving the last one into its place so the array stays dense.
    private mutating func remove(at position: Int) {
        unlink(position)
        index[slots[position].key] = nil
        bytes -= slots[position].bytes
        let last = slots.count - 1
        if position != last {
            let moved = slots[last]
            slots[position] = moved
            index[moved.key] = position
            if moved.previous >= 0 { slots[moved.previous].next = position } else { head = position }
            if moved.next >= 0 { slots[moved.next].previous = position } else { tail = position }
        }
        slots.removeLast()
    }

    private mutating func unlink(_ position: Int) {
        let previous = slots[position].previous
        let next = slots[position].next
        if previous >= 0 { slots[previous].next = next } else { head = next }
        if next >= 0 { slots[next].previous = previous } else { tail = previous }
        slots[position].previous = -1
        slots[position].next = -1
    }

    private mutating func linkAtFront(_ position: Int) {
        slots[position].next = head
        slots[position].previous = -1
        if head >= 0 { slots[head].previous = position }
        head = position
        if tail < 0 { tail = position }
    }
}
