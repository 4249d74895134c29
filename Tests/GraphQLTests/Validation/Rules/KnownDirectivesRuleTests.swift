import Testing

@testable import GraphQL

extension Validation {
    /// `KnownDirectivesRule`, with cases ported from graphql-js `KnownDirectivesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct KnownDirectivesRuleTests {
        let rule = KnownDirectivesRule()

        @Test func noDirectives() {
            Validation.expectValid(
                rule,
                #"query Foo { name ...Frag } fragment Frag on Dog { name }"#)
        }

        @Test func knownDirectives() {
            Validation.expectValid(
                rule,
                #"{ dog @include(if: true) { name } human @skip(if: false) { name } }"#)
        }

        @Test func unknownDirective() {
            Validation.expectErrors(
                rule,
                #"{ dog @unknown(directive: "value") { name } }"#,
                [
                    (
                        #"Unknown directive "@unknown"."#,
                        [(1, 7)]
                    )
                ])
        }

        @Test func manyUnknown() {
            Validation.expectErrors(
                rule,
                #"{ dog @unknown(directive: "value") { name } human @unknown(directive: "value") { name pets"#
                    + #" @unknown(directive: "value") { name } } }"#,
                [
                    (
                        #"Unknown directive "@unknown"."#,
                        [(1, 7)]
                    ),
                    (
                        #"Unknown directive "@unknown"."#,
                        [(1, 51)]
                    ),
                    (
                        #"Unknown directive "@unknown"."#,
                        [(1, 92)]
                    ),
                ])
        }

        @Test func wellPlaced() {
            Validation.expectValid(
                rule,
                #"query ($var: Boolean @onVariableDefinition) @onQuery { name @include(if: $var) ...Frag "#
                    + #"@include(if: true) skippedField @skip(if: true) ...SkippedFrag @skip(if: true) ... "#
                    + #"@skip(if: true) { skippedField } } mutation @onMutation { someField } subscription "#
                    + #"@onSubscription { someField } fragment Frag on SomeType @onFragmentDefinition { someField "#
                    + #"}"#)
        }

        @Test func misplaced() {
            Validation.expectErrors(
                rule,
                #"query ($var: Boolean @onQuery) @onMutation { name @onQuery @include(if: $var) ...Frag "#
                    + #"@onQuery ... @onQuery { skippedField } } mutation @onQuery { someField } subscription "#
                    + #"@onQuery { someField } fragment Frag on SomeType @onQuery { someField }"#,
                [
                    (
                        #"Directive "@onQuery" may not be used on VARIABLE_DEFINITION."#,
                        [(1, 22)]
                    ),
                    (
                        #"Directive "@onMutation" may not be used on QUERY."#,
                        [(1, 32)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on FIELD."#,
                        [(1, 51)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on FRAGMENT_SPREAD."#,
                        [(1, 87)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on INLINE_FRAGMENT."#,
                        [(1, 100)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on MUTATION."#,
                        [(1, 137)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on SUBSCRIPTION."#,
                        [(1, 173)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on FRAGMENT_DEFINITION."#,
                        [(1, 222)]
                    ),
                ])
        }
    }
}
