import Accounts
import Analytics
import Foundation
import Models
import Storage
import Synchronization
import Tenancy

/// A settable clock for deterministic expiry, throttling and `lastUsedAt` tests.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    /// A clock stopped at `start`.
    public init(_ start: Date = Date.at("2026-07-01T12:00:00Z")) { current = Mutex(start) }

    /// The current test time.
    public var now: Date { current.withLock { $0 } }
    /// Sets the clock to `date`.
    public func set(_ date: Date) { current.withLock { $0 = date } }
    /// Moves the clock forward by `seconds`.
    public func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    /// The clock as the services take it.
    public var function: @Sendable () -> Date { { self.now } }
}

/// Every accounts, tenancy and saved-report service wired to a fresh migrated database and a test clock.
public struct AuthHarness: Sendable {
    /// The fresh database.
    public let testDatabase: TestDatabase
    /// The application-role database handle.
    public let database: Database
    /// The clock every service reads.
    public let clock: TestClock
    /// Session tokens signed with `signingKey`.
    public let sessions: SessionTokens
    /// The log-in throttle.
    public let throttle: LoginThrottle
    /// Accounts.
    public let accounts: AccountService
    /// Memberships.
    public let members: MemberService
    /// Projects.
    public let projects: ProjectService
    /// API tokens.
    public let tokens: APITokenService
    /// Saved reports.
    public let reports: ReportService
    /// Dashboards.
    public let dashboards: DashboardService
    /// Credentials to principals.
    public let authenticator: Authenticator
    /// Every mail the services sent (invitations, verification and reset links).
    public let mailbox: RecordingMailer
    /// Where the harness's links point.
    public static let publicURL = "https://iv.test"

    /// Cheap argon2id parameters so suites stay fast; the OWASP defaults are tested in PasswordHasherTests.
    public static let fastHasher = PasswordHasher(parameters: .init(memoryKiB: 1_024, iterations: 1, parallelism: 1))

    /// The session key the harness signs with.
    public static let signingKey = try! SessionKey(id: "k1", secret: Array(repeating: 7, count: 32))

    /// Runs `body` with services on a fresh database.
    public static func run(
        limits: LoginThrottle.Limits = .init(), _ body: @Sendable (AuthHarness) async throws -> Void
    ) async throws {
        let testDatabase = try await TestDatabase.create()
        try await testDatabase.withAppDatabase { database in
            // Whole seconds, so times round-trip through PostgreSQL (microseconds) exactly.
            let clock = TestClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            let sessions = try await SessionTokens(signingKey: signingKey, now: clock.function)
            let throttle = LoginThrottle(database: database, limits: limits, now: clock.function)
            let passwords = try PasswordService(hasher: AuthHarness.fastHasher)
            let mailbox = RecordingMailer()
            let harness = AuthHarness(
                testDatabase: testDatabase, database: database, clock: clock, sessions: sessions, throttle: throttle,
                accounts: AccountService(
                    database: database, passwords: passwords, sessions: sessions, throttle: throttle,
                    emails: EmailTokenService(
                        database: database, passwords: passwords, settings: AccountEmailSettings(publicURL: publicURL),
                        mailer: mailbox, now: clock.function)),
                members: MemberService(
                    database: database,
                    invitations: InvitationService(
                        database: database, settings: AccountEmailSettings(publicURL: publicURL), mailer: mailbox,
                        now: clock.function)),
                projects: ProjectService(database: database),
                tokens: APITokenService(database: database, now: clock.function),
                reports: ReportService(database: database), dashboards: DashboardService(database: database),
                authenticator: Authenticator(database: database, sessions: sessions, now: clock.function), mailbox: mailbox)
            try await body(harness)
        }
    }

    /// Signs up `email` with a first organization and returns the session principal and that organization.
    public func signUp(_ email: String, organization: String = "Acme") async throws -> (principal: Principal, org: Org.ID) {
        let result = try await accounts.signUp(
            email: email, password: "correct horse battery", name: nil, organizationName: organization)
        return (try await authenticator.authenticate(token: result.session.token), result.organization.id)
    }

    /// Signs up `email`, invites them to `org` with `role` (through `owner`) and accepts the invitation; returns
    /// their session principal.
    public func member(_ email: String, role: Role, in org: Org.ID, by owner: Principal) async throws -> Principal {
        let (principal, _) = try await signUp(email, organization: "Own of \(email)")
        try await join(principal, org: org, role: role, by: owner)
        return principal
    }

    /// Invites the principal's address to `org` with `role` (through `inviter`) and accepts with the invitation's token.
    public func join(_ principal: Principal, org: Org.ID, role: Role, by inviter: Principal) async throws {
        let email = try await accounts.me(principal).user.email
        let invitation = try await members.addMember(inviter, org: org, email: email, role: role)
        _ = try await members.invitations.accept(principal, token: invitation.token ?? "")
    }
}

/// The `ServiceError` code `body` throws, or nil when it does not throw an `ServiceError`.
public func authErrorCode(_ body: () async throws -> Void) async -> ServiceError.Code? {
    do {
        try await body()
        return nil
    } catch let error as ServiceError {
        return error.code
    } catch {
        return nil
    }
}
