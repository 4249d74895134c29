import Testing

@testable import GraphQL

extension Validation {
    /// `NoUndefinedVariablesRule`, with cases ported from graphql-js `NoUndefinedVariablesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct NoUndefinedVariablesRuleTests {
        let rule = NoUndefinedVariablesRule()

        @Test func allDefined() {
            Validation.expectValid(
                rule,
                #"query Foo($a: String, $b: String, $c: String) { field(a: $a, b: $b, c: $c) }"#)
        }

        @Test func definedInFragments() {
            Validation.expectValid(
                rule,
                #"query Foo($a: String, $b: String) { ...FragA } fragment FragA on Type { field(a: $a) { "#
                    + #"...FragB } } fragment FragB on Type { field(b: $b) }"#)
        }

        @Test func undefined() {
            Validation.expectErrors(
                rule,
                #"query Foo($a: String, $b: String, $c: String) { field(a: $a, b: $b, c: $c, d: $d) }"#,
                [
                    (
                        #"Variable "$d" is not defined by operation "Foo"."#,
                        [(1, 79), (1, 1)]
                    )
                ])
        }

        @Test func anonymousUndefined() {
            Validation.expectErrors(
                rule,
                #"{ field(a: $a) }"#,
                [
                    (
                        #"Variable "$a" is not defined."#,
                        [(1, 12), (1, 1)]
                    )
                ])
        }

        @Test func undefinedInFragmentOfTwoOperations() {
            Validation.expectErrors(
                rule,
                #"query Foo($a: String) { ...FragA } query Bar($b: String) { ...FragA } fragment FragA on "#
                    + #"Type { field(a: $a, b: $b) }"#,
                [
                    (
                        #"Variable "$b" is not defined by operation "Foo"."#,
                        [(1, 112), (1, 1)]
                    ),
                    (
                        #"Variable "$a" is not defined by operation "Bar"."#,
                        [(1, 105), (1, 36)]
                    ),
                ])
        }

        @Test func inDirective() {
            Validation.expectErrors(
                rule,
                #"query Foo { field @include(if: $cond) }"#,
                [
                    (
                        #"Variable "$cond" is not defined by operation "Foo"."#,
                        [(1, 32), (1, 1)]
                    )
                ])
        }
    }
}
