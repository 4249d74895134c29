import Foundation
import Models
import PostgresNIO
import Storage

extension RollupReports {
    /// Funnels of every order, with step filters and a breakdown, from the day segments (raw events only for days
    /// not rolled up), or nil without rollups or when too many days would be read raw. Reads the same events as the
    /// raw path: `[dateFrom, dateTo + window + 1 s)`, every event for `STRICT`, step events otherwise.
    static func funnel(_ query: FunnelQuery, scope: ReportScope, on tx: TenantConnection) async throws -> FunnelResult? {
        let reader = try await RollupReader.load(scope, tx)
        guard reader.builtThrough != nil else { return nil }
        let end = query.to.addingTimeInterval(TimeInterval(query.windowSeconds) + 1)
        guard try await fewRawEvents(reader, from: query.from, to: end) else { return nil }
        let strict = query.order == .strict
        var needs = SegmentNeeds()
        needs.names = strict ? nil : Set(query.steps.map(\.event))
        // One filter group per step that has filters.
        var groupOfStep: [Int?] = []
        for step in query.steps {
            if step.filters.isEmpty {
                groupOfStep.append(nil)
            } else {
                groupOfStep.append(needs.groups.count)
                needs.groups.append(step.filters)
            }
        }
        if let breakdown = query.breakdown { needs.textKeys = [breakdown] }
        let filteredSteps: [(bit: Int32, group: Int)] = groupOfStep.enumerated().compactMap { k, group in group.map { (1 << k, $0) } }
        let entryBits = Funnel.entryBits(query.order, steps: query.steps.count)

        var source = SegmentSource(reader: reader)
        // The relevant events of every segment, one run per segment (each in user, time, uuid order). Users without
        // a rollup number (negative slots, from raw events) are gathered apart, in time order.
        var runs: [FunnelRun] = []
        var extras: [Int32: (times: [Int64], masks: [Int32], values: [Int32])] = [:]
        var breakdownValues = Interner<String>()
        let breakdown = query.breakdown != nil
        var highest: Int32 = -1
        try await source.forEach(from: query.from, to: end, needs: needs) { segment in
            // Per name, the bits of the steps it names; steps with filters then drop their bit where they fail.
            let nameMasks: [Int32] = segment.names.map { name in
                query.steps.indices.reduce(0) { query.steps[$1].event == name ? $0 | (1 << $1) : $0 }
            }
            // The segment's breakdown values as ids shared by all segments.
            let valueOfCode = breakdown ? segment.textValues[0].map { breakdownValues.number($0) } : []
            let run = FunnelRun(capacity: segment.count, values: breakdown)
            for i in 0..<segment.count {
                var mask = nameMasks[Int(segment.nameCodes[i])]
                if mask != 0 {
                    for (bit, group) in filteredSteps where mask & bit != 0 && !segment.groups[group][i] { mask &= ~bit }
                }
                guard strict || mask != 0 else { continue }
                var value: Int32 = -1
                if breakdown, mask & entryBits != 0 {
                    let code = segment.texts[0][i]
                    value = code < 0 ? -1 : valueOfCode[Int(code)]
                }
                let user = segment.users[i]
                if user < 0 {
                    extras[user, default: ([], [], [])].times.append(segment.times[i])
                    extras[user]!.masks.append(mask)
                    extras[user]!.values.append(value)
                    continue
                }
                run.append(user: user, time: segment.times[i], mask: mask, value: value)
                highest = max(highest, user)
            }
            if run.count > 0 { runs.append(run) }
        }
        // Users are matched in two ranges of their numbers with about as many events each, one per core, and the
        // counts added up. (Numbers follow first appearance, so recent users crowd the low numbers: half of the
        // numbers is far from half of the work.)
        let middle = Self.middleUser(of: runs, highest: highest)
        let gathered = runs
        async let lower = Self.match(gathered, users: 0..<middle, query: query, breakdown: breakdown)
        var totals = Self.match(gathered, users: middle..<(highest + 1), query: query, breakdown: breakdown)
        totals.add(await lower)
        var matcher = Funnel.Matcher(query)
        for slot in extras.keys.sorted(by: >) {
            let events = extras[slot]!
            matcher.load(times: events.times[...], masks: events.masks[...], values: breakdown ? events.values[...] : [])
            totals.add(matcher, byValue: breakdown)
        }
        return totals.result(query, values: breakdownValues.values)
    }

    /// The user number that splits the runs' events in two halves: about as many events of users below it as of
    /// users at or above it (0 without events). A bisection over user numbers, counting by bisection in each run.
    private static func middleUser(of runs: [FunnelRun], highest: Int32) -> Int32 {
        func below(_ user: Int32) -> Int { runs.reduce(0) { $0 + $1.firstIndex(ofUserAtLeast: user) } }
        let half = runs.reduce(0) { $0 + $1.count } / 2
        var (low, high) = (Int32(0), max(0, highest + 1))
        while low < high {
            let middle = low + (high - low) / 2
            if below(middle) < half { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The funnel counts of the users numbered in `users`, from the runs (each in user, time order): the runs are
    /// merged user by user in time order; each run waits in the list of its next user, and a user's runs are taken
    /// in day order. Linear in events plus users.
    private static func match(_ runs: [FunnelRun], users: Range<Int32>, query: FunnelQuery, breakdown: Bool) -> Funnel.Totals {
        var totals = Funnel.Totals(steps: query.steps.count)
        guard !users.isEmpty else { return totals }
        var matcher = Funnel.Matcher(query)
        let low = Int(users.lowerBound)
        var waiting = [Int32](repeating: -1, count: users.count)  // the first run waiting for each user (from `low`)
        var link = [Int32](repeating: -1, count: runs.count)  // the next run waiting for the same user
        // Each run's first event of a user in range.
        var cursors = runs.map { $0.firstIndex(ofUserAtLeast: users.lowerBound) }
        for p in runs.indices.reversed() where cursors[p] < runs[p].count && users.contains(runs[p].users[cursors[p]]) {
            let first = Int(runs[p].users[cursors[p]]) - low
            link[p] = waiting[first]
            waiting[first] = Int32(p)
        }
        let userLists = runs.map(\.users)
        let times = runs.map(\.times)
        let masks = runs.map(\.masks)
        let values = runs.map(\.values)
        let counts = runs.map(\.count)
        var ofUser: [Int] = []
        for slot in 0..<users.count where waiting[slot] >= 0 {
            let user = Int32(low + slot)
            ofUser.removeAll(keepingCapacity: true)
            var p = waiting[slot]
            while p >= 0 {
                ofUser.append(Int(p))
                p = link[Int(p)]
            }
            if ofUser.count > 1 { ofUser.sort() }
            matcher.begin()
            for p in ofUser {
                var c = cursors[p]
                let (runUsers, end) = (userLists[p], counts[p])
                while c < end, runUsers[c] == user {
                    matcher.append(time: times[p][c], mask: masks[p][c], value: breakdown ? values[p][c] : -1)
                    c += 1
                }
                cursors[p] = c
                if c < end, users.contains(runUsers[c]) {
                    let next = Int(runUsers[c]) - low
                    link[p] = waiting[next]
                    waiting[next] = Int32(p)
                }
            }
            matcher.finish()
            totals.add(matcher, byValue: breakdown)
        }
        return totals
    }
}

/// One segment's funnel events (user, time, step bits, breakdown value number) in fixed buffers of the segment's
/// size, so gathering a report's events never copies them to grow; freed with the run. Written only while the
/// segments are gathered, then only read (by the matching tasks): hence `@unchecked Sendable`.
private final class FunnelRun: @unchecked Sendable {
    let users: UnsafeMutableBufferPointer<Int32>
    let times: UnsafeMutableBufferPointer<Int64>
    let masks: UnsafeMutableBufferPointer<Int32>
    let values: UnsafeMutableBufferPointer<Int32>
    private(set) var count = 0

    /// Room for `capacity` events, with breakdown values only when `values`.
    init(capacity: Int, values: Bool) {
        let capacity = max(1, capacity)
        users = .allocate(capacity: capacity)
        times = .allocate(capacity: capacity)
        masks = .allocate(capacity: capacity)
        self.values = .allocate(capacity: values ? capacity : 0)
    }

    deinit {
        users.deallocate()
        times.deallocate()
        masks.deallocate()
        values.deallocate()
    }

    /// The index of the run's first event of a user numbered `user` or more (`count` if none), by bisection.
    func firstIndex(ofUserAtLeast user: Int32) -> Int {
        var (start, end) = (0, count)
        while start < end {
            let middle = (start + end) / 2
            if users[middle] < user { start = middle + 1 } else { end = middle }
        }
        return start
    }

    /// Adds an event (its value only when the run keeps values); the capacity must not be exceeded.
    func append(user: Int32, time: Int64, mask: Int32, value: Int32) {
        precondition(count < users.count, "a funnel run holds at most its segment's events")
        users[count] = user
        times[count] = time
        masks[count] = mask
        if !values.isEmpty { values[count] = value }
        count += 1
    }
}
