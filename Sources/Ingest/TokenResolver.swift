import Caching
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
    /// Longest a lookup waits for the database before `DATABASE_UNAVAILABLE`.
    let databaseWait: Duration
    let logger: Logger
    /// The cache's byte budget; tokens that do not resolve get a quarter of it, valid ones the rest.
    package let cacheBytes: Int
    private let cache: Mutex<(valid: LRUCache<String, Entry>, invalid: LRUCache<String, Entry>)>

    /// - Parameters:
    ///   - ttl: how long a lookup is trusted; also the longest a revoked token keeps working.
    ///   - cacheBytes: the most bytes (tokens plus a fixed overhead per entry) the cache holds; 0 turns it off.
    ///   - databaseWait: how long a lookup waits for a database connection before `DATABASE_UNAVAILABLE` (503).
    public init(
        client: PostgresClient, ttl: Duration = .seconds(5), cacheBytes: Int = defaultCacheBytes,
        databaseWait: Duration = .seconds(5), logger: Logger
    ) {
        self.client = client
        self.ttl = ttl
        self.databaseWait = databaseWait
        self.logger = logger
        self.cacheBytes = max(0, cacheBytes)
        let invalidBytes = self.cacheBytes / 4
        cache = Mutex(
            (
                LRUCache(capacity: Self.maxEntries, maxBytes: self.cacheBytes - invalidBytes),
                LRUCache(capacity: Self.maxEntries, maxBytes: invalidBytes)
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
            let target = try await lookUp(token)
            entry = Entry(target: target, expires: now.advanced(by: ttl))
            let bytes = token.utf8.count + Self.entryOverheadBytes
            cache.withLock { cache in
                cache.valid.removeValue(forKey: token)
                cache.invalid.removeValue(forKey: token)
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

    /// The token's project from the database (nil: unknown or revoked). A database that is down or gives no
    /// connection within `databaseWait` is `DATABASE_UNAVAILABLE` (503 with Retry-After), not an internal error.
    private func lookUp(_ token: String) async throws -> Target? {
        let client = client
        let logger = logger
        let hash = ByteBuffer(bytes: Self.hash(token))
        do {
            let wait = databaseWait
            return try await DatabaseWait.run(within: wait, unavailable: { IngestError.databaseUnavailable(wait) }) { connected in
                try await client.withConnection { connection in
                    try connected()
                    // A lookup is one statement; a connection whose server died under it is closed after the wait.
                    let rows = try await DatabaseWait.watching(connection, within: wait, logger: logger) {
                        try await connection.query(
                            "SELECT org_id, project_id, revoked FROM iv_lookup_ingest_token(\(hash))", logger: logger
                        ).collect()
                    }
                    guard let row = rows.first else { return nil }
                    let (org, project, revoked) = try row.decode((UUID, UUID, Bool).self)
                    return revoked ? nil : Target(org: Org.ID(org), project: Project.ID(project))
                }
            }
        } catch let error as IngestError {
            throw error
        } catch {
            logger.warning("ingest-token lookup failed", metadata: ["error": "\(String(reflecting: error))"])
            throw IngestError(.databaseUnavailable, "the database cannot be reached; nothing was stored, retry")
        }
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
