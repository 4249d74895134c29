import Testing

@testable import GraphQL

extension Validation {
    /// `KnownFragmentNamesRule`, with cases ported from graphql-js `KnownFragmentNamesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct KnownFragmentNamesRuleTests {
        let rule = KnownFragmentNamesRule()

        @Test func known() {
            Validation.expectValid(
                rule,
                #"{ human(id: 4) { ...HumanFields1 ... on Human { ...HumanFields2 } ... { name } } } "#
                    + #"fragment HumanFields1 on Human { name ...HumanFields3 } fragment HumanFields2 on Human { "#
                    + #"name } fragment HumanFields3 on Human { name }"#)
        }

        @Test func unknown() {
            Validation.expectErrors(
                rule,
                #"{ human(id: 4) { ...UnknownFragment1 ... on Human { ...UnknownFragment2 } } } fragment "#
                    + #"HumanFields on Human { name ...UnknownFragment3 }"#,
                [
                    (
                        #"Unknown fragment "UnknownFragment1"."#,
                        [(1, 21)]
                    ),
                    (
                        #"Unknown fragment "UnknownFragment2"."#,
                        [(1, 56)]
                    ),
                    (
                        #"Unknown fragment "UnknownFragment3"."#,
                        [(1, 119)]
                    ),
                ])
        }
    }
}
