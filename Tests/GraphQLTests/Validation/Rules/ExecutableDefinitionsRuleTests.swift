import Testing

@testable import GraphQL

extension Validation {
    /// `ExecutableDefinitionsRule`, with cases ported from graphql-js `ExecutableDefinitionsRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct ExecutableDefinitionsRuleTests {
        let rule = ExecutableDefinitionsRule()

        @Test func onlyOperation() {
            Validation.expectValid(
                rule,
                #"query Foo { dog { name } }"#)
        }

        @Test func operationAndFragment() {
            Validation.expectValid(
                rule,
                #"query Foo { dog { name ...Frag } } fragment Frag on Dog { name }"#)
        }

        @Test func typeDefinition() {
            Validation.expectErrors(
                rule,
                #"query Foo { dog { name } } type Cow { name: String } extend type Dog { color: String }"#,
                [
                    (
                        #"The "Cow" definition is not executable."#,
                        [(1, 28)]
                    ),
                    (
                        #"The "Dog" definition is not executable."#,
                        [(1, 54)]
                    ),
                ])
        }

        @Test func schemaDefinition() {
            Validation.expectErrors(
                rule,
                #"schema { query: Query } type Query { test: String } extend schema @directive"#,
                [
                    (
                        #"The schema definition is not executable."#,
                        [(1, 1)]
                    ),
                    (
                        #"The "Query" definition is not executable."#,
                        [(1, 25)]
                    ),
                    (
                        #"The schema definition is not executable."#,
                        [(1, 53)]
                    ),
                ])
        }
    }
}
