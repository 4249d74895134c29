import Testing

@testable import GraphQL

extension Validation {
    /// `MaxAliasesRule`: aliases per operation, a fragment's aliases counted at every spread.
    @Suite struct MaxAliasesRuleTests {
        let rule = MaxAliasesRule(maxAliases: 2)

        @Test func atTheLimitIsAccepted() {
            Validation.expectValid(rule, "{ a: dog { b: name nickname } }")
        }

        @Test func overTheLimitIsRejected() throws {
            Validation.expectErrors(
                rule, "{ a: dog { b: name c: nickname } }",
                [("Operation has 3 aliases, more than the maximum of 2.", [(1, 1)])])
            #expect(try Validation.errors([rule], "{ a: dog { b: name c: nickname } }").first?.code == "TOO_MANY_ALIASES")
        }

        @Test func fragmentsCountAtEverySpread() {
            Validation.expectErrors(
                rule, "query Q { dog { ...F ... on Dog { ...F } } } fragment F on Dog { a: name b: nickname }",
                [("Operation has 4 aliases", [(1, 1)])])
        }

        @Test func operationsAreCountedSeparately() {
            Validation.expectValid(rule, "query A { a: dog { b: name } } query B { a: dog { b: name } }")
        }

        @Test func fragmentCyclesTerminate() {
            Validation.expectValid(rule, "{ dog { ...F } } fragment F on Dog { a: mother { ...F } }")
        }
    }
}
