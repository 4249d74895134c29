import Accounts
import Tenancy
import Foundation
import Synchronization

/// Automatic persisted queries (Apollo's `extensions.persistedQuery`): query texts by the hex SHA-256 of their
/// text, at most `capacity` of them, the least recently used evicted first.
public final class PersistedQueryStore: Sendable {
    private struct State {
        var entries: [String: (query: String, lastUse: UInt64)] = [:]
        var clock: UInt64 = 0
    }

    /// Most queries kept.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty store.
    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The hex SHA-256 of a query's UTF-8 text, as clients compute it.
    public static func hash(_ query: String) -> String {
        let digits = Array("0123456789abcdef")
        return String(APITokenService.hash(query).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }

    /// The query registered under `hash`, marking it recently used.
    public func query(forHash hash: String) -> String? {
        state.withLock { state in
            guard let entry = state.entries[hash] else { return nil }
            state.clock += 1
            state.entries[hash] = (entry.query, state.clock)
            return entry.query
        }
    }

    /// Registers a query under its (already verified) hash, evicting the least recently used one when full.
    public func register(_ query: String, hash: String) {
        guard capacity > 0 else { return }
        state.withLock { state in
            state.clock += 1
            if state.entries[hash] == nil, state.entries.count >= capacity,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                state.entries.removeValue(forKey: oldest)
            }
            state.entries[hash] = (query, state.clock)
        }
    }

    /// Queries currently stored.
    public var count: Int { state.withLock { $0.entries.count } }
}
