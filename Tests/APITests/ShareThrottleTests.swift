import API
import Foundation
import Models
import Synchronization
import Testing

/// The per-link, per-client limit of `sharedDashboard`: fixed windows, independent pairs, a bounded table.
@Suite struct ShareThrottleTests {
    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_000_000))
        func advance(_ seconds: TimeInterval) { now.withLock { $0.addTimeInterval(seconds) } }
    }

    @Test func eachPairOfLinkAndClientHasItsOwnWindow() throws {
        let clock = Clock()
        let throttle = ShareThrottle(limit: 3, window: 60, now: { clock.now.withLock { $0 } })
        for _ in 0..<3 { try throttle.admit(token: "iv_shr_a", client: "198.51.100.1") }
        let refused = #expect(throws: ServiceError.self) { try throttle.admit(token: "iv_shr_a", client: "198.51.100.1") }
        #expect(refused?.code == .rateLimited && refused?.retryAfter == 60)
        // Another client, or another link, is counted apart.
        try throttle.admit(token: "iv_shr_a", client: "198.51.100.2")
        try throttle.admit(token: "iv_shr_b", client: "198.51.100.1")
        // 45 s later the wait is 15 s; once the window ends the pair starts again.
        clock.advance(45)
        let later = #expect(throws: ServiceError.self) { try throttle.admit(token: "iv_shr_a", client: "198.51.100.1") }
        #expect(later?.retryAfter == 15)
        clock.advance(15)
        try throttle.admit(token: "iv_shr_a", client: "198.51.100.1")
    }

    @Test func aFloodOfDistinctTokensDoesNotGrowTheTableWithoutBound() throws {
        let clock = Clock()
        let throttle = ShareThrottle(limit: 1, window: 60, now: { clock.now.withLock { $0 } })
        for index in 0..<25_000 { try throttle.admit(token: "iv_shr_\(index)", client: "203.0.113.9") }
        #expect(throttle.trackedPairs <= 10_000)
    }
}
