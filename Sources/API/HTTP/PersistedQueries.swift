import Caching
import Accounts
import Tenancy
import Foundation
import GraphQL

/// Automatic persisted queries (Apollo's `extensions.persistedQuery`): query texts by the hex SHA-256 of their
/// text, at most `capacity` of them and `maxBytes` of hash and text together (plus a fixed overhead per entry), the
/// least recently used evicted first. A query over a quarter of `maxBytes` is not kept: its client sends it again.
public final class PersistedQueryStore: Sendable {
    /// Default byte budget (`IV_GRAPHQL_PERSISTED_QUERY_CACHE_BYTES`): 4 MiB.
    public static let defaultMaxBytes = 4 * 1_048_576
    /// Estimated bytes of an entry besides its hash and text (cache slot, links, string headers).
    static let entryOverheadBytes = 128

    /// Most queries kept.
    public let capacity: Int
    /// Most bytes kept.
    public let maxBytes: Int
    private let entries: SharedLRUCache<String, String>

    /// Creates an empty store holding at most `capacity` queries and `maxBytes` bytes (either 0 turns it off).
    public init(capacity: Int, maxBytes: Int = defaultMaxBytes) {
        self.capacity = max(0, capacity)
        self.maxBytes = max(0, maxBytes)
        entries = SharedLRUCache(capacity: self.capacity, maxBytes: self.maxBytes, maxEntryBytes: self.maxBytes / 4)
    }

    /// The hex SHA-256 of a query's UTF-8 text, as clients compute it.
    public static func hash(_ query: String) -> String {
        let digits = Array("0123456789abcdef")
        return String(APITokenService.hash(query).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }

    /// The query registered under `hash`, marking it recently used.
    public func query(forHash hash: String) -> String? { entries.get(hash) }

    /// Registers a query under its (already verified) hash, evicting the least recently used ones until the store
    /// is within both bounds; a query over a quarter of the byte budget is not kept.
    public func register(_ query: String, hash: String) {
        entries.set(hash, query, bytes: Self.entryOverheadBytes + hash.utf8.count + query.utf8.count)
    }

    /// Queries currently stored.
    public var count: Int { entries.count }
    /// Estimated bytes currently stored (at most `maxBytes`).
    public var bytes: Int { entries.bytes }
}
