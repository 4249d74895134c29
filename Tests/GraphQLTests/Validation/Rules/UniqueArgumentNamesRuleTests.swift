import Testing

@testable import GraphQL

extension Validation {
    /// `UniqueArgumentNamesRule`, with cases ported from graphql-js `UniqueArgumentNamesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct UniqueArgumentNamesRuleTests {
        let rule = UniqueArgumentNamesRule()

        @Test func noArgs() {
            Validation.expectValid(
                rule,
                #"{ field }"#)
        }

        @Test func argsOnDifferentFields() {
            Validation.expectValid(
                rule,
                #"{ one: field(arg: "value") two: field(arg: "value") }"#)
        }

        @Test func fieldAndDirective() {
            Validation.expectValid(
                rule,
                #"{ field(arg: "value") @directive(arg: "value") }"#)
        }

        @Test func duplicateFieldArgs() {
            Validation.expectErrors(
                rule,
                #"{ field(arg1: "value", arg1: "value") }"#,
                [
                    (
                        #"There can be only one argument named "arg1"."#,
                        [(1, 9), (1, 24)]
                    )
                ])
        }

        @Test func manyDuplicateFieldArgs() {
            Validation.expectErrors(
                rule,
                #"{ field(arg1: "value", arg1: "value", arg1: "value") }"#,
                [
                    (
                        #"There can be only one argument named "arg1"."#,
                        [(1, 9), (1, 24), (1, 39)]
                    )
                ])
        }

        @Test func duplicateDirectiveArgs() {
            Validation.expectErrors(
                rule,
                #"{ field @directive(arg1: "value", arg1: "value") }"#,
                [
                    (
                        #"There can be only one argument named "arg1"."#,
                        [(1, 20), (1, 35)]
                    )
                ])
        }
    }
}
