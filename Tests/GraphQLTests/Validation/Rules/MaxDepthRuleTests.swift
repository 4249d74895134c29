import Testing

@testable import GraphQL

extension Validation {
    /// `MaxDepthRule`: field nesting per operation, through fragments, with introspection counted.
    @Suite struct MaxDepthRuleTests {
        let rule = MaxDepthRule(maxDepth: 3)

        @Test func atTheLimitIsAccepted() {
            Validation.expectValid(rule, "{ dog { mother { name } } }")
            Validation.expectValid(rule, "{ dog { ... on Dog { mother { ... { name } } } } }")
        }

        @Test func overTheLimitIsRejectedAtTheOperation() throws {
            Validation.expectErrors(
                rule, "{ dog { mother { mother { name } } } }",
                [("Query depth 4 exceeds the maximum allowed depth of 3.", [(1, 1)])])
            let errors = try Validation.errors([rule], "{ dog { mother { mother { name } } } }")
            #expect(errors.first?.code == "QUERY_TOO_DEEP")
        }

        @Test func fragmentsAreFollowed() {
            Validation.expectErrors(
                rule, "query Q { dog { ...F } } fragment F on Dog { mother { mother { name } } }",
                [("Query depth 4 exceeds", [(1, 1)])])
        }

        @Test func introspectionCounts() {
            Validation.expectErrors(
                rule, "{ __schema { types { fields { name } } } }", [("Query depth 4 exceeds", [(1, 1)])])
        }

        @Test func eachOperationIsChecked() {
            Validation.expectErrors(
                rule, "query A { dog { name } } query B { dog { mother { father { name } } } }",
                [("Query depth 4 exceeds", [(1, 26)])])
        }

        @Test func fragmentCyclesTerminate() {
            Validation.expectValid(rule, "{ dog { ...F } } fragment F on Dog { mother { ...F } }")
        }

        @Test func defaultLimitIsFifteen() throws {
            let fifteen = "{ dog " + String(repeating: "{ mother ", count: 13) + "{ name }" + String(repeating: " }", count: 14)
            let sixteen = "{ dog " + String(repeating: "{ mother ", count: 14) + "{ name }" + String(repeating: " }", count: 15)
            #expect(try Validation.errors([MaxDepthRule()], fifteen).isEmpty)
            #expect(try Validation.errors([MaxDepthRule()], sixteen).map(\.code) == ["QUERY_TOO_DEEP"])
        }
    }
}
