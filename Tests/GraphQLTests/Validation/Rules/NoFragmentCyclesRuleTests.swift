import Testing

@testable import GraphQL

extension Validation {
    /// `NoFragmentCyclesRule`, with cases ported from graphql-js `NoFragmentCyclesRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct NoFragmentCyclesRuleTests {
        let rule = NoFragmentCyclesRule()

        @Test func singleReference() {
            Validation.expectValid(
                rule,
                #"fragment fragA on Dog { ...fragB } fragment fragB on Dog { name }"#)
        }

        @Test func twiceInSeparateFields() {
            Validation.expectValid(
                rule,
                #"fragment fragA on Dog { ...fragB, ...fragB } fragment fragB on Dog { name }"#)
        }

        @Test func twiceInNested() {
            Validation.expectValid(
                rule,
                #"fragment fragA on Dog { ...fragB, ...fragC } fragment fragB on Dog { ...fragC } fragment "#
                    + #"fragC on Dog { name }"#)
        }

        @Test func unknownFragment() {
            Validation.expectValid(
                rule,
                #"fragment nameFragment on Pet { ...UnknownFragment }"#)
        }

        @Test func directSelf() {
            Validation.expectErrors(
                rule,
                #"fragment fragA on Human { ...fragA }"#,
                [
                    (
                        #"Cannot spread fragment "fragA" within itself."#,
                        [(1, 27)]
                    )
                ])
        }

        @Test func directSelfInline() {
            Validation.expectErrors(
                rule,
                #"fragment fragA on Pet { ... on Dog { ...fragA } }"#,
                [
                    (
                        #"Cannot spread fragment "fragA" within itself."#,
                        [(1, 38)]
                    )
                ])
        }

        @Test func twoStep() {
            Validation.expectErrors(
                rule,
                #"fragment fragA on Dog { ...fragB } fragment fragB on Dog { ...fragA }"#,
                [
                    (
                        #"Cannot spread fragment "fragA" within itself via "fragB"."#,
                        [(1, 25), (1, 60)]
                    )
                ])
        }

        @Test func deep() {
            Validation.expectErrors(
                rule,
                #"fragment fragA on Dog { ...fragB } fragment fragB on Dog { ...fragC } fragment fragC on "#
                    + #"Dog { ...fragO } fragment fragX on Dog { ...fragY } fragment fragY on Dog { ...fragZ } "#
                    + #"fragment fragZ on Dog { ...fragO } fragment fragO on Dog { ...fragP } fragment fragP on "#
                    + #"Dog { ...fragA, ...fragX }"#,
                [
                    (
                        #"Cannot spread fragment "fragA" within itself via "fragB", "fragC", "fragO", "fragP"."#,
                        [(1, 25), (1, 60), (1, 95), (1, 235), (1, 270)]
                    ),
                    (
                        #"Cannot spread fragment "fragO" within itself via "fragP", "fragX", "fragY", "fragZ"."#,
                        [(1, 235), (1, 280), (1, 130), (1, 165), (1, 200)]
                    ),
                ])
        }

        @Test func manyToOne() {
            Validation.expectErrors(
                rule,
                #"fragment fragA on Dog { ...fragB, ...fragC } fragment fragB on Dog { ...fragA } fragment "#
                    + #"fragC on Dog { ...fragA }"#,
                [
                    (
                        #"Cannot spread fragment "fragA" within itself via "fragB"."#,
                        [(1, 25), (1, 70)]
                    ),
                    (
                        #"Cannot spread fragment "fragA" within itself via "fragC"."#,
                        [(1, 35), (1, 105)]
                    ),
                ])
        }

        @Test func selfAndOthers() {
            Validation.expectErrors(
                rule,
                #"fragment fragA on Dog { ...fragA } fragment fragB on Dog { ...fragC } fragment fragC on "#
                    + #"Dog { ...fragB }"#,
                [
                    (
                        #"Cannot spread fragment "fragA" within itself."#,
                        [(1, 25)]
                    ),
                    (
                        #"Cannot spread fragment "fragB" within itself via "fragC"."#,
                        [(1, 60), (1, 95)]
                    ),
                ])
        }
    }
}
