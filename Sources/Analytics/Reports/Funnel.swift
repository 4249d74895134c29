import Foundation
import Models
import NIOCore
import PostgresNIO
import Storage

/// How funnel steps must follow each other (docs/reports.md, "Funnels"); the raw values are the GraphQL enum's.
public enum FunnelOrder: String, Sendable, CaseIterable {
    /// Steps in order, other events in between allowed.
    case ordered = "ORDERED"
    /// Each step is the person's very next event.
    case strict = "STRICT"
    /// Any order: the most distinct steps within the window.
    case unordered = "UNORDERED"
}

/// A funnel request (`FunnelInput`).
public struct FunnelQuery: Sendable {
    /// A step: an event name and conditions on its properties.
    public struct Step: Sendable {
        /// The step's event name.
        public var event: String
        /// Conditions the step's event must meet.
        public var filters: [PropertyFilter]

        /// Creates a step.
        public init(event: String, filters: [PropertyFilter] = []) {
            self.event = event
            self.filters = filters
        }
    }

    /// The steps, 2 to `ReportLimits.maxFunnelSteps`.
    public var steps: [Step]
    /// Entries from here (inclusive).
    public var from: Date
    /// Entries before this; later steps may follow it within the window.
    public var to: Date
    /// Longest time from the entry to the last step reached.
    public var windowSeconds: Int
    /// How steps must follow each other.
    public var order: FunnelOrder
    /// An event property of the entry event to group persons by.
    public var breakdown: String?
    /// How many breakdown values to return (most entries first), 1 to `ReportLimits.maxBreakdownLimit`.
    public var breakdownLimit: Int

    /// Creates a request with the GraphQL defaults (ordered, 25 breakdown values).
    public init(
        steps: [Step], from: Date, to: Date, windowSeconds: Int, order: FunnelOrder = .ordered, breakdown: String? = nil,
        breakdownLimit: Int = 25
    ) {
        self.steps = steps
        self.from = from
        self.to = to
        self.windowSeconds = windowSeconds
        self.order = order
        self.breakdown = breakdown
        self.breakdownLimit = breakdownLimit
    }
}

/// One step of a funnel result.
public struct FunnelStepResult: Sendable, Equatable {
    /// 1-based, as docs/reports.md numbers steps.
    public var index: Int
    /// The step's event name.
    public var event: String
    /// Users whose best entry reached this step.
    public var count: Int
    /// `count / count of step 1` (0 when nobody entered).
    public var conversionRate: Double
    /// Median seconds from the previous step; nil for step 1 and when nobody reached the step.
    public var medianSecondsFromPrevious: Double?
    /// The entry property's value this step belongs to (nil: the null group, or the whole funnel).
    public var breakdownValue: String?
}

/// A funnel result: the whole funnel and, with a breakdown, one funnel per entry property value.
public struct FunnelResult: Sendable, Equatable {
    /// The whole funnel.
    public var steps: [FunnelStepResult]
    /// Per entry property value (most entries first), its own funnel; empty without a breakdown.
    public var breakdowns: [(value: String?, steps: [FunnelStepResult])]

    /// Equal steps and equal breakdowns in the same order (tuples cannot be `Equatable`, so this is written out).
    public static func == (lhs: FunnelResult, rhs: FunnelResult) -> Bool {
        lhs.steps == rhs.steps && lhs.breakdowns.map(\.value) == rhs.breakdowns.map(\.value)
            && lhs.breakdowns.map(\.steps) == rhs.breakdowns.map(\.steps)
    }
}

/// Funnels. PostgreSQL selects each person's relevant events (merged persons, filters, range) and returns them as
/// one compact byte string per person, in (timestamp, uuid) order; the step matching walks those in Swift. A person's
/// earliest `ReportLimits.maxFunnelEventsPerPerson` events are matched, later ones left out.
public enum Funnel {
    /// Runs the query inside the tenant transaction `tx`.
    public static func run(_ query: FunnelQuery, scope: ReportScope, on tx: TenantConnection) async throws -> FunnelResult {
        try validate(query)
        // Rollups keep event properties only: a step filter on person properties reads raw events.
        if !EventSQL.readsPersons(query.steps.flatMap(\.filters)),
            let rolledUp = try await RollupReports.funnel(query, scope: scope, on: tx)
        {
            return rolledUp
        }
        let statement = sql(query, scope: scope)
        var totals = Totals(steps: query.steps.count)
        var matcher = Matcher(query)
        for try await buffer in try await tx.query(statement.query).decode(ByteBuffer.self) {
            matcher.load(buffer)
            totals.add(matcher, byValue: query.breakdown != nil)
        }
        return totals.result(query, values: matcher.names.values)
    }

    /// The counts of a funnel over person after person, whole and per breakdown value.
    struct Totals {
        /// The whole funnel.
        var overall: Tally
        /// Per breakdown value number (-1: missing or JSON null).
        var byValue: [Int32: Tally] = [:]

        /// Empty counts for `steps` steps.
        init(steps: Int) { overall = Tally(steps: steps) }

        /// Adds the counts of other persons (the gaps' order does not matter: only their medians are reported).
        mutating func add(_ other: Totals) {
            overall.add(other.overall)
            for (value, tally) in other.byValue { byValue[value, default: Tally(steps: overall.reached.count)].add(tally) }
        }

        /// Adds the person loaded in `matcher`.
        mutating func add(_ matcher: Matcher, byValue breakdown: Bool) {
            matcher.addBestOutcomes(to: &self, byValue: breakdown)
        }

        /// The answer: the steps, and the top `breakdownLimit` values by entries (then by value, `null` last);
        /// `values` holds the breakdown values by number.
        func result(_ query: FunnelQuery, values: [String]) -> FunnelResult {
            let steps = overall.results(query.steps, value: nil)
            guard query.breakdown != nil else { return FunnelResult(steps: steps, breakdowns: []) }
            func text(_ number: Int32) -> String? { number < 0 ? nil : values[Int(number)] }
            let numbers = byValue.keys.sorted { a, b in
                let (ca, cb) = (byValue[a]!.reached[0], byValue[b]!.reached[0])
                if ca != cb { return ca > cb }
                switch (text(a), text(b)) {
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
                }
            }.prefix(query.breakdownLimit)
            return FunnelResult(
                steps: steps, breakdowns: numbers.map { (text($0), byValue[$0]!.results(query.steps, value: text($0))) })
        }
    }

    /// The statement selecting each entering person's relevant events as one byte string: a step bit mask per event
    /// (bit k for step k + 1) and, for entries, the breakdown value; only the person's earliest
    /// `ReportLimits.maxFunnelEventsPerPerson` events, so one person's string stays bounded (the sort by person, time
    /// and uuid this needs also feeds the ordered aggregate). Every event name, filter and key is bound.
    static func sql(_ query: FunnelQuery, scope: ReportScope) -> SQLBuilder {
        let stepCount = query.steps.count
        var b = SQLBuilder()
        var masks: [SQLText] = []
        for (k, step) in query.steps.enumerated() {
            let condition: SQLText = "e.event = \(b.bind(step.event))\(EventSQL.filters(step.filters, &b))"
            masks.append("(CASE WHEN \(condition) THEN \(SQLText(integer: 1 << k)) ELSE 0 END)")
        }
        let mask = masks.joined(separator: " | ")
        let breakdown: SQLText = query.breakdown.map { "e.properties ->> \(b.bind($0))" } ?? "NULL::text"
        let end = query.to.addingTimeInterval(TimeInterval(query.windowSeconds) + 1)
        var conditions = EventSQL.project(scope, &b)
        conditions += " AND e.\"timestamp\" >= \(b.bind(query.from)) AND e.\"timestamp\" < \(b.bind(end))"
        if query.order != .strict {
            conditions += " AND e.event = ANY(\(b.bind(Array(Set(query.steps.map(\.event))))))"
        }
        let entryBits = SQLText(integer: Int(Self.entryBits(query.order, steps: stepCount)))
        b.append(
            """
            SELECT string_agg(int8send(ts) || int4send(mask) || CASE WHEN mask & \(entryBits) = 0 OR bv IS NULL
                THEN '\\xffffffff'::bytea ELSE int4send(octet_length(bv)) || convert_to(bv, 'UTF8') END,
                ''::bytea ORDER BY ts, uuid)
            FROM (SELECT *, row_number() OVER (PARTITION BY person ORDER BY ts, uuid) AS n
                  FROM (SELECT \(EventSQL.person) AS person, \(EventSQL.micros("e.\"timestamp\"")) AS ts, e.uuid,
                          \(mask) AS mask, \(breakdown) AS bv
                        \(EventSQL.fromEventsWithPersons)
                        WHERE \(conditions)) r) s
            WHERE n <= \(b.bind(ReportLimits.maxFunnelEventsPerPerson))
            GROUP BY person
            HAVING bool_or(mask & \(entryBits) <> 0 AND ts < \(b.bind(query.to.micros)))
            """)
        return b
    }

    /// The step bits that make an event an entry: step 1's, or any step's when unordered.
    static func entryBits(_ order: FunnelOrder, steps: Int) -> Int32 {
        order == .unordered ? (steps >= 31 ? ~Int32(0) : Int32((1 << steps) - 1)) : 1
    }

    /// Checks the query's shape and limits before any SQL runs.
    static func validate(_ query: FunnelQuery) throws(ServiceError) {
        guard (2...ReportLimits.maxFunnelSteps).contains(query.steps.count) else {
            throw .badInput("a funnel has 2 to \(ReportLimits.maxFunnelSteps) steps")
        }
        try ReportLimits.check(from: query.from, to: query.to)
        guard (1...(366 * 86_400)).contains(query.windowSeconds) else {
            throw .badInput("windowSeconds must be 1 to \(366 * 86_400) (366 days)")
        }
        for step in query.steps {
            guard !step.event.isEmpty else { throw .badInput("every step needs an event name") }
            try ReportLimits.check(step.filters)
        }
        if let breakdown = query.breakdown, breakdown.isEmpty || breakdown.utf8.count > 200 {
            throw .badInput("breakdown must be a property key of 1 to 200 bytes")
        }
        guard (1...ReportLimits.maxBreakdownLimit).contains(query.breakdownLimit) else {
            throw .badInput("breakdownLimit must be 1 to \(ReportLimits.maxBreakdownLimit)")
        }
    }

    /// Counts persons per level and collects step gaps.
    struct Tally {
        /// Persons with level >= k + 1, by k.
        var reached: [Int]
        /// Gaps (microseconds) into step k + 1 from step k, by k (index 0 unused).
        var gaps: [[Int64]]

        /// An empty tally for a funnel of `steps` steps.
        init(steps: Int) {
            reached = Array(repeating: 0, count: steps)
            gaps = Array(repeating: [], count: steps)
        }

        /// Counts one person's best outcome: the times of the steps reached, in step order (its level is their
        /// count); the gaps are between consecutive times.
        mutating func add(reachedTimes times: UnsafeMutableBufferPointer<Int64>) {
            for k in times.indices {
                reached[k] += 1
                if k > 0 { gaps[k].append(times[k] - times[k - 1]) }
            }
        }

        /// Adds the persons of another tally.
        mutating func add(_ other: Tally) {
            for k in reached.indices {
                reached[k] += other.reached[k]
                gaps[k].append(contentsOf: other.gaps[k])
            }
        }

        /// The result rows: counts, conversion from step 1 and median gaps, labelled with `value`.
        func results(_ steps: [FunnelQuery.Step], value: String?) -> [FunnelStepResult] {
            steps.enumerated().map { k, step in
                FunnelStepResult(
                    index: k + 1, event: step.event, count: reached[k],
                    conversionRate: reached[0] == 0 ? 0 : Double(reached[k]) / Double(reached[0]),
                    medianSecondsFromPrevious: k == 0 ? nil : Funnel.median(gaps[k]).map { $0 / 1_000_000 },
                    breakdownValue: value)
            }
        }
    }

    /// Continuous median (like `percentile_cont(0.5)`); nil for no values.
    static func median(_ values: [Int64]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return Double(sorted[middle]) }
        return (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
    }

    /// One person's events and the step matching over them. Memory grows with the person's events, of which at most
    /// `maxEvents` (the earliest) are kept: per event its time, step bits and breakdown value number, and per step the
    /// positions of its events, searched by bisection; there is no table of steps × events. Time per person is
    /// bounded by entries × steps × (log events + steps), without an allocation per entry: only the best entries'
    /// gaps are materialised.
    struct Matcher {
        /// How steps must follow each other.
        let order: FunnelOrder
        /// The number of steps.
        let steps: Int
        /// The window in microseconds.
        let window: Int64
        /// Entries from here (microseconds since 1970, inclusive).
        let from: Int64
        /// Entries before this (microseconds since 1970).
        let to: Int64
        /// The most events of one person matched: the earliest ones, later ones are left out.
        let maxEvents: Int
        /// The step bits that make an event an entry (step 1; any step when unordered).
        let entryBits: Int32
        /// The person's event times (microseconds), in (timestamp, uuid) order.
        var times: [Int64] = []
        /// Each event's step bits (bit k: matches step k + 1).
        var masks: [Int32] = []
        /// Each event's breakdown value number (-1: none, or not an entry).
        var values: [Int32] = []
        /// Index of the first event with the same timestamp.
        var firstSame: [Int32] = []
        /// The indices of each step's events, ascending, step after step: step k + 1's are
        /// `positions[bounds[k]..<bounds[k + 1]]`. An event of several steps is in each of their lists.
        var positions: [Int32] = []
        /// Where each step's list starts in `positions` (`steps + 1` entries).
        var bounds: [Int] = []
        /// Only step-1 events: every entry reaches step 1 and no further.
        var trivial = false
        /// True when the person loaded last had more than `maxEvents` events.
        var truncated = false
        /// True when the person loaded last has an entry (an event that can start the funnel inside the range).
        var hasEntry = false
        /// The breakdown values `load(_:)` read, numbered (callers that load numbers keep their own).
        var names = Interner<String>()
        /// Scratch space of the matching, reused from person to person: a matcher and its copies must be used by
        /// one task at a time (each report makes its own).
        private let scratch: Scratch

        /// A matcher for `query`; `load` gives it each person's events in turn.
        init(_ query: FunnelQuery, maxEvents: Int = ReportLimits.maxFunnelEventsPerPerson) {
            order = query.order
            steps = query.steps.count
            window = Int64(query.windowSeconds) * 1_000_000
            from = query.from.micros
            to = query.to.micros
            self.maxEvents = max(1, maxEvents)
            entryBits = Funnel.entryBits(order, steps: steps)
            scratch = Scratch(steps: steps)
        }

        /// Loads one person's events from the byte string `sql` selects (time, mask, breakdown value per event),
        /// the earliest `maxEvents` of them.
        mutating func load(_ buffer: ByteBuffer) {
            var buffer = buffer
            begin()
            while buffer.readableBytes >= 16, let time = buffer.readInteger(as: Int64.self),
                let mask = buffer.readInteger(as: Int32.self), let length = buffer.readInteger(as: Int32.self)
            {
                let value = length < 0 ? -1 : buffer.readString(length: Int(length)).map { names.number($0) } ?? -1
                append(time: time, mask: mask, value: value)
            }
            finish()
        }

        /// Starts loading a person: `append` each event in (timestamp, uuid) order, then `finish`.
        mutating func begin() {
            times.removeAll(keepingCapacity: true)
            masks.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            truncated = false
            hasEntry = false
        }

        /// Adds the person's next event (ignored, and `truncated` set, beyond `maxEvents`); `value` is the breakdown
        /// value's number, -1 for none.
        mutating func append(time: Int64, mask: Int32, value: Int32) {
            guard times.count < maxEvents else {
                truncated = true
                return
            }
            times.append(time)
            masks.append(mask)
            values.append(value)
            if mask & entryBits != 0, time >= from, time < to { hasEntry = true }
        }

        /// Loads one person's events from arrays (in timestamp, uuid order; `values` may be empty for none).
        mutating func load(times: ArraySlice<Int64>, masks: ArraySlice<Int32>, values: ArraySlice<Int32> = []) {
            begin()
            for (n, i) in times.indices.enumerated() {
                append(time: times[i], mask: masks[masks.startIndex + n], value: values.isEmpty ? -1 : values[values.startIndex + n])
            }
            finish()
        }

        /// Ends loading a person: builds `firstSame` and the step lists in place (buffers are reused from person
        /// to person); nothing when the person has no entry.
        mutating func finish() {
            guard hasEntry else { return }
            let count = times.count
            firstSame.removeAll(keepingCapacity: true)
            for i in 0..<count { firstSame.append(i > 0 && times[i] == times[i - 1] ? firstSame[i - 1] : Int32(i)) }
            // Without any event of a later step nobody gets past step 1: skip the lists.
            let union = masks.reduce(0, |)
            trivial = order != .unordered && union & ~1 == 0
            // STRICT looks only at the next events.
            if trivial || order == .strict { return }
            let valid = steps >= 32 ? ~Int32(0) : Int32((1 << steps) - 1)
            bounds.removeAll(keepingCapacity: true)
            bounds.append(contentsOf: repeatElement(0, count: steps + 1))
            for mask in masks {
                var bits = mask & valid
                while bits != 0 {
                    bounds[bits.trailingZeroBitCount + 1] += 1
                    bits &= bits - 1
                }
            }
            for k in 0..<steps { bounds[k + 1] += bounds[k] }
            positions.removeAll(keepingCapacity: true)
            positions.append(contentsOf: repeatElement(0, count: bounds[steps]))
            var fill = bounds  // the next free slot of each step's list
            for (i, mask) in masks.enumerated() {
                var bits = mask & valid
                while bits != 0 {
                    let k = bits.trailingZeroBitCount
                    positions[fill[k]] = Int32(i)
                    fill[k] += 1
                    bits &= bits - 1
                }
            }
        }

        /// The slot in `positions` of step k + 1's first event at index `index` or later (`bounds[k + 1]` if none).
        private func firstSlot(step k: Int, atOrAfter index: Int) -> Int {
            var low = bounds[k]
            var high = bounds[k + 1]
            while low < high {
                let middle = (low + high) / 2
                if Int(positions[middle]) < index { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// Whether event `i` is an entry: inside the range and matching step 1 (any step when unordered).
        func isEntry(_ i: Int) -> Bool { masks[i] & entryBits != 0 && times[i] >= from && times[i] < to }

        /// Adds the person's best outcome over all entries to `totals` and, when `byValue`, the best over the
        /// entries of each breakdown value, in one pass that evaluates each entry at most once. Entries are compared
        /// by level alone, the earliest entry winning a tie; only the winners' times are gathered again. A person
        /// has few distinct values, so they are kept in a short list rather than a dictionary. Allocates nothing
        /// per person (scratch space is kept from person to person).
        func addBestOutcomes(to totals: inout Totals, byValue: Bool) {
            guard hasEntry else { return }
            let (reached, chain) = (scratch.reached, scratch.chain)
            let bestByValue = byValue ? scratch.best(atLeast: times.count) : scratch.best(atLeast: 0)
            if order == .unordered { startSlots(chain) }
            var best = (entry: -1, level: 0)
            var valueCount = 0
            for i in 0..<times.count where isEntry(i) {
                let value = values[i]
                let improvesAny = best.level < steps
                let slot = byValue ? (0..<valueCount).first { bestByValue[$0].value == value } : nil
                let improvesValue = byValue && (slot.map { bestByValue[$0].level } ?? 0) < steps
                if !improvesAny && !improvesValue {
                    if byValue { continue } else { break }
                }
                let level = trivial ? 1 : reach(entry: i, reached, chain)
                if level > best.level { best = (i, level) }
                if byValue {
                    if let slot {
                        if level > bestByValue[slot].level { bestByValue[slot] = (value, i, level) }
                    } else {
                        bestByValue[valueCount] = (value, i, level)
                        valueCount += 1
                    }
                }
            }
            if best.entry >= 0 { totals.overall.add(reachedTimes: reachedTimes(entry: best.entry, reached, chain)) }
            for (value, entry, _) in bestByValue[0..<valueCount] {
                totals.byValue[value, default: Tally(steps: steps)].add(reachedTimes: reachedTimes(entry: entry, reached, chain))
            }
        }

        /// The times of the steps entry `i` reaches, in `reached` (`reached` and `chain` are scratch space of `steps`
        /// elements). Unordered steps may be reached in any order: the times are sorted, so that the gaps are
        /// between consecutive times.
        private func reachedTimes(
            entry i: Int, _ reached: UnsafeMutableBufferPointer<Int64>, _ chain: UnsafeMutableBufferPointer<Int>
        ) -> UnsafeMutableBufferPointer<Int64> {
            if trivial {
                reached[0] = times[i]
                return UnsafeMutableBufferPointer(rebasing: reached[0..<1])
            }
            if order == .unordered { startSlots(chain) }
            var found = UnsafeMutableBufferPointer(rebasing: reached[0..<reach(entry: i, reached, chain)])
            if order == .unordered { found.sort() }
            return found
        }

        /// The matcher's scratch space: per step a reached time and a chain index or slot, and the best entry of
        /// each breakdown value of a person (grown to the largest person's event count).
        private final class Scratch {
            let reached: UnsafeMutableBufferPointer<Int64>
            let chain: UnsafeMutableBufferPointer<Int>
            private var best: UnsafeMutableBufferPointer<(value: Int32, entry: Int, level: Int)>

            init(steps: Int) {
                reached = .allocate(capacity: max(1, steps))
                chain = .allocate(capacity: max(1, steps))
                best = .allocate(capacity: 16)
            }

            deinit {
                reached.deallocate()
                chain.deallocate()
                best.deallocate()
            }

            /// Room for the best entries of `count` values.
            func best(atLeast count: Int) -> UnsafeMutableBufferPointer<(value: Int32, entry: Int, level: Int)> {
                if best.count < count {
                    best.deallocate()
                    best = .allocate(capacity: max(count, 2 * best.count))
                }
                return best
            }
        }

        /// Sets each step's slot to the start of its list, before the first UNORDERED `reach` of a pass.
        private func startSlots(_ slots: UnsafeMutableBufferPointer<Int>) {
            for k in 0..<steps { slots[k] = bounds[k] }
        }

        /// How far the person gets from the entry `i`, by the query's order: the level, with the reached steps'
        /// times written to `reached`. For ORDERED `chain` receives the matched events' indices; for UNORDERED it
        /// holds each step's slot in `positions` (set by `startSlots`, then entries in time order).
        private func reach(
            entry i: Int, _ reached: UnsafeMutableBufferPointer<Int64>, _ chain: UnsafeMutableBufferPointer<Int>
        ) -> Int {
            let start = times[i]
            switch order {
            case .ordered:
                chain[0] = i
                reached[0] = start
                var level = 1
                for k in 1..<steps {
                    // Step k + 1's earliest event not yet in the chain, at or after the previous step's time.
                    var slot = firstSlot(step: k, atOrAfter: Int(firstSame[chain[level - 1]]))
                    let end = bounds[k + 1]
                    while slot < end, chain[0..<level].contains(Int(positions[slot])) { slot += 1 }
                    guard slot < end else { break }
                    let j = Int(positions[slot])
                    guard times[j] - start <= window else { break }
                    chain[level] = j
                    reached[level] = times[j]
                    level += 1
                }
                return level
            case .strict:
                reached[0] = start
                var level = 1
                while level < steps, i + level < times.count, masks[i + level] & Int32(1 << level) != 0,
                    times[i + level] - start <= window
                {
                    reached[level] = times[i + level]
                    level += 1
                }
                return level
            case .unordered:
                // Each step's earliest event at or after the entry's timestamp: `chain` holds each step's slot in
                // `positions`, at or before that event (entries come in time order, so the slots only move forward).
                var level = 0
                let first = Int(firstSame[i])
                for k in 0..<steps {
                    var slot = chain[k]
                    let end = bounds[k + 1]
                    while slot < end, Int(positions[slot]) < first { slot += 1 }
                    chain[k] = slot
                    guard slot < end else { continue }
                    let j = Int(positions[slot])
                    if times[j] - start <= window {
                        reached[level] = times[j]
                        level += 1
                    }
                }
                return level
            }
        }
    }
}
