import Testing

@testable import GraphQL

extension Validation {
    /// `UniqueDirectivesPerLocationRule`, with cases ported from graphql-js `UniqueDirectivesPerLocationRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct UniqueDirectivesPerLocationRuleTests {
        let rule = UniqueDirectivesPerLocationRule()

        @Test func noDirectives() {
            Validation.expectValid(
                rule,
                #"fragment Test on Type { field }"#)
        }

        @Test func uniqueDirectives() {
            Validation.expectValid(
                rule,
                #"fragment Test on Type { field @directiveA @directiveB }"#)
        }

        @Test func sameOnDifferentLocations() {
            Validation.expectValid(
                rule,
                #"fragment Test on Type @directiveA { field @directiveA }"#)
        }

        @Test func repeatable() {
            Validation.expectValid(
                rule,
                #"fragment Test on Type @repeatable @repeatable { field @repeatable @repeatable }"#)
        }

        @Test func unknownDirectivesIgnored() {
            Validation.expectValid(
                rule,
                #"fragment Test on Type { field @unknown @unknown }"#)
        }

        @Test func duplicate() {
            Validation.expectErrors(
                rule,
                #"fragment Test on Type { field @directive @directive }"#,
                [
                    (
                        #"The directive "@directive" can only be used once at this location."#,
                        [(1, 31), (1, 42)]
                    )
                ])
        }

        @Test func manyDuplicates() {
            Validation.expectErrors(
                rule,
                #"fragment Test on Type { field @directive @directive @directive }"#,
                [
                    (
                        #"The directive "@directive" can only be used once at this location."#,
                        [(1, 31), (1, 42)]
                    ),
                    (
                        #"The directive "@directive" can only be used once at this location."#,
                        [(1, 31), (1, 53)]
                    ),
                ])
        }

        @Test func differentDuplicates() {
            Validation.expectErrors(
                rule,
                #"fragment Test on Type { field @directiveA @directiveB @directiveA @directiveB }"#,
                [
                    (
                        #"The directive "@directiveA" can only be used once at this location."#,
                        [(1, 31), (1, 55)]
                    ),
                    (
                        #"The directive "@directiveB" can only be used once at this location."#,
                        [(1, 43), (1, 67)]
                    ),
                ])
        }

        @Test func duplicatesOnSeveralLocations() {
            Validation.expectErrors(
                rule,
                #"fragment Test on Type @directive @directive { field @directive @directive }"#,
                [
                    (
                        #"The directive "@directive" can only be used once at this location."#,
                        [(1, 23), (1, 34)]
                    ),
                    (
                        #"The directive "@directive" can only be used once at this location."#,
                        [(1, 53), (1, 64)]
                    ),
                ])
        }
    }
}
