import Foundation
import Logging
import Models
import PostgresNIO
import Storage

/// Passes: which days a pass builds, and in which order, so that no tenant's backlog holds up another's current days.
///
/// A project's rolled-up days are the range `[built_from, built_through)` (`rollup_state`). A pass gives each project
/// at most `maxDaysPerProject` days, newest first: the closed days after the range (oldest first, so the range stays
/// one piece), the open day's prefix, dirty days of the range, then its history before the range back to its first
/// event. It runs them in rounds: in each round every organization builds one day, its projects taking turns, so the
/// most current day of every tenant is built before any tenant's second day.
extension RollupBuilder {
    /// What one pass did.
    public struct Pass: Sendable {
        /// One day a pass rolled up.
        public struct Day: Sendable, Equatable, CustomStringConvertible {
            /// The project's organization.
            public let org: Org.ID
            /// The project.
            public let project: Project.ID
            /// The local day, `yyyy-MM-dd`.
            public let day: String

            /// `project day`, for test failures and logs.
            public var description: String { "\(project) \(day)" }
        }

        /// The days built, in the order they were built.
        public var days: [Day] = []
        /// Whether a project had more days to build than one pass allows: the next pass should follow at once.
        public var unfinished = false
        /// Projects whose planning or a build failed in this pass (logged; their other days wait for the next pass).
        public var failed: [Project.ID] = []
    }

    /// One day a pass builds for a project, and how.
    enum Job: Equatable {
        /// The closed day at `built_through`: built, then `built_through` moves past it.
        case next(LocalDay)
        /// The open day's events before `through`, rebuilt as that instant moves on or the day changes.
        case prefix(LocalDay, through: Date)
        /// A day of the range marked dirty: rebuilt.
        case dirty(LocalDay)
        /// The day before `built_from` (the project's history): built, then `built_from` moves down to it.
        case history(LocalDay)

        /// Whether this is the rebuild of a dirty day.
        var isDirty: Bool {
            if case .dirty = self { return true }
            return false
        }
    }

    /// One pass over every project, fair across tenants (see above). Stops between days when the task is cancelled
    /// (`CancellationError`); a project that fails is logged and skipped until the next pass. The dirty days of a
    /// project for which `deferringDirtyDays` answers true are left for a later pass (the rollup service defers them
    /// while a backfill into them goes on: `LateWrites`); its other days are built.
    public func refreshAll(
        now: Date = Date(), deferringDirtyDays: @Sendable (Project.ID) -> Bool = { _ in false }
    ) async throws -> Pass {
        let rows = try await database.client.query(
            "SELECT org_id, project_id, timezone FROM projects ORDER BY org_id, project_id", logger: database.logger
        ).collect()
        var pass = Pass()
        // Per organization, its projects with days to build, in turn order.
        var queues: [[(scope: ReportScope, jobs: ArraySlice<Job>)]] = []
        var lastOrg: Org.ID?
        for row in rows {
            try Task.checkCancellation()
            let (org, project, timezone) = try row.decode((UUID, UUID, String).self)
            let scope = ReportScope(org: Org.ID(org), project: Project.ID(project), timezone: timezone)
            let plan: (jobs: [Job], unfinished: Bool)
            do {
                plan = try await self.plan(scope, now: now, limit: configuration.maxDaysPerProject)
            } catch {
                try failed(scope, nil, error, &pass)
                continue
            }
            pass.unfinished = pass.unfinished || plan.unfinished
            var jobs = plan.jobs
            if jobs.contains(where: \.isDirty) && deferringDirtyDays(scope.project) { jobs.removeAll(where: \.isDirty) }
            guard !jobs.isEmpty else { continue }
            if lastOrg != scope.org { queues.append([]) }
            lastOrg = scope.org
            queues[queues.count - 1].append((scope, jobs[...]))
        }
        while !queues.isEmpty {
            for o in queues.indices {
                var (scope, jobs) = queues[o].removeFirst()
                let job = jobs.removeFirst()
                try Task.checkCancellation()
                do {
                    if let day = try await run(job, scope: scope) { pass.days.append(day) }
                    if !jobs.isEmpty { queues[o].append((scope, jobs)) }
                } catch {
                    try failed(scope, job, error, &pass)
                }
            }
            queues.removeAll { $0.isEmpty }
        }
        return pass
    }

    /// Brings one project's rollups up to date, pass after pass; returns how many days were built.
    @discardableResult
    public func refresh(_ scope: ReportScope, now: Date = Date()) async throws -> Int {
        var built = 0
        while true {
            let plan = try await self.plan(scope, now: now, limit: configuration.maxDaysPerProject)
            var progressed = false
            for job in plan.jobs {
                try Task.checkCancellation()
                if try await run(job, scope: scope) != nil {
                    built += 1
                    progressed = true
                }
            }
            if !plan.unfinished || !progressed { return built }
        }
    }

    /// Logs a project's failure in a pass and records it; cancellation ends the pass instead.
    private func failed(_ scope: ReportScope, _ job: Job?, _ error: Error, _ pass: inout Pass) throws {
        if error is CancellationError || Task.isCancelled { throw CancellationError() }
        database.logger.error(
            "rollup build failed",
            metadata: [
                "org": "\(scope.org)", "project": "\(scope.project)", "job": "\(job.map { String(describing: $0) } ?? "plan")",
                "error": "\(String(reflecting: error))",
            ])
        pass.failed.append(scope.project)
    }

    /// Builds one job's day; returns it when something was built.
    func run(_ job: Job, scope: ReportScope) async throws -> Pass.Day? {
        let (day, built): (LocalDay, Bool)
        switch job {
        case .next(let next):
            (day, built) = (next, try await build(next, scope: scope, extend: .through))
        case .prefix(let open, let cut):
            (day, built) = (open, try await build(open, scope: scope, extend: .none, through: cut))
        case .dirty(let dirty):
            (day, built) = (dirty, try await build(dirty, scope: scope, extend: .none))
        case .history(let past):
            (day, built) = (past, try await build(past, scope: scope, extend: .from))
        }
        return built ? Pass.Day(org: scope.org, project: scope.project, day: day.text) : nil
    }

    /// The days one pass builds for a project, at most `limit`, newest first (closed days after the range oldest
    /// first); `unfinished` when more were due. Creates the project's state on its first pass (an empty range at the
    /// open day, so its history is built backwards from there) and starts again when its time zone changed.
    func plan(_ scope: ReportScope, now: Date, limit: Int) async throws -> (jobs: [Job], unfinished: Bool) {
        let zone = scope.timeZone.identifier
        let (org, project) = (scope.org.rawValue, scope.project.rawValue)
        // The first day not closed yet: days before it ended at least `closeAfter` ago.
        let open = LocalDay(now.addingTimeInterval(-configuration.closeAfter), Interval.calendar(scope.timeZone))
        // The open day's prefix: its events before the last multiple of `prefixStep` at least two steps ago, or all of
        // them once that is past the day's end (in the hour before the day closes). Events older than that arrive at
        // least 20 minutes late and mark the day.
        let step = configuration.prefixStep
        let openStart = Interval.day.bucketStart(of: now.addingTimeInterval(-configuration.closeAfter), in: scope.timeZone)
        let cut = min(
            Date(timeIntervalSince1970: ((now.timeIntervalSince1970 - 2 * step) / step).rounded(.down) * step),
            Interval.day.nextBucket(after: openStart, in: scope.timeZone))
        return try await database.withTenant(scope.org) { tx in
            func state() async throws -> (timezone: String, from: Int32?, through: Int32)? {
                try await tx.query(
                    """
                    SELECT timezone, built_from - DATE '1970-01-01', built_through - DATE '1970-01-01' FROM rollup_state
                    WHERE org_id = \(org) AND project_id = \(project)
                    """
                ).collect().first.map { try $0.decode((String, Int32?, Int32).self) }
            }
            var current = try await state()
            if let found = current, found.timezone != zone {
                // The project's time zone changed: the days were cut differently; start again.
                for table in RollupTable.allCases {
                    var delete = SQLBuilder()
                    delete.append(
                        """
                        DELETE FROM \(SQLText(trusted: table))
                        WHERE org_id = \(delete.bind(org)) AND project_id = \(delete.bind(project))
                        """)
                    try await tx.query(delete.query)
                }
                current = nil
            }
            if current == nil {
                let any = try await tx.query(
                    "SELECT EXISTS (SELECT 1 FROM events e WHERE e.org_id = \(org) AND e.project_id = \(project))"
                ).collect()
                guard try any[0].decode(Bool.self) else { return ([], false) }
                try await tx.query(
                    """
                    INSERT INTO rollup_state (org_id, project_id, timezone, built_from, built_through)
                    VALUES (\(org), \(project), \(zone), DATE '1970-01-01' + \(open.number)::int4, DATE '1970-01-01' + \(open.number)::int4)
                    ON CONFLICT DO NOTHING
                    """)
                current = try await state()
            }
            guard let (_, from, through) = current else { return ([], false) }
            var jobs: [Job] = []
            var unfinished = false
            func add(_ job: Job) -> Bool {
                guard jobs.count < limit else {
                    unfinished = true
                    return false
                }
                jobs.append(job)
                return true
            }
            // Closed days after the range, oldest first.
            var day = through
            while day < open.number, add(.next(LocalDay(number: day))) { day += 1 }
            guard !unfinished else { return (jobs, true) }
            // The open day's prefix, when the range reaches it and the prefix is missing, older or dirty.
            if through <= open.number && cut > openStart {
                let prefix = try await tx.query(
                    """
                    SELECT (SELECT through FROM rollup_days WHERE org_id = \(org) AND project_id = \(project)
                              AND day = DATE '1970-01-01' + \(open.number)::int4 AND event = ''),
                           EXISTS (SELECT 1 FROM rollup_dirty WHERE org_id = \(org) AND project_id = \(project)
                                     AND day = DATE '1970-01-01' + \(open.number)::int4)
                    """
                ).collect()[0].decode((Date?, Bool).self)
                if through < open.number || prefix.1 || prefix.0 != cut {
                    guard add(.prefix(open, through: cut)) else { return (jobs, true) }
                }
            }
            // Dirty days of the range, newest first.
            let dirty = try await tx.query(
                """
                SELECT day - DATE '1970-01-01' FROM rollup_dirty
                WHERE org_id = \(org) AND project_id = \(project) AND day < DATE '1970-01-01' + \(through)::int4
                  AND (\(from)::int4 IS NULL OR day >= DATE '1970-01-01' + \(from)::int4)
                ORDER BY day DESC LIMIT \(Int64(limit - jobs.count + 1))
                """
            ).collect()
            for row in dirty {
                guard add(.dirty(LocalDay(number: try row.decode(Int32.self)))) else { return (jobs, true) }
            }
            // The history before the range, newest first, back to the first event's day.
            guard let from else { return (jobs, false) }
            let first = try await tx.query(
                """
                SELECT (min(e."timestamp") AT TIME ZONE \(zone))::date - DATE '1970-01-01' FROM events e
                WHERE e.org_id = \(org) AND e.project_id = \(project)
                  AND e."timestamp" < ((DATE '1970-01-01' + \(from)::int4)::timestamp AT TIME ZONE \(zone))
                """
            ).collect()[0].decode(Int32?.self)
            if let first {
                var day = from - 1
                while day >= first, add(.history(LocalDay(number: day))) { day -= 1 }
            }
            return (jobs, unfinished)
        }
    }
}

extension LocalDay {
    /// The day as `yyyy-MM-dd`.
    var text: String {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(number) * 86_400))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
