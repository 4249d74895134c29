import Testing

@testable import GraphQL

extension Validation {
    /// `ScalarLeafsRule`, with cases ported from graphql-js `ScalarLeafsRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct ScalarLeafsRuleTests {
        let rule = ScalarLeafsRule()

        @Test func validScalar() {
            Validation.expectValid(
                rule,
                #"fragment scalarSelection on Dog { barks }"#)
        }

        @Test func objectWithoutSelection() {
            Validation.expectErrors(
                rule,
                #"query directQueryOnObjectWithoutSubFields { human }"#,
                [
                    (
                        #"Field "human" of type "Human" must have a selection of subfields. Did you mean "human { "#
                            + #"... }"?"#,
                        [(1, 45)]
                    )
                ])
        }

        @Test func interfaceWithoutSelection() {
            Validation.expectErrors(
                rule,
                #"{ human { pets } }"#,
                [
                    (
                        #"Field "pets" of type "[Pet]" must have a selection of subfields. Did you mean "pets { ... "#
                            + #"}"?"#,
                        [(1, 11)]
                    )
                ])
        }

        @Test func validObject() {
            Validation.expectValid(
                rule,
                #"fragment scalarSelection on Dog { mother { name } }"#)
        }

        @Test func scalarWithSelection() {
            Validation.expectErrors(
                rule,
                #"fragment scalarSelectionsNotAllowedOnBoolean on Dog { barks { sinceWhen } }"#,
                [
                    (
                        #"Field "barks" must not have a selection since type "Boolean" has no subfields."#,
                        [(1, 61)]
                    )
                ])
        }

        @Test func enumWithSelection() {
            Validation.expectErrors(
                rule,
                #"fragment scalarSelectionsNotAllowedOnEnum on Cat { furColor { inHexDec } }"#,
                [
                    (
                        #"Field "furColor" must not have a selection since type "FurColor" has no subfields."#,
                        [(1, 61)]
                    )
                ])
        }

        @Test func scalarWithArgsAndSelection() {
            Validation.expectErrors(
                rule,
                #"fragment scalarSelectionsNotAllowedWithArgs on Dog { doesKnowCommand(dogCommand: SIT) { "#
                    + #"sinceWhen } }"#,
                [
                    (
                        #"Field "doesKnowCommand" must not have a selection since type "Boolean" has no subfields."#,
                        [(1, 87)]
                    )
                ])
        }

        @Test func scalarWithDirectivesAndSelection() {
            Validation.expectErrors(
                rule,
                #"fragment scalarSelectionsNotAllowedWithDirectives on Dog { name @include(if: true) { "#
                    + #"isAlsoHumanName } }"#,
                [
                    (
                        #"Field "name" must not have a selection since type "String" has no subfields."#,
                        [(1, 84)]
                    )
                ])
        }
    }
}
