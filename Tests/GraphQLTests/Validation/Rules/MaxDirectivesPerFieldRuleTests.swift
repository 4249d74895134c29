import Testing

@testable import GraphQL

extension Validation {
    /// `MaxDirectivesPerFieldRule`: directives on one field, spread, inline fragment or fragment definition.
    @Suite struct MaxDirectivesPerFieldRuleTests {
        let rule = MaxDirectivesPerFieldRule(maxDirectives: 2)

        @Test func atTheLimitIsAccepted() {
            Validation.expectValid(rule, "{ dog @include(if: true) @skip(if: false) { name @onField @onField } }")
        }

        @Test func fieldOverTheLimit() throws {
            let document = "{ dog @onField @onField @onField { name } }"
            Validation.expectErrors(
                rule, document, [(#"The field "dog" has 3 directives, more than the maximum of 2."#, [(1, 3)])])
            #expect(try Validation.errors([rule], document).first?.code == "TOO_MANY_DIRECTIVES")
        }

        @Test func fragmentsOverTheLimit() {
            Validation.expectErrors(
                rule,
                "{ dog { ...F @a @b @c ... @a @b @c { name } } } fragment F on Dog @a @b @c { name }",
                [
                    (#"The fragment spread "F" has 3 directives"#, [(1, 9)]),
                    ("The inline fragment has 3 directives", [(1, 23)]),
                    (#"The fragment "F" has 3 directives"#, [(1, 49)]),
                ])
        }
    }
}
