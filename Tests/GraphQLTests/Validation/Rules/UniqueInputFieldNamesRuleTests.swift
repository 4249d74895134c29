import Testing

@testable import GraphQL

extension Validation {
    /// `UniqueInputFieldNamesRule`, with cases ported from graphql-js `UniqueInputFieldNamesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct UniqueInputFieldNamesRuleTests {
        let rule = UniqueInputFieldNamesRule()

        @Test func noFields() {
            Validation.expectValid(
                rule,
                #"{ field(arg: {}) }"#)
        }

        @Test func oneField() {
            Validation.expectValid(
                rule,
                #"{ field(arg: { f: true }) }"#)
        }

        @Test func multipleFields() {
            Validation.expectValid(
                rule,
                #"{ field(arg: { f1: "value", f2: "value", f3: "value" }) }"#)
        }

        @Test func nested() {
            Validation.expectValid(
                rule,
                #"{ field(arg: { f1: {f2: "value", f1: {f2: "value"}}, f2: "value" }) }"#)
        }

        @Test func duplicate() {
            Validation.expectErrors(
                rule,
                #"{ field(arg: { f1: "value", f1: "value" }) }"#,
                [
                    (
                        #"There can be only one input field named "f1"."#,
                        [(1, 16), (1, 29)]
                    )
                ])
        }

        @Test func manyDuplicates() {
            Validation.expectErrors(
                rule,
                #"{ field(arg: { f1: "value", f1: "value", f1: "value" }) }"#,
                [
                    (
                        #"There can be only one input field named "f1"."#,
                        [(1, 16), (1, 29)]
                    ),
                    (
                        #"There can be only one input field named "f1"."#,
                        [(1, 16), (1, 42)]
                    ),
                ])
        }

        @Test func nestedDuplicate() {
            Validation.expectErrors(
                rule,
                #"{ field(arg: { f1: {f2: "value", f2: "value" }}) }"#,
                [
                    (
                        #"There can be only one input field named "f2"."#,
                        [(1, 21), (1, 34)]
                    )
                ])
        }
    }
}
