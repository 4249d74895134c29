import Testing

@testable import GraphQL

extension Validation {
    /// `UniqueFragmentNamesRule`, with cases ported from graphql-js `UniqueFragmentNamesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct UniqueFragmentNamesRuleTests {
        let rule = UniqueFragmentNamesRule()

        @Test func noFragments() {
            Validation.expectValid(
                rule,
                #"{ field }"#)
        }

        @Test func oneFragment() {
            Validation.expectValid(
                rule,
                #"{ ...fragA } fragment fragA on Type { field }"#)
        }

        @Test func manyFragments() {
            Validation.expectValid(
                rule,
                #"{ ...fragA ...fragB } fragment fragA on Type { fieldA } fragment fragB on Type { fieldB }"#)
        }

        @Test func inlineFragments() {
            Validation.expectValid(
                rule,
                #"{ ...on Type { fieldA } ...on Type { fieldB } }"#)
        }

        @Test func sameNameAsOperation() {
            Validation.expectValid(
                rule,
                #"query Foo { ...Foo } fragment Foo on Type { field }"#)
        }

        @Test func duplicate() {
            Validation.expectErrors(
                rule,
                #"{ ...fragA } fragment fragA on Type { fieldA } fragment fragA on Type { fieldB }"#,
                [
                    (
                        #"There can be only one fragment named "fragA"."#,
                        [(1, 23), (1, 57)]
                    )
                ])
        }

        @Test func duplicateUnused() {
            Validation.expectErrors(
                rule,
                #"fragment fragA on Type { fieldA } fragment fragA on Type { fieldB }"#,
                [
                    (
                        #"There can be only one fragment named "fragA"."#,
                        [(1, 10), (1, 44)]
                    )
                ])
        }
    }
}
