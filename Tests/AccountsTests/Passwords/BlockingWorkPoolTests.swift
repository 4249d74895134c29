import Accounts
import Tenancy
import Foundation
import Synchronization
import TestSupport
import Testing
import Models

/// A gate that blocking jobs wait on until the test opens it.
final class Gate: Sendable {
    private let isOpen = Mutex(false)
    func wait() { while !isOpen.withLock({ $0 }) { usleep(1_000) } }
    func open() { isOpen.withLock { $0 = true } }
}

/// Counts jobs running at once and the most seen.
final class PeakCounter: Sendable {
    private let state = Mutex((running: 0, peak: 0))
    func enter() {
        state.withLock {
            $0.running += 1; $0.peak = max($0.peak, $0.running)
        }
    }
    func leave() { state.withLock { $0.running -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}

/// Polls `condition` for up to 5 s.
func eventually(_ condition: () -> Bool) async throws {
    for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    #expect(condition())
}

@Suite struct BlockingWorkPoolTests {
    @Test func neverRunsMoreThanTheCapAtOnce() async throws {
        let pool = BlockingWorkPool(maxConcurrent: 2, maxWaiting: 100)
        let counter = PeakCounter()
        let gate = Gate()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await pool.run {
                        counter.enter()
                        gate.wait()
                        counter.leave()
                        return index
                    }
                }
            }
            // The gate holds the running jobs, so the cap is reached whatever the machine's load.
            try await eventually { pool.load == (2, 6) }
            gate.open()
            var finished = 0
            for try await _ in group { finished += 1 }
            #expect(finished == 8)
        }
        #expect(counter.peak == 2)
        #expect(pool.load == (0, 0))
    }

    @Test func refusesWithRateLimitedWhenTooManyWait() async throws {
        let pool = BlockingWorkPool(maxConcurrent: 2, maxWaiting: 1)
        let gate = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await pool.run { gate.wait() } } }
            try await eventually { pool.load == (2, 1) }
            await #expect(throws: ServiceError(.rateLimited, "too many log-ins in progress; retry shortly", retryAfter: 1)) {
                try await pool.run { () }
            }
            gate.open()
            try await group.waitForAll()
        }
        #expect(pool.load == (0, 0))
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let pool = BlockingWorkPool(maxConcurrent: 1, maxWaiting: 4)
        let gate = Gate()
        async let first: Void = pool.run { gate.wait() }
        let waiter = Task { try await pool.run { 42 } }
        try await eventually { pool.load == (1, 1) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(pool.load == (1, 0))
        gate.open()
        try await first
        #expect(try await pool.run { 7 } == 7)
    }
}

@Suite struct PasswordServiceTests {
    @Test func hashesOffThePoolAndVerifies() async throws {
        let service = try PasswordService(hasher: AuthHarness.fastHasher)
        let hash = try await service.hash("correct horse battery")
        #expect(hash.hasPrefix("$argon2id$v=19$m=1024,t=1,p=1$"))
        #expect(try await service.verify("correct horse battery", against: hash))
        #expect(try await !service.verify("wrong horse battery", against: hash))
        #expect(try await !service.verify("correct horse battery", against: nil))
    }

    @Test func refusesShortAndLongPasswordsAsBadUserInput() async throws {
        let service = try PasswordService(hasher: AuthHarness.fastHasher)
        await #expect(throws: ServiceError(.badUserInput, "password must be at least 10 characters")) {
            try await service.hash("short")
        }
        await #expect(throws: ServiceError(.badUserInput, "password must be at most 1024 bytes")) {
            try await service.hash(String(repeating: "é", count: 513))
        }
    }

    @Test func defaultsAreOWASPAndOtherParametersNeedRehash() async throws {
        let owasp = try PasswordService()
        #expect(owasp.hasher.parameters == .owasp)
        #expect(owasp.pool.maxConcurrent == 2)
        let weak = try await PasswordService(hasher: AuthHarness.fastHasher).hash("correct horse battery")
        #expect(owasp.needsRehash(weak))
    }

    /// Unknown accounts are checked against a dummy hash of the same cost, so they are not measurably faster.
    /// Asserted without comparing two timings (which a loaded machine makes flaky): an OWASP-cost argon2id
    /// verification takes milliseconds, a skipped one microseconds, so the unknown-account path must take as long as
    /// at least one real verification's floor, and must refuse.
    @Test func unknownAccountTakesAsLongAsWrongPassword() async throws {
        let service = try PasswordService()
        let start = ContinuousClock.now
        let accepted = try await service.verify("wrong password here", against: nil)
        let unknown = ContinuousClock.now - start
        #expect(!accepted)
        #expect(unknown > .milliseconds(5), "unknown-account check took only \(unknown): no argon2id work was done")
    }
}
