import Testing

@testable import GraphQL

extension Validation {
    /// `NoUnusedFragmentsRule`, with cases ported from graphql-js `NoUnusedFragmentsRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct NoUnusedFragmentsRuleTests {
        let rule = NoUnusedFragmentsRule()

        @Test func allUsed() {
            Validation.expectValid(
                rule,
                #"{ human(id: 4) { ...HumanFields1 ... on Human { ...HumanFields2 } } } fragment "#
                    + #"HumanFields1 on Human { name ...HumanFields3 } fragment HumanFields2 on Human { name } "#
                    + #"fragment HumanFields3 on Human { name }"#)
        }

        @Test func usedByMultipleOperations() {
            Validation.expectValid(
                rule,
                #"query Foo { human(id: 4) { ...HumanFields1 } } query Bar { human(id: 4) { ...HumanFields2 "#
                    + #"} } fragment HumanFields1 on Human { name ...HumanFields3 } fragment HumanFields2 on Human"#
                    + #" { name } fragment HumanFields3 on Human { name }"#)
        }

        @Test func unused() {
            Validation.expectErrors(
                rule,
                #"query Foo { human(id: 4) { ...HumanFields1 } } fragment HumanFields1 on Human { name "#
                    + #"...HumanFields3 } fragment HumanFields2 on Human { name } fragment HumanFields3 on Human {"#
                    + #" name } fragment Unused1 on Human { name } fragment Unused2 on Human { name }"#,
                [
                    (
                        #"Fragment "HumanFields2" is never used."#,
                        [(1, 104)]
                    ),
                    (
                        #"Fragment "Unused1" is never used."#,
                        [(1, 184)]
                    ),
                    (
                        #"Fragment "Unused2" is never used."#,
                        [(1, 219)]
                    ),
                ])
        }

        @Test func unusedCycle() {
            Validation.expectErrors(
                rule,
                #"query Foo { human(id: 4) { ...HumanFields1 } } fragment HumanFields1 on Human { name } "#
                    + #"fragment Unused1 on Human { name ...Unused2 } fragment Unused2 on Human { name ...Unused1 "#
                    + #"}"#,
                [
                    (
                        #"Fragment "Unused1" is never used."#,
                        [(1, 88)]
                    ),
                    (
                        #"Fragment "Unused2" is never used."#,
                        [(1, 134)]
                    ),
                ])
        }

        @Test func unknownSpreadStillUsed() {
            Validation.expectErrors(
                rule,
                #"query Foo { human(id: 4) { ...bar } } fragment foo on Human { name }"#,
                [
                    (
                        #"Fragment "foo" is never used."#,
                        [(1, 39)]
                    )
                ])
        }
    }
}
