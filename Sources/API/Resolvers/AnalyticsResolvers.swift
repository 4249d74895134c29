import Analytics
import Accounts
import Tenancy
import Foundation
import GraphQL
import Models
import Storage

extension Resolvers where Context == APIContext {
    /// The event explorer, the live tail, the pickers, persons and the three reports. Each runs in the project's tenant
    /// transaction after the read check (`ProjectService.withProject`).
    mutating func addAnalyticsResolvers() {
        resolve("Query", "events") { (_: Value, args, context) -> Value in
            let filter = try ReportInputs.eventFilter(args.object("filter"))
            let page = try await context.withProject(args) { tx, scope in
                try await ReportMetrics.timed("events") {
                    try await EventExplorer.page(filter, first: args.int("first") ?? 50, after: args.string("after"), scope: scope, on: tx)
                }
            }
            let edges = page.events.map { Value.object(["cursor": .string($0.cursor), "node": Self.eventValue($0.event)]) }
            return .object([
                "edges": .list(edges),
                "pageInfo": .object([
                    "hasNextPage": .bool(page.hasNextPage), "endCursor": page.events.last.map { .string($0.cursor) } ?? .null,
                ]),
            ])
        }
        resolve("Query", "liveEvents") { (_: Value, args, context) -> Value in
            // On the primary: a cursor taken from a lagging replica would skip the events it has not replayed yet.
            let batch = try await Database.$readsPrimary.withValue(true) {
                try await context.withProject(args) { tx, scope in
                    try await EventExplorer.live(after: args.string("after"), limit: args.int("limit") ?? 100, scope: scope, on: tx)
                }
            }
            return .object(["events": .list(batch.events.map(Self.eventValue)), "cursor": batch.cursor.map(Value.string) ?? .null])
        }
        resolve("Query", "eventNames") { (_: Value, args, context) -> [String] in
            try await context.withProject(args) { tx, scope in
                try await EventExplorer.eventNames(limit: args.int("limit") ?? 100, scope: scope, on: tx)
            }
        }
        resolve("Query", "deadLetters") { (_: Value, args, context) -> Value in
            let (total, items) = try await context.withProject(args) { tx, scope in
                try await DeadLetters.list(limit: args.int("limit") ?? 20, scope: scope, on: tx)
            }
            let values = items.map { letter -> Value in
                .object([
                    "id": .string(letter.id.uuidString.lowercased()), "kind": .string(letter.kind.uppercased()),
                    "code": .string(letter.code), "reason": .string(letter.reason), "payload": .string(letter.payload),
                    "receivedAt": .string(DateTimeText.format(letter.receivedAt)),
                    "storedAt": .string(DateTimeText.format(letter.storedAt)),
                ])
            }
            return .object(["totalCount": .int(total), "items": .list(values)])
        }
        resolve("Query", "propertyKeys") { (_: Value, args, context) -> [String] in
            try await context.withProject(args) { tx, scope in
                try await EventExplorer.propertyKeys(event: args.string("event"), limit: args.int("limit") ?? 100, scope: scope, on: tx)
            }
        }
        resolve("Query", "personPropertyKeys") { (_: Value, args, context) -> [String] in
            try await context.withProject(args) { tx, scope in
                try await PersonDirectory.propertyKeys(limit: args.int("limit") ?? 100, scope: scope, on: tx)
            }
        }
        resolve("Query", "persons") { (_: Value, args, context) -> [Value] in
            let persons = try await context.withProject(args) { tx, scope in
                try await PersonDirectory.search(args.string("search"), limit: args.int("limit") ?? 50, scope: scope, on: tx)
            }
            return persons.map(Self.personValue)
        }
        resolve("Query", "person") { (_: Value, args, context) -> Value in
            guard let distinctID = args.string("distinctId") else { throw ServiceError(.badUserInput, "distinctId is required") }
            let person = try await context.withProject(args) { tx, scope in
                try await PersonDirectory.person(distinctID: distinctID, scope: scope, on: tx)
            }
            return person.map(Self.personValue) ?? .null
        }
        resolve("Query", "trends") { (_: Value, args, context) -> Value in
            let input = try Input(args).object
            return try await context.withProject(args) { tx, scope in
                try await Self.trends(input, now: context.services.now(), scope: scope, on: tx)
            }
        }
        resolve("Query", "funnel") { (_: Value, args, context) -> Value in
            let input = try Input(args).object
            return try await context.withProject(args) { tx, scope in
                try await Self.funnel(input, now: context.services.now(), scope: scope, on: tx)
            }
        }
        resolve("Query", "retention") { (_: Value, args, context) -> Value in
            let input = try Input(args).object
            return try await context.withProject(args) { tx, scope in
                try await Self.retention(input, now: context.services.now(), scope: scope, on: tx)
            }
        }
    }

    /// A `TrendsResult` for a `TrendsInput` (with the previous period when it asks for it).
    static func trends(_ input: OrderedObject, now: Date, scope: ReportScope, on tx: TenantConnection) async throws -> Value {
        let query = try ReportInputs.trends(input, now: now, in: scope.timeZone)
        let series = try await ReportMetrics.timed("trends") { try await Trends.run(query, scope: scope, on: tx) }
        var previous: [TrendSeries] = []
        if input["compareToPrevious"]?.boolValue == true {
            var before = query
            (before.from, before.to) = ReportRange.previousPeriod(from: query.from, to: query.to, in: scope.timeZone)
            previous = try await ReportMetrics.timed("trends") { try await Trends.run(before, scope: scope, on: tx) }
        }
        return .object([
            "series": .list(series.map(Self.seriesValue)), "previous": .list(previous.map(Self.seriesValue)),
            "dateFrom": .string(DateTimeText.format(query.from)), "dateTo": .string(DateTimeText.format(query.to)),
        ])
    }

    /// A `FunnelResult` for a `FunnelInput` (with the previous period's steps when it asks for them).
    static func funnel(_ input: OrderedObject, now: Date, scope: ReportScope, on tx: TenantConnection) async throws -> Value {
        let query = try ReportInputs.funnel(input, now: now, in: scope.timeZone)
        let result = try await ReportMetrics.timed("funnel") { try await Funnel.run(query, scope: scope, on: tx) }
        var previous: [FunnelStepResult] = []
        if input["compareToPrevious"]?.boolValue == true {
            var before = query
            (before.from, before.to) = ReportRange.previousPeriod(from: query.from, to: query.to, in: scope.timeZone)
            before.breakdown = nil
            previous = try await ReportMetrics.timed("funnel") { try await Funnel.run(before, scope: scope, on: tx) }.steps
        }
        return .object([
            "steps": .list(result.steps.map(Self.stepValue)),
            "breakdowns": .list(
                result.breakdowns.map {
                    .object(["breakdownValue": $0.value.map(Value.string) ?? .null, "steps": .list($0.steps.map(Self.stepValue))])
                }),
            "previous": .list(previous.map(Self.stepValue)),
            "dateFrom": .string(DateTimeText.format(query.from)), "dateTo": .string(DateTimeText.format(query.to)),
        ])
    }

    /// A `RetentionResult` for a `RetentionInput`.
    static func retention(_ input: OrderedObject, now: Date, scope: ReportScope, on tx: TenantConnection) async throws -> Value {
        let query = try ReportInputs.retention(input, now: now, in: scope.timeZone)
        let cohorts = try await ReportMetrics.timed("retention") { try await Retention.run(query, scope: scope, on: tx) }
        return .object([
            "cohorts": .list(
                cohorts.map {
                    .object([
                        "start": .string(DateTimeText.format($0.start)), "size": .int($0.size), "values": .list($0.values.map(Value.int)),
                    ])
                })
        ])
    }

    static func eventValue(_ event: StoredEvent) -> Value {
        .object([
            "id": .string(event.id.uuidString.lowercased()),
            "event": .string(event.event),
            "distinctId": .string(event.distinctID),
            "personId": event.personID.map { .string($0.uuidString.lowercased()) } ?? .null,
            "timestamp": .string(DateTimeText.format(event.timestamp)),
            "receivedAt": .string(DateTimeText.format(event.receivedAt)),
            "properties": (try? Value(json: event.propertiesJSON)) ?? .object([:]),
        ])
    }

    static func personValue(_ person: PersonRecord) -> Value {
        .object([
            "id": .string(person.id),
            "distinctIds": .list(person.distinctIDs.map(Value.string)),
            "properties": (try? Value(json: person.propertiesJSON)) ?? .object([:]),
            "lastSeen": person.lastSeen.map { .string(DateTimeText.format($0)) } ?? .null,
        ])
    }

    static func seriesValue(_ series: TrendSeries) -> Value {
        .object([
            "label": .string(series.label),
            "event": series.event.map(Value.string) ?? .null,
            "math": .string(series.math.rawValue),
            "breakdownValue": series.breakdownValue.map(Value.string) ?? .null,
            "total": .double(series.total),
            "points": .list(
                series.points.map {
                    .object(["bucket": .string(DateTimeText.format($0.bucket)), "value": .double($0.value)])
                }),
        ])
    }

    static func stepValue(_ step: FunnelStepResult) -> Value {
        .object([
            "index": .int(step.index),
            "event": .string(step.event),
            "count": .int(step.count),
            "conversionRate": .double(step.conversionRate),
            "medianSecondsFromPrevious": step.medianSecondsFromPrevious.map(Value.double) ?? .null,
            "breakdownValue": step.breakdownValue.map(Value.string) ?? .null,
        ])
    }
}

extension APIContext {
    /// Runs `body` in the tenant transaction of the `projectId` argument's project after the read check.
    func withProject<T: Sendable>(
        _ args: Arguments, _ body: (TenantConnection, ReportScope) async throws -> T
    ) async throws -> T {
        let principal = try principal()
        let project: Project.ID = try Input.id(args, "projectId", "project")
        return try await services.access.withProject(principal, project: project) { tx, info in
            try await body(tx, ReportScope(org: info.organizationID, project: info.id, timezone: info.timezone))
        }
    }
}

/// Turns GraphQL report inputs into analytics queries; a relative `range` is resolved at `now` in the project's
/// time zone.
public enum ReportInputs {
    /// `TrendsInput`.
    public static func trends(_ input: OrderedObject, now: Date, in timeZone: TimeZone) throws -> TrendsQuery {
        let (from, to) = try range(input).resolve(now: now, in: timeZone)
        let series = try (input["series"]?.listValue ?? []).map { item -> TrendsQuery.Series in
            guard let object = item.objectValue else { throw ServiceError(.badUserInput, "series items are objects") }
            return TrendsQuery.Series(
                event: object["event"]?.stringValue, math: try enumValue(object["math"], TrendMath.self, "math"),
                property: object["property"]?.stringValue)
        }
        return TrendsQuery(
            series: series, from: from, to: to,
            interval: try input["interval"].flatMap { $0.isNull ? nil : $0 }.map { try enumValue($0, Interval.self, "interval") } ?? .day,
            breakdown: input["breakdown"]?.stringValue, breakdownLimit: input["breakdownLimit"]?.intValue ?? 25,
            filters: try filters(input["filters"]))
    }

    /// `FunnelInput`.
    public static func funnel(_ input: OrderedObject, now: Date, in timeZone: TimeZone) throws -> FunnelQuery {
        let (from, to) = try range(input).resolve(now: now, in: timeZone)
        let steps = try (input["steps"]?.listValue ?? []).map { item -> FunnelQuery.Step in
            guard let object = item.objectValue, let event = object["event"]?.stringValue else {
                throw ServiceError(.badUserInput, "every funnel step needs an event")
            }
            return FunnelQuery.Step(event: event, filters: try filters(object["filters"]))
        }
        guard let window = input["windowSeconds"]?.intValue else { throw ServiceError(.badUserInput, "windowSeconds is required") }
        return FunnelQuery(
            steps: steps, from: from, to: to, windowSeconds: window,
            order: try input["order"].flatMap { $0.isNull ? nil : $0 }.map { try enumValue($0, FunnelOrder.self, "order") } ?? .ordered,
            breakdown: input["breakdown"]?.stringValue, breakdownLimit: input["breakdownLimit"]?.intValue ?? 25)
    }

    /// `RetentionInput`.
    public static func retention(_ input: OrderedObject, now: Date, in timeZone: TimeZone) throws -> RetentionQuery {
        let (from, to) = try range(input).resolve(now: now, in: timeZone)
        guard let start = input["startEvent"]?.stringValue, let returning = input["returnEvent"]?.stringValue else {
            throw ServiceError(.badUserInput, "startEvent and returnEvent are required")
        }
        guard let periods = input["periods"]?.intValue else { throw ServiceError(.badUserInput, "periods is required") }
        return RetentionQuery(
            startEvent: start, returnEvent: returning,
            period: try input["period"].flatMap { $0.isNull ? nil : $0 }.map { try enumValue($0, Interval.self, "period") } ?? .day,
            periods: periods, from: from, to: to,
            mode: try input["mode"].flatMap { $0.isNull ? nil : $0 }.map { try enumValue($0, RetentionMode.self, "mode") } ?? .recurring,
            filters: try filters(input["filters"]))
    }

    /// The range of a report input: `dateFrom` and `dateTo`, or `range` (a `RelativeRangeInput`), never both.
    public static func range(_ input: OrderedObject) throws -> ReportRange {
        let from = try optionalDate(input, "dateFrom")
        let to = try optionalDate(input, "dateTo")
        guard let value = input["range"], !value.isNull else {
            guard let from, let to else { throw ServiceError(.badUserInput, "dateFrom and dateTo are required without range") }
            return .absolute(from: from, to: to)
        }
        guard from == nil, to == nil else { throw ServiceError(.badUserInput, "give either range or dateFrom and dateTo, not both") }
        guard let range = value.objectValue else { throw ServiceError(.badUserInput, "range is an object") }
        return .relative(try relativeRange(range))
    }

    /// A `RelativeRangeInput`: exactly one of `last`, `this` and `since`.
    private static func relativeRange(_ range: OrderedObject) throws -> RelativeRange {
        let given = ["last", "this", "since"].filter { range[$0].map { !$0.isNull } ?? false }
        guard given.count == 1 else { throw ServiceError(.badUserInput, "range takes exactly one of last, this and since") }
        if given[0] != "last", let flag = range["includeCurrent"], !flag.isNull {
            throw ServiceError(.badUserInput, "range.includeCurrent goes with range.last")
        }
        switch given[0] {
        case "last":
            guard let last = range["last"]?.objectValue, let amount = last["amount"]?.intValue else {
                throw ServiceError(.badUserInput, "range.last needs an amount and a unit")
            }
            guard (1...RelativeRange.maxAmount).contains(amount) else {
                throw ServiceError(.badUserInput, "range.last.amount must be 1 to \(RelativeRange.maxAmount)")
            }
            let includeCurrent = range["includeCurrent"].flatMap { $0.isNull ? nil : $0.boolValue } ?? true
            return .last(
                amount: amount, unit: try enumValue(last["unit"], Interval.self, "range.last.unit"), includeCurrent: includeCurrent)
        case "this":
            return .this(try enumValue(range["this"], Interval.self, "range.this"))
        default:
            guard let since = try optionalDate(range, "since") else { throw ServiceError(.badUserInput, "range.since is required") }
            return .since(since)
        }
    }

    /// `EventFilter` (nil: no conditions).
    static func eventFilter(_ input: OrderedObject?) throws -> EventFilter {
        guard let input else { return EventFilter() }
        var filter = EventFilter(
            event: input["event"]?.stringValue, distinctID: input["distinctId"]?.stringValue,
            from: try optionalDate(input, "dateFrom"), to: try optionalDate(input, "dateTo"),
            properties: try filters(input["properties"]))
        if let ids = input["distinctIds"]?.listValue {
            guard ids.count <= 1_000 else { throw ServiceError(.badUserInput, "distinctIds takes at most 1,000 ids") }
            filter.distinctIDs = ids.compactMap(\.stringValue)
        }
        return filter
    }

    static func filters(_ value: Value?) throws -> [PropertyFilter] {
        try (value?.listValue ?? []).map { item in
            guard let object = item.objectValue, let key = object["key"]?.stringValue else {
                throw ServiceError(.badUserInput, "a property filter needs a key")
            }
            let op = try enumValue(object["operator"], PropertyFilter.Operator.self, "operator")
            let source = try object["type"].flatMap { $0.isNull ? nil : $0 }.map { try enumValue($0, PropertyFilter.Source.self, "type") }
            return PropertyFilter(key: key, op: op, value: object["value"].flatMap { $0.isNull ? nil : json($0) }, source: source ?? .event)
        }
    }

    static func enumValue<T: RawRepresentable>(_ value: Value?, _ type: T.Type, _ name: String) throws -> T where T.RawValue == String {
        guard let text = value?.stringValue, let result = T(rawValue: text) else { throw ServiceError(.badUserInput, "invalid \(name)") }
        return result
    }

    static func optionalDate(_ input: OrderedObject, _ key: String) throws -> Date? {
        guard let value = input[key], !value.isNull else { return nil }
        guard let text = value.stringValue, let date = DateTimeText.parse(text) else {
            throw ServiceError(.badUserInput, "\(key) is not an RFC 3339 date-time")
        }
        return date
    }

    /// A GraphQL `Value` as the analytics layer's JSON.
    static func json(_ value: Value) -> Models.JSON {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(Int64(number))
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .list(let items): .array(items.map(json))
        case .object(let object): .object(Dictionary(object.map { ($0.key, json($0.value)) }, uniquingKeysWith: { $1 }))
        }
    }
}
