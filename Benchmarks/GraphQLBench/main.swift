// InsightVault's side of the GraphQL engine benchmark (`make bench`): the schema, data and queries in bench/graphql,
// default resolvers over the data (abstract types by `__typename`), in two modes: (a) the full pipeline, parse +
// validate + execute + serialise on every call (document cache off); (b) execute + serialise of a prepared document.
// Prints one JSON object like bench/graphql/bench.js: {"<query>": {"full": ops/s, "execute": ops/s}, ...}.
import Foundation
import GraphQL

let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "bench/graphql"
let seconds = CommandLine.arguments.count > 2 ? Double(CommandLine.arguments[2]) ?? 2 : 2

func read(_ name: String) -> String {
    guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else {
        fatalError("cannot read \(directory)/\(name)")
    }
    return text
}

let schema = try buildSchema(read("schema.graphql"))
let data = try Value(json: read("data.json"))
var options = GraphQLEngineOptions()
options.protection = nil  // graphql-js has no such limits; compare like with like
options.documentCacheCapacity = 0
let uncached = GraphQLEngine<Void>(schema: schema, resolvers: Resolvers<Void>(), options: options, rootValue: data)

/// Runs `body` repeatedly for about `seconds` after a warm-up; returns operations per second. On the main actor,
/// like the closures it runs, so the loop itself adds no thread hops to what is measured.
@MainActor
func measure(_ body: () async -> Void) async -> Double {
    for _ in 0..<200 { await body() }
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    while clock.now - start < .seconds(seconds) {
        for _ in 0..<20 { await body() }
        count += 20
    }
    let elapsed = clock.now - start
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

var results: [(String, Double, Double)] = []
var sink = 0
for name in ["small", "list", "introspection"] {
    let query = read(name + ".graphql")
    let variables: Value? = name == "list" ? .object(["first": .int(20)]) : nil
    let check = await uncached.execute(query: query, variables: variables, context: ())
    guard check.result.errors.isEmpty, check.result.data != nil else {
        fatalError("\(name): \(check.result.errors.map(\.message))")
    }
    let full = await measure {
        let response = await uncached.execute(query: query, variables: variables, context: ())
        sink &+= response.result.jsonBytes.count
    }
    let prepared = try uncached.prepare(query: query)
    let executeOnly = await measure {
        let response = await uncached.execute(prepared: prepared, variables: variables, context: ())
        sink &+= response.result.jsonBytes.count
    }
    results.append((name, full, executeOnly))
}
let body = results.map { "\"\($0.0)\":{\"full\":\($0.1),\"execute\":\($0.2)}" }.joined(separator: ",")
print("{\(body)}")
if sink == 42 { print("") }  // keeps the serialised output observable
