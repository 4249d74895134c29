import Testing

@testable import GraphQL

extension Validation {
    /// `MaxIntrospectionDepthRule` (graphql-js 16.9+): one error per `__schema`/`__type` field whose
    /// introspection lists nest three deep, fragments included.
    @Suite struct MaxIntrospectionDepthRuleTests {
        let rule = MaxIntrospectionDepthRule()

        @Test func standardShapesAreAccepted() {
            Validation.expectValid(rule, "{ __schema { types { name fields { name type { name } } } } }")
            Validation.expectValid(rule, #"{ __type(name: "Dog") { interfaces { possibleTypes { name } } } }"#)
            Validation.expectValid(rule, "{ dog { fields { fields { fields { name } } } } }")
        }

        @Test func threeNestedListsAreRejected() {
            Validation.expectErrors(
                rule, "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
                [("Maximum introspection depth exceeded", [(1, 3)])])
        }

        @Test func eachIntrospectionFieldIsReported() {
            Validation.expectErrors(
                rule,
                #"{ a: __type(name: "Dog") { fields { name } } "#
                    + "b: __schema { types { fields { type { interfaces { possibleTypes { name } } } } } } }",
                [("Maximum introspection depth exceeded", [(1, 46)])])
        }

        @Test func fragmentsAreFollowed() {
            Validation.expectErrors(
                rule,
                """
                query Deep {
                  __schema { types { ...T } }
                }
                fragment T on __Type { fields { type { ...U } } }
                fragment U on __Type { inputFields { type { interfaces { name } } } }
                """,
                [("Maximum introspection depth exceeded", [(2, 3)])])
        }

        @Test func fragmentCyclesTerminate() {
            Validation.expectValid(
                rule, "{ __schema { types { ...A } } } fragment A on __Type { name ...B } fragment B on __Type { ...A }")
        }

        @Test func manySpreadsOfOneFragmentStayFast() {
            // Each level spreads the next ten times: graphql-js would walk 10^6 paths.
            var document = "{ __schema { types { ...F0 } } }"
            for level in 0..<6 {
                let spreads = String(repeating: "...F\(level + 1) ", count: 10)
                document += " fragment F\(level) on __Type { name \(spreads)}"
            }
            document += " fragment F6 on __Type { name }"
            let clock = ContinuousClock()
            let elapsed = clock.measure { Validation.expectValid(rule, document) }
            #expect(elapsed < .seconds(1))
        }
    }
}
