import Testing

@testable import GraphQL

extension Validation {
    /// `PossibleFragmentSpreadsRule`, with cases ported from graphql-js `PossibleFragmentSpreadsRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct PossibleFragmentSpreadsRuleTests {
        let rule = PossibleFragmentSpreadsRule()

        @Test func sameObject() {
            Validation.expectValid(
                rule,
                #"fragment objectWithinObject on Dog { ...dogFragment } fragment dogFragment on Dog { "#
                    + #"barkVolume }"#)
        }

        @Test func sameObjectInline() {
            Validation.expectValid(
                rule,
                #"fragment objectWithinObjectAnon on Dog { ... on Dog { barkVolume } }"#)
        }

        @Test func objectIntoImplementedInterface() {
            Validation.expectValid(
                rule,
                #"fragment objectWithinInterface on Pet { ...dogFragment } fragment dogFragment on Dog { "#
                    + #"barkVolume }"#)
        }

        @Test func objectIntoUnion() {
            Validation.expectValid(
                rule,
                #"fragment objectWithinUnion on CatOrDog { ...dogFragment } fragment dogFragment on Dog { "#
                    + #"barkVolume }"#)
        }

        @Test func unionIntoContainedObject() {
            Validation.expectValid(
                rule,
                #"fragment unionWithinObject on Dog { ...catOrDogFragment } fragment catOrDogFragment on "#
                    + #"CatOrDog { __typename }"#)
        }

        @Test func interfaceIntoOverlappingUnion() {
            Validation.expectValid(
                rule,
                #"fragment interfaceWithinUnion on CatOrDog { ...petFragment } fragment petFragment on Pet {"#
                    + #" name }"#)
        }

        @Test func ignoresUnknownFragments() {
            Validation.expectValid(
                rule,
                #"fragment petFragment on Pet { ...badFragment }"#)
        }

        @Test func differentObject() {
            Validation.expectErrors(
                rule,
                #"fragment invalidObjectWithinObject on Cat { ...dogFragment } fragment dogFragment on Dog {"#
                    + #" barkVolume }"#,
                [
                    (
                        #"Fragment "dogFragment" cannot be spread here as objects of type "Cat" can never be of type"#
                            + #" "Dog"."#,
                        [(1, 45)]
                    )
                ])
        }

        @Test func differentObjectInline() {
            Validation.expectErrors(
                rule,
                #"fragment invalidObjectWithinObjectAnon on Cat { ... on Dog { barkVolume } }"#,
                [
                    (
                        #"Fragment cannot be spread here as objects of type "Cat" can never be of type "Dog"."#,
                        [(1, 49)]
                    )
                ])
        }

        @Test func objectIntoNotImplementingInterface() {
            Validation.expectErrors(
                rule,
                #"fragment invalidObjectWithinInterface on Pet { ...humanFragment } fragment humanFragment "#
                    + #"on Human { pets { name } }"#,
                [
                    (
                        #"Fragment "humanFragment" cannot be spread here as objects of type "Pet" can never be of "#
                            + #"type "Human"."#,
                        [(1, 48)]
                    )
                ])
        }

        @Test func objectIntoNotContainingUnion() {
            Validation.expectErrors(
                rule,
                #"fragment invalidObjectWithinUnion on CatOrDog { ...humanFragment } fragment humanFragment "#
                    + #"on Human { pets { name } }"#,
                [
                    (
                        #"Fragment "humanFragment" cannot be spread here as objects of type "CatOrDog" can never be "#
                            + #"of type "Human"."#,
                        [(1, 49)]
                    )
                ])
        }

        @Test func unionIntoNotContainedObject() {
            Validation.expectErrors(
                rule,
                #"fragment invalidUnionWithinObject on Human { ...catOrDogFragment } fragment "#
                    + #"catOrDogFragment on CatOrDog { __typename }"#,
                [
                    (
                        #"Fragment "catOrDogFragment" cannot be spread here as objects of type "Human" can never be "#
                            + #"of type "CatOrDog"."#,
                        [(1, 46)]
                    )
                ])
        }

        @Test func unionIntoNonOverlappingUnion() {
            Validation.expectErrors(
                rule,
                #"fragment invalidUnionWithinUnion on CatOrDog { ...humanOrAlienFragment } fragment "#
                    + #"humanOrAlienFragment on HumanOrAlien { __typename }"#,
                [
                    (
                        #"Fragment "humanOrAlienFragment" cannot be spread here as objects of type "CatOrDog" can "#
                            + #"never be of type "HumanOrAlien"."#,
                        [(1, 48)]
                    )
                ])
        }

        @Test func interfaceIntoNonImplementingObject() {
            Validation.expectErrors(
                rule,
                #"fragment invalidInterfaceWithinObject on Cat { ...intelligentFragment } fragment "#
                    + #"intelligentFragment on Intelligent { iq }"#,
                [
                    (
                        #"Fragment "intelligentFragment" cannot be spread here as objects of type "Cat" can never be"#
                            + #" of type "Intelligent"."#,
                        [(1, 48)]
                    )
                ])
        }

        @Test func interfaceIntoNonOverlappingInterfaceInline() {
            Validation.expectErrors(
                rule,
                #"fragment invalidInterfaceWithinInterfaceAnon on Pet { ...on Intelligent { iq } }"#,
                [
                    (
                        #"Fragment cannot be spread here as objects of type "Pet" can never be of type "#
                            + #""Intelligent"."#,
                        [(1, 55)]
                    )
                ])
        }
    }
}
