import Testing

@testable import GraphQL

extension Validation {
    /// `OverlappingFieldsCanBeMergedRule`, with cases ported from graphql-js `OverlappingFieldsCanBeMergedRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct OverlappingFieldsCanBeMergedRuleTests {
        let rule = OverlappingFieldsCanBeMergedRule()

        @Test func uniqueFields() {
            Validation.expectValid(
                rule,
                #"fragment uniqueFields on Dog { name nickname }"#)
        }

        @Test func identicalFields() {
            Validation.expectValid(
                rule,
                #"fragment mergeIdenticalFields on Dog { name name }"#)
        }

        @Test func identicalWithArgs() {
            Validation.expectValid(
                rule,
                #"fragment mergeIdenticalFieldsWithIdenticalArgs on Dog { doesKnowCommand(dogCommand: SIT) "#
                    + #"doesKnowCommand(dogCommand: SIT) }"#)
        }

        @Test func identicalWithDirectives() {
            Validation.expectValid(
                rule,
                #"fragment mergeSameFieldsWithSameDirectives on Dog { name @include(if: true) name "#
                    + #"@include(if: true) }"#)
        }

        @Test func differentArgsDifferentAliases() {
            Validation.expectValid(
                rule,
                #"fragment differentArgsWithDifferentAliases on Dog { knowsSit: doesKnowCommand(dogCommand: "#
                    + #"SIT) knowsDown: doesKnowCommand(dogCommand: DOWN) }"#)
        }

        @Test func differentDirectives() {
            Validation.expectValid(
                rule,
                #"fragment differentDirectivesWithDifferentAliases on Dog { nameIfTrue: name @include(if: "#
                    + #"true) nameIfFalse: name @include(if: false) }"#)
        }

        @Test func sameAliasesDifferentNames() {
            Validation.expectErrors(
                rule,
                #"fragment sameAliasesWithDifferentFieldTargets on Dog { fido: name fido: nickname }"#,
                [
                    (
                        #"Fields "fido" conflict because "name" and "nickname" are different fields. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 56), (1, 67)]
                    )
                ])
        }

        @Test func sameAliasesOnExclusiveParents() {
            Validation.expectValid(
                rule,
                #"fragment sameAliasesWithDifferentFieldTargets on Pet { ... on Dog { name } ... on Cat { "#
                    + #"name: nickname } }"#)
        }

        @Test func aliasMasksField() {
            Validation.expectErrors(
                rule,
                #"fragment aliasMaskingDirectFieldAccess on Dog { name: nickname name }"#,
                [
                    (
                        #"Fields "name" conflict because "nickname" and "name" are different fields. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 49), (1, 64)]
                    )
                ])
        }

        @Test func differentArgsSecondAdds() {
            Validation.expectErrors(
                rule,
                #"fragment conflictingArgs on Dog { doesKnowCommand doesKnowCommand(dogCommand: HEEL) }"#,
                [
                    (
                        #"Fields "doesKnowCommand" conflict because they have differing arguments. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 35), (1, 51)]
                    )
                ])
        }

        @Test func differentArgs() {
            Validation.expectErrors(
                rule,
                #"fragment conflictingArgs on Dog { doesKnowCommand(dogCommand: SIT) "#
                    + #"doesKnowCommand(dogCommand: HEEL) }"#,
                [
                    (
                        #"Fields "doesKnowCommand" conflict because they have differing arguments. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 35), (1, 68)]
                    )
                ])
        }

        @Test func argOrderIgnored() {
            Validation.expectValid(
                rule,
                #"fragment argOrder on Dog { isAtLocation(x: 0, y: 1) isAtLocation(y: 1, x: 0) }"#)
        }

        @Test func conflictsInFragments() {
            Validation.expectErrors(
                rule,
                #"{ ...A ...B } fragment A on Type { x: a } fragment B on Type { x: b }"#,
                [
                    (
                        #"Fields "x" conflict because "a" and "b" are different fields. Use different aliases on the"#
                            + #" fields to fetch both if this was intentional."#,
                        [(1, 36), (1, 64)]
                    )
                ])
        }

        @Test func reportsEachConflictOnce() {
            Validation.expectErrors(
                rule,
                #"{ f1 { ...A ...B } f2 { ...B ...A } f3 { ...A ...B x: c } } fragment A on Type { x: a } "#
                    + #"fragment B on Type { x: b }"#,
                [
                    (
                        #"Fields "x" conflict because "a" and "b" are different fields. Use different aliases on the"#
                            + #" fields to fetch both if this was intentional."#,
                        [(1, 82), (1, 110)]
                    ),
                    (
                        #"Fields "x" conflict because "c" and "a" are different fields. Use different aliases on the"#
                            + #" fields to fetch both if this was intentional."#,
                        [(1, 52), (1, 82)]
                    ),
                    (
                        #"Fields "x" conflict because "c" and "b" are different fields. Use different aliases on the"#
                            + #" fields to fetch both if this was intentional."#,
                        [(1, 52), (1, 110)]
                    ),
                ])
        }

        @Test func deepConflict() {
            Validation.expectErrors(
                rule,
                #"{ field { x: a } field { x: b } }"#,
                [
                    (
                        #"Fields "field" conflict because subfields "x" conflict because "a" and "b" are different "#
                            + #"fields. Use different aliases on the fields to fetch both if this was intentional."#,
                        [(1, 3), (1, 11), (1, 18), (1, 26)]
                    )
                ])
        }

        @Test func deepConflictMultiple() {
            Validation.expectErrors(
                rule,
                #"{ field { x: a y: c } field { x: b y: d } }"#,
                [
                    (
                        #"Fields "field" conflict because subfields "x" conflict because "a" and "b" are different "#
                            + #"fields and subfields "y" conflict because "c" and "d" are different fields. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 3), (1, 11), (1, 16), (1, 23), (1, 31), (1, 36)]
                    )
                ])
        }

        @Test func veryDeepConflict() {
            Validation.expectErrors(
                rule,
                #"{ field { deepField { x: a } } field { deepField { x: b } } }"#,
                [
                    (
                        #"Fields "field" conflict because subfields "deepField" conflict because subfields "x" "#
                            + #"conflict because "a" and "b" are different fields. Use different aliases on the fields to "#
                            + #"fetch both if this was intentional."#,
                        [(1, 3), (1, 11), (1, 23), (1, 32), (1, 40), (1, 52)]
                    )
                ])
        }

        @Test func deepConflictInFragments() {
            Validation.expectErrors(
                rule,
                #"{ field { ...F } field { ...I } } fragment F on T { x: a ...G } fragment G on T { y: c } "#
                    + #"fragment I on T { y: d ...J } fragment J on T { x: b }"#,
                [
                    (
                        #"Fields "field" conflict because subfields "x" conflict because "a" and "b" are different "#
                            + #"fields and subfields "y" conflict because "c" and "d" are different fields. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 3), (1, 53), (1, 83), (1, 18), (1, 138), (1, 108)]
                    )
                ])
        }

        @Test func differentTypes() {
            Validation.expectErrors(
                rule,
                #"{ someBox { ... on Dog { name: barkVolume } ... on Cat { name } } }"#,
                [
                    (
                        #"Fields "name" conflict because they return conflicting types "Int" and "String". Use "#
                            + #"different aliases on the fields to fetch both if this was intentional."#,
                        [(1, 26), (1, 58)]
                    )
                ])
        }

        @Test func conflictingReturnTypes() {
            Validation.expectErrors(
                rule,
                #"{ dog { ... on Dog { x: barkVolume } ... on Dog { x: name } } }"#,
                [
                    (
                        #"Fields "x" conflict because "barkVolume" and "name" are different fields. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 22), (1, 51)]
                    )
                ])
        }

        @Test func typeConflictOnExclusiveParents() {
            Validation.expectErrors(
                rule,
                #"{ pet { ... on Dog { x: barkVolume } ... on Cat { x: name } } }"#,
                [
                    (
                        #"Fields "x" conflict because they return conflicting types "Int" and "String". Use "#
                            + #"different aliases on the fields to fetch both if this was intentional."#,
                        [(1, 22), (1, 51)]
                    )
                ])
        }

        @Test func listVsNonList() {
            Validation.expectErrors(
                rule,
                #"{ human { ... on Human { x: relatives { name } } ... on Human { x: pets { name } } } }"#,
                [
                    (
                        #"Fields "x" conflict because "relatives" and "pets" are different fields. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 26), (1, 65)]
                    )
                ])
        }

        @Test func nullabilityConflict() {
            Validation.expectErrors(
                rule,
                #"{ humanOrAlien { ... on Human { relatives { name } } ... on Alien { relatives: name } } }"#,
                [
                    (
                        #"Fields "relatives" conflict because they return conflicting types "[Human]!" and "String"."#
                            + #" Use different aliases on the fields to fetch both if this was intentional."#,
                        [(1, 33), (1, 69)]
                    )
                ])
        }

        @Test func selfSpread() {
            Validation.expectValid(
                rule,
                #"fragment fragA on Dog { name ...fragA }"#)
        }

        @Test func mutualSpreadConflict() {
            Validation.expectErrors(
                rule,
                #"{ dog { ...A } } fragment A on Dog { x: name ...B } fragment B on Dog { x: nickname ...A }"#,
                [
                    (
                        #"Fields "x" conflict because "name" and "nickname" are different fields. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 38), (1, 73)]
                    ),
                    (
                        #"Fields "x" conflict because "nickname" and "name" are different fields. Use different "#
                            + #"aliases on the fields to fetch both if this was intentional."#,
                        [(1, 73), (1, 38)]
                    ),
                ])
        }

        // Wide documents: identical fields of one response key are compared once, not pairwise.

        /// Validates `document` with all specified rules and returns the errors and the time taken.
        private func timedValidation(_ document: String) throws -> ([GraphQLError], Duration) {
            let parsed = try parse(document, options: ParseOptions(maxTokens: nil))
            let clock = ContinuousClock()
            var errors: [GraphQLError] = []
            let elapsed = clock.measure {
                errors = validate(schema: Validation.testSchema, document: parsed, options: ValidationOptions(protection: nil))
            }
            return (errors, elapsed)
        }

        @Test(arguments: [1_000, 5_000])
        func repeatedIdenticalFieldsAreFast(count: Int) throws {
            let fields = String(repeating: "name ", count: count)
            let (errors, elapsed) = try timedValidation("{ dog { \(fields)} }")
            #expect(errors.isEmpty)
            #expect(elapsed < .seconds(1))
        }

        @Test(arguments: [1_000, 5_000])
        func repeatedIdenticalAliasedFieldsWithArgumentsAreFast(count: Int) throws {
            let fields = String(repeating: "a: doesKnowCommand(dogCommand: SIT) ", count: count)
            let (errors, elapsed) = try timedValidation("{ dog { \(fields)} }")
            #expect(errors.isEmpty)
            #expect(elapsed < .seconds(1))
        }

        @Test func repeatedFieldsInFragmentsAreFast() throws {
            let fields = String(repeating: "name ", count: 1_000)
            let (errors, elapsed) = try timedValidation(
                "{ dog { ...A ...B \(fields)} } fragment A on Dog { \(fields)} fragment B on Dog { \(fields)}")
            #expect(errors.isEmpty)
            #expect(elapsed < .seconds(1))
        }

        @Test func oneDifferentFieldAmongIdenticalOnesIsReportedForEach() throws {
            let document = "{ dog { x: name x: name x: name x: nickname } }"
            let errors = try Validation.errors([rule], document)
            // graphql-js compares every pair: each of the three "name" fields conflicts with "nickname".
            #expect(errors.count == 3)
            let expected = [9, 17, 25].map { [SourceLocation(line: 1, column: $0), SourceLocation(line: 1, column: 33)] }
            #expect(errors.map(\.locations) == expected)
        }

        @Test func identicalFieldsWithConflictingSubfieldsAreComparedPairwise() throws {
            let document = "{ dog { mother { x: name x: nickname } mother { x: name x: nickname } } }"
            let errors = try Validation.errors([rule], document)
            // As graphql-js: the inner conflict in each selection set, plus the two "mother" fields conflicting.
            #expect(errors.count == 3)
            #expect(errors.first?.locations.map(\.column) == [9, 18, 26, 40, 57, 49])
        }

        @Test func manyDistinctConflictsStopAtTheErrorLimit() throws {
            var fields = ""
            for index in 0..<1_500 { fields += "a: isAtLocation(x: \(index)) " }
            let (errors, elapsed) = try timedValidation("{ dog { \(fields)} }")
            #expect(errors.count == 101)
            #expect(errors.last?.message == tooManyValidationErrorsMessage)
            #expect(elapsed < .seconds(1))
        }
    }
}
