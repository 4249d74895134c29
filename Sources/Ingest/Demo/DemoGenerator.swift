import Foundation
import Models

/// A chunk of generated demo events: drafts in the native event shape plus the identity merges their `$identify`
/// events carry (as the PostHog format maps them).
public struct DemoBatch: Sendable {
    /// The events, before normalisation.
    public var drafts: [EventDraft]
    /// Person merges, applied after the batch's events.
    public var identity: [IdentityOperation]
}

/// Generates a deterministic (per seed) demo product: a funnel `$pageview` -> `signed_up` (+ `$identify`) ->
/// `activated` -> `purchase` (numeric `amount`), with `invite_sent` on the side; properties `country`, `browser`,
/// `plan`, `$current_url`, `path`, sometimes missing; fewer events on Saturdays and Sundays (UTC); users start anonymous
/// and a share identify later (`$identify` with `$anon_distinct_id`). Exactly `events` events over `users` users, whose
/// activity is heavy-tailed (log-normal weights), spread over the `days` days before `end`.
/// Each user's events depend only on the seed and the user's index, so batch sizes do not change the output.
public struct DemoGenerator: Sendable {
    /// What to generate.
    public struct Options: Sendable {
        /// Total events, at least `users`.
        public var events: Int
        /// Users; each has at least one event.
        public var users: Int
        /// Days the events span, ending at `end`.
        public var days: Int
        /// Seed of the random generator.
        public var seed: UInt64
        /// End of the range (exclusive).
        public var end: Date

        /// Creates options.
        public init(events: Int, users: Int, days: Int, seed: UInt64 = 1, end: Date = Date()) {
            self.events = events
            self.users = users
            self.days = days
            self.seed = seed
            self.end = end
        }
    }

    /// The options.
    public let options: Options
    /// Events per user.
    let counts: [Int]
    private var nextUser = 0
    private var pending: [(EventDraft, IdentityOperation?)] = []
    private var pendingIndex = 0

    /// Checks the options (`events >= users >= 1`, `days >= 1`) and draws each user's event count.
    public init(options: Options) throws(IngestError) {
        guard options.users >= 1, options.events >= options.users, options.days >= 1 else {
            throw IngestError(.invalidBody, "seed-demo needs users >= 1, events >= users and days >= 1")
        }
        self.options = options
        var random = SplitMix64(seed: options.seed)
        let weights = (0..<options.users).map { _ in exp(1.3 * random.normal()) }
        let total = weights.reduce(0, +)
        let spare = options.events - options.users
        var counts = weights.map { 1 + Int((Double(spare) * $0 / total).rounded(.down)) }
        var remainder = options.events - counts.reduce(0, +)
        var index = 0
        while remainder > 0 {
            counts[index % counts.count] += 1
            remainder -= 1
            index += 1
        }
        self.counts = counts
    }

    /// The next at most `size` events (and their merges), nil when all were generated.
    public mutating func nextBatch(size: Int) -> DemoBatch? {
        var batch = DemoBatch(drafts: [], identity: [])
        batch.drafts.reserveCapacity(size)
        while batch.drafts.count < max(1, size) {
            if pendingIndex == pending.count {
                guard nextUser < counts.count else { break }
                pending = Self.user(nextUser, count: counts[nextUser], options: options)
                pendingIndex = 0
                nextUser += 1
            }
            let (draft, merge) = pending[pendingIndex]
            pendingIndex += 1
            batch.drafts.append(draft)
            if let merge { batch.identity.append(merge) }
        }
        return batch.drafts.isEmpty ? nil : batch
    }

    static let countries: [(String?, Double)] = [
        ("US", 0.34), ("DE", 0.12), ("GB", 0.1), ("FR", 0.09), ("IN", 0.09), ("BR", 0.07), ("JP", 0.05), ("CA", 0.05),
        ("NL", 0.03), (nil, 0.06),
    ]
    static let browsers: [(String?, Double)] = [("Chrome", 0.58), ("Safari", 0.22), ("Firefox", 0.08), ("Edge", 0.08), (nil, 0.04)]
    static let plans: [(String?, Double)] = [("free", 0.62), ("pro", 0.28), ("enterprise", 0.06), (nil, 0.04)]
    static let paths = ["/", "/pricing", "/docs", "/blog", "/features", "/signup", "/app", "/app/reports", "/app/settings"]

    /// One user's events, in time order.
    static func user(_ index: Int, count: Int, options: Options) -> [(EventDraft, IdentityOperation?)] {
        // A scrambled per-user seed: SplitMix streams of seeds that differ by multiples of its increment overlap.
        var seeder = SplitMix64(seed: options.seed ^ 0x5DEE_CE66_D1CE_5EED)
        var scrambler = SplitMix64(seed: seeder.next() ^ UInt64(index))
        var random = SplitMix64(seed: scrambler.next())
        let end = options.end.timeIntervalSince1970
        let span = Double(options.days) * 86_400
        let start = end - span
        // Heavier users tend to arrive earlier; everyone arrives inside the range.
        let first = start + span * 0.95 * pow(random.unit(), 1.5)
        var times = (0..<count).map { _ in time(after: first, before: end, &random) }
        times.sort()
        times[0] = first

        let anonymous = "anon_\(options.seed)_\(index)"
        let identified = "user_\(options.seed)_\(index)"
        let country = pick(countries, &random)
        let browser = pick(browsers, &random)
        let plan = pick(plans, &random)
        // Where the funnel steps fall: signup at 1...3, then $identify, then maybe activation.
        let identifies = count >= 3 && random.unit() < 0.45
        let signup = identifies ? 1 + random.below(min(3, count - 2)) : Int.max / 2
        let activates = identifies && signup + 2 < count && random.unit() < 0.6

        var events: [(EventDraft, IdentityOperation?)] = []
        events.reserveCapacity(count)
        for (position, time) in times.enumerated() {
            var properties: [String: JSON] = [:]
            if let country, random.unit() > 0.02 { properties["country"] = .string(country) }
            if let browser { properties["browser"] = .string(browser) }
            let distinctID = position <= signup ? anonymous : identified
            let name: String
            var merge: IdentityOperation?
            switch position {
            case signup:
                name = "signed_up"
                if let plan { properties["plan"] = .string(plan) }
            case signup + 1:
                name = "$identify"
                properties["$anon_distinct_id"] = .string(anonymous)
                merge = .merge(keep: identified, other: anonymous)
            case signup + 2 where activates:
                name = "activated"
                if let plan { properties["plan"] = .string(plan) }
            default:
                let roll = random.unit()
                if position > signup + 2 && activates && roll < 0.07 {
                    name = "purchase"
                    properties["amount"] = .double((exp(3.4 + 0.8 * random.normal()) * 100).rounded() / 100)
                    if let plan { properties["plan"] = .string(plan) }
                } else if position > signup && roll > 0.97 {
                    name = "invite_sent"
                } else {
                    name = "$pageview"
                    let path = paths[random.below(paths.count)]
                    properties["path"] = .string(path)
                    properties["$current_url"] = .string("https://demo.insightvault.dev" + path)
                    if position > signup, let plan, random.unit() < 0.5 { properties["plan"] = .string(plan) }
                }
            }
            var draft = EventDraft()
            draft.event = .string(name)
            draft.distinctID = .string(distinctID)
            draft.timestamp = .int(Int64((time * 1_000).rounded(.down)))
            draft.properties = .object(properties)
            draft.uuid = .string(random.uuid().uuidString)
            events.append((draft, merge))
        }
        return events
    }

    /// A time in `[from, to)`; Saturday and Sunday (UTC) draws are kept only half of the time (redrawn up to twice).
    static func time(after from: Double, before to: Double, _ random: inout SplitMix64) -> Double {
        var time = from + (to - from) * random.unit()
        for _ in 0..<2 where isWeekend(time) && random.unit() < 0.5 {
            time = from + (to - from) * random.unit()
        }
        return min(time, to - 0.001)
    }

    /// Saturday or Sunday in UTC.
    public static func isWeekend(_ epochSeconds: Double) -> Bool {
        let day = Int((epochSeconds / 86_400).rounded(.down))
        let weekday = ((day + 4) % 7 + 7) % 7  // 1970-01-01 was a Thursday; 0 = Sunday
        return weekday == 0 || weekday == 6
    }

    static func pick(_ choices: [(String?, Double)], _ random: inout SplitMix64) -> String? {
        var roll = random.unit()
        for (value, weight) in choices {
            roll -= weight
            if roll < 0 { return value }
        }
        return choices.last?.0
    }
}

/// SplitMix64: small, fast and deterministic; good enough for demo data.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// Standard normal (Box-Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 1e-12)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * unit())
    }

    /// A version 4 UUID.
    mutating func uuid() -> UUID {
        let a = next()
        let b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * i))
            bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * i))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
