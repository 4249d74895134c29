import Accounts
import Foundation
import Models
import NIOCore
import Tenancy
import TestSupport
import Testing

@Suite struct EmailTokenTests {
    @Test func signUpMailsAVerificationLinkThatWorksOnce() async throws {
        try await AuthHarness.run { h in
            let (ann, _) = try await h.signUp("ann@example.com")
            #expect(try await h.accounts.me(ann).emailVerified == false)
            let token = try #require(h.mailbox.token(to: "ann@example.com", path: "verify-email"))
            #expect(h.mailbox.sent(to: "ann@example.com").first?.body.contains("\(AuthHarness.publicURL)/verify-email/\(token)") == true)
            #expect(try await h.accounts.emails.verifyEmail(token: token))
            #expect(try await h.accounts.me(ann).emailVerified)
            #expect(await authErrorCode { _ = try await h.accounts.emails.verifyEmail(token: token) } == .badUserInput)
            #expect(await authErrorCode { _ = try await h.accounts.emails.verifyEmail(token: OneTimeToken.generate()) } == .notFound)
            // Verified: asking again sends nothing more.
            let before = h.mailbox.sent.count
            #expect(try await h.accounts.emails.resendVerification(ann))
            #expect(h.mailbox.sent.count == before)
        }
    }

    @Test func verificationLinksExpireAndResendingIsThrottled() async throws {
        try await AuthHarness.run { h in
            let (bob, _) = try await h.signUp("bob@example.com")
            let first = try #require(h.mailbox.token(to: "bob@example.com", path: "verify-email"))
            h.clock.advance(48 * 3_600)
            #expect(await authErrorCode { _ = try await h.accounts.emails.verifyEmail(token: first) } == .badUserInput)
            #expect(try await h.accounts.me(bob).emailVerified == false)
            // Three links an hour (the sign-up's is older than an hour now), then RATE_LIMITED with a retry time.
            for _ in 0..<3 { #expect(try await h.accounts.emails.resendVerification(bob)) }
            do {
                _ = try await h.accounts.emails.resendVerification(bob)
                Issue.record("a fourth verification mail within an hour")
            } catch let error as ServiceError {
                #expect(error.code == .rateLimited)
                #expect(error.retryAfter == 3_600)
            }
            #expect(h.mailbox.sent(to: "bob@example.com").count == 4)
            h.clock.advance(3_600)
            #expect(try await h.accounts.emails.resendVerification(bob))
            let latest = try #require(h.mailbox.token(to: "bob@example.com", path: "verify-email"))
            #expect(try await h.accounts.emails.verifyEmail(token: latest))
            #expect(try await h.accounts.me(bob).emailVerified)
        }
    }

    @Test func passwordResetSetsTheNewPasswordAndEndsEverySession() async throws {
        try await AuthHarness.run { h in
            let signUp = try await h.accounts.signUp(
                email: "carol@example.com", password: "correct horse battery", name: nil, organizationName: "C")
            #expect(try await h.accounts.emails.requestPasswordReset(email: "CAROL@example.com"))
            let token = try #require(h.mailbox.token(to: "carol@example.com", path: "reset-password"))
            // Too short a password is refused and leaves the token usable.
            #expect(
                await authErrorCode { _ = try await h.accounts.emails.resetPassword(token: token, newPassword: "short") } == .badUserInput)
            let second = try await h.accounts.logIn(email: "carol@example.com", password: "correct horse battery", ip: nil)
            let secondPrincipal = try await h.authenticator.authenticate(token: second.session.token)
            #expect(try await h.accounts.sessions(secondPrincipal).count == 2)
            #expect(try await h.accounts.emails.resetPassword(token: token, newPassword: "a brand new passphrase"))
            // The old sessions no longer work (and are no longer listed); the old password neither; the new one does.
            await #expect(throws: ServiceError.self) { _ = try await h.authenticator.authenticate(token: second.session.token) }
            await #expect(throws: ServiceError.self) { _ = try await h.authenticator.authenticate(token: signUp.session.token) }
            await #expect(throws: ServiceError.self) {
                _ = try await h.accounts.logIn(email: "carol@example.com", password: "correct horse battery", ip: nil)
            }
            let again = try await h.accounts.logIn(email: "carol@example.com", password: "a brand new passphrase", ip: nil)
            // Resetting by mail proves the address.
            let principal = try await h.authenticator.authenticate(token: again.session.token)
            #expect(try await h.accounts.me(principal).emailVerified)
            #expect(try await h.accounts.sessions(principal).count == 1)
            // Single use.
            #expect(
                await authErrorCode { _ = try await h.accounts.emails.resetPassword(token: token, newPassword: "yet another passphrase") }
                    == .badUserInput)
        }
    }

    @Test func resetLinksExpireAndANewOneVoidsNothingButItself() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("dan@example.com")
            _ = try await h.accounts.emails.requestPasswordReset(email: "dan@example.com")
            let old = try #require(h.mailbox.token(to: "dan@example.com", path: "reset-password"))
            h.clock.advance(60 * 60)
            #expect(
                await authErrorCode { _ = try await h.accounts.emails.resetPassword(token: old, newPassword: "a brand new passphrase") }
                    == .badUserInput)
            // Two fresh links: using one voids the other.
            _ = try await h.accounts.emails.requestPasswordReset(email: "dan@example.com")
            let a = try #require(h.mailbox.token(to: "dan@example.com", path: "reset-password"))
            _ = try await h.accounts.emails.requestPasswordReset(email: "dan@example.com")
            let b = try #require(h.mailbox.token(to: "dan@example.com", path: "reset-password"))
            #expect(a != b)
            #expect(try await h.accounts.emails.resetPassword(token: b, newPassword: "a brand new passphrase"))
            #expect(
                await authErrorCode { _ = try await h.accounts.emails.resetPassword(token: a, newPassword: "another passphrase!") }
                    == .badUserInput)
        }
    }

    /// The answer is `true` for unknown addresses too (a malformed or over-long one is BAD_USER_INPUT), and requests beyond three an hour per account send nothing.
    @Test func resetRequestsRevealNothingAndAreThrottledPerAccount() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("erin@example.com")
            #expect(try await h.accounts.emails.requestPasswordReset(email: "nobody@example.com"))
            #expect(await authErrorCode { _ = try await h.accounts.emails.requestPasswordReset(email: "not an address") } == .badUserInput)
            let long = String(repeating: "a", count: 250) + "@x.io"
            #expect(await authErrorCode { _ = try await h.accounts.emails.requestPasswordReset(email: long) } == .badUserInput)
            #expect(h.mailbox.sent(to: "nobody@example.com").isEmpty)
            for _ in 0..<5 { #expect(try await h.accounts.emails.requestPasswordReset(email: "erin@example.com")) }
            #expect(h.mailbox.sent(to: "erin@example.com").filter { $0.body.contains("/reset-password/") }.count == 3)
            h.clock.advance(3_601)
            #expect(try await h.accounts.emails.requestPasswordReset(email: "erin@example.com"))
            #expect(h.mailbox.sent(to: "erin@example.com").filter { $0.body.contains("/reset-password/") }.count == 4)
        }
    }

    @Test func withoutMailTheMailedFeaturesAreDisabled() async throws {
        try await AuthHarness.run { h in
            let (frank, _) = try await h.signUp("frank@example.com")
            let passwords = try PasswordService(hasher: AuthHarness.fastHasher)
            let off = EmailTokenService(
                database: h.database, passwords: passwords, settings: AccountEmailSettings(publicURL: AuthHarness.publicURL),
                mailer: nil, now: h.clock.function)
            #expect(!off.isEnabled)
            #expect(await authErrorCode { _ = try await off.requestPasswordReset(email: "frank@example.com") } == .featureDisabled)
            #expect(
                await authErrorCode {
                    _ = try await off.resetPassword(token: OneTimeToken.generate(), newPassword: "a brand new passphrase")
                }
                    == .featureDisabled)
            #expect(await authErrorCode { _ = try await off.resendVerification(frank) } == .featureDisabled)
            #expect(try await off.sendVerification(to: frank.userID) == false)
        }
    }

    @Test func tokensAreStoredHashed() async throws {
        try await AuthHarness.run { h in
            _ = try await h.signUp("gina@example.com")
            let token = try #require(h.mailbox.token(to: "gina@example.com", path: "verify-email"))
            let rows = try await h.testDatabase.asOwner("SELECT token_hash, purpose FROM email_tokens")
            #expect(rows.count == 1)
            let (hash, purpose) = try #require(try rows.first?.decode((ByteBuffer, String).self))
            #expect(hash == OneTimeToken.hash(token))
            #expect(purpose == "VERIFY_EMAIL")
        }
    }
}
