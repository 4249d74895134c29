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
        let entryBits: Int32 = query.order == .unordered ? (1 << query.steps.count) - 1 : 1

        var source = SegmentSource(reader: reader)
        var users: [Int32] = []
        var times: [Int64] = []
        var masks: [Int32] = []
        var values: [String?] = []
        var highest: Int32 = -1
        try await source.forEach(from: query.from, to: end, needs: needs) { segment in
            let stepsOfName = segment.names.map { name in
                query.steps.indices.filter { query.steps[$0].event == name }
            }
            for i in 0..<segment.count {
                var mask: Int32 = 0
                for k in stepsOfName[Int(segment.nameCodes[i])] where groupOfStep[k].map({ segment.groups[$0][i] }) ?? true {
                    mask |= 1 << k
                }
                guard strict || mask != 0 else { continue }
                users.append(segment.users[i])
                times.append(segment.times[i])
                masks.append(mask)
                if !segment.texts.isEmpty { values.append(mask & entryBits == 0 ? nil : segment.text(0, i)) }
                highest = max(highest, segment.users[i])
            }
        }
        // Counting sort by user slot (numbered users first, then the others), keeping each user's events in order
        // (segments come day by day, each in user, time, uuid order).
        let extraCount = source.extraKeys.count
        let slotCount = Int(highest + 1) + extraCount
        func slot(_ user: Int32) -> Int { user >= 0 ? Int(user) : Int(highest + 1) + Int(-2 - user) }
        var offsets = Array(repeating: 0, count: slotCount + 1)
        for user in users { offsets[slot(user) + 1] += 1 }
        for i in 0..<slotCount { offsets[i + 1] += offsets[i] }
        var cursor = offsets
        var sortedTimes = Array(repeating: Int64(0), count: users.count)
        var sortedMasks = Array(repeating: Int32(0), count: users.count)
        var sortedValues: [String?] = values.isEmpty ? [] : Array(repeating: nil, count: users.count)
        for (i, user) in users.enumerated() {
            let at = cursor[slot(user)]
            sortedTimes[at] = times[i]
            sortedMasks[at] = masks[i]
            if !values.isEmpty { sortedValues[at] = values[i] }
            cursor[slot(user)] += 1
        }
        users = []
        times = []
        masks = []
        values = []
        var totals = Funnel.Totals(steps: query.steps.count)
        var matcher = Funnel.Matcher(
            order: query.order, steps: query.steps.count, window: Int64(query.windowSeconds) * 1_000_000, from: query.from.micros,
            to: query.to.micros)
        for s in 0..<slotCount where offsets[s + 1] > offsets[s] {
            let range = offsets[s]..<offsets[s + 1]
            // Only persons with an entry inside the range count (the raw path's HAVING).
            guard range.contains(where: { sortedMasks[$0] & entryBits != 0 && sortedTimes[$0] < query.to.micros }) else { continue }
            matcher.load(
                times: sortedTimes[range], masks: sortedMasks[range], values: sortedValues.isEmpty ? [] : sortedValues[range])
            totals.add(matcher, byValue: query.breakdown != nil)
        }
        return totals.result(query)
    }
}
