import Accounts
import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy
import TestSupport
import Testing

@Suite struct SessionStoreTests {
    static let password = "correct horse battery"

    static func logIn(_ h: AuthHarness, _ email: String, agent: String? = nil, ip: String? = nil) async throws -> IssuedSession {
        try await h.accounts.logIn(email: email, password: password, ip: ip, userAgent: agent).session
    }

    static func works(_ h: AuthHarness, _ token: String) async -> Bool {
        (try? await h.authenticator.authenticate(token: token)) != nil
    }

    @Test func sessionsAreListedAndEndedOneByOneOrAllAtOnce() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("ann@example.com")
            let laptop = try await Self.logIn(h, "ann@example.com", agent: "Firefox", ip: "192.0.2.1")
            let phone = try await Self.logIn(h, "ann@example.com", agent: "Safari", ip: "2001:db8::1")
            let principal = try await h.authenticator.authenticate(token: laptop.token)
            let listed = try await h.accounts.sessions(principal)
            #expect(listed.count == 3)
            let laptopInfo = try #require(listed.first { $0.id == laptop.session.tokenID })
            #expect(laptopInfo.userAgent == "Firefox" && laptopInfo.ip == "192.0.2.1")
            #expect(laptopInfo.expiresAt == laptop.session.expiresAt)

            try await h.accounts.revokeSession(principal, id: phone.session.tokenID)
            #expect(await !Self.works(h, phone.token))
            #expect(await Self.works(h, laptop.token))
            // Ended, so NOT_FOUND the second time.
            #expect(await authErrorCode { try await h.accounts.revokeSession(principal, id: phone.session.tokenID) } == .notFound)

            try await h.accounts.logOut(principal)
            #expect(await !Self.works(h, laptop.token))
            await #expect(throws: ServiceError.self) { try await h.authenticator.authenticate(token: laptop.token) }

            let a = try await Self.logIn(h, "ann@example.com")
            let b = try await Self.logIn(h, "ann@example.com")
            let ended = try await h.accounts.logOutEverywhere(try await h.authenticator.authenticate(token: a.token))
            #expect(ended == 3)  // a, b and the sign-up's session
            #expect(await !Self.works(h, a.token))
            #expect(await !Self.works(h, b.token))
        }
    }

    @Test func anotherUsersSessionIsNotFoundAndStaysLive() async throws {
        try await AuthHarness.run { h in
            let (ann, _) = try await h.signUp("ann@example.com")
            _ = try await h.signUp("bob@example.com")
            let bob = try await Self.logIn(h, "bob@example.com")
            let code = await authErrorCode { try await h.accounts.revokeSession(ann, id: bob.session.tokenID) }
            #expect(code == .notFound)
            #expect(await authErrorCode { try await h.accounts.revokeSession(ann, id: UUID().uuidString) } == .notFound)
            #expect(await authErrorCode { try await h.accounts.revokeSession(ann, id: "not a uuid") } == .notFound)
            #expect(await Self.works(h, bob.token))
            #expect(try await h.accounts.sessions(ann).allSatisfy { $0.id != bob.session.tokenID })
        }
    }

    @Test func aTokenWithoutALiveRowIsRefused() async throws {
        try await AuthHarness.run { h in
            let (ann, _) = try await h.signUp("ann@example.com")
            // Correctly signed, but never recorded.
            let unrecorded = try await h.sessions.issue(for: ann.userID, sessionVersion: 0)
            #expect(await !Self.works(h, unrecorded.token))
            // A row whose expiry passed, while the JWT itself has not.
            let live = try await Self.logIn(h, "ann@example.com")
            _ = try await h.testDatabase.asOwner(
                "UPDATE sessions SET expires_at = now() - interval '1 day' WHERE session_id = \(UUID(uuidString: live.session.tokenID)!)")
            #expect(await !Self.works(h, live.token))
        }
    }

    @Test func changingThePasswordEndsEveryOtherSession() async throws {
        try await AuthHarness.run { h in
            let (ann, _) = try await h.signUp("ann@example.com")
            let other = try await Self.logIn(h, "ann@example.com")
            let fresh = try await h.accounts.changePassword(ann, current: Self.password, new: "a brand new password", ip: "192.0.2.9")
            #expect(await !Self.works(h, other.token))
            let principal = try await h.authenticator.authenticate(token: fresh.token)
            #expect(try await h.accounts.sessions(principal).map(\.id) == [fresh.session.tokenID])
        }
    }

    @Test func eachUserKeepsAtMostTheBoundOfLiveSessions() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("ann@example.com")
            let passwords = try PasswordService(hasher: AuthHarness.fastHasher)
            let accounts = AccountService(
                database: h.database, passwords: passwords, sessions: h.sessions, throttle: h.throttle,
                sessionStore: SessionStore(database: h.database, maxLivePerUser: 3, now: h.clock.function))
            var issued: [IssuedSession] = []
            for _ in 0..<4 {
                issued.append(try await accounts.logIn(email: "ann@example.com", password: Self.password, ip: nil).session)
                h.clock.advance(1)
            }
            #expect(await !Self.works(h, issued[0].token))
            for session in issued.dropFirst() { #expect(await Self.works(h, session.token)) }
            let principal = try await h.authenticator.authenticate(token: issued[3].token)
            #expect(try await h.accounts.sessions(principal).map(\.id) == issued.dropFirst().reversed().map(\.session.tokenID))
        }
    }

    @Test func lastSeenMovesAtMostOnceAMinute() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("ann@example.com")
            let session = try await Self.logIn(h, "ann@example.com")
            func lastSeen() async throws -> Date {
                let principal = try await h.authenticator.authenticate(token: session.token)
                return try #require(try await h.accounts.sessions(principal).first { $0.id == session.session.tokenID }).lastSeenAt
            }
            let start = h.clock.now
            h.clock.advance(30)
            #expect(try await lastSeen() == session.session.issuedAt)
            h.clock.advance(31)
            #expect(try await lastSeen() == start.addingTimeInterval(61))
            h.clock.advance(59)
            #expect(try await lastSeen() == start.addingTimeInterval(61))
        }
    }

    @Test func expiredRowsAreDeletedWhenSessionsStart() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("ann@example.com")
            _ = try await Self.logIn(h, "ann@example.com")
            #expect(try await h.testDatabase.asOwner("SELECT session_id FROM sessions").count == 2)
            h.clock.advance(SessionTokens.defaultLifetime + 1)
            _ = try await h.signUp("bob@example.com")
            #expect(try await h.testDatabase.asOwner("SELECT session_id FROM sessions").count == 1)
        }
    }

    @Test func personalTokensHaveNoSessions() async throws {
        try await AuthHarness.run { h in
            let (ann, org) = try await h.signUp("ann@example.com")
            let created = try await h.tokens.createPersonalToken(ann, org: org, name: "pat", scopes: [.read, .write])
            let pat = try await h.authenticator.authenticate(token: created.token)
            #expect(await authErrorCode { _ = try await h.accounts.sessions(pat) } == .forbidden)
            #expect(await authErrorCode { try await h.accounts.logOut(pat) } == .forbidden)
            #expect(await authErrorCode { _ = try await h.accounts.logOutEverywhere(pat) } == .forbidden)
        }
    }

    @Test func theAppRoleCannotReadPasswordHashesButLogInStillWorks() async throws {
        try await AuthHarness.run { h in
            let (ann, _) = try await h.signUp("ann@example.com")
            do {
                _ = try await h.database.client.query("SELECT password_hash FROM users", logger: h.database.logger).collect()
                Issue.record("the application role read password hashes")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "42501")  // insufficient_privilege
            }
            await #expect(throws: PSQLError.self) {
                _ = try await h.database.client.query("SELECT * FROM users", logger: h.database.logger).collect()
            }
            await #expect(throws: PSQLError.self) {
                _ = try await h.database.client.query("SELECT session_id FROM sessions", logger: h.database.logger).collect()
            }
            await #expect(throws: PSQLError.self) {
                _ = try await h.database.client.query("SELECT key FROM auth_throttle", logger: h.database.logger).collect()
            }
            let rows = try await h.database.client.query(
                "SELECT email, session_version FROM users WHERE user_id = \(ann.userID.rawValue)", logger: h.database.logger
            ).collect()
            #expect(try rows[0].decode((String, Int).self).0 == "ann@example.com")
            _ = try await Self.logIn(h, "ann@example.com")
            _ = try await h.accounts.changePassword(ann, current: Self.password, new: "another good password")
            _ = try await h.accounts.logIn(email: "ann@example.com", password: "another good password", ip: nil)
        }
    }
}
