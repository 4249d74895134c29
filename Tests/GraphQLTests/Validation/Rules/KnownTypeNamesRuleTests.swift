import Testing

@testable import GraphQL

extension Validation {
    /// `KnownTypeNamesRule`, with cases ported from graphql-js `KnownTypeNamesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct KnownTypeNamesRuleTests {
        let rule = KnownTypeNamesRule()

        @Test func known() {
            Validation.expectValid(
                rule,
                #"query Foo($var: String, $required: [Int!]!, $introspectionType: __EnumValue) { user(id: 4)"#
                    + #" { pets { ... on Pet { name }, ...PetFields, ... { name } } } } fragment PetFields on Pet "#
                    + #"{ name }"#)
        }

        @Test func unknown() {
            Validation.expectErrors(
                rule,
                #"query Foo($var: JumbledUpLetters) { user(id: 4) { name pets { ... on Badger { name }, "#
                    + #"...PetFields } } } fragment PetFields on Peat { name }"#,
                [
                    (
                        #"Unknown type "JumbledUpLetters"."#,
                        [(1, 17)]
                    ),
                    (
                        #"Unknown type "Badger"."#,
                        [(1, 70)]
                    ),
                    (
                        #"Unknown type "Peat". Did you mean "Pet" or "Cat"?"#,
                        [(1, 128)]
                    ),
                ])
        }

        @Test func standardScalarsNotSuggestedWrongly() {
            Validation.expectErrors(
                rule,
                #"query ($a: Strin) { dog { name } }"#,
                [
                    (
                        #"Unknown type "Strin". Did you mean "String"?"#,
                        [(1, 12)]
                    )
                ])
        }
    }
}
