import Testing

@testable import GraphQL

extension Validation {
    /// `FieldsOnCorrectTypeRule`, with cases ported from graphql-js `FieldsOnCorrectTypeRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct FieldsOnCorrectTypeRuleTests {
        let rule = FieldsOnCorrectTypeRule()

        @Test func objectField() {
            Validation.expectValid(
                rule,
                #"fragment objectFieldSelection on Dog { __typename name }"#)
        }

        @Test func aliasedField() {
            Validation.expectValid(
                rule,
                #"fragment aliasedObjectFieldSelection on Dog { tn : __typename otherName : name }"#)
        }

        @Test func interfaceField() {
            Validation.expectValid(
                rule,
                #"fragment interfaceFieldSelection on Pet { __typename name }"#)
        }

        @Test func unionTypename() {
            Validation.expectValid(
                rule,
                #"fragment unionFieldSelection on CatOrDog { __typename }"#)
        }

        @Test func ignoresUnknownFragmentType() {
            Validation.expectValid(
                rule,
                #"fragment unknownSelection on UnknownType { unknownField }"#)
        }

        @Test func nested() {
            Validation.expectErrors(
                rule,
                #"fragment typeKnownAgain on Pet { unknown_pet_field { ... on Cat { unknown_cat_field } } }"#,
                [
                    (
                        #"Cannot query field "unknown_pet_field" on type "Pet"."#,
                        [(1, 34)]
                    ),
                    (
                        #"Cannot query field "unknown_cat_field" on type "Cat"."#,
                        [(1, 67)]
                    ),
                ])
        }

        @Test func fieldNotDefined() {
            Validation.expectErrors(
                rule,
                #"fragment fieldNotDefined on Dog { meowVolume }"#,
                [
                    (
                        #"Cannot query field "meowVolume" on type "Dog". Did you mean "barkVolume"?"#,
                        [(1, 35)]
                    )
                ])
        }

        @Test func deepUnknown() {
            Validation.expectErrors(
                rule,
                #"fragment deepFieldNotDefined on Dog { unknown_field { deeper_unknown_field } }"#,
                [
                    (
                        #"Cannot query field "unknown_field" on type "Dog"."#,
                        [(1, 39)]
                    )
                ])
        }

        @Test func subfieldNotDefined() {
            Validation.expectErrors(
                rule,
                #"fragment subFieldNotDefined on Human { pets { unknown_field } }"#,
                [
                    (
                        #"Cannot query field "unknown_field" on type "Pet"."#,
                        [(1, 47)]
                    )
                ])
        }

        @Test func inlineFragmentField() {
            Validation.expectErrors(
                rule,
                #"fragment fieldNotDefined on Pet { ... on Dog { meowVolume } }"#,
                [
                    (
                        #"Cannot query field "meowVolume" on type "Dog". Did you mean "barkVolume"?"#,
                        [(1, 48)]
                    )
                ])
        }

        @Test func aliasedUnknown() {
            Validation.expectErrors(
                rule,
                #"fragment aliasedFieldTargetNotDefined on Dog { volume : mooVolume }"#,
                [
                    (
                        #"Cannot query field "mooVolume" on type "Dog". Did you mean "barkVolume"?"#,
                        [(1, 48)]
                    )
                ])
        }

        @Test func interfaceUnknown() {
            Validation.expectErrors(
                rule,
                #"fragment notDefinedOnInterface on Pet { tailLength }"#,
                [
                    (
                        #"Cannot query field "tailLength" on type "Pet"."#,
                        [(1, 41)]
                    )
                ])
        }

        @Test func interfaceFieldOfImplementer() {
            Validation.expectErrors(
                rule,
                #"fragment definedOnImplementorsButNotInterface on Pet { nickname }"#,
                [
                    (
                        #"Cannot query field "nickname" on type "Pet". Did you mean to use an inline fragment on "#
                            + #""Cat" or "Dog"?"#,
                        [(1, 56)]
                    )
                ])
        }

        @Test func directUnionField() {
            Validation.expectErrors(
                rule,
                #"fragment directFieldSelectionOnUnion on CatOrDog { directField }"#,
                [
                    (
                        #"Cannot query field "directField" on type "CatOrDog"."#,
                        [(1, 52)]
                    )
                ])
        }

        @Test func unionFieldOfMembers() {
            Validation.expectErrors(
                rule,
                #"fragment definedOnImplementorsQueriedOnUnion on CatOrDog { name }"#,
                [
                    (
                        #"Cannot query field "name" on type "CatOrDog". Did you mean to use an inline fragment on "#
                            + #""Pet", "Canine", "Cat", or "Dog"?"#,
                        [(1, 60)]
                    )
                ])
        }

        @Test func metaFieldOnNonRoot() {
            Validation.expectErrors(
                rule,
                #"{ dog { __schema { queryType { name } } } }"#,
                [
                    (
                        #"Cannot query field "__schema" on type "Dog"."#,
                        [(1, 9)]
                    )
                ])
        }
    }
}
