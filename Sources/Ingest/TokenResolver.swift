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
public final class TokenResolver: Sendable {
    /// Where an ingest token writes.
    public struct Target: Sendable, Equatable {
        /// The organization.
        public var org: Org.ID
        /// The project.
        public var project: Project.ID
    }

    struct Entry {
        let target: Target?
        let expires: ContinuousClock.Instant
    }

    let client: PostgresClient
    let ttl: Duration
    let logger: Logger
    private let cache = Mutex([String: Entry]())

    /// - Parameter ttl: how long a lookup is trusted; also the longest a revoked token keeps working.
    public init(client: PostgresClient, ttl: Duration = .seconds(5), logger: Logger) {
        self.client = client
        self.ttl = ttl
        self.logger = logger
    }

    /// The SHA-256 of a token, as stored in `api_tokens.token_hash`.
    public static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Data(token.utf8))) }

    /// The project of a valid (known, unrevoked, unexpired) INGEST token; throws `INVALID_TOKEN` otherwise.
    public func resolve(_ token: String?) async throws -> Target {
        guard let token, !token.isEmpty, token.utf8.count <= 200 else {
            throw IngestError(.invalidToken, "missing project token")
        }
        let key = token
        let now = ContinuousClock.now
        let cached = cache.withLock { cache -> Entry? in
            guard let entry = cache[key], entry.expires > now else { return nil }
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
            cache.withLock { cache in
                if cache.count > 10_000 { cache.removeAll() }
                cache[key] = entry
            }
        }
        guard let target = entry.target else { throw IngestError(.invalidToken, "unknown, revoked or expired project token") }
        return target
    }
}
