import Testing

@testable import GraphQL

extension Validation {
    /// `ProvidedRequiredArgumentsRule`, with cases ported from graphql-js `ProvidedRequiredArgumentsRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct ProvidedRequiredArgumentsRuleTests {
        let rule = ProvidedRequiredArgumentsRule()

        @Test func ignoresUnknown() {
            Validation.expectValid(
                rule,
                #"{ dog { isHouseTrained(unknownArgument: true) } }"#)
        }

        @Test func optionalArgs() {
            Validation.expectValid(
                rule,
                #"{ dog { isHouseTrained(atOtherHomes: true) } }"#)
        }

        @Test func noArgOnOptional() {
            Validation.expectValid(
                rule,
                #"{ dog { isHouseTrained } }"#)
        }

        @Test func noArgOnNonNullWithDefault() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { nonNullFieldWithDefault } }"#)
        }

        @Test func multipleReqs() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { multipleReqs(req1: 1, req2: 2) } }"#)
        }

        @Test func missingOne() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { multipleReqs(req2: 2) } }"#,
                [
                    (
                        #"Field "multipleReqs" argument "req1" of type "Int!" is required, but it was not provided."#,
                        [(1, 21)]
                    )
                ])
        }

        @Test func missingAll() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { multipleReqs } }"#,
                [
                    (
                        #"Field "multipleReqs" argument "req1" of type "Int!" is required, but it was not provided."#,
                        [(1, 21)]
                    ),
                    (
                        #"Field "multipleReqs" argument "req2" of type "Int!" is required, but it was not provided."#,
                        [(1, 21)]
                    ),
                ])
        }

        @Test func incorrectValueAndMissing() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { multipleReqs(req1: "one") } }"#,
                [
                    (
                        #"Field "multipleReqs" argument "req2" of type "Int!" is required, but it was not provided."#,
                        [(1, 21)]
                    )
                ])
        }

        @Test func unknownDirective() {
            Validation.expectValid(
                rule,
                #"{ dog @unknown }"#)
        }

        @Test func directiveWithArgs() {
            Validation.expectValid(
                rule,
                #"{ dog @include(if: true) { name } human @skip(if: false) { name } }"#)
        }

        @Test func directiveMissingArgs() {
            Validation.expectErrors(
                rule,
                #"{ dog @include { name @skip } }"#,
                [
                    (
                        #"Directive "@include" argument "if" of type "Boolean!" is required, but it was not "#
                            + #"provided."#,
                        [(1, 7)]
                    ),
                    (
                        #"Directive "@skip" argument "if" of type "Boolean!" is required, but it was not provided."#,
                        [(1, 23)]
                    ),
                ])
        }

        @Test func customDirectiveMissingArg() {
            Validation.expectErrors(
                rule,
                #"{ dog { name @needsArg } }"#,
                [
                    (
                        #"Directive "@needsArg" argument "arg" of type "String!" is required, but it was not "#
                            + #"provided."#,
                        [(1, 14)]
                    )
                ])
        }
    }
}
