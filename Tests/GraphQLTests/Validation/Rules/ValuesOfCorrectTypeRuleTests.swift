import Testing

@testable import GraphQL

extension Validation {
    /// `ValuesOfCorrectTypeRule`, with cases ported from graphql-js `ValuesOfCorrectTypeRule-test.ts`.
    /// The expected messages and locations are what graphql-js 16 reports on the harness schema.
    @Suite struct ValuesOfCorrectTypeRuleTests {
        let rule = ValuesOfCorrectTypeRule()

        @Test func goodInt() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { intArgField(intArg: 2) } }"#)
        }

        @Test func goodNegativeInt() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { intArgField(intArg: -2) } }"#)
        }

        @Test func goodBoolean() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { booleanArgField(booleanArg: true) } }"#)
        }

        @Test func goodString() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { stringArgField(stringArg: "foo") } }"#)
        }

        @Test func goodFloat() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { floatArgField(floatArg: 1.1) } }"#)
        }

        @Test func intIntoFloat() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { floatArgField(floatArg: 1) } }"#)
        }

        @Test func intIntoID() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { idArgField(idArg: 1) } }"#)
        }

        @Test func stringIntoID() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { idArgField(idArg: "someIdString") } }"#)
        }

        @Test func goodEnum() {
            Validation.expectValid(
                rule,
                #"{ dog { doesKnowCommand(dogCommand: SIT) } }"#)
        }

        @Test func nullIntoNullable() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { intArgField(intArg: null) } }"#)
        }

        @Test func intIntoString() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { stringArgField(stringArg: 1) } }"#,
                [
                    (
                        #"String cannot represent a non string value: 1"#,
                        [(1, 47)]
                    )
                ])
        }

        @Test func floatIntoString() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { stringArgField(stringArg: 1.0) } }"#,
                [
                    (
                        #"String cannot represent a non string value: 1.0"#,
                        [(1, 47)]
                    )
                ])
        }

        @Test func booleanIntoString() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { stringArgField(stringArg: true) } }"#,
                [
                    (
                        #"String cannot represent a non string value: true"#,
                        [(1, 47)]
                    )
                ])
        }

        @Test func unquotedIntoString() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { stringArgField(stringArg: BAR) } }"#,
                [
                    (
                        #"String cannot represent a non string value: BAR"#,
                        [(1, 47)]
                    )
                ])
        }

        @Test func stringIntoInt() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { intArgField(intArg: "3") } }"#,
                [
                    (
                        #"Int cannot represent non-integer value: "3""#,
                        [(1, 41)]
                    )
                ])
        }

        @Test func bigInt() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { intArgField(intArg: 829384293849283498239482938) } }"#,
                [
                    (
                        #"Int cannot represent non 32-bit signed integer value: 829384293849283498239482938"#,
                        [(1, 41)]
                    )
                ])
        }

        @Test func floatIntoInt() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { intArgField(intArg: 3.333) } }"#,
                [
                    (
                        #"Int cannot represent non-integer value: 3.333"#,
                        [(1, 41)]
                    )
                ])
        }

        @Test func stringIntoFloat() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { floatArgField(floatArg: "3.333") } }"#,
                [
                    (
                        #"Float cannot represent non numeric value: "3.333""#,
                        [(1, 45)]
                    )
                ])
        }

        @Test func intIntoBoolean() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { booleanArgField(booleanArg: 2) } }"#,
                [
                    (
                        #"Boolean cannot represent a non boolean value: 2"#,
                        [(1, 49)]
                    )
                ])
        }

        @Test func floatIntoID() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { idArgField(idArg: 1.0) } }"#,
                [
                    (
                        #"ID cannot represent a non-string and non-integer value: 1.0"#,
                        [(1, 39)]
                    )
                ])
        }

        @Test func intIntoEnum() {
            Validation.expectErrors(
                rule,
                #"{ dog { doesKnowCommand(dogCommand: 2) } }"#,
                [
                    (
                        #"Enum "DogCommand" cannot represent non-enum value: 2."#,
                        [(1, 37)]
                    )
                ])
        }

        @Test func stringIntoEnum() {
            Validation.expectErrors(
                rule,
                #"{ dog { doesKnowCommand(dogCommand: "SIT") } }"#,
                [
                    (
                        #"Enum "DogCommand" cannot represent non-enum value: "SIT". Did you mean the enum value "#
                            + #""SIT"?"#,
                        [(1, 37)]
                    )
                ])
        }

        @Test func unknownEnumValue() {
            Validation.expectErrors(
                rule,
                #"{ dog { doesKnowCommand(dogCommand: JUGGLE) } }"#,
                [
                    (
                        #"Value "JUGGLE" does not exist in "DogCommand" enum."#,
                        [(1, 37)]
                    )
                ])
        }

        @Test func wrongCaseEnum() {
            Validation.expectErrors(
                rule,
                #"{ dog { doesKnowCommand(dogCommand: sit) } }"#,
                [
                    (
                        #"Value "sit" does not exist in "DogCommand" enum. Did you mean the enum value "SIT"?"#,
                        [(1, 37)]
                    )
                ])
        }

        @Test func goodList() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { stringListArgField(stringListArg: ["one", null, "two"]) } }"#)
        }

        @Test func singleValueIntoList() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { stringListArgField(stringListArg: "one") } }"#)
        }

        @Test func incorrectItem() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { stringListArgField(stringListArg: ["one", 2]) } }"#,
                [
                    (
                        #"String cannot represent a non string value: 2"#,
                        [(1, 63)]
                    )
                ])
        }

        @Test func singleIncorrectIntoList() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { stringListArgField(stringListArg: 1) } }"#,
                [
                    (
                        #"String cannot represent a non string value: 1"#,
                        [(1, 55)]
                    )
                ])
        }

        @Test func nullIntoNonNull() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { nonNullIntArgField(nonNullIntArg: null) } }"#,
                [
                    (
                        #"Expected value of type "Int!", found null."#,
                        [(1, 55)]
                    )
                ])
        }

        @Test func incorrectNonNullValue() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { multipleReqs(req2: "two", req1: "one") } }"#,
                [
                    (
                        #"Int cannot represent non-integer value: "two""#,
                        [(1, 40)]
                    ),
                    (
                        #"Int cannot represent non-integer value: "one""#,
                        [(1, 53)]
                    ),
                ])
        }

        @Test func goodObject() {
            Validation.expectValid(
                rule,
                #"{ complicatedArgs { complexArgField(complexArg: { requiredField: true, intField: 4 }) } }"#)
        }

        @Test func missingRequiredInputField() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { complexArgField(complexArg: { intField: 4 }) } }"#,
                [
                    (
                        #"Field "ComplexInput.requiredField" of required type "Boolean!" was not provided."#,
                        [(1, 49)]
                    )
                ])
        }

        @Test func wrongInputFieldType() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { complexArgField(complexArg: { stringListField: ["one", 2], "#
                    + #"requiredField: true }) } }"#,
                [
                    (
                        #"String cannot represent a non string value: 2"#,
                        [(1, 76)]
                    )
                ])
        }

        @Test func unknownInputField() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { complexArgField(complexArg: { requiredField: true, invalidField: "#
                    + #""value" }) } }"#,
                [
                    (
                        #"Field "invalidField" is not defined by type "ComplexInput". Did you mean "intField"?"#,
                        [(1, 72)]
                    )
                ])
        }

        @Test func misspelledInputField() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { complexArgField(complexArg: { requiredField: true, strngField: "value""#
                    + #" }) } }"#,
                [
                    (
                        #"Field "strngField" is not defined by type "ComplexInput". Did you mean "stringField", "#
                            + #""intField", or "stringListField"?"#,
                        [(1, 72)]
                    )
                ])
        }

        @Test func objectIntoScalar() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { intArgField(intArg: { a: 1 }) } }"#,
                [
                    (
                        #"Int cannot represent non-integer value: {a: 1}"#,
                        [(1, 41)]
                    )
                ])
        }

        @Test func directiveArgs() {
            Validation.expectValid(
                rule,
                #"{ dog @include(if: true) { name } human @skip(if: false) { name } }"#)
        }

        @Test func badDirectiveArgs() {
            Validation.expectErrors(
                rule,
                #"{ dog @include(if: "yes") { name @skip(if: ENUM) } }"#,
                [
                    (
                        #"Boolean cannot represent a non boolean value: "yes""#,
                        [(1, 20)]
                    ),
                    (
                        #"Boolean cannot represent a non boolean value: ENUM"#,
                        [(1, 44)]
                    ),
                ])
        }

        @Test func variableDefaults() {
            Validation.expectValid(
                rule,
                #"query WithDefaultValues($a: Int = 1, $b: String = "ok", $c: ComplexInput = { "#
                    + #"requiredField: true, intField: 3 } $d: Int! = 123) { dog { name } }"#)
        }

        @Test func badVariableDefaults() {
            Validation.expectErrors(
                rule,
                #"query InvalidDefaultValues($a: Int = "one", $b: String = 4, $c: ComplexInput = "#
                    + #""NotVeryComplex") { dog { name } }"#,
                [
                    (
                        #"Int cannot represent non-integer value: "one""#,
                        [(1, 38)]
                    ),
                    (
                        #"String cannot represent a non string value: 4"#,
                        [(1, 58)]
                    ),
                    (
                        #"Expected value of type "ComplexInput", found "NotVeryComplex"."#,
                        [(1, 80)]
                    ),
                ])
        }

        @Test func badVariableDefaultsObject() {
            Validation.expectErrors(
                rule,
                #"query MissingRequiredField($a: ComplexInput = {intField: 3}) { dog { name } }"#,
                [
                    (
                        #"Field "ComplexInput.requiredField" of required type "Boolean!" was not provided."#,
                        [(1, 47)]
                    )
                ])
        }

        @Test func badListItemDefaults() {
            Validation.expectErrors(
                rule,
                #"query InvalidItem($a: [String] = ["one", 2]) { dog { name } }"#,
                [
                    (
                        #"String cannot represent a non string value: 2"#,
                        [(1, 42)]
                    )
                ])
        }

        // @oneOf input objects, as graphql-js 16.9+ validates them (16.6 does not, so these are written by hand).

        @Test func oneOfWithOneField() {
            Validation.expectValid(rule, #"{ complicatedArgs { oneOfArgField(oneOfArg: { stringField: "abc" }) } }"#)
        }

        @Test func oneOfWithNonNullVariable() {
            Validation.expectValid(
                rule, #"query ($s: String!) { complicatedArgs { oneOfArgField(oneOfArg: { stringField: $s }) } }"#)
        }

        @Test func oneOfWithTwoFields() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { oneOfArgField(oneOfArg: { stringField: "abc", intField: 123 }) } }"#,
                [(#"OneOf Input Object "OneOfInput" must specify exactly one key."#, [(1, 45)])])
        }

        @Test func oneOfWithNoField() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { oneOfArgField(oneOfArg: {}) } }"#,
                [(#"OneOf Input Object "OneOfInput" must specify exactly one key."#, [(1, 45)])])
        }

        @Test func oneOfWithNullField() {
            Validation.expectErrors(
                rule,
                #"{ complicatedArgs { oneOfArgField(oneOfArg: { stringField: null }) } }"#,
                [(#"Field "OneOfInput.stringField" must be non-null."#, [(1, 45)])])
        }

        @Test func oneOfWithNullableVariable() {
            Validation.expectErrors(
                rule,
                #"query ($s: String) { complicatedArgs { oneOfArgField(oneOfArg: { stringField: $s }) } }"#,
                [(#"Variable "s" must be non-nullable to be used for OneOf Input Object "OneOfInput"."#, [(1, 64)])])
        }
    }
}
