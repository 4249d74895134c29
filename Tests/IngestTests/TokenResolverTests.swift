import Foundation
import Ingest
import Models
import NIOCore
import PostgresNIO
import Storage
import TestSupport
import Testing

/// Ingest-token lookup against a real PostgreSQL as the application role.
@Suite struct TokenResolverTests {
    static func insertToken(_ database: TestDatabase, org: Org.ID, project: Project.ID, token: String) async throws {
        _ = try await database.asOwner(
            """
            INSERT INTO api_tokens (org_id, token_id, kind, name, project_id, prefix, token_hash)
            VALUES (\(org.rawValue), \(UUID()), 'INGEST', 'sdk', \(project.rawValue), 'iv_ing_', \(ByteBuffer(bytes: TokenResolver.hash(token))))
            """)
    }

    @Test func resolvesValidTokensRefusesOthersAndStampsLastUsedWithoutAWritePerRequest() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Tokens")
        try await Self.insertToken(database, org: org, project: project, token: "iv_ing_valid")
        try await database.withClient(database.app) { client in
            let resolver = TokenResolver(client: client, ttl: .zero, logger: database.logger)
            let target = try await resolver.resolve("iv_ing_valid")
            #expect(target.org == org && target.project == project)
            await #expect(throws: IngestError.self) { try await resolver.resolve("iv_ing_unknown") }
            await #expect(throws: IngestError.self) { try await resolver.resolve(nil) }
        }
        let first = try await database.asOwner("SELECT last_used_at FROM api_tokens").first?.decode(Date?.self)
        let stamped = try #require(first ?? nil)
        // A second lookup within a minute does not write again.
        try await database.withClient(database.app) { client in
            _ = try await TokenResolver(client: client, ttl: .zero, logger: database.logger).resolve("iv_ing_valid")
        }
        let second = try await database.asOwner("SELECT last_used_at FROM api_tokens").first?.decode(Date?.self)
        #expect(second == stamped)
        // Revoked tokens are refused.
        _ = try await database.asOwner("UPDATE api_tokens SET revoked_at = now()")
        try await database.withClient(database.app) { client in
            let resolver = TokenResolver(client: client, ttl: .zero, logger: database.logger)
            await #expect(throws: IngestError.self) { try await resolver.resolve("iv_ing_valid") }
        }
    }

    /// A token of exactly `length` UTF-8 bytes, distinct per `index`.
    static func token(_ index: Int, length: Int) -> String {
        let head = "iv_ing_\(index)_"
        return head + String(repeating: "x", count: length - head.utf8.count)
    }

    /// Resolves every token (each unknown), `workers` at a time.
    static func resolveAll(_ tokens: [String], with resolver: TokenResolver, workers: Int = 8) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for index in stride(from: worker, to: tokens.count, by: workers) {
                        await #expect(throws: IngestError(.invalidToken, "unknown, revoked or expired project token")) {
                            try await resolver.resolve(tokens[index])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func floodOfDistinctBogusTokensStaysWithinTheDefaultBudgetAndValidTokensStayCached() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Flood")
        try await Self.insertToken(database, org: org, project: project, token: "iv_ing_valid")
        try await database.withClient(database.app, maxConnections: 8) { client in
            // Default budget; a long TTL so that only the cache can answer for the token once it is revoked.
            let resolver = TokenResolver(client: client, ttl: .seconds(3_600), logger: database.logger)
            #expect(resolver.cacheBytes == 4 * 1_048_576)
            let target = try await resolver.resolve("iv_ing_valid")
            _ = try await database.asOwner("UPDATE api_tokens SET revoked_at = now()")
            // More distinct bogus tokens of the longest accepted length than the cache has entries.
            let bogus = (0..<10_500).map { Self.token($0, length: TokenResolver.maxTokenBytes) }
            try await Self.resolveAll(bogus, with: resolver)
            let usage = resolver.cacheUsage
            #expect(usage.bytes <= resolver.cacheBytes)
            #expect(usage.invalidBytes <= resolver.cacheBudget.invalid)
            #expect(usage.invalidCount < bogus.count)
            #expect(usage.validCount == 1)
            // Still cached, so it still resolves although the database now says it is revoked.
            #expect(try await resolver.resolve("iv_ing_valid") == target)
        }
    }

    @Test func cacheKeepsTheMostRecentlyUsedLookupsWithinItsBytesAndMissesOnlyEvictMisses() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Budget")
        let valid = (0..<30).map { Self.token($0, length: 100) }
        for token in valid { try await Self.insertToken(database, org: org, project: project, token: token) }
        try await database.withClient(database.app) { client in
            // 6,144 bytes for valid tokens, 2,048 for unknown ones.
            let resolver = TokenResolver(client: client, ttl: .seconds(3_600), cacheBytes: 8_192, logger: database.logger)
            #expect(resolver.cacheBudget == (valid: 6_144, invalid: 2_048))
            for token in valid {
                _ = try await resolver.resolve(token)
                #expect(resolver.cacheUsage.validBytes <= 6_144)
            }
            // 100 bytes of token + 128 of overhead each: the 26 most recent fit, the oldest 4 were evicted.
            #expect(resolver.cacheUsage.validCount == 26)
            #expect(resolver.cacheUsage.validBytes == 26 * 228)
            #expect(valid.prefix(4).allSatisfy { !resolver.isCached($0) })
            #expect(valid.dropFirst(4).allSatisfy { resolver.isCached($0) })
            // A hit marks a lookup recently used: valid[4], the oldest, is used again, so storing valid[0] anew
            // evicts valid[5] instead.
            _ = try await resolver.resolve(valid[4])
            _ = try await resolver.resolve(valid[0])
            #expect(resolver.isCached(valid[0]) && resolver.isCached(valid[4]) && !resolver.isCached(valid[5]))

            // Unknown tokens fill only their own quarter and never evict valid ones.
            let bogus = (0..<50).map { Self.token(1_000 + $0, length: TokenResolver.maxTokenBytes) }
            try await Self.resolveAll(bogus, with: resolver, workers: 1)
            let usage = resolver.cacheUsage
            #expect(usage.invalidBytes <= 2_048)
            #expect(usage.invalidCount == 2_048 / 328)
            #expect(bogus.suffix(6).allSatisfy { resolver.isCached($0) })
            #expect(!resolver.isCached(bogus[0]))
            #expect(usage.validCount == 26 && usage.validBytes == 26 * 228)

            // A token over the limit is refused before any lookup and never cached.
            let huge = String(repeating: "k", count: 8_192)
            await #expect(throws: IngestError(.invalidToken, "project token too long (at most 200 bytes)")) {
                try await resolver.resolve(huge)
            }
            #expect(!resolver.isCached(huge))
            #expect(resolver.cacheUsage == usage)
        }
    }

    @Test func zeroBytesTurnsTheCacheOff() async throws {
        let database = try await TestDatabase.create()
        let (org, project) = try await database.seedOrg(name: "Off")
        try await Self.insertToken(database, org: org, project: project, token: "iv_ing_valid")
        try await database.withClient(database.app) { client in
            let resolver = TokenResolver(client: client, ttl: .seconds(3_600), cacheBytes: 0, logger: database.logger)
            _ = try await resolver.resolve("iv_ing_valid")
            await #expect(throws: IngestError.self) { try await resolver.resolve("iv_ing_unknown") }
            let usage = resolver.cacheUsage
            #expect(usage.validCount == 0 && usage.invalidCount == 0 && usage.bytes == 0)
            _ = try await database.asOwner("UPDATE api_tokens SET revoked_at = now()")
            await #expect(throws: IngestError.self) { try await resolver.resolve("iv_ing_valid") }
        }
    }
}
