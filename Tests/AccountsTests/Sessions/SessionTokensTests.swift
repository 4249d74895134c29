import Accounts
import Tenancy
import Foundation
import Models
import TestSupport
import Testing

/// base64url without padding, as JWT segments use.
func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

/// Decodes a base64url JWT segment.
func decodeSegment(_ segment: Substring) -> [String: Any] {
    var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    text += String(repeating: "=", count: (4 - text.count % 4) % 4)
    return (try? JSONSerialization.jsonObject(with: Data(base64Encoded: text)!)) as? [String: Any] ?? [:]
}

@Suite struct SessionTokensTests {
    let clock = TestClock()
    let user = User.ID.random()
    let k1 = try! SessionKey(id: "k1", secret: Array(repeating: 1, count: 32))
    let k2 = try! SessionKey(id: "k2", secret: Array(repeating: 2, count: 48))

    func tokens(signing: SessionKey, verifying: [SessionKey] = []) async throws -> SessionTokens {
        try await SessionTokens(signingKey: signing, verificationKeys: verifying, now: clock.function)
    }

    func unauthenticated(_ service: SessionTokens, _ token: String) async -> Bool {
        do {
            _ = try await service.verify(token)
            return false
        } catch {
            return error.code == .unauthenticated
        }
    }

    @Test func signsWithKidAndVerifiesClaims() async throws {
        let service = try await tokens(signing: k1)
        let issued = try await service.issue(for: user, sessionVersion: 3)
        let parts = issued.token.split(separator: ".")
        #expect(decodeSegment(parts[0])["kid"] as? String == "k1")
        #expect(decodeSegment(parts[0])["alg"] as? String == "HS256")
        let claims = decodeSegment(parts[1])
        #expect(claims["sub"] as? String == user.description)
        #expect(claims["pwd"] as? Int == 3)
        #expect((claims["jti"] as? String)?.isEmpty == false)
        let session = try await service.verify(issued.token)
        #expect(session == issued.session)
        #expect(session.expiresAt.timeIntervalSince(session.issuedAt) == 12 * 3600)
        #expect(try await service.issue(for: user, sessionVersion: 3).session.tokenID != session.tokenID)
    }

    @Test func expiredTokensAreRefused() async throws {
        let service = try await tokens(signing: k1)
        let issued = try await service.issue(for: user, sessionVersion: 0)
        clock.advance(12 * 3600 - 1)
        #expect(try await service.verify(issued.token).userID == user)
        clock.advance(2)
        await #expect(throws: ServiceError(.unauthenticated, "session expired; log in again")) {
            try await service.verify(issued.token)
        }
    }

    @Test func rotationKeepsOldKeysForVerificationOnly() async throws {
        let old = try await tokens(signing: k1)
        let oldToken = try await old.issue(for: user, sessionVersion: 0).token
        let rotated = try await tokens(signing: k2, verifying: [k1])
        #expect(try await rotated.verify(oldToken).userID == user)
        let newToken = try await rotated.issue(for: user, sessionVersion: 0).token
        #expect(decodeSegment(newToken.split(separator: ".")[0])["kid"] as? String == "k2")
        // A server that never had k2 refuses the new token (unknown kid).
        #expect(await unauthenticated(old, newToken))
        // Once k1 is dropped, its tokens stop working.
        #expect(await unauthenticated(try await tokens(signing: k2), oldToken))
    }

    @Test func unknownKidIsRefusedEvenWithTheRightSecret() async throws {
        // Same secret under another kid: jwt-kit alone would fall back to its default key and accept it.
        let alias = try SessionKey(id: "other", secret: Array(repeating: 1, count: 32))
        let token = try await tokens(signing: alias).issue(for: user, sessionVersion: 0).token
        #expect(await unauthenticated(try await tokens(signing: k1), token))
    }

    @Test func badSignatureTamperedPayloadAndAlgNoneAreRefused() async throws {
        let service = try await tokens(signing: k1)
        let token = try await service.issue(for: user, sessionVersion: 0).token
        let parts = token.split(separator: ".").map(String.init)
        // Same kid, other secret.
        let impostor = try await tokens(signing: SessionKey(id: "k1", secret: Array(repeating: 9, count: 32)))
        #expect(await unauthenticated(service, try await impostor.issue(for: user, sessionVersion: 0).token))
        // Payload changed to another user, signature kept.
        var claims = decodeSegment(Substring(parts[1]))
        claims["sub"] = User.ID.random().description
        let forged = base64URL(try JSONSerialization.data(withJSONObject: claims))
        #expect(await unauthenticated(service, [parts[0], forged, parts[2]].joined(separator: ".")))
        // alg: none, with and without the original signature.
        let none = base64URL(Data(#"{"alg":"none","typ":"JWT","kid":"k1"}"#.utf8))
        #expect(await unauthenticated(service, [none, parts[1], ""].joined(separator: ".")))
        #expect(await unauthenticated(service, [none, parts[1], parts[2]].joined(separator: ".")))
        // Garbage.
        #expect(await unauthenticated(service, "not.a.jwt"))
        #expect(await unauthenticated(service, ""))
        #expect(try await service.verify(token).userID == user)
    }

    @Test func keyListFromConfiguration() throws {
        let a = Data(repeating: 1, count: 32).base64EncodedString()
        let b = Data(repeating: 2, count: 40).base64EncodedString()
        let (signing, verification) = try SessionKey.parseList("new:\(a), old:\(b)")
        #expect(signing.id == "new")
        #expect(verification.map(\.id) == ["old"])
        #expect(throws: SessionKeyError.self) { try SessionKey.parseList("") }
        #expect(throws: SessionKeyError.self) { try SessionKey.parseList("nocolon") }
        #expect(throws: SessionKeyError.self) { try SessionKey.parseList("k:\(a),k:\(b)") }
        #expect(throws: SessionKeyError.self) { try SessionKey.parseList("k:\(Data(repeating: 1, count: 31).base64EncodedString())") }
    }

    @Test func shortOrMalformedKeysAreRefusedAtStartUp() async throws {
        #expect(throws: SessionKeyError.self) { try SessionKey(id: "short", secret: Array(repeating: 1, count: 31)) }
        do {
            _ = try SessionKey(id: "short", base64Secret: Data(repeating: 1, count: 16).base64EncodedString())
            Issue.record("a 16-byte key was accepted")
        } catch {
            #expect(error.message.contains("at least 32 bytes"))
        }
        #expect(throws: SessionKeyError.self) { try SessionKey(id: "k", base64Secret: "not base64!") }
        #expect(throws: SessionKeyError.self) { try SessionKey(id: "", secret: Array(repeating: 1, count: 32)) }
        await #expect(throws: SessionKeyError.self) { try await tokens(signing: k1, verifying: [k1]) }
    }
}

@Suite struct EmbeddedSessionKeysTests {
    @Test func generatesOncePrivatelyAndReusesOnRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iv-keys-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try EmbeddedSessionKeys.loadOrCreate(directory: directory)
        let path = directory + "/jwt-keys.json"
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let second = try EmbeddedSessionKeys.loadOrCreate(directory: directory)
        #expect(first == second)
        // A token signed before the "restart" verifies after it.
        let user = User.ID.random()
        let token = try await SessionTokens(signingKey: first).issue(for: user, sessionVersion: 0).token
        #expect(try await SessionTokens(signingKey: second).verify(token).userID == user)
        // A world-readable key file is refused.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: SessionKeyError.self) { try EmbeddedSessionKeys.loadOrCreate(directory: directory) }
    }

    @Test func concurrentStartsAgreeOnOneKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iv-keys-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keys = try await withThrowingTaskGroup(of: SessionKey.self) { group in
            for _ in 0..<8 { group.addTask { try EmbeddedSessionKeys.loadOrCreate(directory: directory) } }
            return try await group.reduce(into: [SessionKey]()) { $0.append($1) }
        }
        #expect(Set(keys.map(\.id)).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["jwt-keys.json"])
    }
}
