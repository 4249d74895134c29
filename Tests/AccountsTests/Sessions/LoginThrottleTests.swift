import Accounts
import Foundation
import Models
import PostgresNIO
import Storage
import Tenancy
import TestSupport
import Testing

@Suite struct LoginThrottleTests {
    static let password = "correct horse battery"

    /// The error code of one log-in attempt (nil on success) and its retry-after.
    static func attempt(
        _ h: AuthHarness, _ email: String, _ password: String = "wrong horse battery", from ip: String?
    ) async -> (code: ServiceError.Code?, retryAfter: Int?) {
        do {
            _ = try await h.accounts.logIn(email: email, password: password, ip: ip)
            return (nil, nil)
        } catch let error as ServiceError {
            return (error.code, error.retryAfter)
        } catch {
            Issue.record("unexpected \(error)")
            return (.internal, nil)
        }
    }

    @Test func fortyParallelWrongPasswordsForOneAccountCheckAtMostTheLimit() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("victim@example.com")
            let codes = await withTaskGroup(of: ServiceError.Code?.self) { group in
                for _ in 0..<40 { group.addTask { await Self.attempt(h, "victim@example.com", from: "198.51.100.7").code } }
                return await group.reduce(into: [ServiceError.Code?]()) { $0.append($1) }
            }
            // Each UNAUTHENTICATED is one password checked; the rest were refused before any check.
            #expect(codes.filter { $0 == .unauthenticated }.count == 5)
            #expect(codes.filter { $0 == .rateLimited }.count == 35)
        }
    }

    @Test func delaysGrowPerAccountAndAddressAndNeverLockTheOwnerOut() async throws {
        try await AuthHarness.run(limits: .init(perAccount: 3, perIP: 1_000, window: 900, maxDelay: 5)) { h in
            _ = try await h.signUp("ann@example.com")
            let attacker = "203.0.113.66"
            for _ in 0..<3 { #expect(await Self.attempt(h, "ann@example.com", from: attacker).code == .unauthenticated) }
            // After 3 failures: wait 1 s, then 2 s, 4 s, capped at 5 s. A refused attempt does not extend the wait.
            for expected in [1, 2, 4, 5, 5] {
                let refused = await Self.attempt(h, "ANN@example.com", Self.password, from: attacker)
                #expect(refused.code == .rateLimited && refused.retryAfter == expected)
                h.clock.advance(Double(expected) - 0.5)
                #expect(await Self.attempt(h, "ann@example.com", from: attacker).retryAfter == 1)
                h.clock.advance(0.5)
                #expect(await Self.attempt(h, "ann@example.com", from: attacker).code == .unauthenticated)
            }
            // The owner, from their own address, logs in at once.
            #expect(await Self.attempt(h, "ann@example.com", Self.password, from: "192.0.2.10").code == nil)
            // Without attempts for the window after the last block, the attacker's count is forgotten.
            h.clock.advance(5 + 900)
            for _ in 0..<3 { #expect(await Self.attempt(h, "ann@example.com", from: attacker).code == .unauthenticated) }
        }
    }

    @Test func anAddressIsLimitedOverAllAccountsAndSuccessGivesItsAttemptBack() async throws {
        try await AuthHarness.run(limits: .init(perAccount: 100, perIP: 3, window: 600)) { h in
            _ = try await h.signUp("ann@example.com")
            let ip = "198.51.100.1"
            #expect(await Self.attempt(h, "nobody1@example.com", from: ip).code == .unauthenticated)
            #expect(await Self.attempt(h, "ann@example.com", Self.password, from: ip).code == nil)
            #expect(await Self.attempt(h, "nobody2@example.com", from: ip).code == .unauthenticated)
            #expect(await Self.attempt(h, "nobody3@example.com", from: ip).code == .unauthenticated)
            let refused = await Self.attempt(h, "ann@example.com", Self.password, from: ip)
            #expect(refused.code == .rateLimited && refused.retryAfter == 600)
            #expect(await Self.attempt(h, "ann@example.com", Self.password, from: "198.51.100.2").code == nil)
            // IPv6 clients count per /64.
            #expect(await Self.attempt(h, "x@example.com", from: "2001:db8:1:2::1").code == .unauthenticated)
            #expect(await Self.attempt(h, "y@example.com", from: "2001:db8:1:2::2").code == .unauthenticated)
            #expect(await Self.attempt(h, "z@example.com", from: "2001:db8:1:2:ffff::3").code == .unauthenticated)
            #expect(await Self.attempt(h, "w@example.com", from: "2001:db8:1:2::4").code == .rateLimited)
            h.clock.advance(600)
            #expect(await Self.attempt(h, "ann@example.com", Self.password, from: ip).code == nil)
        }
    }

    @Test func serversOnOneDatabaseShareTheCounts() async throws {
        try await AuthHarness.run(limits: .init(perAccount: 2)) { h in
            _ = try await h.signUp("ann@example.com")
            let passwords = try PasswordService(hasher: AuthHarness.fastHasher)
            let otherPod = AccountService(
                database: h.database, passwords: passwords, sessions: h.sessions,
                throttle: LoginThrottle(database: h.database, limits: .init(perAccount: 2), now: h.clock.function))
            #expect(await Self.attempt(h, "ann@example.com", from: "192.0.2.1").code == .unauthenticated)
            await #expect(throws: ServiceError.invalidCredentials) {
                try await otherPod.logIn(email: "ann@example.com", password: "wrong horse battery", ip: "192.0.2.1")
            }
            #expect(await Self.attempt(h, "ann@example.com", from: "192.0.2.1").code == .rateLimited)
        }
    }

    @Test func signUpsAreLimitedPerAddress() async throws {
        try await AuthHarness.run(limits: .init(signUpsPerHour: 2)) { h in
            func signUp(_ email: String, from ip: String?) async -> ServiceError.Code? {
                await authErrorCode {
                    _ = try await h.accounts.signUp(
                        email: email, password: Self.password, name: nil, organizationName: "Org", ip: ip)
                }
            }
            #expect(await signUp("a@example.com", from: "192.0.2.1") == nil)
            // A refused duplicate counts too (it would otherwise probe which addresses are registered).
            #expect(await signUp("a@example.com", from: "192.0.2.1") == .badUserInput)
            do {
                _ = try await h.accounts.signUp(
                    email: "c@example.com", password: Self.password, name: nil, organizationName: "Org", ip: "192.0.2.1")
                Issue.record("third sign-up was not throttled")
            } catch let error as ServiceError {
                #expect(error.code == .rateLimited && error.retryAfter == 3_600)
            }
            #expect(await signUp("d@example.com", from: "192.0.2.2") == nil)
            h.clock.advance(3_600)
            #expect(await signUp("e@example.com", from: "192.0.2.1") == nil)
        }
    }

    @Test func emailsOver254CharactersAreRefusedEverywhere() async throws {
        try await AuthHarness.run { h in
            let long = String(repeating: "a", count: 243) + "@example.com"
            #expect(long.count == 255)
            #expect(
                await authErrorCode {
                    _ = try await h.accounts.signUp(email: long, password: Self.password, name: nil, organizationName: "Org")
                } == .badUserInput)
            #expect(await Self.attempt(h, long, from: "192.0.2.1").code == .badUserInput)
            #expect(await Self.attempt(h, String(repeating: "b", count: 1_000_000), from: "192.0.2.1").code == .badUserInput)
            #expect(try await h.testDatabase.asOwner("SELECT key FROM auth_throttle").isEmpty)
            let fits = String(repeating: "a", count: 242) + "@example.com"
            _ = try await h.signUp(fits)
        }
    }

    @Test func expiredKeysAreSwept() async throws {
        try await AuthHarness.run(limits: .init(window: 60)) { h in
            for index in 0..<5 { _ = await Self.attempt(h, "u\(index)@example.com", from: "192.0.2.\(index)") }
            #expect(try await h.testDatabase.asOwner("SELECT key FROM auth_throttle").count == 10)
            h.clock.advance(61)
            _ = await Self.attempt(h, "late@example.com", from: "192.0.2.200")
            let keys = try await h.testDatabase.asOwner("SELECT key FROM auth_throttle ORDER BY key").map { try $0.decode(String.self) }
            #expect(keys == ["login:account:late@example.com|192.0.2.200", "login:address:192.0.2.200"])
        }
    }
}
