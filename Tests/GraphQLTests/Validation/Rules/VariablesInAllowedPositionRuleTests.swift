import Testing

@testable import GraphQL

extension Validation {
    /// `VariablesInAllowedPositionRule`, with cases ported from graphql-js `VariablesInAllowedPositionRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct VariablesInAllowedPositionRuleTests {
        let rule = VariablesInAllowedPositionRule()

        @Test func booleanToBoolean() {
            Validation.expectValid(
                rule,
                #"query Query($booleanArg: Boolean) { complicatedArgs { booleanArgField(booleanArg: "#
                    + #"$booleanArg) } }"#)
        }

        @Test func booleanToBooleanInFragment() {
            Validation.expectValid(
                rule,
                #"fragment booleanArgFrag on ComplicatedArgs { booleanArgField(booleanArg: $booleanArg) } "#
                    + #"query Query($booleanArg: Boolean) { complicatedArgs { ...booleanArgFrag } }"#)
        }

        @Test func nonNullToNullable() {
            Validation.expectValid(
                rule,
                #"query Query($nonNullBooleanArg: Boolean!) { complicatedArgs { booleanArgField(booleanArg: "#
                    + #"$nonNullBooleanArg) } }"#)
        }

        @Test func listToList() {
            Validation.expectValid(
                rule,
                #"query Query($stringListVar: [String]) { complicatedArgs { "#
                    + #"stringListArgField(stringListArg: $stringListVar) } }"#)
        }

        @Test func itemToList() {
            Validation.expectValid(
                rule,
                #"query Query($stringVar: String) { complicatedArgs { stringListArgField(stringListArg: "#
                    + #"[$stringVar]) } }"#)
        }

        @Test func nullableWithDefaultToNonNull() {
            Validation.expectValid(
                rule,
                #"query Query($intVar: Int = 1) { complicatedArgs { nonNullIntArgField(nonNullIntArg: "#
                    + #"$intVar) } }"#)
        }

        @Test func nullableToNonNullWithDefaultArg() {
            Validation.expectValid(
                rule,
                #"query Query($intVar: Int) { complicatedArgs { nonNullFieldWithDefault(arg: $intVar) } }"#)
        }

        @Test func booleanToDirective() {
            Validation.expectValid(
                rule,
                #"query Query($boolVar: Boolean!) { dog @include(if: $boolVar) }"#)
        }

        @Test func intToNonNullInt() {
            Validation.expectErrors(
                rule,
                #"query Query($intArg: Int) { complicatedArgs { nonNullIntArgField(nonNullIntArg: $intArg) }"#
                    + #" }"#,
                [
                    (
                        #"Variable "$intArg" of type "Int" used in position expecting type "Int!"."#,
                        [(1, 13), (1, 81)]
                    )
                ])
        }

        @Test func intToNonNullIntInFragment() {
            Validation.expectErrors(
                rule,
                #"fragment nonNullIntArgFieldFrag on ComplicatedArgs { nonNullIntArgField(nonNullIntArg: "#
                    + #"$intArg) } query Query($intArg: Int) { complicatedArgs { ...nonNullIntArgFieldFrag } }"#,
                [
                    (
                        #"Variable "$intArg" of type "Int" used in position expecting type "Int!"."#,
                        [(1, 111), (1, 88)]
                    )
                ])
        }

        @Test func stringToBoolean() {
            Validation.expectErrors(
                rule,
                #"query Query($stringVar: String) { complicatedArgs { booleanArgField(booleanArg: "#
                    + #"$stringVar) } }"#,
                [
                    (
                        #"Variable "$stringVar" of type "String" used in position expecting type "Boolean"."#,
                        [(1, 13), (1, 81)]
                    )
                ])
        }

        @Test func stringToList() {
            Validation.expectErrors(
                rule,
                #"query Query($stringVar: String) { complicatedArgs { stringListArgField(stringListArg: "#
                    + #"$stringVar) } }"#,
                [
                    (
                        #"Variable "$stringVar" of type "String" used in position expecting type "[String]"."#,
                        [(1, 13), (1, 87)]
                    )
                ])
        }

        @Test func nullableToDirective() {
            Validation.expectErrors(
                rule,
                #"query Query($boolVar: Boolean) { dog @include(if: $boolVar) }"#,
                [
                    (
                        #"Variable "$boolVar" of type "Boolean" used in position expecting type "Boolean!"."#,
                        [(1, 13), (1, 51)]
                    )
                ])
        }

        @Test func listToNonNullItems() {
            Validation.expectErrors(
                rule,
                #"query Query($stringListVar: [String]) { complicatedArgs { "#
                    + #"stringListNonNullArgField(stringListNonNullArg: $stringListVar) } }"#,
                [
                    (
                        #"Variable "$stringListVar" of type "[String]" used in position expecting type "[String!]"."#,
                        [(1, 13), (1, 107)]
                    )
                ])
        }

        @Test func nullDefaultToNonNull() {
            Validation.expectErrors(
                rule,
                #"query Query($intVar: Int = null) { complicatedArgs { nonNullIntArgField(nonNullIntArg: "#
                    + #"$intVar) } }"#,
                [
                    (
                        #"Variable "$intVar" of type "Int" used in position expecting type "Int!"."#,
                        [(1, 13), (1, 88)]
                    )
                ])
        }
    }
}
