import Auth
import Foundation
import Models
import Storage
import Synchronization
import TestSupport

/// A settable clock for deterministic expiry, throttling and `lastUsedAt` tests.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date.at("2026-07-01T12:00:00Z")) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.now } }
}

/// Every Auth service wired to a fresh migrated database and a test clock.
struct AuthHarness: Sendable {
    let testDatabase: TestDatabase
    let database: Database
    let clock: TestClock
    let sessions: SessionTokens
    let throttle: LoginThrottle
    let accounts: AccountService
    let members: MemberService
    let projects: ProjectService
    let tokens: APITokenService
    let reports: ReportService
    let dashboards: DashboardService
    let authenticator: Authenticator

    /// Cheap argon2id parameters so suites stay fast; the OWASP defaults are tested in PasswordHasherTests.
    static let fastHasher = PasswordHasher(parameters: .init(memoryKiB: 1_024, iterations: 1, parallelism: 1))

    static let signingKey = try! SessionKey(id: "k1", secret: Array(repeating: 7, count: 32))

    /// Runs `body` with services on a fresh database.
    static func run(
        limits: LoginThrottle.Limits = .init(), _ body: @Sendable (AuthHarness) async throws -> Void
    ) async throws {
        let testDatabase = try await TestDatabase.create()
        try await testDatabase.withAppDatabase { database in
            let clock = TestClock(Date())
            let sessions = try await SessionTokens(signingKey: signingKey, now: clock.function)
            let throttle = LoginThrottle(limits: limits, now: clock.function)
            let passwords = try PasswordService(hasher: AuthHarness.fastHasher)
            let harness = AuthHarness(
                testDatabase: testDatabase, database: database, clock: clock, sessions: sessions, throttle: throttle,
                accounts: AccountService(database: database, passwords: passwords, sessions: sessions, throttle: throttle),
                members: MemberService(database: database),
                projects: ProjectService(database: database),
                tokens: APITokenService(database: database, now: clock.function),
                reports: ReportService(database: database), dashboards: DashboardService(database: database),
                authenticator: Authenticator(database: database, sessions: sessions, now: clock.function))
            try await body(harness)
        }
    }

    /// Signs up `email` with a first organization and returns the session principal and that organization.
    func signUp(_ email: String, organization: String = "Acme") async throws -> (principal: Principal, org: Org.ID) {
        let result = try await accounts.signUp(
            email: email, password: "correct horse battery", name: nil, organizationName: organization)
        return (try await authenticator.authenticate(token: result.session.token), result.organization.id)
    }

    /// Signs up `email` and adds them to `org` with `role` (through `owner`); returns their session principal.
    func member(_ email: String, role: Role, in org: Org.ID, by owner: Principal) async throws -> Principal {
        let (principal, _) = try await signUp(email, organization: "Own of \(email)")
        _ = try await members.addMember(owner, org: org, email: email, role: role)
        return principal
    }
}

/// The `AuthError` code `body` throws, or nil when it does not throw an `AuthError`.
func authErrorCode(_ body: () async throws -> Void) async -> AuthError.Code? {
    do {
        try await body()
        return nil
    } catch let error as AuthError {
        return error.code
    } catch {
        return nil
    }
}
