import Testing

@testable import GraphQL

extension Validation {
    /// `VariablesAreInputTypesRule`, with cases ported from graphql-js `VariablesAreInputTypesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct VariablesAreInputTypesRuleTests {
        let rule = VariablesAreInputTypesRule()

        @Test func unknownTypes() {
            Validation.expectValid(
                rule,
                #"query Foo($a: Unknown, $b: [[Unknown!]]!) { field(a: $a, b: $b) }"#)
        }

        @Test func inputTypes() {
            Validation.expectValid(
                rule,
                #"query Foo($a: String, $b: [Boolean!]!, $c: ComplexInput) { field(a: $a, b: $b, c: $c) }"#)
        }

        @Test func outputTypes() {
            Validation.expectErrors(
                rule,
                #"query Foo($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) { field(a: $a, b: $b, c: $c) }"#,
                [
                    (
                        #"Variable "$a" cannot be non-input type "Dog"."#,
                        [(1, 15)]
                    ),
                    (
                        #"Variable "$b" cannot be non-input type "[[CatOrDog!]]!"."#,
                        [(1, 24)]
                    ),
                    (
                        #"Variable "$c" cannot be non-input type "Pet"."#,
                        [(1, 44)]
                    ),
                ])
        }
    }
}
