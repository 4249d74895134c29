// JSON parser and writer microbenchmark: parses three realistic documents many times through `Models.JSON.parse` and
// the GraphQL engine's `Value(jsonBytes:)` and writes the results back, printing ns per document and the ratio.
// Release build: `swift build -c release --product JSONBench`, then `.build/release/JSONBench [seconds per round]`.
// The documents are made here, deterministically: an ingestion batch of 100 PostHog-like events (~60 KB), a GraphQL
// request with variables (~1 KB) and a large stored report definition in PostgreSQL's jsonb text layout (~24 KB).
import GraphQL
import Models

/// A small deterministic pseudo-random source (a 64-bit LCG), so every run parses the same bytes.
struct Dice {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D

    /// A number in `0..<bound`.
    mutating func roll(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    /// One of `choices`.
    mutating func pick(_ choices: [String]) -> String { choices[roll(choices.count)] }

    /// `count` lowercase hex digits.
    mutating func hex(_ count: Int) -> String { String((0..<count).map { _ in Array("0123456789abcdef")[roll(16)] }) }

    /// A UUID-shaped string.
    mutating func uuid() -> String { "\(hex(8))-\(hex(4))-7\(hex(3))-a\(hex(3))-\(hex(12))" }
}

/// `{"api_key": …, "batch": [100 events]}` as posthog-js sends it: `$pageview`, `$autocapture` with elements,
/// and custom events with numbers, nested `$set`, feature flags, a few escapes and non-ASCII titles.
func ingestionBatch(_ dice: inout Dice) -> String {
    var events: [String] = []
    for index in 0..<100 {
        let user = "user-\(1000 + dice.roll(500))"
        let path = dice.pick(["/", "/pricing", "/projects/42/insights", "/docs/getting-started", "/blog/2026/\(dice.roll(99))"])
        let event = dice.pick(["$pageview", "$pageview", "$autocapture", "signup_completed", "report_saved"])
        let second = 10 + index % 50
        var properties = """
            "$os":"\(dice.pick(["Mac OS X", "Windows", "Linux", "iOS", "Android"]))",\
            "$browser":"\(dice.pick(["Chrome", "Firefox", "Safari", "Edge"]))","$browser_version":\(110 + dice.roll(20)),\
            "$current_url":"https://app.example.com\(path)?ref=nav","$pathname":"\(path)","$screen_width":1920,\
            "$lib":"web","$insert_id":"\(dice.hex(16))",\
            "$time":1764505\(dice.roll(900) + 100).\(dice.roll(999)),"$session_id":"\(dice.uuid())",\
            "title":"\(dice.pick(["Trends · InsightVault", #"Café \u00e9t\u00e9 \"spécial\""#, "Pricing", "Docs — start"]))",\
            "$is_identified":\(dice.roll(2) == 0),"$active_feature_flags":["new-dashboard","funnels-v2"],\
            "$set":{"email":"\(user)@example.com","plan":"\(dice.pick(["free", "pro", "team"]))"}
            """
        if event == "$autocapture" {
            properties += """
                ,"$event_type":"click","$elements":[{"tag_name":"button","$el_text":"Save report","classes":["btn","primary"],\
                "nth_child":2},{"tag_name":"div","classes":["toolbar"],"nth_child":1}]
                """
        } else if event != "$pageview" {
            properties += ",\"price\":\(dice.roll(10_000)).\(dice.roll(100)),\"quantity\":\(dice.roll(12)),\"coupon\":null"
        }
        events.append(
            """
            {"event":"\(event)","distinct_id":"\(user)","uuid":"\(dice.uuid())",\
            "timestamp":"2026-11-30T12:34:\(second).\(dice.roll(900) + 100)Z","properties":{\(properties)}}
            """)
    }
    return #"{"api_key":"phc_3f9a1c2b7d4e5f60718293a4b5c6d7e8","sent_at":"2026-11-30T12:35:00.000Z","batch":["#
        + events.joined(separator: ",") + "]}"
}

/// A `POST /graphql` body: a trends query with variables, as the dashboard sends it.
func graphQLRequest() -> String {
    let query = """
        query Trends($project: ID!, $input: TrendsInput!) {\\n  project(id: $project) {\\n    name\\n    trends(input: $input) {\\n\
              series {\\n        label\\n        event\\n        math\\n        breakdownValue\\n        total\\n\
                points {\\n          bucket\\n          value\\n        }\\n      }\\n    }\\n  }\\n}
        """
    return """
        {"query":"\(query)","operationName":"Trends","variables":{"project":"0190f2a1-7c3e-7bbb-9e0f-3a1b2c3d4e5f",\
        "input":{"series":[{"event":"$pageview","math":"TOTAL"},{"event":"signup_completed","math":"UNIQUE_USERS"},\
        {"event":"purchase","math":"SUM","property":"price"}],"dateFrom":"2026-11-01T00:00:00Z",\
        "dateTo":"2026-11-30T23:59:59Z","interval":"DAY","breakdown":"$browser","breakdownLimit":10,\
        "filters":[{"key":"$os","operator":"EQ","value":["Mac OS X","Windows"]},\
        {"key":"$screen_width","operator":"GT","value":1024},{"key":"plan","operator":"IS_SET"}]}}}
        """
}

/// A stored trends definition with many series and filters, laid out as PostgreSQL prints jsonb (`", "`, `": "`).
func reportDefinition(_ dice: inout Dice) -> String {
    var series: [String] = []
    for _ in 0..<100 {
        let math = dice.pick(["TOTAL", "UNIQUE_USERS", "SUM", "AVG", "P95"])
        let property = math == "SUM" || math == "AVG" || math == "P95" ? #", "property": "price""# : ""
        series.append(#"{"math": "\#(math)", "event": "\#(dice.pick(["$pageview", "signup_completed", "purchase"]))"\#(property)}"#)
    }
    var filters: [String] = []
    for index in 0..<240 {
        let value: String
        switch index % 4 {
        case 0: value = #"["\#(dice.pick(["Chrome", "Firefox", "Safari"]))", "\#(dice.pick(["Edge", "Opera"]))", "Brave"]"#
        case 1: value = "\(dice.roll(5000))"
        case 2: value = "\(dice.roll(1000)).\(dice.roll(100))"
        default: value = #""\#(dice.pick(["pro", "team", "enterprise", "free trial — ünïcode"]))""#
        }
        let comparison = dice.pick(["EQ", "NEQ", "GT", "LT", "CONTAINS"])
        filters.append(#"{"key": "prop_\#(index)", "value": \#(value), "operator": "\#(comparison)"}"#)
    }
    return #"{"dateTo": "2026-11-30T23:59:59Z", "filters": ["# + filters.joined(separator: ", ")
        + #"], "series": ["# + series.joined(separator: ", ")
        + #"], "dateFrom": "2026-11-01T00:00:00Z", "interval": "DAY", "breakdown": "$browser", "breakdownLimit": 25}"#
}

/// Nanoseconds per call of `body`, over about `seconds`.
func nanosecondsPerCall(seconds: Double, _ body: () -> Int) -> Double {
    var sink = 0
    let clock = ContinuousClock()
    let start = clock.now
    var calls = 0
    var elapsed = Duration.zero
    repeat {
        for _ in 0..<10 { sink &+= body() }
        calls += 10
        elapsed = clock.now - start
    } while elapsed < .milliseconds(Int64(seconds * 1000))
    if sink == 42 { print("") }  // keeps the results observable
    return (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(calls)
}

/// Times `first` and `second` in alternating rounds (the machine is shared, so both see the same disturbances):
/// the best time of each, and the median of the per-round ratios first/second.
func compare(rounds: Int, seconds: Double, _ first: () -> Int, _ second: () -> Int) -> (Double, Double, Double) {
    for _ in 0..<20 { _ = first() &+ second() }
    var firstTimes: [Double] = []
    var secondTimes: [Double] = []
    for _ in 0..<rounds {
        firstTimes.append(nanosecondsPerCall(seconds: seconds, first))
        secondTimes.append(nanosecondsPerCall(seconds: seconds, second))
    }
    let ratios = zip(firstTimes, secondTimes).map { $0 / $1 }.sorted()
    return (firstTimes.min()!, secondTimes.min()!, ratios[ratios.count / 2])
}

/// Formats `value` with `digits` decimals, padded on the left to `width`.
func column(_ value: Double, _ digits: Int = 0, width: Int = 12) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = digits == 0 ? String(Int(rounded)) : String(rounded)
    if digits > 0, let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

/// Pads `text` on the right to `width`.
func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 0.3 : 0.3
let rounds = 7
var dice = Dice()
let documents: [(name: String, bytes: [UInt8])] = [
    ("ingest batch", Array(ingestionBatch(&dice).utf8)), ("graphql request", Array(graphQLRequest().utf8)),
    ("report definition", Array(reportDefinition(&dice).utf8)),
]

print("JSON benchmark: ns per document (lower is better), best of \(rounds) alternating rounds of \(seconds) s; ratio: median")
print(pad("document", 19) + pad("bytes", 8) + pad("step", 7) + "  Models.JSON  GraphQL.Value   Models/GraphQL")
for (name, bytes) in documents {
    guard let json = try? JSON.parse(bytes: bytes), let value = try? Value(jsonBytes: bytes) else {
        fatalError("\(name) is not valid JSON")
    }
    let parse = compare(
        rounds: rounds, seconds: seconds, { (try? JSON.parse(bytes: bytes))?.objectValue?.count ?? 0 },
        { (try? Value(jsonBytes: bytes))?.objectValue?.count ?? 0 })
    let write = compare(rounds: rounds, seconds: seconds, { json.jsonString.utf8.count }, { value.jsonString().utf8.count })
    for (step, (models, graphQL, ratio)) in [("parse", parse), ("write", write)] {
        print(
            pad(name, 19) + pad(String(bytes.count), 8) + pad(step, 7) + column(models, width: 13) + column(graphQL, width: 15)
                + column(ratio, 2, width: 16))
    }
}
