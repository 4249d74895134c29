import Testing

@testable import GraphQL

extension Validation {
    /// `LoneAnonymousOperationRule`, with cases ported from graphql-js `LoneAnonymousOperationRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct LoneAnonymousOperationRuleTests {
        let rule = LoneAnonymousOperationRule()

        @Test func noOperations() {
            Validation.expectValid(
                rule,
                #"fragment fragA on Type { field }"#)
        }

        @Test func oneAnonymous() {
            Validation.expectValid(
                rule,
                #"{ field }"#)
        }

        @Test func multipleNamed() {
            Validation.expectValid(
                rule,
                #"query Foo { field } query Bar { field }"#)
        }

        @Test func anonymousWithFragment() {
            Validation.expectValid(
                rule,
                #"{ ...Foo } fragment Foo on Type { field }"#)
        }

        @Test func multipleAnonymous() {
            Validation.expectErrors(
                rule,
                #"{ fieldA } { fieldB }"#,
                [
                    (
                        #"This anonymous operation must be the only defined operation."#,
                        [(1, 1)]
                    ),
                    (
                        #"This anonymous operation must be the only defined operation."#,
                        [(1, 12)]
                    ),
                ])
        }

        @Test func anonymousAndMutation() {
            Validation.expectErrors(
                rule,
                #"{ fieldA } mutation Foo { fieldB }"#,
                [
                    (
                        #"This anonymous operation must be the only defined operation."#,
                        [(1, 1)]
                    )
                ])
        }

        @Test func anonymousAndSubscription() {
            Validation.expectErrors(
                rule,
                #"{ fieldA } subscription Foo { fieldB }"#,
                [
                    (
                        #"This anonymous operation must be the only defined operation."#,
                        [(1, 1)]
                    )
                ])
        }
    }
}
