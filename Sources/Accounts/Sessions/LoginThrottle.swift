import Foundation
import Models
import PostgresNIO
import Storage

/// Throttles log-ins and sign-ups in PostgreSQL (`auth_throttle`, shared by every server on the database), checking
/// and reserving an attempt in one statement so parallel attempts cannot all slip through.
///
/// Log-in keys: the account (email, case-insensitive) together with the client address, with growing delays (after
/// `perAccount` failures the next attempt waits 1 s, then 2 s, 4 s, ... up to `maxDelay`), so an attacker elsewhere
/// never locks the account's owner out; and the address over all accounts (`perIP` failures per `window`). A
/// reservation counts as a failure until the password check succeeds; success forgets the account+address key and
/// gives the address its attempt back. Sign-ups count per address (`signUpsPerHour` an hour). Unknown emails are
/// counted like known ones, so throttling reveals nothing about which accounts exist. Refusals are `RATE_LIMITED`
/// with `retryAfter`.
public struct LoginThrottle: Sendable {
    /// The limits.
    public struct Limits: Sendable, Equatable {
        /// Failed log-ins per account from one address before delays start (default 5).
        public var perAccount: Int
        /// Failed log-ins per address over all accounts within `window` (default 20).
        public var perIP: Int
        /// The address limit's window; also how long a quiet account+address key is remembered (default 15 minutes).
        public var window: TimeInterval
        /// Longest delay between attempts on one account from one address (default 15 minutes).
        public var maxDelay: TimeInterval
        /// Sign-ups per address per hour (default 10; 0 = no limit).
        public var signUpsPerHour: Int

        /// Creates limits; defaults: 5 per account and address, 20 per address per 15 minutes, delays up to
        /// 15 minutes, 10 sign-ups per address per hour.
        public init(
            perAccount: Int = 5, perIP: Int = 20, window: TimeInterval = 15 * 60, maxDelay: TimeInterval = 15 * 60,
            signUpsPerHour: Int = 10
        ) {
            self.perAccount = perAccount
            self.perIP = perIP
            self.window = window
            self.maxDelay = maxDelay
            self.signUpsPerHour = signUpsPerHour
        }
    }

    /// A reservation made by `reserveLogIn`; hand it back to `succeeded` after a correct password.
    public struct Reservation: Sendable {
        let accountKey: String
        let addressKey: String?
    }

    /// The limits in force.
    public let limits: Limits
    let database: Database
    let now: @Sendable () -> Date

    /// - Parameter now: the clock (inject a test clock; PostgreSQL is given this time, not its own).
    public init(database: Database, limits: Limits = Limits(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.limits = limits
        self.now = now
    }

    /// Reserves a log-in attempt for `email` from `address`, or throws `RATE_LIMITED`. Call before checking the
    /// password; without an address (unknown peer) only the account key counts.
    public func reserveLogIn(email: String, address: String?) async throws -> Reservation {
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let client = Self.clientKey(address)
        let reservation = Reservation(
            accountKey: "login:account:\(normalized)|\(client ?? "-")", addressKey: client.map { "login:address:\($0)" })
        var rules = [Rule(key: reservation.accountKey, limit: limits.perAccount, window: limits.window, maxDelay: limits.maxDelay)]
        if let addressKey = reservation.addressKey {
            rules.append(Rule(key: addressKey, limit: limits.perIP, window: limits.window, maxDelay: nil))
        }
        try await reserve(rules, message: "too many failed log-in attempts; try again later")
        return reservation
    }

    /// After a correct password: forgets the account+address failures and gives the address its attempt back.
    public func succeeded(_ reservation: Reservation) async throws {
        let release = reservation.addressKey.map { [$0] } ?? []
        _ = try await database.client.query(
            """
            SELECT iv_throttle_release(\([reservation.accountKey]), \(release), \(release.map { _ in limits.perIP })::integer[], \(now()))
            """,
            logger: database.logger)
    }

    /// Counts a sign-up from `address`, or throws `RATE_LIMITED` past `signUpsPerHour` (no limit without an address
    /// or with a limit of 0).
    public func reserveSignUp(address: String?) async throws {
        guard limits.signUpsPerHour > 0, let client = Self.clientKey(address) else { return }
        try await reserve(
            [Rule(key: "signup:address:\(client)", limit: limits.signUpsPerHour, window: 3_600, maxDelay: nil)],
            message: "too many sign-ups from this address; try again later")
    }

    /// The throttle key of a client address: the canonical address for IPv4, the /64 for IPv6, a bounded prefix of
    /// anything else; nil for none.
    static func clientKey(_ address: String?) -> String? {
        guard let address, !address.isEmpty else { return nil }
        return IPAddress(address)?.throttleKey ?? String(address.prefix(64))
    }

    private struct Rule {
        var key: String
        var limit: Int
        var window: TimeInterval
        /// nil: a fixed window (0 for PostgreSQL); else growing delays up to this.
        var maxDelay: TimeInterval?
    }

    private func reserve(_ rules: [Rule], message: String) async throws {
        let current = now()
        let rows = try await database.client.query(
            """
            SELECT allowed, blocked_until FROM iv_throttle_reserve(
                \(rules.map(\.key)), \(rules.map(\.limit))::integer[], \(rules.map(\.window)), \(rules.map { $0.maxDelay ?? 0 }), \(current))
            """,
            logger: database.logger
        ).collect()
        var retryAfter: TimeInterval?
        for row in rows {
            let (allowed, blockedUntil) = try row.decode((Bool, Date?).self)
            if !allowed { retryAfter = max(retryAfter ?? 0, (blockedUntil ?? current).timeIntervalSince(current)) }
        }
        if let retryAfter {
            // To the millisecond first: PostgreSQL keeps microseconds, so a whole second may come back a hair longer.
            let seconds = (retryAfter * 1_000).rounded() / 1_000
            throw ServiceError(.rateLimited, message, retryAfter: max(1, Int(seconds.rounded(.up))))
        }
    }
}
