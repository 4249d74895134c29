import Accounts
import Tenancy
import Foundation
import Models
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite struct AccountServiceTests {
    @Test func signUpCreatesUserOrganizationAndOwnerMembership() async throws {
        try await AuthHarness.run { h in
            let result = try await h.accounts.signUp(
                email: " Ann@Example.com ", password: "correct horse battery", name: "Ann", organizationName: "Acme")
            #expect(result.user.email == "Ann@Example.com")
            #expect(result.organization.name == "Acme")
            let principal = try await h.authenticator.authenticate(authorization: "Bearer \(result.session.token)")
            #expect(principal.userID == result.user.id)
            let me = try await h.accounts.me(principal)
            #expect(me.user == result.user)
            #expect(me.memberships.map(\.organization) == [result.organization])
            #expect(me.memberships.map(\.role) == [.owner])
            // Only an argon2id hash is stored.
            let rows = try await h.testDatabase.asOwner("SELECT password_hash FROM users")
            #expect(try rows[0].decode(String.self).hasPrefix("$argon2id$"))
        }
    }

    @Test func signUpRefusesBadInputAndDuplicateEmailsAtomically() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("ann@example.com")
            func code(_ email: String, _ password: String, _ org: String) async -> ServiceError.Code? {
                await authErrorCode {
                    _ = try await h.accounts.signUp(email: email, password: password, name: nil, organizationName: org)
                }
            }
            #expect(await code("ANN@example.com", "correct horse battery", "Other") == .badUserInput)
            #expect(await code("new@example.com", "short", "Other") == .badUserInput)
            #expect(await code("new@example.com", String(repeating: "x", count: 1_025), "Other") == .badUserInput)
            #expect(await code("not-an-email", "correct horse battery", "Other") == .badUserInput)
            #expect(await code("new@example.com", "correct horse battery", "  ") == .badUserInput)
            // The duplicate's organization was rolled back with it.
            #expect(try await h.testDatabase.asOwner("SELECT org_id FROM organizations").count == 1)
            #expect(try await h.testDatabase.asOwner("SELECT user_id FROM users").count == 1)
        }
    }

    @Test func logInIsCaseInsensitiveAndFailuresAreGeneric() async throws {
        try await AuthHarness.run { h in
            let (ann, _) = try await h.signUp("ann@example.com")
            let result = try await h.accounts.logIn(email: "ANN@example.COM", password: "correct horse battery", ip: "1.2.3.4")
            #expect(result.user.id == ann.userID)
            #expect(try await h.authenticator.authenticate(token: result.session.token).userID == ann.userID)
            let invalid = ServiceError(.unauthenticated, "invalid email or password")
            await #expect(throws: invalid) {
                try await h.accounts.logIn(email: "ann@example.com", password: "wrong horse battery", ip: "1.2.3.4")
            }
            await #expect(throws: invalid) {
                try await h.accounts.logIn(email: "nobody@example.com", password: "correct horse battery", ip: "1.2.3.4")
            }
        }
    }

    @Test func repeatedFailuresAreThrottled() async throws {
        try await AuthHarness.run(limits: .init(perAccount: 3, perIP: 10, window: 900)) { h in
            _ = try await h.signUp("ann@example.com")
            for _ in 0..<3 {
                _ = try? await h.accounts.logIn(email: "ann@example.com", password: "wrong horse battery", ip: "1.1.1.1")
            }
            do {
                _ = try await h.accounts.logIn(email: "ann@example.com", password: "correct horse battery", ip: "1.1.1.1")
                Issue.record("log-in was not throttled")
            } catch let error as ServiceError {
                #expect(error.code == .rateLimited)
                #expect(error.retryAfter == 1)
            }
            // Another address is not held up by these failures.
            _ = try await h.accounts.logIn(email: "ann@example.com", password: "correct horse battery", ip: "2.2.2.2")
            h.clock.advance(1)
            _ = try await h.accounts.logIn(email: "ann@example.com", password: "correct horse battery", ip: "1.1.1.1")
        }
    }

    @Test func logInRehashesWhenParametersChangedAndKeepsSessions() async throws {
        try await AuthHarness.run { h in
            let signUp = try await h.accounts.signUp(
                email: "ann@example.com", password: "correct horse battery", name: nil, organizationName: "Acme")
            let stronger = try PasswordService(
                hasher: PasswordHasher(parameters: .init(memoryKiB: 2_048, iterations: 1, parallelism: 1)))
            let accounts = AccountService(database: h.database, passwords: stronger, sessions: h.sessions, throttle: h.throttle)
            _ = try await accounts.logIn(email: "ann@example.com", password: "correct horse battery", ip: nil)
            let hash = try await h.testDatabase.asOwner("SELECT password_hash FROM users")[0].decode(String.self)
            #expect(hash.hasPrefix("$argon2id$v=19$m=2048,t=1,p=1$"))
            // Same password: the new hash verifies and existing sessions stay valid.
            _ = try await accounts.logIn(email: "ann@example.com", password: "correct horse battery", ip: nil)
            #expect(try await h.authenticator.authenticate(token: signUp.session.token).userID == signUp.user.id)
        }
    }

    @Test func passwordChangeEndsOlderSessions() async throws {
        try await AuthHarness.run { h in
            let signUp = try await h.accounts.signUp(
                email: "ann@example.com", password: "correct horse battery", name: nil, organizationName: "Acme")
            let old = try await h.authenticator.authenticate(token: signUp.session.token)
            await #expect(throws: ServiceError.self) {
                try await h.accounts.changePassword(old, current: "wrong horse battery", new: "a new long password")
            }
            let fresh = try await h.accounts.changePassword(old, current: "correct horse battery", new: "a new long password")
            #expect(await authErrorCode { _ = try await h.authenticator.authenticate(token: signUp.session.token) } == .unauthenticated)
            #expect(try await h.authenticator.authenticate(token: fresh.token).userID == old.userID)
            await #expect(throws: ServiceError.self) {
                try await h.accounts.logIn(email: "ann@example.com", password: "correct horse battery", ip: nil)
            }
            let again = try await h.accounts.logIn(email: "ann@example.com", password: "a new long password", ip: nil)
            #expect(again.session.session.sessionVersion == 1)
        }
    }

    @Test func meListsMembershipsAcrossOrganizations() async throws {
        try await AuthHarness.run { h in
            let (ann, annOrg) = try await h.signUp("ann@example.com", organization: "Ann Inc")
            let (bob, bobOrg) = try await h.signUp("bob@example.com", organization: "Bob Ltd")
            // Invited in another letter case: the address still matches.
            let invitation = try await h.members.addMember(bob, org: bobOrg, email: "ANN@example.com", role: .viewer)
            _ = try await h.members.invitations.accept(ann, token: try #require(invitation.token))
            let me = try await h.accounts.me(ann)
            #expect(me.memberships.map(\.organization.id) == [annOrg, bobOrg])
            #expect(me.memberships.map(\.organization.name) == ["Ann Inc", "Bob Ltd"])
            #expect(me.memberships.map(\.role) == [.owner, .viewer])
            // A personal token sees only its own organization.
            let pat = try await h.tokens.createPersonalToken(ann, org: bobOrg, name: "cli", scopes: [.read])
            let viaToken = try await h.authenticator.authenticate(authorization: "Bearer \(pat.token)")
            #expect(try await h.accounts.me(viaToken).memberships.map(\.organization.id) == [bobOrg])
        }
    }
}
