import Testing

@testable import GraphQL

extension Validation {
    /// `UniqueOperationNamesRule`, with cases ported from graphql-js `UniqueOperationNamesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct UniqueOperationNamesRuleTests {
        let rule = UniqueOperationNamesRule()

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

        @Test func oneNamed() {
            Validation.expectValid(
                rule,
                #"query Foo { field }"#)
        }

        @Test func multipleNamed() {
            Validation.expectValid(
                rule,
                #"query Foo { field } query Bar { field }"#)
        }

        @Test func fragmentSameName() {
            Validation.expectValid(
                rule,
                #"query Foo { ...Foo } fragment Foo on Type { field }"#)
        }

        @Test func duplicate() {
            Validation.expectErrors(
                rule,
                #"query Foo { fieldA } query Foo { fieldB }"#,
                [
                    (
                        #"There can be only one operation named "Foo"."#,
                        [(1, 7), (1, 28)]
                    )
                ])
        }

        @Test func duplicateDifferentKinds() {
            Validation.expectErrors(
                rule,
                #"query Foo { fieldA } mutation Foo { fieldB } subscription Foo { fieldC }"#,
                [
                    (
                        #"There can be only one operation named "Foo"."#,
                        [(1, 7), (1, 31)]
                    ),
                    (
                        #"There can be only one operation named "Foo"."#,
                        [(1, 7), (1, 59)]
                    ),
                ])
        }
    }
}
