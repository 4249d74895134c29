import Foundation
import Logging
import Metrics
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
        /// Longest a request waits for more requests to join its round (default 2 ms), while another round is being
        /// written: under load rounds grow, and a request that finds every writer idle is written at once. 2 ms, not
        /// the earlier 5, cut the paced p99 at half rate (docs/benchmarks.md, "Round fill delay") and left the
        /// full-load rates where they were.
        public var maxDelay: Duration = .milliseconds(2)
        /// Most events queued before requests are refused with 503 (default 100,000).
        public var queueCapacity = 100_000
        /// Rounds written at the same time, each in its own transaction, so one round's fsync overlaps the next
        /// round's writing (default 2).
        public var concurrentWriters = 2
        /// Longest a round (and a token lookup) waits for a database connection before its requests get 503
        /// `DATABASE_UNAVAILABLE` (default 5 s): while PostgreSQL is down, requests are answered instead of hanging.
        public var databaseWait: Duration = .seconds(5)
        /// Longest a round's transaction may take once it holds its connection (default 30 s); past it the connection
        /// is closed and the round's requests get 503 `STORAGE_FAILED`. It ends rounds whose connection died under
        /// them (PostgreSQL killed mid-statement), which would otherwise wait forever.
        public var roundTimeout: Duration = .seconds(30)

        /// The defaults.
        public init() {}
    }

    struct Submission {
        let batch: IngestBatch
        let continuation: CheckedContinuation<Void, any Error>
        /// When the request handed its batch over (for the round's debug log).
        let queuedAt = ContinuousClock.now
    }

    struct State {
        var queue: [Submission] = []
        var queuedEvents = 0
        var closed = false
        /// Rounds taken and not yet written.
        var inFlight = 0
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
    /// The projects this writer committed late events for, and when (read by the rollup service).
    public let lateWrites: LateWrites
    private let state = Mutex(State())

    /// A writer that stores through `database` (the application role); `now` is the clock.
    public init(
        database: Database, configuration: Configuration = .init(), logger: Logger, lateWrites: LateWrites = LateWrites(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.configuration = configuration
        self.logger = logger
        self.lateWrites = lateWrites
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
                            while let round = await self.nextRound() {
                                await self.write(round)
                                self.state.withLock { $0.inFlight -= 1 }
                            }
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

    /// Waits for work, lets a round fill until its oldest request has waited `maxDelay` while another round is being
    /// written, and takes it.
    /// nil once closed and drained. Waiting only then keeps an idle server's latency down (a paced client's request
    /// is written at once) and still groups a busy one's: requests answered by the round in flight come back while
    /// this one fills, instead of being left to a round of their own.
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
            let fillUntil = state.withLock { state in
                Self.fillDeadline(
                    oldest: state.queue.first?.queuedAt, queuedEvents: state.queuedEvents, inFlight: state.inFlight,
                    configuration: configuration)
            }
            if !closed, let fillUntil, fillUntil > ContinuousClock.now {
                try? await Task.sleep(until: fillUntil, clock: .continuous)
            }
            let round = state.withLock { state in
                var taken: [Submission] = []
                var events = 0
                while let next = state.queue.first, taken.isEmpty || events + next.batch.events.count <= configuration.batchSize {
                    taken.append(state.queue.removeFirst())
                    events += next.batch.events.count
                }
                state.queuedEvents -= events
                if !taken.isEmpty { state.inFlight += 1 }
                return taken
            }
            // Another writer may have taken everything while this one waited for the round to fill.
            if !round.isEmpty { return round }
        }
    }

    /// Until when a round whose oldest request was queued at `oldest` waits for more requests: nil (not at all) when no
    /// other round is being written or the queue already fills a round. The delay counts from that request's arrival,
    /// so a request that already waited for a free writer (every one was busy) is not held back again.
    static func fillDeadline(
        oldest: ContinuousClock.Instant?, queuedEvents: Int, inFlight: Int, configuration: Configuration
    ) -> ContinuousClock.Instant? {
        guard let oldest, queuedEvents < configuration.batchSize, inFlight > 0 else { return nil }
        return oldest + configuration.maxDelay
    }

    /// Writes one round: a transaction per organization; each submission learns its own outcome. When PostgreSQL
    /// refuses an organization's transaction for its data (`isDataError`: not for a lost connection or a timeout),
    /// each request of it is written again on its own, and a request refused on its own is written in halves until
    /// the events (or person updates) that cause the error are found: the rest is committed and those are kept in
    /// the organization's `dead_letters` with PostgreSQL's reason. Such a request succeeds: all it brought is stored.
    private func write(_ round: [Submission]) async {
        var byOrg: [Org.ID: [Submission]] = [:]
        for submission in round { byOrg[submission.batch.org, default: []].append(submission) }
        for (org, submissions) in byOrg {
            do {
                let started = ContinuousClock.now
                try await storeRetrying(submissions.map(\.batch), org: org)
                Self.commitDuration.record(since: started)
                Self.batchEvents.record(submissions.reduce(0) { $0 + $1.batch.events.count })
                for submission in submissions { submission.continuation.resume() }
                logRound(submissions, started: started)
            } catch let error as PSQLError where Self.isDataError(error) {
                logger.warning("event round refused; writing its requests apart", metadata: ["org": "\(org)"])
                for submission in submissions {
                    do {
                        try await storeIsolating(submission.batch, knownToFail: submissions.count == 1)
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

    /// One organization's transaction of a round, `BEGIN` to `COMMIT` (`insightvault_write_commit_duration_seconds`).
    static let commitDuration = Metrics.Timer(label: "insightvault_write_commit_duration_seconds")
    /// The events of one such transaction (`insightvault_write_batch_events`).
    static let batchEvents = Recorder(label: "insightvault_write_batch_events")

    /// At debug level, one line per committed round: its events and requests, how long its transaction took and
    /// how long its requests waited in all (queue, round filling, transaction), the server's side of their latency.
    private func logRound(_ submissions: [Submission], started: ContinuousClock.Instant) {
        guard logger.logLevel <= .debug else { return }
        let now = ContinuousClock.now
        let waits = submissions.map { (now - $0.queuedAt).wholeMilliseconds }
        logger.debug(
            "event round committed",
            metadata: [
                "events": "\(submissions.reduce(0) { $0 + $1.batch.events.count })",
                "requests": "\(submissions.count)",
                "transactionMs": "\((now - started).wholeMilliseconds)",
                "longestWaitMs": "\(waits.max() ?? 0)",
            ])
    }

    /// Stores `batches` in one transaction; concurrent rounds creating or merging the same person conflict, and
    /// the loser retries (3 tries in all).
    private func storeRetrying(_ batches: [IngestBatch], org: Org.ID) async throws {
        var attempt = 1
        while true {
            do {
                try await storeAll(batches, org: org)
                return
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < 3 {
                attempt += 1
            }
        }
    }

    /// Stores what of `batch` PostgreSQL accepts and keeps the rest as dead letters (see `write`). `knownToFail`:
    /// the whole batch was just refused on its own, so halving starts at once.
    private func storeIsolating(_ batch: IngestBatch, knownToFail: Bool) async throws {
        let items = batch.events.map(DeadLetter.Item.event) + batch.identity.map(DeadLetter.Item.identity)
        var refused: [DeadLetter] = []
        try await storeHalving(items[...], of: batch, tryWhole: !knownToFail, refused: &refused)
        guard !refused.isEmpty else { return }
        logger.warning(
            "parts of a request refused by the database are kept as dead letters",
            metadata: ["org": "\(batch.org)", "count": "\(refused.count)"])
        try await database.withTenant(batch.org) { tenant in
            try await Self.storeDeadLetters(refused, of: batch, in: tenant)
        }
    }

    /// Stores `items` of `batch` (events, then person updates, in their order) in one transaction; when PostgreSQL
    /// refuses them for their data, each half again, down to single items, which are added to `refused`.
    private func storeHalving(
        _ items: ArraySlice<DeadLetter.Item>, of batch: IngestBatch, tryWhole: Bool, refused: inout [DeadLetter]
    ) async throws {
        if items.isEmpty { return }
        if tryWhole {
            var part = IngestBatch(org: batch.org, project: batch.project, events: [], identity: [])
            for item in items {
                switch item {
                case .event(let event): part.events.append(event)
                case .identity(let operation): part.identity.append(operation)
                }
            }
            do {
                try await storeRetrying([part], org: batch.org)
                return
            } catch let error as PSQLError where Self.isDataError(error) && items.count == 1 {
                refused.append(DeadLetter(item: items[items.startIndex], error: error))
                return
            } catch let error as PSQLError where Self.isDataError(error) {
                // Halve below.
            }
        }
        let middle = items.startIndex + items.count / 2
        try await storeHalving(items[..<middle], of: batch, tryWhole: true, refused: &refused)
        try await storeHalving(items[middle...], of: batch, tryWhole: true, refused: &refused)
    }

    /// Answers `submissions` with `STORAGE_FAILED`, or `DATABASE_UNAVAILABLE` when no connection came in time (the
    /// cause is logged, never sent to clients).
    private func fail(_ submissions: [Submission], org: Org.ID, _ error: any Error) {
        logger.error("event batch failed", metadata: ["org": "\(org)", "error": "\(String(reflecting: error))"])
        let failure =
            (error as? IngestError).flatMap { $0.code == .databaseUnavailable ? $0 : nil }
            ?? IngestError(.storageFailed, "the events could not be stored; nothing of this request was written")
        for submission in submissions { submission.continuation.resume(throwing: failure) }
        // The requests queued meanwhile would wait for a connection as long again: they get the same answer now, so
        // no request waits much longer than `databaseWait` while the database is down.
        guard failure.code == .databaseUnavailable else { return }
        let queued = state.withLock { state -> [Submission] in
            defer {
                state.queue = []
                state.queuedEvents = 0
            }
            return state.queue
        }
        for submission in queued { submission.continuation.resume(throwing: failure) }
    }

    /// Stores `batches` in one tenant transaction, waiting at most `databaseWait` for its connection; a transaction
    /// that takes longer than `roundTimeout` has its connection closed (see `Database.withTenant(_:connectionWait:…)`).
    private func storeAll(_ batches: [IngestBatch], org: Org.ID) async throws {
        let wait = configuration.databaseWait
        let (lateProjects, storedAt) = try await database.withTenant(
            org, connectionWait: wait, timeout: configuration.roundTimeout, unavailable: { IngestError.databaseUnavailable(wait) }
        ) { tenant in
            let storedAt = self.now()
            return (try await Self.store(batches, org: org, at: storedAt, in: tenant), storedAt)
        }
        if !lateProjects.isEmpty { lateWrites.record(lateProjects, at: storedAt) }
    }

    /// Events older than this may belong to a rolled-up day or prefix: rollups close a day an hour after it ends and
    /// cut the open day's prefix at least 20 minutes before now (`RollupBuilder.Configuration.prefixStep`), which
    /// leaves five minutes for a round's commit and for clocks that differ between servers.
    static let lateEventSeconds: TimeInterval = 900

    /// Unique violations, deadlocks and serialization failures: conflicts a retry resolves.
    static func isRetryable(_ error: PSQLError) -> Bool {
        ["23505", "40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// Refusals caused by the data written, which writing the same data again repeats: SQLSTATE classes 22 (data
    /// exception, e.g. a number jsonb cannot hold), 23 (integrity constraint) and 54 (program limit exceeded), except
    /// the conflicts `isRetryable` resolves. A lost connection, a timeout or a server shutting down is not one.
    static func isDataError(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState], !isRetryable(error) else { return false }
        return ["22", "23", "54"].contains(String(state.prefix(2)))
    }

    /// Stores a round's `batches` (all of `org`) with as few statements as the round allows, whatever the number of
    /// requests in it: one insert for every event of every project (duplicates of stored events, and later copies of
    /// a uuid within the round, are skipped), one dirty-mark call per project that got late events, then the identity
    /// operations in arrival order. Events more than `lateEventSeconds` before `now` mark their days for a rollup
    /// rebuild. The statement count per round no longer grows with the requests in it: under load a round holds
    /// dozens of requests, and each statement is a round trip and a parse and plan in PostgreSQL.
    /// Returns the projects that got late events.
    static func store(_ batches: [IngestBatch], org: Org.ID, at now: Date, in tenant: TenantConnection) async throws -> [UUID] {
        let rows = EventRows(batches)
        var lateProjects: [UUID] = []
        if !rows.uuids.isEmpty {
            try await tenant.query(insertQuery(rows, org: org))
            // Events for days that may already be rolled up mark those days dirty (migrations/0008_rollups.sql).
            for (project, times) in rows.lateTimes(before: now.addingTimeInterval(-Self.lateEventSeconds)) {
                lateProjects.append(project)
                // Rows are read to the end: an error raised while the statement runs (a deadlock) arrives after the
                // row description, and a result left unread would hide it until COMMIT silently rolls back.
                _ = try await tenant.query(
                    "SELECT iv_mark_rollup_days(\(org.rawValue), \(project), \(times)::timestamptz[])"
                ).collect()
            }
        }
        try await applyIdentity(batches, org: org, in: tenant)
        return lateProjects
    }

    /// The one insert of a round's events and their keys. An event whose uuid the project stored with a timestamp on
    /// the same UTC day, or the day before or after, is skipped (migrations/0019_event_keys_by_day.sql): the neighbour
    /// days are looked up, the key (org, project, day, uuid; migrations/0022) settles concurrent copies on one day. The first copy of a uuid
    /// in the round wins; keys are inserted in key order so concurrent rounds lock them in one order.
    ///
    /// The neighbour days are columns of `x`, not expressions in the lookup: under row-level security PostgreSQL
    /// uses a condition as an index condition only when every function in it is leakproof, and `AT TIME ZONE` and
    /// `date - 1` are not. Written inline, the lookup read every key of the project (a hash anti-join over a
    /// sequential scan: seconds per round at 10M keys). `EventWriterTests` checks the plan.
    static func insertQuery(_ rows: EventRows, org: Org.ID) -> PostgresQuery {
        """
        WITH x AS (
            SELECT DISTINCT ON (j, u) j, u, e, d, t, r, p,
                   (t AT TIME ZONE 'UTC')::date - 1 AS prev_day, (t AT TIME ZONE 'UTC')::date + 1 AS next_day
            FROM unnest(\(rows.projects)::uuid[], \(rows.uuids)::uuid[], \(rows.names)::text[],
                        \(rows.distinctIDs)::text[], \(rows.timestamps)::timestamptz[],
                        \(rows.receivedAts)::timestamptz[], \(rows.properties)::text[])
                 WITH ORDINALITY AS x(j, u, e, d, t, r, p, n)
            ORDER BY j, u, n
        ), fresh AS (
            INSERT INTO event_keys (org_id, project_id, uuid, "timestamp")
            SELECT \(org.rawValue), j, u, t FROM x
            WHERE NOT EXISTS (
                SELECT FROM event_keys k
                WHERE k.org_id = \(org.rawValue) AND k.project_id = x.j AND k.uuid = x.u
                  AND k.day = ANY (ARRAY[x.prev_day, x.next_day]))
            ORDER BY j, (t AT TIME ZONE 'UTC')::date, u
            ON CONFLICT DO NOTHING
            RETURNING project_id, uuid
        )
        INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at, properties)
        SELECT \(org.rawValue), x.j, x.u, x.e, x.d, x.t, x.r, x.p::jsonb
        FROM x JOIN fresh ON fresh.project_id = x.j AND fresh.uuid = x.u
        """
    }

    /// Applies the identity operations of `batches` in arrival order with one statement: the functions run row by
    /// row in the order of the arrays (a function scan keeps it), as the statements per operation did. A `nil`
    /// `$set`/`$set_once` is sent as `{}`, which `iv_set_person_properties` treats alike.
    static func applyIdentity(_ batches: [IngestBatch], org: Org.ID, in tenant: TenantConnection) async throws {
        var projects: [UUID] = []
        var kinds: [String] = []
        var firsts: [String] = []
        var seconds: [String] = []
        var sets: [String] = []
        var setOnces: [String] = []
        for batch in batches {
            for operation in batch.identity {
                projects.append(batch.project.rawValue)
                switch operation {
                case .merge(let keep, let other):
                    kinds.append("merge")
                    firsts.append(keep)
                    seconds.append(other)
                    sets.append("{}")
                    setOnces.append("{}")
                case .setProperties(let distinctID, let set, let setOnce):
                    kinds.append("set")
                    firsts.append(distinctID)
                    seconds.append("")
                    sets.append(set ?? "{}")
                    setOnces.append(setOnce ?? "{}")
                }
            }
        }
        guard !kinds.isEmpty else { return }
        // Read to the end, so that an operation PostgreSQL refuses (a `$set` jsonb cannot hold) fails the round.
        _ = try await tenant.query(
            """
            SELECT count(CASE k WHEN 'merge' THEN iv_merge_distinct_ids(\(org.rawValue), j, a, b)::text
                                ELSE iv_set_person_properties(\(org.rawValue), j, a, s::jsonb, o::jsonb)::text END)
            FROM unnest(\(projects)::uuid[], \(kinds)::text[], \(firsts)::text[], \(seconds)::text[], \(sets)::text[],
                        \(setOnces)::text[]) AS x(j, k, a, b, s, o)
            """
        ).collect()
    }
}
