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
        let entryBits: Int32 = query.order == .unordered ? (1 << query.steps.count) - 1 : 1

        var source = SegmentSource(reader: reader)
        // The relevant events of every segment, one segment after the other (each is in user, time, uuid order);
        // `partEnds` closes each segment's run. Users without a rollup number (negative slots, from raw events)
        // are gathered apart, in time order.
        struct Part {
            var users: [Int32] = []
            var times: [Int64] = []
            var masks: [Int32] = []
            var values: [Int32] = []
        }
        var all = Part()
        var partEnds: [Int] = []
        var extras: [Int32: Part] = [:]
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
                    extras[user, default: Part()].times.append(segment.times[i])
                    extras[user]!.masks.append(mask)
                    extras[user]!.values.append(value)
                    continue
                }
                all.users.append(user)
                all.times.append(segment.times[i])
                all.masks.append(mask)
                if breakdown { all.values.append(value) }
                highest = max(highest, user)
            }
            partEnds.append(all.users.count)
        }
        var totals = Funnel.Totals(steps: query.steps.count)
        var matcher = Funnel.Matcher(
            order: query.order, steps: query.steps.count, window: Int64(query.windowSeconds) * 1_000_000, from: query.from.micros,
            to: query.to.micros)
        let toMicros = query.to.micros
        var times: [Int64] = []
        var masks: [Int32] = []
        var values: [String?] = []
        func count() {
            // Only persons with an entry inside the range count (the raw path's HAVING).
            guard masks.indices.contains(where: { masks[$0] & entryBits != 0 && times[$0] < toMicros }) else { return }
            matcher.load(times: times[...], masks: masks[...], values: values[...])
            totals.add(matcher, byValue: breakdown)
        }
        // Merge the segments' runs user by user: each run is sorted by user and the runs are in day order, so a
        // user's events come out in time order.
        var cursors = [0] + partEnds.dropLast()
        let ends = partEnds
        var user: Int32 = 0
        all.users.withUnsafeBufferPointer { users in
            while user <= highest {
                times.removeAll(keepingCapacity: true)
                masks.removeAll(keepingCapacity: true)
                values.removeAll(keepingCapacity: true)
                var next = Int32.max
                for p in 0..<ends.count {
                    var c = cursors[p]
                    let end = ends[p]
                    while c < end, users[c] == user {
                        times.append(all.times[c])
                        masks.append(all.masks[c])
                        if breakdown { values.append(all.values[c] < 0 ? nil : breakdownValues.values[Int(all.values[c])]) }
                        c += 1
                    }
                    cursors[p] = c
                    if c < end, users[c] < next { next = users[c] }
                }
                if !times.isEmpty { count() }
                user = next
            }
        }
        for slot in extras.keys.sorted(by: >) {
            let part = extras[slot]!
            times = part.times
            masks = part.masks
            values = breakdown ? part.values.map { $0 < 0 ? nil : breakdownValues.values[Int($0)] } : []
            count()
        }
        return totals.result(query)
    }
}
