import Foundation
import Models
import Testing

@testable import Ingest

@Suite struct DemoGeneratorTests {
    static let end = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28

    static func all(_ options: DemoGenerator.Options, batch: Int) throws -> (drafts: [EventDraft], identity: [IdentityOperation]) {
        var generator = try DemoGenerator(options: options)
        var drafts: [EventDraft] = []
        var identity: [IdentityOperation] = []
        while let next = generator.nextBatch(size: batch) {
            #expect(next.drafts.count <= batch)
            drafts += next.drafts
            identity += next.identity
        }
        return (drafts, identity)
    }

    static func fields(_ draft: EventDraft) -> [JSON?] {
        [draft.event, draft.distinctID, draft.timestamp, draft.properties, draft.uuid]
    }

    @Test func deterministicForASeedAndIndependentOfBatchSize() throws {
        let options = DemoGenerator.Options(events: 5_000, users: 200, days: 14, seed: 42, end: Self.end)
        let first = try Self.all(options, batch: 1_000)
        let second = try Self.all(options, batch: 333)
        #expect(first.drafts.map(Self.fields) == second.drafts.map(Self.fields))
        #expect(first.identity == second.identity)
        var other = options
        other.seed = 43
        #expect(try Self.all(other, batch: 1_000).drafts.map(Self.fields) != first.drafts.map(Self.fields))
    }

    @Test(arguments: [(1, 1), (10, 3), (20_000, 500), (12_345, 1_000)])
    func exactEventCountAndEveryUserAppears(events: Int, users: Int) throws {
        let options = DemoGenerator.Options(events: events, users: users, days: 7, seed: 1, end: Self.end)
        let (drafts, _) = try Self.all(options, batch: 977)
        #expect(drafts.count == events)
        let people = Set(drafts.compactMap { $0.distinctID?.stringValue }.map { $0.split(separator: "_").last! })
        #expect(people.count == users)
        #expect(Set(drafts.compactMap { $0.uuid?.stringValue }).count == events)
    }

    @Test func identifiesMergeAnonymousIDsAndFunnelNarrows() throws {
        let options = DemoGenerator.Options(events: 20_000, users: 500, days: 14, seed: 7, end: Self.end)
        let (drafts, identity) = try Self.all(options, batch: 5_000)
        let identifies = drafts.filter { $0.event == .string("$identify") }
        #expect(!identity.isEmpty)
        #expect(identity.count == identifies.count)
        for case .merge(let keep, let other) in identity {
            #expect(keep.hasPrefix("user_7_"))
            #expect(other == keep.replacingOccurrences(of: "user_", with: "anon_"))
        }
        for draft in identifies {
            #expect(draft.properties?["$anon_distinct_id"]?.stringValue?.hasPrefix("anon_7_") == true)
        }
        var counts: [String: Int] = [:]
        for draft in drafts { counts[draft.event?.stringValue ?? "", default: 0] += 1 }
        #expect(counts["$pageview", default: 0] > drafts.count / 2)
        #expect(counts["signed_up"] == identifies.count)
        #expect(counts["signed_up", default: 0] > counts["activated", default: 0])
        #expect(counts["activated", default: 0] > 0)
        #expect(counts["purchase", default: 0] > 0)
        #expect(counts["invite_sent", default: 0] > 0)
        // Some events lack a property, so breakdowns have nulls.
        #expect(drafts.contains { $0.properties?["country"] == nil })
        #expect(drafts.contains { $0.properties?["plan"] == nil })
        // Heavy tail: the busiest user has many times the median user's events.
        var perUser: [String: Int] = [:]
        for draft in drafts { perUser[String(draft.distinctID!.stringValue!.split(separator: "_").last!), default: 0] += 1 }
        let sorted = perUser.values.sorted()
        #expect(sorted.last! > 5 * sorted[sorted.count / 2])
    }

    @Test func amountsAreNumbersAndTimesInRangeWithAWeekendDip() throws {
        let days = 28
        let options = DemoGenerator.Options(events: 50_000, users: 1_000, days: days, seed: 3, end: Self.end)
        let (drafts, _) = try Self.all(options, batch: 5_000)
        let start = Self.end.timeIntervalSince1970 - Double(days) * 86_400
        var weekend = 0
        var weekday = 0
        for draft in drafts {
            guard case .int(let milliseconds)? = draft.timestamp else {
                Issue.record("timestamp is not epoch milliseconds")
                return
            }
            let seconds = Double(milliseconds) / 1_000
            #expect(seconds >= start - 0.001 && seconds < Self.end.timeIntervalSince1970)
            if DemoGenerator.isWeekend(seconds) { weekend += 1 } else { weekday += 1 }
            if draft.event == .string("purchase") {
                guard case .double(let amount)? = draft.properties?["amount"] else {
                    Issue.record("amount is not a number: \(String(describing: draft.properties))")
                    return
                }
                #expect(amount > 0)
            }
        }
        // 28 days = 8 weekend days and 20 weekdays: per day, weekends get clearly fewer events.
        let weekendPerDay = Double(weekend) / 8
        let weekdayPerDay = Double(weekday) / 20
        #expect(weekendPerDay < 0.8 * weekdayPerDay, "weekend \(weekendPerDay)/day vs weekday \(weekdayPerDay)/day")
        // Every draft passes the ingestion normaliser.
        let normalizer = EventNormalizer(limits: IngestLimits(), receivedAt: Self.end, sentAt: nil, projectKey: "p")
        for draft in drafts.prefix(2_000) { _ = try normalizer.normalize(draft) }
    }

    @Test func refusesImpossibleOptions() {
        for (events, users, days) in [(5, 10, 1), (10, 0, 1), (10, 5, 0)] {
            #expect(throws: IngestError.self) {
                _ = try DemoGenerator(options: .init(events: events, users: users, days: days, end: Self.end))
            }
        }
    }
}
