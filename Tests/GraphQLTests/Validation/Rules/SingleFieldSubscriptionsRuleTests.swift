import Testing

@testable import GraphQL

extension Validation {
    /// `SingleFieldSubscriptionsRule`, with cases ported from graphql-js `SingleFieldSubscriptionsRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct SingleFieldSubscriptionsRuleTests {
        let rule = SingleFieldSubscriptionsRule()

        @Test func oneField() {
            Validation.expectValid(
                rule,
                #"subscription ImportantEmails { importantEmails }"#)
        }

        @Test func oneFieldWithFragment() {
            Validation.expectValid(
                rule,
                #"subscription sub { ...newMessageFields } fragment newMessageFields on SubscriptionRoot { "#
                    + #"newMessage { body sender } }"#)
        }

        @Test func sameFieldTwice() {
            Validation.expectValid(
                rule,
                #"subscription sub { importantEmails importantEmails }"#)
        }

        @Test func twoFields() {
            Validation.expectErrors(
                rule,
                #"subscription ImportantEmails { importantEmails notImportantEmails }"#,
                [
                    (
                        #"Subscription "ImportantEmails" must select only one top level field."#,
                        [(1, 48)]
                    )
                ])
        }

        @Test func twoFieldsViaFragment() {
            Validation.expectErrors(
                rule,
                #"subscription ImportantEmails { importantEmails ...F } fragment F on SubscriptionRoot { "#
                    + #"notImportantEmails }"#,
                [
                    (
                        #"Subscription "ImportantEmails" must select only one top level field."#,
                        [(1, 88)]
                    )
                ])
        }

        @Test func skipLiteral() {
            Validation.expectValid(
                rule,
                #"subscription S { importantEmails notImportantEmails @skip(if: true) }"#)
        }

        @Test func anonymous() {
            Validation.expectErrors(
                rule,
                #"subscription { importantEmails notImportantEmails }"#,
                [
                    (
                        #"Anonymous Subscription must select only one top level field."#,
                        [(1, 32)]
                    )
                ])
        }

        @Test func introspection() {
            Validation.expectErrors(
                rule,
                #"subscription ImportantEmails { __typename }"#,
                [
                    (
                        #"Subscription "ImportantEmails" must not select an introspection top level field."#,
                        [(1, 32)]
                    )
                ])
        }

        @Test func introspectionAnonymous() {
            Validation.expectErrors(
                rule,
                #"subscription { __typename }"#,
                [
                    (
                        #"Anonymous Subscription must not select an introspection top level field."#,
                        [(1, 16)]
                    )
                ])
        }
    }
}
