import Testing

@testable import GraphQL

extension Validation {
    /// `NoUnusedVariablesRule`, with cases ported from graphql-js `NoUnusedVariablesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct NoUnusedVariablesRuleTests {
        let rule = NoUnusedVariablesRule()

        @Test func allUsed() {
            Validation.expectValid(
                rule,
                #"query ($a: String, $b: String, $c: String) { field(a: $a, b: $b, c: $c) }"#)
        }

        @Test func usedInFragments() {
            Validation.expectValid(
                rule,
                #"query Foo($a: String, $b: String) { ...FragA } fragment FragA on Type { field(a: $a) { "#
                    + #"...FragB } } fragment FragB on Type { field(b: $b) }"#)
        }

        @Test func unused() {
            Validation.expectErrors(
                rule,
                #"query ($a: String, $b: String, $c: String) { field(a: $a, b: $b) }"#,
                [
                    (
                        #"Variable "$c" is never used."#,
                        [(1, 32)]
                    )
                ])
        }

        @Test func unusedNamed() {
            Validation.expectErrors(
                rule,
                #"query Foo($a: String, $b: String) { ...FragA } query Bar($c: String) { ...FragA } fragment"#
                    + #" FragA on Type { field(a: $a) }"#,
                [
                    (
                        #"Variable "$b" is never used in operation "Foo"."#,
                        [(1, 23)]
                    ),
                    (
                        #"Variable "$c" is never used in operation "Bar"."#,
                        [(1, 58)]
                    ),
                ])
        }

        @Test func usedInDirective() {
            Validation.expectValid(
                rule,
                #"query Foo($cond: Boolean!) { field @skip(if: $cond) }"#)
        }
    }
}
