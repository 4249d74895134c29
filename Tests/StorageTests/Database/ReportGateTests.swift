import Foundation
import Models
import Storage
import Synchronization
import Testing

/// The report gate's admission rules, with reports that hold their slot until the test lets them go.
@Suite struct ReportGateTests {
    /// Reports that record their admission order and run until released.
    final class Reports: Sendable {
        let gate: ReportGate
        private let state = Mutex<(admitted: [String], releases: [String: CheckedContinuation<Void, Never>])>(([], [:]))

        init(_ configuration: ReportGate.Configuration) { gate = ReportGate(configuration: configuration) }

        /// Starts report `name` of `org`: it waits for a slot, records its admission and holds the slot until released.
        func start(_ name: String, _ org: Org.ID, by requester: String? = nil) -> Task<Void, any Error> {
            Task {
                try await ReportGate.$requester.withValue(requester) {
                    try await gate.withSlot(org) {
                        await withCheckedContinuation { continuation in
                            state.withLock {
                                $0.admitted.append(name)
                                $0.releases[name] = continuation
                            }
                        }
                    }
                }
            }
        }

        var admitted: [String] { state.withLock { $0.admitted } }

        func release(_ name: String) {
            let continuation = state.withLock { $0.releases.removeValue(forKey: name) }
            continuation?.resume()
        }

        /// Waits until `count` reports were admitted and `waiting` wait (bounded polling).
        func settle(admitted count: Int, waiting: Int) async throws {
            for _ in 0..<2_000 {
                let queued = gate.snapshot.waiting.values.reduce(0, +)
                if admitted.count == count && queued == waiting { return }
                try await Task.sleep(for: .milliseconds(5))
            }
            Issue.record("admitted \(admitted), waiting \(gate.snapshot.waiting)")
        }
    }

    static let a = Org.ID.random()
    static let b = Org.ID.random()
    static let c = Org.ID.random()

    @Test func anOrganizationTakesAtMostItsShareAndWaitingOrganizationsTakeTurns() async throws {
        var configuration = ReportGate.Configuration()
        configuration.concurrency = 3
        configuration.perOrganization = 2
        let reports = Reports(configuration)
        var tasks: [Task<Void, any Error>] = []
        for n in 1...5 {
            tasks.append(reports.start("a\(n)", Self.a))
            try await reports.settle(admitted: min(n, 2), waiting: max(0, n - 2))
        }
        // A holds its two slots; the third slot goes to B at once although A's reports waited first.
        tasks.append(reports.start("b1", Self.b))
        try await reports.settle(admitted: 3, waiting: 3)
        tasks.append(reports.start("b2", Self.b))
        tasks.append(reports.start("c1", Self.c))
        try await reports.settle(admitted: 3, waiting: 5)
        // Each freed slot goes to the next waiting organization in turn that may run one more: A is at its share,
        // so B, then C, then A.
        reports.release("b1")
        try await reports.settle(admitted: 4, waiting: 4)
        reports.release("a1")
        try await reports.settle(admitted: 5, waiting: 3)
        reports.release("a2")
        try await reports.settle(admitted: 6, waiting: 2)
        reports.release("a3")
        try await reports.settle(admitted: 7, waiting: 1)
        #expect(reports.admitted == ["a1", "a2", "b1", "b2", "c1", "a3", "a4"])
        for name in ["a4", "b2", "c1"] { reports.release(name) }
        try await reports.settle(admitted: 8, waiting: 0)
        reports.release("a5")
        for task in tasks { try await task.value }
        #expect(reports.gate.snapshot.running.isEmpty && reports.gate.snapshot.waiting.isEmpty)
    }

    @Test func oneUserTakesOneShareHoweverManyOrganizationsTheyUse() async throws {
        var configuration = ReportGate.Configuration()
        configuration.concurrency = 4
        configuration.perOrganization = 2
        let reports = Reports(configuration)
        var tasks = [reports.start("u-a1", Self.a, by: "u")]
        try await reports.settle(admitted: 1, waiting: 0)
        tasks.append(reports.start("u-b1", Self.b, by: "u"))
        try await reports.settle(admitted: 2, waiting: 0)
        // The same user's third report, in a third organization, waits although slots and its organization are free.
        tasks.append(reports.start("u-c1", Self.c, by: "u"))
        try await reports.settle(admitted: 2, waiting: 1)
        // Another user's report in that organization runs.
        tasks.append(reports.start("v-c1", Self.c, by: "v"))
        try await reports.settle(admitted: 3, waiting: 1)
        reports.release("u-a1")
        try await reports.settle(admitted: 4, waiting: 0)
        #expect(reports.admitted == ["u-a1", "u-b1", "v-c1", "u-c1"])
        for name in ["u-b1", "v-c1", "u-c1"] { reports.release(name) }
        for task in tasks { try await task.value }
    }

    @Test func aFullQueueAndALongWaitAnswerRateLimited() async throws {
        var configuration = ReportGate.Configuration()
        configuration.concurrency = 1
        configuration.queuePerOrganization = 1
        configuration.queueTimeout = .milliseconds(200)
        let reports = Reports(configuration)
        let running = reports.start("a1", Self.a)
        try await reports.settle(admitted: 1, waiting: 0)
        let waiting = reports.start("a2", Self.a)
        try await reports.settle(admitted: 1, waiting: 1)
        // The queue of A is full: refused at once.
        let error = await #expect(throws: ServiceError.self) { try await reports.gate.withSlot(Self.a) {} }
        #expect(error?.code == .rateLimited)
        // The waiting report gives up after the queue timeout.
        let timedOut = await #expect(throws: ServiceError.self) { try await waiting.value }
        #expect(timedOut?.code == .rateLimited)
        #expect(reports.gate.snapshot.waiting.isEmpty)
        reports.release("a1")
        try await running.value
    }

    @Test func aCancelledWaitingReportLeavesTheQueueAtOnce() async throws {
        var configuration = ReportGate.Configuration()
        configuration.concurrency = 1
        let reports = Reports(configuration)
        let running = reports.start("a1", Self.a)
        try await reports.settle(admitted: 1, waiting: 0)
        let waiting = reports.start("a2", Self.a)
        try await reports.settle(admitted: 1, waiting: 1)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(reports.gate.snapshot.waiting.isEmpty)
        reports.release("a1")
        try await running.value
        // The cancelled report never ran, and the slot is free.
        let next = reports.start("a3", Self.a)
        try await reports.settle(admitted: 2, waiting: 0)
        #expect(reports.admitted == ["a1", "a3"])
        reports.release("a3")
        try await next.value
    }
}
