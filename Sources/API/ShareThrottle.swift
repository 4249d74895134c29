import Foundation
import Models
import Synchronization

/// Bounds how often one client opens one shared dashboard (`sharedDashboard`): at most `limit` requests per
/// `window` for each pair of link token and client address, counted in fixed windows in this process. Every
/// request of a shared dashboard runs all its reports, and the link works without an account, so this keeps one
/// holder of a link from running a tenant's reports in a loop (the report admission per organization still applies).
public final class ShareThrottle: Sendable {
    /// Requests one client may make with one link per window.
    public let limit: Int
    /// The window's length in seconds.
    public let window: TimeInterval
    /// The most pairs tracked at once; beyond, finished windows are dropped first, then every window.
    static let maxTracked = 10_000

    private struct Count {
        var start: Date
        var requests: Int
    }

    private let counts = Mutex<[String: Count]>([:])
    private let now: @Sendable () -> Date

    /// A throttle of `limit` requests per `window` seconds (defaults: 30 a minute).
    public init(limit: Int = 30, window: TimeInterval = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.limit = max(1, limit)
        self.window = window
        self.now = now
    }

    /// How many pairs of link and client are counted now.
    public var trackedPairs: Int { counts.withLock { $0.count } }

    /// Counts a request of `client` with `token`; `RATE_LIMITED` with the seconds until the window ends beyond the
    /// limit.
    public func admit(token: String, client: String?) throws {
        let key = "\(token.prefix(64))|\(client ?? "")"
        let now = now()
        let window = window
        let wait: Double? = counts.withLock { counts in
            if counts.count >= Self.maxTracked {
                counts = counts.filter { now.timeIntervalSince($0.value.start) < window }
                if counts.count >= Self.maxTracked { counts.removeAll() }
            }
            var count = counts[key].flatMap { now.timeIntervalSince($0.start) < window ? $0 : nil } ?? Count(start: now, requests: 0)
            count.requests += 1
            counts[key] = count
            return count.requests > limit ? window - now.timeIntervalSince(count.start) : nil
        }
        if let wait {
            throw ServiceError(
                .rateLimited, "too many requests for this shared dashboard: try again in \(Int(wait.rounded(.up))) s",
                retryAfter: max(1, Int(wait.rounded(.up))))
        }
    }
}
