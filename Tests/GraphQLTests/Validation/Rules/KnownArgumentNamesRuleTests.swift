import Testing

@testable import GraphQL

extension Validation {
    /// `KnownArgumentNamesRule`, with cases ported from graphql-js `KnownArgumentNamesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct KnownArgumentNamesRuleTests {
        let rule = KnownArgumentNamesRule()

        @Test func singleArg() {
            Validation.expectValid(
                rule,
                #"fragment argOnRequiredArg on Dog { doesKnowCommand(dogCommand: SIT) }"#)
        }

        @Test func multipleArgsReversed() {
            Validation.expectValid(
                rule,
                #"fragment multipleArgsReverseOrder on Dog { isAtLocation(y: 1, x: 3) }"#)
        }

        @Test func unknownFieldIgnored() {
            Validation.expectValid(
                rule,
                #"fragment argOnUnknownField on Dog { unknownField(unknownArg: SIT) }"#)
        }

        @Test func directiveArgs() {
            Validation.expectValid(
                rule,
                #"{ dog @skip(if: true) }"#)
        }

        @Test func unknownDirectiveArg() {
            Validation.expectErrors(
                rule,
                #"{ dog @skip(unless: true) }"#,
                [
                    (
                        #"Unknown argument "unless" on directive "@skip"."#,
                        [(1, 13)]
                    )
                ])
        }

        @Test func misspelledDirectiveArg() {
            Validation.expectErrors(
                rule,
                #"{ dog @skip(iff: true) }"#,
                [
                    (
                        #"Unknown argument "iff" on directive "@skip". Did you mean "if"?"#,
                        [(1, 13)]
                    )
                ])
        }

        @Test func unknownArg() {
            Validation.expectErrors(
                rule,
                #"fragment invalidArgName on Dog { doesKnowCommand(unknown: true) }"#,
                [
                    (
                        #"Unknown argument "unknown" on field "Dog.doesKnowCommand"."#,
                        [(1, 50)]
                    )
                ])
        }

        @Test func misspelledArg() {
            Validation.expectErrors(
                rule,
                #"fragment invalidArgName on Dog { doesKnowCommand(DogCommand: true) }"#,
                [
                    (
                        #"Unknown argument "DogCommand" on field "Dog.doesKnowCommand". Did you mean "dogCommand"?"#,
                        [(1, 50)]
                    )
                ])
        }

        @Test func manyUnknown() {
            Validation.expectErrors(
                rule,
                #"fragment oneGoodArgOneInvalidArg on Dog { doesKnowCommand(whoKnows: 1, dogCommand: SIT, "#
                    + #"unknown: true) }"#,
                [
                    (
                        #"Unknown argument "whoKnows" on field "Dog.doesKnowCommand"."#,
                        [(1, 59)]
                    ),
                    (
                        #"Unknown argument "unknown" on field "Dog.doesKnowCommand"."#,
                        [(1, 89)]
                    ),
                ])
        }

        @Test func deepUnknown() {
            Validation.expectErrors(
                rule,
                #"{ dog { doesKnowCommand(unknown: true) } human { pets { ... on Dog { "#
                    + #"doesKnowCommand(unknown: true) } } } }"#,
                [
                    (
                        #"Unknown argument "unknown" on field "Dog.doesKnowCommand"."#,
                        [(1, 25)]
                    ),
                    (
                        #"Unknown argument "unknown" on field "Dog.doesKnowCommand"."#,
                        [(1, 86)]
                    ),
                ])
        }
    }
}
