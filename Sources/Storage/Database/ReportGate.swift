import Metrics
import Models
import Synchronization

/// Admission of report (snapshot) transactions, per organization: at most `concurrency` run at once (each on a
/// connection of the report pool, so reports never take a connection ingestion, log-in or health checks need), at
/// most `perOrganization` of them for one organization, so one organization can take at most that share and the
/// rest stays for the others. The same cap applies per requester (`requester`, the signed-in user), so a user who
/// creates many organizations still takes one share. Waiting reports queue per organization and are admitted round-robin over the
/// organizations that wait, oldest first within one. A queue holds at most `queuePerOrganization` reports and a
/// report waits at most `queueTimeout`; beyond either it is refused with `RATE_LIMITED`. A waiting report whose task
/// is cancelled (its client left) leaves the queue at once.
public final class ReportGate: Sendable {
    /// The gate's limits (README: `IV_REPORT_*`).
    public struct Configuration: Sendable, Equatable {
        /// Reports running at once, over all organizations (default 4); also the report pool's size.
        public var concurrency = 4
        /// Reports of one organization running at once (default 2).
        public var perOrganization = 2
        /// Reports of one organization waiting at once (default 32).
        public var queuePerOrganization = 32
        /// Longest a report waits for a slot (default 30 s).
        public var queueTimeout: Duration = .seconds(30)

        /// The defaults.
        public init() {}
    }

    /// What the gate is doing, for tests and metrics.
    public struct Snapshot: Sendable, Equatable {
        /// Running reports per organization.
        public var running: [Org.ID: Int]
        /// Waiting reports per organization.
        public var waiting: [Org.ID: Int]
    }

    /// Who asks for the reports of the current task (the user, set by the tenancy layer); nil: nobody in particular.
    @TaskLocal public static var requester: String?

    private struct Waiter {
        let id: UInt64
        let requester: String?
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var runningByOrg: [Org.ID: Int] = [:]
        var runningByRequester: [String: Int] = [:]
        var queues: [Org.ID: [Waiter]] = [:]
        /// Organizations with waiting reports, in the order they are served next.
        var turn: [Org.ID] = []
        var nextID: UInt64 = 0
    }

    /// The limits.
    public let configuration: Configuration
    private let state = Mutex(State())

    /// A gate with `configuration` (every limit at least 1).
    public init(configuration: Configuration = .init()) {
        var checked = configuration
        checked.concurrency = max(1, configuration.concurrency)
        checked.perOrganization = min(max(1, configuration.perOrganization), checked.concurrency)
        checked.queuePerOrganization = max(0, configuration.queuePerOrganization)
        self.configuration = checked
    }

    /// Runs `body` once a slot of `org` (and of the task's `requester`) is free, and frees it when `body` ends.
    public func withSlot<T>(_ org: Org.ID, _ body: () async throws -> T) async throws -> T {
        let requester = Self.requester
        let asked = ContinuousClock.now
        try await acquire(org, requester)
        Self.admissionWait.record(since: asked)
        defer { release(org, requester) }
        return try await body()
    }

    /// The gate's current occupation.
    public var snapshot: Snapshot {
        state.withLock { state in
            Snapshot(running: state.runningByOrg, waiting: state.queues.mapValues(\.count).filter { $0.value > 0 })
        }
    }

    /// Queues the report and admits whatever may run now (possibly this report at once); then waits for admission.
    private func acquire(_ org: Org.ID, _ requester: String?) async throws {
        let timer = Mutex<Task<Void, any Error>?>(nil)
        defer { timer.withLock { $0?.cancel() } }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> (admitted: [Waiter], refusal: (any Error)?) in
                    if Task.isCancelled { return ([], CancellationError()) }
                    if state.queues[org, default: []].isEmpty { state.turn.append(org) }
                    state.queues[org, default: []].append(Waiter(id: id, requester: requester, continuation: continuation))
                    let admitted = admitWaiting(&state)
                    // Refused when it would wait in a full queue (it was not admitted, so it is still queued).
                    if !admitted.contains(where: { $0.id == id }), var queue = state.queues[org],
                        queue.count > configuration.queuePerOrganization
                    {
                        queue.removeAll { $0.id == id }
                        state.queues[org] = queue.isEmpty ? nil : queue
                        if queue.isEmpty { state.turn.removeAll { $0 == org } }
                        return (
                            admitted,
                            ServiceError(.rateLimited, "too many reports of this organization are waiting; retry shortly", retryAfter: 1)
                        )
                    }
                    return (admitted, nil)
                }
                for waiter in outcome.admitted { waiter.continuation.resume() }
                if let refusal = outcome.refusal {
                    Self.refused(reason: "queue_full")
                    continuation.resume(throwing: refusal)
                    return
                }
                guard !outcome.admitted.contains(where: { $0.id == id }) else { return }
                let timeout = configuration.queueTimeout
                timer.withLock {
                    $0 = Task {
                        try await Task.sleep(for: timeout)
                        let left = self.leave(
                            org, id: id,
                            with: ServiceError(.rateLimited, "the server is busy with reports; retry shortly", retryAfter: 1))
                        if left { Self.refused(reason: "queue_timeout") }
                    }
                }
            }
        } onCancel: {
            self.leave(org, id: id, with: CancellationError())
        }
    }

    /// Takes the waiter `id` of `org` out of its queue and fails it with `error` (it was cancelled or waited too long);
    /// false when it was no longer waiting.
    @discardableResult
    private func leave(_ org: Org.ID, id: UInt64, with error: any Error) -> Bool {
        let waiter = state.withLock { state -> Waiter? in
            guard var queue = state.queues[org], let index = queue.firstIndex(where: { $0.id == id }) else { return nil }
            let waiter = queue.remove(at: index)
            state.queues[org] = queue.isEmpty ? nil : queue
            if queue.isEmpty { state.turn.removeAll { $0 == org } }
            return waiter
        }
        waiter?.continuation.resume(throwing: error)
        return waiter != nil
    }

    /// How long admitted reports waited for their slot (`insightvault_report_admission_wait_seconds`).
    static let admissionWait = Metrics.Timer(label: "insightvault_report_admission_wait_seconds")

    /// Counts a refused report (`insightvault_report_admission_refused_total{reason}`: `queue_full`, `queue_timeout`).
    static func refused(reason: String) {
        Counter(label: "insightvault_report_admission_refused_total", dimensions: [("reason", reason)]).increment()
    }

    private func release(_ org: Org.ID, _ requester: String?) {
        let admitted = state.withLock { state -> [Waiter] in
            state.running -= 1
            let left = state.runningByOrg[org, default: 1] - 1
            state.runningByOrg[org] = left > 0 ? left : nil
            if let requester {
                let left = state.runningByRequester[requester, default: 1] - 1
                state.runningByRequester[requester] = left > 0 ? left : nil
            }
            return admitWaiting(&state)
        }
        for waiter in admitted { waiter.continuation.resume() }
    }

    private func canRun(_ org: Org.ID, _ requester: String?, _ state: State) -> Bool {
        guard state.running < configuration.concurrency, state.runningByOrg[org, default: 0] < configuration.perOrganization
        else { return false }
        guard let requester else { return true }
        return state.runningByRequester[requester, default: 0] < configuration.perOrganization
    }

    private func admit(_ org: Org.ID, _ requester: String?, _ state: inout State) {
        state.running += 1
        state.runningByOrg[org, default: 0] += 1
        if let requester { state.runningByRequester[requester, default: 0] += 1 }
    }

    /// Admits waiting reports while slots are free: the organizations take turns, one report per turn (the oldest
    /// of the organization's reports that it and its requester may run now).
    private func admitWaiting(_ state: inout State) -> [Waiter] {
        var admitted: [Waiter] = []
        var passed = 0
        while state.running < configuration.concurrency && passed < state.turn.count {
            let org = state.turn.removeFirst()
            guard var queue = state.queues[org],
                let index = queue.firstIndex(where: { canRun(org, $0.requester, state) })
            else {
                state.turn.append(org)
                passed += 1
                continue
            }
            let waiter = queue.remove(at: index)
            admit(org, waiter.requester, &state)
            admitted.append(waiter)
            state.queues[org] = queue.isEmpty ? nil : queue
            if !queue.isEmpty { state.turn.append(org) }
            passed = 0
        }
        return admitted
    }
}
