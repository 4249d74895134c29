import Testing

@testable import GraphQL

extension Validation {
    /// `QueryCostRule`: one per field, list fields multiplying their selections by `first`/`last`/`limit`.
    @Suite struct QueryCostRuleTests {
        let rule = QueryCostRule(maxCost: 50, defaultListSize: 10)

        func cost(_ document: String, variables: OrderedObject? = nil) throws -> Int? {
            let parsed = try parse(document)
            let context = ValidationContext(
                schema: Validation.testSchema, document: parsed, typeInfo: TypeInfo(schema: Validation.testSchema),
                variableValues: variables)
            return parsed.operations.first.map { rule.cost(of: $0, context: context) }
        }

        @Test func fieldsCostOne() throws {
            #expect(try cost("{ dog { name mother { name } } }") == 4)
        }

        @Test func listsMultiplyByTheirSizeArgument() throws {
            #expect(try cost("{ pets { name } }") == 11)
            #expect(try cost("{ pets(first: 5) { name } }") == 6)
            #expect(try cost("{ pets(last: 0) { name } }") == 1)
            #expect(try cost("{ humans { pets { name } } }") == 111)
        }

        @Test func variablesAndTheirDefaultsGiveSizes() throws {
            let document = "query ($n: Int = 2) { humans(limit: $n) { pets(first: $n) { name } } }"
            #expect(try cost(document) == 7)
            #expect(try cost(document, variables: ["n": 20]) == 421)
        }

        @Test func fragmentsCountAtEverySpread() throws {
            #expect(try cost("{ pets { ...F ... on Pet { ...F } } } fragment F on Pet { name }") == 21)
        }

        @Test func introspectionIsNotMultiplied() throws {
            #expect(try cost("{ __schema { types { fields { name } } } }") == 4)
        }

        @Test func overTheLimitIsRejected() throws {
            Validation.expectErrors(
                rule, "{ humans { pets { name } } }", [("Query cost 111 exceeds the maximum allowed cost of 50.", [(1, 1)])])
            let errors = try Validation.errors([rule], "{ humans { pets { name } } }")
            #expect(errors.first?.code == "QUERY_TOO_COMPLEX")
            Validation.expectValid(rule, "{ humans(limit: 4) { pets(first: 10) { name } } }")
        }

        @Test func hugeSizesSaturate() throws {
            let document = "{ humans(limit: 2000000000) { pets(first: 2000000000) { name } } }"
            #expect(try cost(document) ?? 0 > 1_000_000_000_000_000)
        }
    }
}
