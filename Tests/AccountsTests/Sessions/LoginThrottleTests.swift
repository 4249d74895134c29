import Accounts
import Tenancy
import Foundation
import TestSupport
import Testing

@Suite struct LoginThrottleTests {
    let clock = TestClock()

    func retryAfter(_ throttle: LoginThrottle, _ email: String, _ ip: String?) -> Int? {
        do {
            try throttle.check(email: email, ip: ip)
            return nil
        } catch {
            #expect(error.code == .rateLimited)
            return error.retryAfter
        }
    }

    @Test func fiveFailuresPerAccountIn15MinutesThenRetryAfter() {
        let throttle = LoginThrottle(now: clock.function)
        for attempt in 0..<5 {
            #expect(retryAfter(throttle, "Ann@Example.com", "10.0.0.\(attempt)") == nil)
            throttle.recordFailure(email: "Ann@Example.com", ip: "10.0.0.\(attempt)")
            clock.advance(60)
        }
        // Counted per account whatever the letter case or IP; other accounts are unaffected.
        #expect(retryAfter(throttle, "ann@example.com", "10.9.9.9") == 900 - 300)
        #expect(retryAfter(throttle, "bob@example.com", "10.0.0.1") == nil)
        clock.advance(600)
        #expect(retryAfter(throttle, "ann@example.com", nil) == nil)
    }

    @Test func twentyFailuresPerIP() {
        let throttle = LoginThrottle(now: clock.function)
        for index in 0..<20 { throttle.recordFailure(email: "user\(index)@example.com", ip: "192.0.2.1") }
        #expect(retryAfter(throttle, "fresh@example.com", "192.0.2.1") == 900)
        #expect(retryAfter(throttle, "fresh@example.com", "192.0.2.2") == nil)
    }

    @Test func successClearsTheAccountButNotTheIP() {
        let throttle = LoginThrottle(limits: .init(perAccount: 2, perIP: 3, window: 60), now: clock.function)
        throttle.recordFailure(email: "a@example.com", ip: "ip")
        throttle.recordFailure(email: "a@example.com", ip: "ip")
        #expect(retryAfter(throttle, "a@example.com", nil) == 60)
        throttle.recordSuccess(email: "a@example.com")
        #expect(retryAfter(throttle, "a@example.com", nil) == nil)
        throttle.recordFailure(email: "a@example.com", ip: "ip")
        #expect(retryAfter(throttle, "b@example.com", "ip") == 60)
    }
}
