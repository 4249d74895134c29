import Models
import Foundation
import Synchronization

/// Counts failed log-ins in memory, per account (email, case-insensitive) and per client IP, over a sliding window,
/// and refuses further attempts with `RATE_LIMITED` and a retry-after once a limit is reached. Unknown emails are
/// counted like known ones, so throttling reveals nothing about which accounts exist.
public final class LoginThrottle: Sendable {
    /// Failure limits.
    public struct Limits: Sendable, Equatable {
        /// Failures per account within `window` (default 5).
        public var perAccount: Int
        /// Failures per IP within `window` (default 20).
        public var perIP: Int
        /// The sliding window (default 15 minutes).
        public var window: TimeInterval

        /// Creates limits; defaults are 5 per account and 20 per IP per 15 minutes.
        public init(perAccount: Int = 5, perIP: Int = 20, window: TimeInterval = 15 * 60) {
            self.perAccount = perAccount
            self.perIP = perIP
            self.window = window
        }
    }

    /// Tracked keys beyond which stale entries are swept (bounds memory under a spray of emails or IPs).
    static let sweepThreshold = 50_000

    /// The limits in force.
    public let limits: Limits
    private let now: @Sendable () -> Date
    private let failures = Mutex([String: [Date]]())

    /// - Parameter now: the clock (inject a fixed one in tests).
    public init(limits: Limits = Limits(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.limits = limits
        self.now = now
    }

    /// Throws `RATE_LIMITED` when the account or the IP has reached its limit; call before checking the password.
    public func check(email: String, ip: String?) throws(ServiceError) {
        let current = now()
        let keys = Self.keys(email: email, ip: ip)
        let retryAfter = failures.withLock { failures -> TimeInterval? in
            var wait: TimeInterval?
            for (key, limit) in zip(keys, [limits.perAccount, limits.perIP]) {
                guard let key else { continue }
                let recent = (failures[key] ?? []).filter { current.timeIntervalSince($0) < limits.window }
                failures[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let oldest = recent.dropLast(limit - 1).last {
                    wait = max(wait ?? 0, limits.window - current.timeIntervalSince(oldest))
                }
            }
            return wait
        }
        if let retryAfter {
            throw ServiceError(
                .rateLimited, "too many failed log-in attempts; try again later", retryAfter: max(1, Int(retryAfter.rounded(.up))))
        }
    }

    /// Records one failed attempt for the account and the IP.
    public func recordFailure(email: String, ip: String?) {
        let current = now()
        failures.withLock { failures in
            if failures.count > Self.sweepThreshold {
                failures = failures.filter { entry in entry.value.contains { current.timeIntervalSince($0) < limits.window } }
            }
            for key in Self.keys(email: email, ip: ip).compactMap({ $0 }) {
                failures[key, default: []].append(current)
            }
        }
    }

    /// Forgets the account's failures after a successful log-in (the IP's stay counted).
    public func recordSuccess(email: String) {
        _ = failures.withLock { $0.removeValue(forKey: Self.keys(email: email, ip: nil)[0]!) }
    }

    private static func keys(email: String, ip: String?) -> [String?] {
        let account = "account:" + email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return [account, ip.map { "ip:" + $0 }]
    }
}
