import Foundation
import Models
import NIOCore
import PostgresNIO
import Storage

/// Dense numbers (0, 1, 2, …) for distinct values, in the order they first appear.
struct Interner<Value: Hashable & Sendable>: Sendable {
    /// Each value's number.
    private var numbers: [Value: Int32] = [:]
    /// The values, by number.
    private(set) var values: [Value] = []

    /// The number of `value`, given it now if it is new.
    mutating func number(_ value: Value) -> Int32 {
        if let known = numbers[value] { return known }
        let number = Int32(values.count)
        numbers[value] = number
        values.append(value)
        return number
    }
}

/// What a report reads of each event besides its user, time and name: which names, which filter groups it must
/// evaluate (each a conjunction of property filters, answered per event), which properties it needs as text (a
/// breakdown) and which as numbers (numeric maths).
struct SegmentNeeds {
    /// The event names read (nil: every event).
    var names: Set<String>?
    /// Conjunctions of filters, each evaluated per event.
    var groups: [[PropertyFilter]] = []
    /// Keys read as text (`->>`: nil when missing or a JSON null).
    var textKeys: [String] = []
    /// Keys read as numbers (only JSON numbers; NaN otherwise).
    var numberKeys: [String] = []

    /// Every key the report touches.
    var keys: Set<String> { Set(groups.flatMap { $0.map(\.key) } + textKeys + numberKeys) }
}

/// Some events of one local day in (user, timestamp, uuid) order, each with what `SegmentNeeds` asked for: read from
/// a day's timeline and columns, or from raw events. Both give the same values for the same events.
struct DaySegment {
    /// The local day.
    var day: LocalDay
    /// Per event: the rollup user number, or a negative slot from `SegmentSource.key(ofSlot:)`.
    var users: [Int32] = []
    /// Per event: microseconds since 1970.
    var times: [Int64] = []
    /// Per event: its name's index in `names`.
    var nameCodes: [Int32] = []
    /// The names.
    var names: [String] = []
    /// Per filter group, per event: whether the event meets it.
    var groups: [[Bool]] = []
    /// Per text key, per event: index into `textValues` of that key, -1 for nil.
    var texts: [[Int32]] = []
    /// Per text key: its values.
    var textValues: [[String]] = []
    /// Per number key, per event: the value, NaN when it is not a JSON number.
    var numbers: [[Double]] = []

    /// The number of events.
    var count: Int { users.count }

    /// Event `i`'s text of text key `k`.
    func text(_ k: Int, _ i: Int) -> String? {
        let code = texts[k][i]
        return code < 0 ? nil : textValues[k][Int(code)]
    }
}

/// Reads `DaySegment`s for a report: rolled-up days from `rollup_timelines` and `rollup_columns` (filters evaluated on
/// each day's distinct values: comparisons with a number here, the others by PostgreSQL with the same SQL as on raw
/// events), the rest from raw events.
struct SegmentSource {
    /// The project's rollup state.
    let reader: RollupReader
    /// Users without a rollup number (raw events of users first seen after the last build): their person keys,
    /// numbered; the user's slot is `-2 - number`.
    private(set) var extraUsers = Interner<String>()

    /// A source over the project's rollups.
    init(reader: RollupReader) { self.reader = reader }

    /// The person key of a negative user slot.
    func key(ofSlot slot: Int32) -> String { extraUsers.values[Int(-2 - slot)] }

    /// Adds user `slot` (a rollup number or an extra slot) to `set`.
    func insert(_ slot: Int32, into set: inout PersonSet) {
        if slot >= 0 { set.insert(Int(slot)) } else { set.extra.insert(key(ofSlot: slot)) }
    }

    /// Calls `body` with the segments of the events in `[from, to)` that `needs` names, day by day in ascending
    /// order (a day may come in two segments: the open day's rolled-up prefix, then its raw rest).
    mutating func forEach(
        from: Date, to: Date, needs: SegmentNeeds, _ body: (DaySegment) throws -> Void
    ) async throws {
        guard from < to else { return }
        let calendar = reader.calendar
        let first = LocalDay(from, calendar)
        let last = LocalDay(to.addingTimeInterval(-0.000_001), calendar)
        let days = (first.number...last.number).map { LocalDay(number: $0) }
        let keys = needs.keys
        // Days whose timeline and columns answer: rolled up, built with columns, none of the keys overflowing.
        let candidates = days.filter { reader.isRolledUp($0) || $0 == reader.prefix?.day }
        var usable: Set<LocalDay> = []
        if !candidates.isEmpty {
            let rows = try await reader.tx.query(
                """
                SELECT day - DATE '1970-01-01', column_overflow FROM rollup_timelines
                WHERE org_id = \(reader.scope.org.rawValue) AND project_id = \(reader.scope.project.rawValue)
                  AND day BETWEEN DATE '1970-01-01' + \(candidates.first!.number)::int4
                              AND DATE '1970-01-01' + \(candidates.last!.number)::int4
                """)
            let wanted = Set(candidates)
            for try await (number, overflow) in rows.decode((Int32, [String]?).self) {
                let day = LocalDay(number: number)
                guard wanted.contains(day) else { continue }
                if !keys.isEmpty {
                    guard let overflow, keys.isDisjoint(with: overflow) else { continue }
                }
                usable.insert(day)
            }
        }
        // Raw: days without a usable timeline, and the open day after its prefix.
        var rawDays = days.filter { !usable.contains($0) }
        let rolledPrefix = reader.prefix.map { usable.contains($0.day) } ?? false
        if let prefix = reader.prefix, rolledPrefix, prefix.through < to { rawDays.append(prefix.day) }
        // Rolled-up days are read a few at a time, so memory holds a bounded number of days whatever the range; the
        // next chunks are read and decoded by child tasks while `body` takes the current ones. The raw days are read
        // meanwhile (they are mostly the last), and awaited at the first day that has raw events.
        let rolled = days.filter { usable.contains($0) }
        let chunks = stride(from: 0, to: rolled.count, by: Self.daysPerRead).map {
            Array(rolled[$0..<min(rolled.count, $0 + Self.daysPerRead)])
        }
        let (source, fromMicros, toMicros, extras) = (reader, from.micros, to.micros, extraUsers)
        let (rawList, rawSet) = (rawDays.sorted(), Set(rawDays))
        var newExtras: Interner<String>?
        try await withThrowingTaskGroup(of: Loaded.self) { group in
            func read(_ chunk: Int) {
                guard chunk < chunks.count else { return }
                group.addTask {
                    .rolled(
                        try await Self.rolledSegments(chunks[chunk], reader: source, from: fromMicros, to: toMicros, needs: needs))
                }
            }
            // Two chunks are in flight: one's statements run in PostgreSQL while the other's rows are decoded.
            // `group.next()` is nil once every chunk has been taken.
            read(0)
            read(1)
            var raw: [LocalDay: DaySegment]? = rawList.isEmpty ? [:] : nil
            if !rawList.isEmpty {
                group.addTask {
                    let (segments, extras) = try await Self.loadRaw(
                        days: rawList, from: from, to: to, needs: needs, rolledPrefix: rolledPrefix, reader: source,
                        extraUsers: extras)
                    return .raw(segments, extras)
                }
            }
            var next = 1
            var loaded: [LocalDay: DaySegment] = [:]
            for day in days {
                while (usable.contains(day) && loaded[day] == nil) || (rawSet.contains(day) && raw == nil),
                    let result = try await group.next()
                {
                    switch result {
                    case .rolled(let chunk):
                        loaded.merge(chunk) { current, _ in current }
                        next += 1
                        read(next)
                    case .raw(let segments, let extras):
                        raw = segments
                        newExtras = extras
                    }
                }
                if let segment = loaded.removeValue(forKey: day) { try body(segment) }
                if let segment = raw?.removeValue(forKey: day) { try body(segment) }
            }
        }
        if let newExtras { extraUsers = newExtras }
    }

    /// What a child task of `forEach` read: a chunk of rolled-up days, or the raw days (with the users it numbered).
    private enum Loaded: Sendable {
        case rolled([LocalDay: DaySegment])
        case raw([LocalDay: DaySegment], Interner<String>)
    }

    /// The segments of rolled-up `days` (ascending) in `[from, to)` (microseconds). When the report reads a few
    /// event names and all of those a day holds are rare that day, the day's segment comes from their rows in
    /// `rollup_event_timelines` and `rollup_event_columns` instead of the whole timeline and columns.
    private static func rolledSegments(
        _ days: [LocalDay], reader: RollupReader, from: Int64, to: Int64, needs: SegmentNeeds
    ) async throws -> [LocalDay: DaySegment] {
        var rare: [LocalDay: RareEvents] = [:]
        if let names = needs.names { rare = try await loadRareEvents(days, names: names, reader: reader) }
        var columns = try await loadColumns(days: days, reader: reader, needs: needs, withoutCodes: Set(rare.keys))
        if let names = needs.names, !rare.isEmpty, !needs.keys.isEmpty {
            let codes = try await loadEventCodes(rare.keys.sorted(), names: names, keys: needs.keys, reader: reader)
            for (day, events) in rare {
                for key in columns[day, default: [:]].keys {
                    columns[day]![key]!.codes = try events.codes(of: key, from: codes[day] ?? [:])
                }
            }
        }
        var segments: [LocalDay: DaySegment] = [:]
        for (day, events) in rare {
            segments[day] = segment(day: day, rare: events, columns: columns[day] ?? [:], from: from, to: to, needs: needs)
        }
        for (day, timeline) in try await loadTimelines(days.filter { rare[$0] == nil }, reader: reader) {
            segments[day] = segment(day: day, timeline: timeline, columns: columns[day] ?? [:], from: from, to: to, needs: needs)
        }
        return segments
    }

    /// Rare events and their property codes disagree: a build wrote one without the other (never expected; the
    /// report fails rather than answer wrongly).
    struct RareEventsMismatch: Error {}

    /// A day's events of some names from `rollup_event_timelines`: the day's names and, per event in timeline
    /// order, its user number, microseconds, name code and position in the day's timeline.
    private struct RareEvents {
        var names: [String]
        var users: [Int32] = []
        var times: [Int64] = []
        var codes: [Int32] = []
        var positions: [Int32] = []
        /// The rows read, in order: each event name and where its events start (before `order`).
        var rows: [(event: String, start: Int)] = []
        /// With several rows: the events' order by position (index before sorting, per index after).
        var order: [Int]?

        /// The codes of `key` for these events in their order, from each event name's stored codes (missing: 0).
        func codes(of key: String, from stored: [String: [String: [UInt32]]]) throws -> [UInt32] {
            var all: [UInt32] = []
            all.reserveCapacity(users.count)
            for (r, row) in rows.enumerated() {
                let count = (r + 1 < rows.count ? rows[r + 1].start : users.count) - row.start
                if let codes = stored[row.event]?[key] {
                    guard codes.count == count else { throw RareEventsMismatch() }
                    all += codes
                } else {
                    all += repeatElement(0, count: count)
                }
            }
            return order.map { $0.map { all[$0] } } ?? all
        }
    }

    /// The events named `names` of those `days` whose timeline keeps every one of those names it holds apart
    /// (`rare_events`); days not in the answer must be read from their whole timeline.
    private static func loadRareEvents(_ days: [LocalDay], names: Set<String>, reader: RollupReader) async throws -> [LocalDay: RareEvents]
    {
        guard let low = days.first, let high = days.last, !names.isEmpty else { return [:] }
        let wanted = Array(names)
        let rows = try await reader.tx.query(
            """
            SELECT t.day - DATE '1970-01-01', t.events, r.event, r.data
            FROM rollup_timelines t
            LEFT JOIN rollup_event_timelines r
              ON r.org_id = t.org_id AND r.project_id = t.project_id AND r.day = t.day AND r.event = ANY(\(wanted)::text[])
            WHERE t.org_id = \(reader.scope.org.rawValue) AND t.project_id = \(reader.scope.project.rawValue)
              AND t.day BETWEEN DATE '1970-01-01' + \(low.number)::int4 AND DATE '1970-01-01' + \(high.number)::int4
              AND t.rare_events IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM unnest(\(wanted)::text[]) n(name)
                              WHERE n.name = ANY(t.events) AND NOT n.name = ANY(t.rare_events))
            ORDER BY t.day
            """)
        let inChunk = Set(days)
        var result: [LocalDay: RareEvents] = [:]
        var codes: [String: Int32] = [:]
        for try await (number, dayNames, event, data) in rows.decode((Int32, [String], String?, ByteBuffer?).self)
        where inChunk.contains(LocalDay(number: number)) {
            let day = LocalDay(number: number)
            if result[day] == nil {
                result[day] = RareEvents(names: dayNames)
                codes = Dictionary(dayNames.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
            }
            guard let event, let data, let code = codes[event] else { continue }
            result[day]!.rows.append((event, result[day]!.users.count))
            RollupTimeline.forEachRare(in: data) { user, micros, position in
                result[day]!.users.append(user)
                result[day]!.times.append(micros)
                result[day]!.codes.append(code)
                result[day]!.positions.append(position)
            }
        }
        // Several names of one day: back into timeline order (user, time, uuid), which is position order.
        for (day, events) in result where events.rows.count > 1 {
            let order = events.positions.indices.sorted { events.positions[$0] < events.positions[$1] }
            result[day]!.users = order.map { events.users[$0] }
            result[day]!.times = order.map { events.times[$0] }
            result[day]!.codes = order.map { events.codes[$0] }
            result[day]!.positions = order.map { events.positions[$0] }
            result[day]!.order = order
        }
        return result
    }

    /// The stored codes of `keys` for the rare events `names` of `days`: per day, event and key.
    private static func loadEventCodes(
        _ days: [LocalDay], names: Set<String>, keys: Set<String>, reader: RollupReader
    ) async throws -> [LocalDay: [String: [String: [UInt32]]]] {
        guard let low = days.first, let high = days.last else { return [:] }
        let rows = try await reader.tx.query(
            """
            SELECT day - DATE '1970-01-01', event, key, codes, code_bytes FROM rollup_event_columns
            WHERE org_id = \(reader.scope.org.rawValue) AND project_id = \(reader.scope.project.rawValue)
              AND day BETWEEN DATE '1970-01-01' + \(low.number)::int4 AND DATE '1970-01-01' + \(high.number)::int4
              AND day - DATE '1970-01-01' = ANY(\(days.map(\.number))::int4[])
              AND event = ANY(\(Array(names))::text[]) AND key = ANY(\(Array(keys))::text[])
            """)
        var result: [LocalDay: [String: [String: [UInt32]]]] = [:]
        for try await (number, event, key, codes, codeBytes) in rows.decode((Int32, String, String, ByteBuffer, Int16).self) {
            result[LocalDay(number: number), default: [:]][event, default: [:]][key] = RollupColumns.unpack(
                codes, codeBytes: Int(codeBytes))
        }
        return result
    }

    /// How many rolled-up days are read per statement.
    static let daysPerRead = 5

    /// The timelines of `days` (ascending).
    private static func loadTimelines(_ days: [LocalDay], reader: RollupReader) async throws -> [LocalDay: (
        names: [String], data: ByteBuffer, codeBytes: Int
    )] {
        var result: [LocalDay: (names: [String], data: ByteBuffer, codeBytes: Int)] = [:]
        guard let low = days.first, let high = days.last else { return result }
        let rows = try await reader.tx.query(
            """
            SELECT day - DATE '1970-01-01', events, data, code_bytes FROM rollup_timelines
            WHERE org_id = \(reader.scope.org.rawValue) AND project_id = \(reader.scope.project.rawValue)
              AND day BETWEEN DATE '1970-01-01' + \(low.number)::int4 AND DATE '1970-01-01' + \(high.number)::int4
              AND day - DATE '1970-01-01' = ANY(\(days.map(\.number))::int4[])
            """)
        for try await (number, names, data, codeBytes) in rows.decode((Int32, [String], ByteBuffer, Int16).self) {
            result[LocalDay(number: number)] = (names, data, Int(codeBytes))
        }
        return result
    }

    /// One stored column, its codes and what the report needs of its values: per filter the codes that match, the
    /// values' text and their numbers.
    private struct StoredColumn {
        var codes: [UInt32]
        var matches: [Int: Set<Int32>] = [:]
        var texts: [String?]?
        var numbers: [Double]?
    }

    /// Comparisons with a number (GT, GTE, LT, LTE): evaluated here on the values' numbers instead of by PostgreSQL.
    static func comparesNumbers(_ filter: PropertyFilter) -> Bool {
        [.gt, .gte, .lt, .lte].contains(filter.op)
    }

    /// A JSON number that PostgreSQL's float8 cannot hold (zero or infinite after rounding): the SQL of the raw
    /// path refuses it too (`(v ->> key)::float8` raises 22003).
    struct NumberOutOfRange: Error, CustomStringConvertible {
        var text: String
        var description: String { "\"\(text)\" is out of range for type double precision" }
    }

    /// A stored value's number as the reports' SQL reads it (`(v ->> key)::float8` where `jsonb_typeof(v)` is
    /// `number`), nil for any other JSON value. A stored value is jsonb's own text of the value, so a number is
    /// PostgreSQL's numeric text, which `float8in` (strtod) and Swift's parser read alike: both round correctly.
    static func number(ofJSON text: String) throws(NumberOutOfRange) -> Double? {
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return nil }
        guard let value = Double(text), value.isFinite else { throw NumberOutOfRange(text: text) }
        // A nonzero text read as zero underflowed: PostgreSQL refuses it (a subnormal result it accepts, as here).
        let mantissa = text.utf8.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        if value == 0, mantissa.contains(where: { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) {
            throw NumberOutOfRange(text: text)
        }
        return value
    }

    /// Whether `number` (nil: not a JSON number) meets the comparison `filter`, as its SQL would (docs/reports.md).
    static func meets(_ number: Double?, _ filter: PropertyFilter) -> Bool {
        guard let number, let operand = filter.value?.doubleValue else { return false }
        switch filter.op {
        case .gt: return number > operand
        case .gte: return number >= operand
        case .lt: return number < operand
        default: return number <= operand
        }
    }

    /// The needed columns of `days`. Filters are evaluated on each column's distinct values: comparisons with a
    /// number here, on the values' numbers (as for number keys), the others by PostgreSQL, which then applies the
    /// same SQL as on raw events. Numbers are read here because PostgreSQL parses a value as jsonb for each use:
    /// a month of a key with thousands of distinct values a day took tens of milliseconds.
    private static func loadColumns(
        days: [LocalDay], reader: RollupReader, needs: SegmentNeeds, withoutCodes: Set<LocalDay> = []
    ) async throws -> [LocalDay: [String: StoredColumn]] {
        let keys = needs.keys
        guard !days.isEmpty, !keys.isEmpty else { return [:] }
        let filters = needs.groups.flatMap { $0 }
        var b = SQLBuilder()
        var selects: [SQLText] = []
        for filter in filters where !comparesNumbers(filter) {
            let value: SQLText = "jsonb_build_object(\(b.bind(filter.key)), u.v::jsonb)"
            selects.append(
                """
                CASE WHEN c.key = \(b.bind(filter.key)) THEN ARRAY(SELECT u.o::int4 FROM unnest(c.dict) WITH ORDINALITY u(v, o)
                                                              WHERE \(filter.sql(on: value, &b))) END
                """)
        }
        let numberKeys = Set(needs.numberKeys + filters.filter(comparesNumbers).map(\.key))
        let textKeys = b.bind(needs.textKeys)
        selects.append(
            "CASE WHEN c.key = ANY(\(textKeys)) THEN ARRAY(SELECT COALESCE(u.v::jsonb #>> '{}', '') FROM unnest(c.dict) u(v)) END")
        selects.append("CASE WHEN c.key = ANY(\(textKeys)) THEN ARRAY(SELECT u.v::jsonb = 'null'::jsonb FROM unnest(c.dict) u(v)) END")
        selects.append("CASE WHEN c.key = ANY(\(b.bind(Array(numberKeys)))) THEN c.dict END")
        b.append(
            """
            SELECT c.day - DATE '1970-01-01', c.key,
                   CASE WHEN c.day - DATE '1970-01-01' = ANY(\(b.bind(withoutCodes.map(\.number)))::int4[]) THEN NULL ELSE c.codes END,
                   c.code_bytes, \(selects.joined(separator: ", "))
            FROM rollup_columns c
            WHERE c.org_id = \(b.bind(reader.scope.org.rawValue)) AND c.project_id = \(b.bind(reader.scope.project.rawValue))
              AND c.key = ANY(\(b.bind(Array(keys))))
              AND c.day BETWEEN DATE '1970-01-01' + \(b.bind(days.first!.number))::int4 AND DATE '1970-01-01' + \(b.bind(days.last!.number))::int4
            """)
        let wanted = Set(days)
        var result: [LocalDay: [String: StoredColumn]] = [:]
        for try await row in try await reader.tx.query(b.query) {
            let cells = row.makeRandomAccess()
            let day = LocalDay(number: try cells[0].decode(Int32.self))
            guard wanted.contains(day) else { continue }
            let key = try cells[1].decode(String.self)
            var column = StoredColumn(
                codes: try cells[2].decode(ByteBuffer?.self).map {
                    RollupColumns.unpack($0, codeBytes: Int(try cells[3].decode(Int16.self)))
                }
                    ?? [])
            let base = 4 + filters.count(where: { !comparesNumbers($0) })
            if let texts = try cells[base].decode([String]?.self), let nulls = try cells[base + 1].decode([Bool]?.self) {
                column.texts = zip(texts, nulls).map { $1 ? nil : $0 }
            }
            let numbers = try cells[base + 2].decode([String]?.self).map { try $0.map(number(ofJSON:)) }
            column.numbers = numbers.map { $0.map { $0 ?? .nan } }
            var cell = 4
            for (f, filter) in filters.enumerated() {
                if comparesNumbers(filter) {
                    if filter.key == key, let numbers {
                        column.matches[f] = Set(numbers.indices.lazy.filter { meets(numbers[$0], filter) }.map { Int32($0 + 1) })
                    }
                } else {
                    if filter.key == key { column.matches[f] = Set(try cells[cell].decode([Int32].self)) }
                    cell += 1
                }
            }
            result[day, default: [:]][key] = column
        }
        return result
    }

    /// Whether an event without the filter's key meets it (docs/reports.md: only the negative operators).
    static func missingMatches(_ filter: PropertyFilter) -> Bool {
        [.neq, .notContains, .isNotSet].contains(filter.op)
    }

    /// A segment from a day's rare events and columns: the events in `[from, to)` (microseconds).
    private static func segment(
        day: LocalDay, rare: RareEvents, columns: [String: StoredColumn], from: Int64, to: Int64, needs: SegmentNeeds
    ) -> DaySegment {
        var segment = DaySegment(day: day, names: rare.names)
        var positions: [Int] = []
        // The columns' codes of rare days are aligned with the rare events themselves.
        for i in rare.users.indices where rare.times[i] >= from && rare.times[i] < to {
            segment.users.append(rare.users[i])
            segment.times.append(rare.times[i])
            segment.nameCodes.append(rare.codes[i])
            positions.append(i)
        }
        addColumns(to: &segment, positions: positions, columns: columns, needs: needs)
        return segment
    }

    /// A segment from a day's timeline and columns: the events in `[from, to)` (microseconds) with the needed names.
    private static func segment(
        day: LocalDay, timeline: (names: [String], data: ByteBuffer, codeBytes: Int), columns: [String: StoredColumn],
        from: Int64, to: Int64, needs: SegmentNeeds
    ) -> DaySegment {
        var segment = DaySegment(day: day, names: timeline.names)
        let wantedName = timeline.names.map { name in needs.names.map { $0.contains(name) } ?? true }
        var positions: [Int] = []
        var position = 0
        let capacity = timeline.data.readableBytes / RollupTimeline.stride(codeBytes: timeline.codeBytes)
        segment.users.reserveCapacity(capacity)
        segment.times.reserveCapacity(capacity)
        segment.nameCodes.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        RollupTimeline.forEach(in: timeline.data, codeBytes: timeline.codeBytes) { user, micros, code in
            defer { position += 1 }
            guard micros >= from, micros < to, wantedName[code] else { return }
            segment.users.append(user)
            segment.times.append(micros)
            segment.nameCodes.append(Int32(code))
            positions.append(position)
        }
        addColumns(to: &segment, positions: positions, columns: columns, needs: needs)
        return segment
    }

    /// Adds to `segment` what the report needs of each event's properties (filter groups, texts, numbers), from
    /// the columns' codes at the events' positions in the day's timeline.
    private static func addColumns(
        to segment: inout DaySegment, positions: [Int], columns: [String: StoredColumn], needs: SegmentNeeds
    ) {
        let filters = needs.groups.flatMap { $0 }
        var filterIndex = 0
        for group in needs.groups {
            var passes = Array(repeating: true, count: positions.count)
            for filter in group {
                defer { filterIndex += 1 }
                guard let column = columns[filter.key] else {
                    if !missingMatches(filter) { passes = Array(repeating: false, count: positions.count) }
                    continue
                }
                let matching = column.matches[filterIndex] ?? []
                let lookup = (0...(matching.max().map(Int.init) ?? 0)).map { matching.contains(Int32($0)) }
                let missing = missingMatches(filter)
                for (i, p) in positions.enumerated() where passes[i] {
                    let code = p < column.codes.count ? Int(column.codes[p]) : 0
                    passes[i] = code == 0 ? missing : (code < lookup.count && lookup[code])
                }
            }
            segment.groups.append(passes)
        }
        precondition(filterIndex == filters.count)
        for key in needs.textKeys {
            let column = columns[key]
            var table = Interner<String>()
            let codeToIndex: [Int32] = [-1] + (column?.texts ?? []).map { $0.map { table.number($0) } ?? -1 }
            segment.texts.append(
                positions.map { p in
                    guard let codes = column?.codes, p < codes.count else { return -1 }
                    return codeToIndex[Int(codes[p])]
                })
            segment.textValues.append(table.values)
        }
        for key in needs.numberKeys {
            let column = columns[key]
            let numbers = column?.numbers ?? []
            segment.numbers.append(
                positions.map { p in
                    guard let codes = column?.codes, p < codes.count, codes[p] > 0 else { return .nan }
                    return numbers[Int(codes[p]) - 1]
                })
        }
    }

    /// Segments of raw events of `days` inside `[from, to)` (the open day only after its rolled-up prefix when
    /// `rolledPrefix`), with the filters and values computed by the same SQL as the raw reports; users without a
    /// rollup number are numbered in `extraUsers` (returned with the new ones).
    private static func loadRaw(
        days: [LocalDay], from: Date, to: Date, needs: SegmentNeeds, rolledPrefix: Bool, reader: RollupReader,
        extraUsers: Interner<String>
    ) async throws -> ([LocalDay: DaySegment], Interner<String>) {
        var extraUsers = extraUsers
        guard !days.isEmpty else { return ([:], extraUsers) }
        var b = SQLBuilder()
        var conditions = EventSQL.project(reader.scope, &b)
        let start = max(from, reader.date(of: days.first!))
        let end = min(to, Interval.day.nextBucket(after: reader.date(of: days.last!), in: reader.scope.timeZone))
        conditions += " AND e.\"timestamp\" >= \(b.bind(start)) AND e.\"timestamp\" < \(b.bind(end))"
        if let names = needs.names { conditions += " AND e.event = ANY(\(b.bind(Array(names))))" }
        let localDay: SQLText = "((e.\"timestamp\" AT TIME ZONE \(b.bind(reader.scope.timeZone.identifier)))::date - DATE '1970-01-01')"
        conditions += " AND \(localDay) = ANY(\(b.bind(days.map(\.number)))::int4[])"
        if rolledPrefix, let prefix = reader.prefix, days.contains(prefix.day) {
            conditions +=
                " AND (e.\"timestamp\" >= \(b.bind(prefix.through)) OR e.\"timestamp\" < \(b.bind(reader.date(of: prefix.day))))"
        }
        var extras: [SQLText] = []
        for group in needs.groups {
            var condition: SQLText = "true"
            for filter in group { condition += " AND (\(filter.sql(on: "e.properties", &b)))" }
            extras.append("COALESCE(\(condition), false)")
        }
        for key in needs.textKeys { extras.append("e.properties ->> \(b.bind(key))") }
        for key in needs.numberKeys { extras.append("COALESCE(\(EventSQL.number(key, &b)), 'NaN'::float8)") }
        let extraList = extras.map { ", \($0)" as SQLText }.joined()
        let extraNames = extras.indices.map { ", x\(SQLText(integer: $0))" as SQLText }.joined()
        let extraAliases = extras.enumerated().map { ", \($1) AS x\(SQLText(integer: $0))" as SQLText }.joined()
        if reader.isSmall(days) {
            b.append(
                """
                SELECT d, COALESCE(\(EventSQL.userNumber("s.k")), -1) AS n, k, ts, event\(extraNames) FROM (
                  SELECT \(localDay) AS d, \(EventSQL.personLookup) AS k, \(EventSQL.micros("e.\"timestamp\"")) AS ts,
                         e.event, e."timestamp" AS t, e.uuid, e.org_id, e.project_id\(extraAliases)
                  FROM events e WHERE \(conditions) OFFSET 0) s
                ORDER BY d, n, k, t, uuid
                """)
        } else {
            b.append(
                """
                SELECT \(localDay), COALESCE(i.idx, -1), \(EventSQL.person), \(EventSQL.micros("e.\"timestamp\"")), e.event\(extraList)
                \(EventSQL.fromEventsWithPersons)
                LEFT JOIN rollup_person_index i ON i.org_id = e.org_id AND i.project_id = e.project_id
                  AND i.person_key = \(EventSQL.person)
                WHERE \(conditions)
                ORDER BY 1, 2, 3, e."timestamp", e.uuid
                """)
        }
        var result: [LocalDay: DaySegment] = [:]
        var names: [LocalDay: Interner<String>] = [:]
        var texts: [LocalDay: [Interner<String>]] = [:]
        let groupCount = needs.groups.count
        let textCount = needs.textKeys.count
        for try await row in try await reader.tx.query(b.query) {
            let cells = row.makeRandomAccess()
            let day = LocalDay(number: try cells[0].decode(Int32.self))
            var index = try cells[1].decode(Int32.self)
            let key = try cells[2].decode(String.self)
            if index < 0 { index = -2 - extraUsers.number(key) }
            var segment =
                result.removeValue(forKey: day)
                ?? DaySegment(
                    day: day, groups: Array(repeating: [], count: groupCount), texts: Array(repeating: [], count: textCount),
                    textValues: Array(repeating: [], count: textCount), numbers: Array(repeating: [], count: needs.numberKeys.count))
            segment.users.append(index)
            segment.times.append(try cells[3].decode(Int64.self))
            segment.nameCodes.append(names[day, default: Interner()].number(try cells[4].decode(String.self)))
            for g in 0..<groupCount { segment.groups[g].append(try cells[5 + g].decode(Bool.self)) }
            var dayTexts = texts.removeValue(forKey: day) ?? Array(repeating: Interner(), count: textCount)
            for t in 0..<textCount {
                let text = try cells[5 + groupCount + t].decode(String?.self)
                segment.texts[t].append(text.map { dayTexts[t].number($0) } ?? -1)
            }
            texts[day] = dayTexts
            for n in needs.numberKeys.indices {
                segment.numbers[n].append(try cells[5 + groupCount + textCount + n].decode(Double.self))
            }
            result[day] = segment
        }
        for day in result.keys {
            result[day]!.names = names[day]?.values ?? []
            result[day]!.textValues = texts[day]?.map(\.values) ?? Array(repeating: [], count: textCount)
        }
        return (result, extraUsers)
    }
}
