import Synchronization
import Testing

@testable import GraphQL

extension Validation {
    /// `FieldCosts`: weights and argument estimators in `QueryCostRule`, and the engine's check with the request's
    /// variables.
    @Suite struct FieldCostsTests {
        static let schema: GraphQLSchema = {
            do {
                return try buildSchema(
                    """
                    input RangeInput { from: Int!, to: Int!, step: Int = 1, tags: [String!] }
                    enum Kind { CHEAP DEAR }
                    type Item { id: Int report(range: RangeInput!): Int }
                    type Query {
                      plain: Int
                      report(range: RangeInput!, kind: Kind = CHEAP): Int
                      tagged(range: RangeInput!): Int
                      items(first: Int): [Item]
                      board: [Item]
                    }
                    """)
            } catch {
                fatalError("schema: \(error)")
            }
        }()

        /// `Query.report`: (to - from) / step, 10 times that for DEAR; 1,000 when a bound is not known.
        static func report(_ arguments: FieldCostArguments) -> Int {
            guard let range = arguments["range"], let from = range["from"]?.intValue, let to = range["to"]?.intValue else {
                return 1_000
            }
            let units = (to - from) / max(1, range["step"]?.intValue ?? 1)
            return arguments["kind"]?.stringValue == "DEAR" ? 10 * units : units
        }

        static let costs: FieldCosts = {
            var costs = FieldCosts()
            costs.set("Query", "plain", .weight(7))
            costs.set("Query", "board", .total(50))
            costs.set("Query", "report", .estimate(report))
            costs.set("Item", "report", .estimate(report))
            // How many tags the estimator sees, plus 100 when some argument was an unknown variable.
            costs.set(
                "Query", "tagged",
                .estimate { arguments in
                    (arguments["range"]?["tags"]?.listValue?.count ?? 0) + (arguments.hasUnknownValues ? 100 : 0)
                })
            return costs
        }()

        let rule = QueryCostRule(maxCost: 500, defaultListSize: 10, fieldCosts: Self.costs)

        func estimate(_ document: String, variables: OrderedObject? = nil) throws -> CostEstimate? {
            let parsed = try parse(document)
            let context = ValidationContext(
                schema: Self.schema, document: parsed, typeInfo: TypeInfo(schema: Self.schema), variableValues: variables)
            return parsed.operations.first.map { rule.estimate(of: $0, context: context) }
        }

        func cost(_ document: String, variables: OrderedObject? = nil) throws -> Int? {
            try estimate(document, variables: variables)?.cost
        }

        @Test func weightsReplaceTheCostOfOne() throws {
            #expect(try cost("{ plain }") == 7)
            #expect(try cost("{ a: plain b: plain }") == 14)
            let document = try parse("{ plain }")
            let context = ValidationContext(schema: Self.schema, document: document, typeInfo: TypeInfo(schema: Self.schema))
            #expect(QueryCostRule(maxCost: 500).cost(of: document.operations[0], context: context) == 1)
        }

        @Test func estimatorsReadLiteralArgumentsWithDefaults() throws {
            #expect(try cost("{ report(range: {from: 0, to: 100, step: 10}) }") == 10)
            #expect(try cost("{ report(range: {from: 0, to: 100}) }") == 100)  // step's default 1
            #expect(try cost("{ report(range: {from: 0, to: 100}, kind: DEAR) }") == 1_000)  // enums by name
        }

        @Test func listsMultiplyEstimatedFieldsToo() throws {
            // 1 for items, then 10 items × (id 1 + report 20).
            #expect(try cost("{ items { id report(range: {from: 0, to: 20}) } }") == 211)
            #expect(try cost("{ items(first: 2) { report(range: {from: 0, to: 20}) } }") == 41)
        }

        @Test func aTotalCostCoversWhateverIsSelectedBelow() throws {
            #expect(try cost("{ board { id } }") == 50)
            #expect(try cost("{ board { id report(range: {from: 0, to: 100}) } }") == 50)
            #expect(try cost("{ a: board { id } b: board { id } plain }") == 107)
        }

        @Test func aSingleValueIsAListOfOne() throws {
            #expect(try cost(#"{ tagged(range: {from: 0, to: 1, tags: "a"}) }"#) == 1)
            #expect(try cost(#"{ tagged(range: {from: 0, to: 1, tags: ["a", "b", "c"]}) }"#) == 3)
        }

        @Test func unknownVariablesAreLeftOutAndReported() throws {
            let document = "query ($to: Int!) { report(range: {from: 0, to: $to}) }"
            let unknown = try #require(try estimate(document))
            #expect(unknown.cost == 1_000 && unknown.readsUnknownVariables)
            let known = try #require(try estimate(document, variables: ["to": 50]))
            #expect(known.cost == 50 && !known.readsUnknownVariables)
            let defaulted = try #require(try estimate("query ($to: Int! = 30) { report(range: {from: 0, to: $to}) }"))
            #expect(defaulted.cost == 30 && !defaulted.readsUnknownVariables)
            // A list item given as an unknown variable still counts as an item.
            #expect(try cost(#"query ($t: String!) { tagged(range: {from: 0, to: 1, tags: ["a", $t]}) }"#) == 102)
            #expect(try cost(#"query ($t: String!) { tagged(range: {from: 0, to: 1, tags: ["a", $t]}) }"#, variables: ["t": "b"]) == 2)
        }

        @Test func wholeInputObjectsAsVariables() throws {
            let document = "query ($r: RangeInput!) { report(range: $r) }"
            #expect(try cost(document) == 1_000)
            #expect(try cost(document, variables: ["r": ["from": 0, "to": 40, "step": 4]]) == 10)
        }

        @Test func validationRefusesUnlessTheCostIsDeferredToTheVariables() throws {
            let document = try parse("query ($to: Int!) { report(range: {from: 0, to: $to}) }")
            func errors(defer: Bool) -> [GraphQLError] {
                validate(
                    schema: Self.schema, document: document,
                    options: ValidationOptions(
                        protection: ProtectionLimits(maxCost: 500), fieldCosts: Self.costs, defersVariableCosts: `defer`))
            }
            #expect(errors(defer: false).map(\.code) == ["QUERY_TOO_COMPLEX"])
            #expect(errors(defer: true).isEmpty)
            // A cost over the limit without variables is refused either way.
            let literal = try parse("{ report(range: {from: 0, to: 600}) }")
            let refused = validate(
                schema: Self.schema, document: literal,
                options: ValidationOptions(protection: ProtectionLimits(maxCost: 500), fieldCosts: Self.costs, defersVariableCosts: true))
            #expect(refused.map(\.code) == ["QUERY_TOO_COMPLEX"])
        }

        /// Counts resolver calls across tasks.
        final class Calls: Sendable {
            let count = Atomic<Int>(0)
        }

        static func engine(_ calls: Calls) -> GraphQLEngine<Void> {
            var resolvers = Resolvers<Void>()
            resolvers.field("Query", "report") { (_: Value, _, _, _) -> Int in
                calls.count.add(1, ordering: .relaxed)
                return 1
            }
            var options = GraphQLEngineOptions(protection: ProtectionLimits(maxCost: 500))
            options.fieldCosts = costs
            return GraphQLEngine(schema: schema, resolvers: resolvers, options: options)
        }

        @Test func theEngineChecksTheCostWithEachRequestsVariablesBeforeResolving() async throws {
            let calls = Calls()
            let engine = Self.engine(calls)
            let query = "query Report($to: Int!, $kind: Kind) { report(range: {from: 0, to: $to}, kind: $kind) }"
            let cheap = await engine.execute(query: query, variables: ["to": 400], context: ())
            #expect(cheap.phase == .execution && cheap.result.errors.isEmpty)
            #expect(calls.count.load(ordering: .relaxed) == 1)
            // The same cached document with other variables: refused before the resolver runs.
            let dear = await engine.execute(query: query, variables: ["to": 400, "kind": "DEAR"], context: ())
            #expect(dear.phase == .validation && dear.isRequestError && dear.result.data == nil)
            #expect(dear.result.errors.map(\.code) == ["QUERY_TOO_COMPLEX"])
            #expect(dear.result.errors.first?.message == "Query cost 4000 exceeds the maximum allowed cost of 500.")
            let far = await engine.execute(query: query, variables: ["to": 600], context: ())
            #expect(far.result.errors.map(\.code) == ["QUERY_TOO_COMPLEX"])
            #expect(calls.count.load(ordering: .relaxed) == 1)
            #expect(engine.cacheStatistics.misses == 1)
            // Invalid variables are execution's to report.
            let invalid = await engine.execute(query: query, variables: ["to": "x"], context: ())
            #expect(invalid.phase == .request && invalid.result.errors.first?.code == nil)
        }

        @Test func theEngineChecksTheOperationItRuns() async throws {
            let calls = Calls()
            let engine = Self.engine(calls)
            let query = """
                query Small($to: Int!) { report(range: {from: 0, to: 1, step: $to}) }
                query Big($to: Int!) { report(range: {from: 0, to: $to}) }
                """
            let small = await engine.execute(query: query, operationName: "Small", variables: ["to": 10_000], context: ())
            #expect(small.phase == .execution)
            let big = await engine.execute(query: query, operationName: "Big", variables: ["to": 10_000], context: ())
            #expect(big.result.errors.map(\.code) == ["QUERY_TOO_COMPLEX"])
            #expect(calls.count.load(ordering: .relaxed) == 1)
        }

        @Test func documentsWithoutVariableCostsAreNotCheckedAgain() throws {
            let engine = Self.engine(Calls())
            #expect(!(try engine.prepare(query: "query ($to: Int! = 5) { report(range: {from: 0, to: $to}) }").costDependsOnVariables))
            #expect(!(try engine.prepare(query: "{ plain report(range: {from: 0, to: 1}) }").costDependsOnVariables))
            #expect(try engine.prepare(query: "query ($k: Kind) { report(range: {from: 0, to: 1}, kind: $k) }").costDependsOnVariables)
            #expect(try engine.prepare(query: "query ($to: Int!) { report(range: {from: 0, to: $to}) }").costDependsOnVariables)
        }
    }
}
