import Testing

@testable import GraphQL

extension Validation {
    /// `UniqueVariableNamesRule`, with cases ported from graphql-js `UniqueVariableNamesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct UniqueVariableNamesRuleTests {
        let rule = UniqueVariableNamesRule()

        @Test func unique() {
            Validation.expectValid(
                rule,
                #"query A($x: Int, $y: String) { __typename } query B($x: String, $y: Int) { __typename }"#)
        }

        @Test func duplicates() {
            Validation.expectErrors(
                rule,
                #"query A($x: Int, $x: Int, $x: String) { __typename } query B($x: String, $x: Int) { "#
                    + #"__typename } query C($x: Int, $x: Int) { __typename }"#,
                [
                    (
                        #"There can be only one variable named "$x"."#,
                        [(1, 10), (1, 19), (1, 28)]
                    ),
                    (
                        #"There can be only one variable named "$x"."#,
                        [(1, 63), (1, 75)]
                    ),
                    (
                        #"There can be only one variable named "$x"."#,
                        [(1, 107), (1, 116)]
                    ),
                ])
        }
    }
}
