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
}
