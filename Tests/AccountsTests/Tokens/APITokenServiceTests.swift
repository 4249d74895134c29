import Accounts
import Tenancy
import Foundation
import Models
import NIOCore
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite struct APITokenServiceTests {
    @Test func generatedTokensHavePrefixAndEnoughRandomness() {
        let base62 = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var seen = Set<String>()
        for kind in TokenKind.allCases {
            for _ in 0..<100 {
                let token = APITokenService.generate(kind)
                #expect(token.hasPrefix(kind == .ingest ? "iv_ing_" : "iv_pat_"))
                let random = token.dropFirst(7)
                #expect(random.count == 32 && random.allSatisfy(base62.contains))  // 32 × log2(62) ≈ 190 bits
                seen.insert(token)
            }
        }
        #expect(seen.count == 200)
    }

    @Test func ingestTokenIsStoredOnlyAsHashAndResolvesForIngestion() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let project = try await h.projects.create(owner, org: org, name: "Web")
            let created = try await h.tokens.createIngestToken(owner, project: project.id, name: "sdk")
            #expect(created.info.kind == .ingest)
            #expect(created.info.prefix == String(created.token.prefix(11)))
            #expect(created.info.projectID == project.id)
            let rows = try await h.testDatabase.asOwner("SELECT token_hash, api_tokens::text FROM api_tokens")
            let (hash, rowText) = try rows[0].decode((ByteBuffer, String).self)
            #expect(Array(buffer: hash) == APITokenService.hash(created.token))
            #expect(!rowText.contains(String(created.token.dropFirst(11))))
            // The ingest path's lookup (iv_lookup_ingest_token) finds it by the same hash; a revoked token reads revoked.
            func revoked() async throws -> Bool? {
                let found = try await h.database.client.query(
                    "SELECT revoked FROM iv_lookup_ingest_token(\(ByteBuffer(bytes: APITokenService.hash(created.token))))",
                    logger: h.database.logger
                ).collect()
                return try found.first?.decode(Bool.self)
            }
            #expect(try await revoked() == false)
            #expect(try await h.tokens.revoke(owner, token: created.info.id).revokedAt != nil)
            #expect(try await revoked() == true)
            // Ingest tokens never authenticate on the API.
            #expect(await authErrorCode { _ = try await h.authenticator.authenticate(token: created.token) } == .unauthenticated)
        }
    }

    @Test func personalTokenScopesRevocationAndExpiry() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let readOnly = try await h.tokens.createPersonalToken(owner, org: org, name: "ro", scopes: [.read])
            let writer = try await h.tokens.createPersonalToken(
                owner, org: org, name: "rw", scopes: [.read, .write], expiresAt: h.clock.now.addingTimeInterval(3600))
            let reader = try await h.authenticator.authenticate(authorization: "Bearer \(readOnly.token)")
            #expect(reader.userID == owner.userID)
            #expect(reader.credential == .personalToken(id: readOnly.info.id, org: org, scopes: [.read]))
            _ = try await h.projects.list(reader, org: org)
            #expect(await authErrorCode { _ = try await h.projects.create(reader, org: org, name: "X") } == .forbidden)
            #expect(
                await authErrorCode {
                    _ = try await h.tokens.createPersonalToken(reader, org: org, name: "more", scopes: [.write])
                } == .forbidden)
            let rw = try await h.authenticator.authenticate(authorization: "bearer \(writer.token)")
            _ = try await h.projects.create(rw, org: org, name: "Via token")
            // A token cannot mint one that outlives it: the one-hour token can make no never-expiring token and none
            // that ends later; one that ends with it or sooner is fine. A never-expiring token can make any.
            for later in [nil, h.clock.now.addingTimeInterval(3601)] {
                #expect(
                    await authErrorCode {
                        _ = try await h.tokens.createPersonalToken(rw, org: org, name: "longer", scopes: [.read], expiresAt: later)
                    } == .forbidden)
            }
            _ = try await h.tokens.createPersonalToken(
                rw, org: org, name: "shorter", scopes: [.read], expiresAt: h.clock.now.addingTimeInterval(3600))
            // A READ token cannot take its user out of the organization (a write).
            #expect(await authErrorCode { try await h.members.removeMember(reader, org: org, user: owner.userID) } == .forbidden)

            // Revocation takes effect on the next request.
            _ = try await h.tokens.revoke(owner, token: readOnly.info.id)
            #expect(await authErrorCode { _ = try await h.authenticator.authenticate(token: readOnly.token) } == .unauthenticated)
            // Expiry.
            h.clock.advance(3601)
            #expect(await authErrorCode { _ = try await h.authenticator.authenticate(token: writer.token) } == .unauthenticated)
            // Input checks.
            #expect(
                await authErrorCode { _ = try await h.tokens.createPersonalToken(owner, org: org, name: "x", scopes: []) }
                    == .badUserInput)
            #expect(
                await authErrorCode {
                    _ = try await h.tokens.createPersonalToken(
                        owner, org: org, name: "x", scopes: [.read], expiresAt: h.clock.now.addingTimeInterval(-1))
                } == .badUserInput)
        }
    }

    @Test func lastUsedAtIsWrittenAtMostOncePerMinute() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let pat = try await h.tokens.createPersonalToken(owner, org: org, name: "cli", scopes: [.read])
            func lastUsed() async throws -> Date? { try await h.tokens.list(owner, org: org).first?.lastUsedAt }
            #expect(try await lastUsed() == nil)
            let start = h.clock.now
            _ = try await h.authenticator.authenticate(token: pat.token)
            let first = try #require(try await lastUsed())
            #expect(abs(first.timeIntervalSince(start)) < 0.001)
            h.clock.advance(30)
            _ = try await h.authenticator.authenticate(token: pat.token)
            #expect(try await lastUsed() == first)
            h.clock.advance(31)
            _ = try await h.authenticator.authenticate(token: pat.token)
            #expect(try await lastUsed()! > first.addingTimeInterval(60))
        }
    }

    @Test func tokenStopsWhenItsUserLeavesAndOthersTokensNeedAdmin() async throws {
        try await AuthHarness.run { h in
            let (owner, org) = try await h.signUp("owner@example.com")
            let member = try await h.member("member@example.com", role: .member, in: org, by: owner)
            let memberPAT = try await h.tokens.createPersonalToken(member, org: org, name: "m", scopes: [.read])
            let ownerPAT = try await h.tokens.createPersonalToken(owner, org: org, name: "o", scopes: [.read])
            // Members see and revoke only their own tokens; admins and owners all of them.
            #expect(try await h.tokens.list(member, org: org).map(\.id) == [memberPAT.info.id])
            #expect(try await h.tokens.list(owner, org: org).count == 2)
            #expect(await authErrorCode { _ = try await h.tokens.revoke(member, token: ownerPAT.info.id) } == .forbidden)
            _ = try await h.authenticator.authenticate(token: memberPAT.token)
            try await h.members.removeMember(owner, org: org, user: member.userID)
            #expect(await authErrorCode { _ = try await h.authenticator.authenticate(token: memberPAT.token) } == .unauthenticated)
        }
    }

    @Test func malformedAuthorizationHeadersAreUnauthenticated() async throws {
        try await AuthHarness.run { h in
            for header in [nil, "", "Bearer", "Basic abc", "Bearer iv_pat_unknown", "Bearer x.y.z"] as [String?] {
                #expect(
                    await authErrorCode { _ = try await h.authenticator.authenticate(authorization: header) } == .unauthenticated,
                    "\(header ?? "nil")")
            }
        }
    }
}
