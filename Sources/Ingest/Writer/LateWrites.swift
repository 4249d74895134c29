import Foundation
import Synchronization

/// Which projects this server is writing late events for (a backfill, or SDKs flushing old queues), so that the
/// rollup service does not rebuild their dirty days over and over while those events keep coming.
///
/// Every round of late events marks its days dirty, and a pass rebuilds every dirty day: under a steady backfill into
/// one day, that day (all its events, not only the new ones) was rebuilt once a minute, and each rebuild took the CPU
/// that ingestion needed (docs/benchmarks.md, "Rollup rebuilds during a backfill"). A project's dirty days now wait
/// until no late event has arrived for it for `quiet` seconds, or at most `longestDeferral` seconds since the first
/// deferral, so a backfill that never pauses still gets its days rebuilt. Reports stay exact either way: a dirty day
/// is read from raw events until it is rebuilt.
///
/// Only this process's writer is seen; with several servers, each one's rollup service defers for its own writer. A
/// server that just started has not seen its writer yet: given `startedAt`, every project's dirty days wait until
/// `quiet` seconds after it, so a restart in the middle of a backfill (a rolling deploy) does not rebuild the
/// backfill's days at once while ingestion resumes (docs/benchmarks.md, "A restart during a backfill").
public final class LateWrites: Sendable {
    /// How long a project must go without late events before its dirty days are rebuilt (default 120 s).
    public let quiet: TimeInterval
    /// The longest a project's dirty days wait under a backfill that never pauses (default 900 s).
    public let longestDeferral: TimeInterval

    struct Activity {
        /// When the current deferral began (the first late write after a quiet period, or the last rebuild allowed).
        var since: Date
        /// The latest late write.
        var last: Date
    }

    private let activity = Mutex<[UUID: Activity]>([:])
    /// When the server started (nil: no grace after the start).
    private let startedAt: Date?

    /// A tracker with the given quiet period and longest deferral; with `startedAt`, every project's dirty days also
    /// wait until `quiet` seconds after it.
    public init(quiet: TimeInterval = 120, longestDeferral: TimeInterval = 900, startedAt: Date? = nil) {
        self.quiet = quiet
        self.longestDeferral = longestDeferral
        self.startedAt = startedAt
    }

    /// Notes that a committed round held late events for `projects` at `now`.
    public func record(_ projects: some Sequence<UUID>, at now: Date) {
        activity.withLock { activity in
            for project in projects {
                if var current = activity[project], now.timeIntervalSince(current.last) < quiet {
                    current.last = max(current.last, now)
                    activity[project] = current
                } else {
                    activity[project] = Activity(since: now, last: now)
                }
            }
        }
    }

    /// Whether the rollup service should leave `project`'s dirty days for a later pass at `now`: late events arrived
    /// within the last `quiet` seconds and the deferral has not yet lasted `longestDeferral`. When it has, the answer
    /// is no once and the next deferral starts then.
    public func defersRebuilds(of project: UUID, at now: Date) -> Bool {
        activity.withLock { activity in
            guard let current = activity[project] else {
                // Within `quiet` of the start no project has been quiet for long enough (as far as this server knows).
                return startedAt.map { now.timeIntervalSince($0) < quiet } ?? false
            }
            if now.timeIntervalSince(current.last) >= quiet {
                activity[project] = nil
                return false
            }
            if now.timeIntervalSince(current.since) >= longestDeferral {
                activity[project] = Activity(since: now, last: current.last)
                return false
            }
            return true
        }
    }
}
