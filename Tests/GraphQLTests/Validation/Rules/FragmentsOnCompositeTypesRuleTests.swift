import Testing

@testable import GraphQL

extension Validation {
    /// `FragmentsOnCompositeTypesRule`, with cases ported from graphql-js `FragmentsOnCompositeTypesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct FragmentsOnCompositeTypesRuleTests {
        let rule = FragmentsOnCompositeTypesRule()

        @Test func objectType() {
            Validation.expectValid(
                rule,
                #"fragment validFragment on Dog { barks }"#)
        }

        @Test func interfaceType() {
            Validation.expectValid(
                rule,
                #"fragment validFragment on Pet { name }"#)
        }

        @Test func inlineObject() {
            Validation.expectValid(
                rule,
                #"fragment validFragment on Pet { ... on Dog { barks } }"#)
        }

        @Test func inlineNoCondition() {
            Validation.expectValid(
                rule,
                #"fragment validFragment on Pet { ... { name } }"#)
        }

        @Test func unionType() {
            Validation.expectValid(
                rule,
                #"fragment validFragment on CatOrDog { __typename }"#)
        }

        @Test func scalar() {
            Validation.expectErrors(
                rule,
                #"fragment scalarFragment on Boolean { bad }"#,
                [
                    (
                        #"Fragment "scalarFragment" cannot condition on non composite type "Boolean"."#,
                        [(1, 28)]
                    )
                ])
        }

        @Test func enumType() {
            Validation.expectErrors(
                rule,
                #"fragment scalarFragment on FurColor { bad }"#,
                [
                    (
                        #"Fragment "scalarFragment" cannot condition on non composite type "FurColor"."#,
                        [(1, 28)]
                    )
                ])
        }

        @Test func inputObject() {
            Validation.expectErrors(
                rule,
                #"fragment inputFragment on ComplexInput { stringField }"#,
                [
                    (
                        #"Fragment "inputFragment" cannot condition on non composite type "ComplexInput"."#,
                        [(1, 27)]
                    )
                ])
        }

        @Test func inlineScalar() {
            Validation.expectErrors(
                rule,
                #"fragment invalidFragment on Pet { ... on String { barks } }"#,
                [
                    (
                        #"Fragment cannot condition on non composite type "String"."#,
                        [(1, 42)]
                    )
                ])
        }
    }
}
