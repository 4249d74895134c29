import Foundation
import Logging
import Models
import PostgresNIO
import ServiceLifecycle
import Storage
import Synchronization

/// Group commit. Requests hand their batches to `submit`, which returns once the batch is committed. A writer loop
/// (this ServiceLifecycle service) takes whatever is queued, up to `batchSize` events or after `maxDelay`, and
/// writes it in one transaction per organization. A failed transaction fails exactly the requests in it.
/// The queue is bounded: when full, `submit` throws `OVERLOADED` at once instead of growing memory.
/// On graceful shutdown new submissions are refused and everything queued is written before `run` returns.
public final class EventWriter: Service, Sendable {
    /// Tuning knobs (README: `IV_INGEST_*`).
    public struct Configuration: Sendable {
        /// Most events written in one round (default 5,000).
        public var batchSize = 5_000
        /// Longest a request waits for more requests to join its round (default 5 ms).
        public var maxDelay: Duration = .milliseconds(5)
        /// Most events queued before requests are refused with 503 (default 100,000).
        public var queueCapacity = 100_000
        /// Rounds written at the same time, each in its own transaction, so one round's fsync overlaps the next
        /// round's writing (default 2).
        public var concurrentWriters = 2

        /// The defaults.
        public init() {}
    }

    struct Submission {
        let batch: IngestBatch
        let continuation: CheckedContinuation<Void, any Error>
    }

    struct State {
        var queue: [Submission] = []
        var queuedEvents = 0
        var closed = false
        var waiting: [CheckedContinuation<Void, Never>] = []

        /// Takes every parked writer loop, to be resumed outside the lock.
        mutating func takeWaiting() -> [CheckedContinuation<Void, Never>] {
            defer { waiting = [] }
            return waiting
        }
    }

    let database: Database
    let configuration: Configuration
    let logger: Logger
    /// The clock that decides which events are late (for days that may already be rolled up).
    let now: @Sendable () -> Date
    private let state = Mutex(State())

    /// A writer that stores through `database` (the application role); `now` is the clock.
    public init(
        database: Database, configuration: Configuration = .init(), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Queues `batch` and waits until it is committed (or failed).
    public func submit(_ batch: IngestBatch) async throws {
        if batch.events.isEmpty && batch.identity.isEmpty { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<[CheckedContinuation<Void, Never>], IngestError> = state.withLock { state in
                if state.closed { return .failure(IngestError(.shuttingDown, "the server is shutting down; retry")) }
                if state.queuedEvents + batch.events.count > configuration.queueCapacity && state.queuedEvents > 0 {
                    return .failure(IngestError(.overloaded, "the ingestion queue is full; retry shortly"))
                }
                state.queue.append(Submission(batch: batch, continuation: continuation))
                state.queuedEvents += batch.events.count
                return .success(state.takeWaiting())
            }
            switch outcome {
            case .failure(let error): continuation.resume(throwing: error)
            case .success(let waiters): for waiter in waiters { waiter.resume() }
            }
        }
    }

    /// Events currently waiting to be written.
    public var queuedEvents: Int { state.withLock { $0.queuedEvents } }

    /// The writer loop: runs until graceful shutdown (or cancellation), then drains the queue and returns.
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<max(1, configuration.concurrentWriters) {
                        group.addTask {
                            while let round = await self.nextRound() { await self.write(round) }
                        }
                    }
                }
            } onGracefulShutdown: {
                self.close()
            }
        } onCancel: {
            self.close()
        }
    }

    /// Refuses new submissions and wakes the loop so it drains what is queued and stops.
    private func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            return state.takeWaiting()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits for work, lets a round fill for up to `maxDelay`, and takes it. nil once closed and drained.
    private func nextRound() async -> [Submission]? {
        while true {
            let (empty, closed) = state.withLock { ($0.queue.isEmpty, $0.closed) }
            if empty && closed { return nil }
            if empty {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.queue.isEmpty || state.closed { return true }
                        state.waiting.append(continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
                continue
            }
            if !closed && state.withLock({ $0.queuedEvents }) < configuration.batchSize {
                try? await Task.sleep(for: configuration.maxDelay)
            }
            let round = state.withLock { state in
                var taken: [Submission] = []
                var events = 0
                while let next = state.queue.first, taken.isEmpty || events + next.batch.events.count <= configuration.batchSize {
                    taken.append(state.queue.removeFirst())
                    events += next.batch.events.count
                }
                state.queuedEvents -= events
                return taken
            }
            // Another writer may have taken everything while this one waited for the round to fill.
            if !round.isEmpty { return round }
        }
    }

    /// Writes one round: a transaction per organization; each submission learns its own outcome. When PostgreSQL
    /// refuses an organization's transaction for its data (not for a lost connection), each request of it is
    /// written again on its own, so only the requests whose events cause the error fail and the rest are committed.
    private func write(_ round: [Submission]) async {
        var byOrg: [Org.ID: [Submission]] = [:]
        for submission in round { byOrg[submission.batch.org, default: []].append(submission) }
        for (org, submissions) in byOrg {
            do {
                try await storeRetrying(submissions, org: org)
                for submission in submissions { submission.continuation.resume() }
            } catch let error as PSQLError where error.serverInfo != nil && submissions.count > 1 {
                logger.warning("event round refused; writing its requests one by one", metadata: ["org": "\(org)"])
                for submission in submissions {
                    do {
                        try await storeRetrying([submission], org: org)
                        submission.continuation.resume()
                    } catch {
                        fail([submission], org: org, error)
                    }
                }
            } catch {
                fail(submissions, org: org, error)
            }
        }
    }

    /// Stores `submissions` in one transaction; concurrent rounds creating or merging the same person conflict, and
    /// the loser retries (3 tries in all).
    private func storeRetrying(_ submissions: [Submission], org: Org.ID) async throws {
        var attempt = 1
        while true {
            do {
                try await storeAll(submissions, org: org)
                return
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < 3 {
                attempt += 1
            }
        }
    }

    /// Answers `submissions` with `STORAGE_FAILED` (the cause is logged, never sent to clients).
    private func fail(_ submissions: [Submission], org: Org.ID, _ error: any Error) {
        logger.error("event batch failed", metadata: ["org": "\(org)", "error": "\(String(reflecting: error))"])
        let failure = IngestError(.storageFailed, "the events could not be stored; nothing of this request was written")
        for submission in submissions { submission.continuation.resume(throwing: failure) }
    }

    private func storeAll(_ submissions: [Submission], org: Org.ID) async throws {
        try await database.withTenant(org) { tenant in
            let storedAt = self.now()
            for submission in submissions { try await Self.store(submission.batch, at: storedAt, in: tenant) }
        }
    }

    /// Events older than this may belong to a rolled-up day (rollups close a day an hour after it ends).
    static let lateEventSeconds: TimeInterval = 1_800

    /// Unique violations, deadlocks and serialization failures: conflicts a retry resolves.
    static func isRetryable(_ error: PSQLError) -> Bool {
        ["23505", "40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// Inserts a batch's events (duplicates of stored events are skipped) and applies its identity operations;
    /// events more than `lateEventSeconds` before `now` mark their days for a rollup rebuild.
    static func store(_ batch: IngestBatch, at now: Date, in tenant: TenantConnection) async throws {
        let events = batch.events
        if !events.isEmpty {
            try await tenant.query(
                """
                INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at, properties)
                SELECT \(batch.org.rawValue), \(batch.project.rawValue), u, e, d, t, r, p::jsonb
                FROM unnest(\(events.map(\.uuid))::uuid[], \(events.map(\.event))::text[], \(events.map(\.distinctID))::text[],
                            \(events.map(\.timestamp))::timestamptz[], \(events.map(\.receivedAt))::timestamptz[],
                            \(events.map(\.propertiesJSON))::text[]) AS x(u, e, d, t, r, p)
                ON CONFLICT DO NOTHING
                """)
            // Events for days that may already be rolled up mark those days dirty (migrations/0008_rollups.sql).
            let openSince = now.addingTimeInterval(-Self.lateEventSeconds)
            let late = events.lazy.map(\.timestamp).filter { $0 < openSince }
            if !late.isEmpty {
                try await tenant.query(
                    "SELECT iv_mark_rollup_days(\(batch.org.rawValue), \(batch.project.rawValue), \(Array(late))::timestamptz[])")
            }
        }
        for operation in batch.identity {
            switch operation {
            case .merge(let keep, let other):
                try await tenant.query(
                    "SELECT iv_merge_distinct_ids(\(batch.org.rawValue), \(batch.project.rawValue), \(keep), \(other))")
            case .setProperties(let distinctID, let set, let setOnce):
                try await tenant.query(
                    """
                    SELECT iv_set_person_properties(\(batch.org.rawValue), \(batch.project.rawValue), \(distinctID),
                                                    \(set)::jsonb, \(setOnce)::jsonb)
                    """)
            }
        }
    }
}
