import Testing

@testable import GraphQL

extension Validation {
    /// Requests holding type system definitions: besides "not executable", graphql-js walks into them and reports
    /// unknown types, misplaced or repeated directives and bad directive arguments. All specified rules run; the
    /// expected errors, in order, are what graphql-js 16 reports for the same documents on the harness schema.
    @Suite struct TypeSystemDefinitionsInRequestTests {
        @Test func unknownTypesInSDL() {
            Validation.expectErrors(
                rules: specifiedRules,
                #"{ dog { name } } type Foo implements Bar & Pet { a: Strin b(x: Unknwn = 1): Dog c: Float }"#
                    + #" union U = Dog | Nope"#,
                [
                    (
                        #"The "Foo" definition is not executable."#,
                        [(1, 18)]
                    ),
                    (
                        #"The "U" definition is not executable."#,
                        [(1, 92)]
                    ),
                    (
                        #"Unknown type "Bar". Did you mean "Cat"?"#,
                        [(1, 38)]
                    ),
                    (
                        #"Unknown type "Strin". Did you mean "String"?"#,
                        [(1, 53)]
                    ),
                    (
                        #"Unknown type "Unknwn"."#,
                        [(1, 64)]
                    ),
                    (
                        #"Unknown type "Nope"."#,
                        [(1, 108)]
                    ),
                ])
        }

        @Test func standardScalarsInSDL() {
            Validation.expectErrors(
                rules: specifiedRules,
                #"{ dog { name } } input I { a: String b: [Int!]! c: Boolean d: ID e: __Type }"#,
                [
                    (
                        #"The "I" definition is not executable."#,
                        [(1, 18)]
                    )
                ])
        }

        /// The one difference from graphql-js: `UniqueDirectivesPerLocationRule` checks the nested definitions of a type
        /// (fields, arguments, values) when it enters the type, so their errors come before other rules' errors
        /// inside the type. The errors themselves are the same.
        @Test func directivesInSDL() {
            Validation.expectErrors(
                rules: specifiedRules,
                #"{ dog { name } } type Foo @onField @unknown { a: Int @deprecated(reason: 1) @onQuery b(x: "#
                    + #"Int @deprecated @deprecated): Int } enum E @onQuery { A @onField } scalar S "#
                    + #"@specifiedBy(url: "u") @specifiedBy(url: "v")"#,
                [
                    (
                        #"The "Foo" definition is not executable."#,
                        [(1, 18)]
                    ),
                    (
                        #"The "E" definition is not executable."#,
                        [(1, 127)]
                    ),
                    (
                        #"The "S" definition is not executable."#,
                        [(1, 158)]
                    ),
                    (
                        #"The directive "@deprecated" can only be used once at this location."#,
                        [(1, 95), (1, 107)]
                    ),
                    (
                        #"Directive "@onField" may not be used on OBJECT."#,
                        [(1, 27)]
                    ),
                    (
                        #"Unknown directive "@unknown"."#,
                        [(1, 36)]
                    ),
                    (
                        #"String cannot represent a non string value: 1"#,
                        [(1, 74)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on FIELD_DEFINITION."#,
                        [(1, 77)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on ENUM."#,
                        [(1, 134)]
                    ),
                    (
                        #"Directive "@onField" may not be used on ENUM_VALUE."#,
                        [(1, 147)]
                    ),
                    (
                        #"The directive "@specifiedBy" can only be used once at this location."#,
                        [(1, 167), (1, 190)]
                    ),
                ])
        }

        @Test func sharedDirectiveLocations() {
            Validation.expectErrors(
                rules: specifiedRules,
                #"{ dog { name } } scalar S @specifiedBy(url: "u") extend scalar S @specifiedBy(url: "v") "#
                    + #"schema @onQuery { query: QueryRoot } extend schema @onQuery"#,
                [
                    (
                        #"The "S" definition is not executable."#,
                        [(1, 18)]
                    ),
                    (
                        #"The "S" definition is not executable."#,
                        [(1, 50)]
                    ),
                    (
                        #"The schema definition is not executable."#,
                        [(1, 89)]
                    ),
                    (
                        #"The schema definition is not executable."#,
                        [(1, 126)]
                    ),
                    (
                        #"The directive "@specifiedBy" can only be used once at this location."#,
                        [(1, 27), (1, 66)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on SCHEMA."#,
                        [(1, 96)]
                    ),
                    (
                        #"The directive "@onQuery" can only be used once at this location."#,
                        [(1, 96), (1, 140)]
                    ),
                    (
                        #"Directive "@onQuery" may not be used on SCHEMA."#,
                        [(1, 140)]
                    ),
                ])
        }

        @Test func directiveArgumentsInSDL() {
            Validation.expectErrors(
                rules: specifiedRules,
                #"{ dog { name } } type Foo { a: Int @deprecated(reason: "x", reason: "y", why: 1) b: String"#
                    + #" @needsArg @include(if: true) }"#,
                [
                    (
                        #"The "Foo" definition is not executable."#,
                        [(1, 18)]
                    ),
                    (
                        #"Unknown argument "why" on directive "@deprecated"."#,
                        [(1, 74)]
                    ),
                    (
                        #"There can be only one argument named "reason"."#,
                        [(1, 48), (1, 61)]
                    ),
                    (
                        #"Directive "@needsArg" may not be used on FIELD_DEFINITION."#,
                        [(1, 92)]
                    ),
                    (
                        #"Directive "@needsArg" argument "arg" of type "String!" is required, but it was not "#
                            + #"provided."#,
                        [(1, 92)]
                    ),
                    (
                        #"Directive "@include" may not be used on FIELD_DEFINITION."#,
                        [(1, 102)]
                    ),
                ])
        }

        @Test func inputExtensionLocations() {
            Validation.expectErrors(
                rules: specifiedRules,
                #"{ dog { name } } input I { a: Int @deprecated } extend input I { b: Int @deprecated "#
                    + #"@onField } directive @d(a: Int @deprecated(reason: {a: 1, a: 2})) on FIELD"#,
                [
                    (
                        #"The "I" definition is not executable."#,
                        [(1, 18)]
                    ),
                    (
                        #"The "I" definition is not executable."#,
                        [(1, 49)]
                    ),
                    (
                        #"The "d" definition is not executable."#,
                        [(1, 96)]
                    ),
                    (
                        #"Directive "@onField" may not be used on ARGUMENT_DEFINITION."#,
                        [(1, 85)]
                    ),
                    (
                        #"String cannot represent a non string value: {a: 1, a: 2}"#,
                        [(1, 136)]
                    ),
                    (
                        #"There can be only one input field named "a"."#,
                        [(1, 137), (1, 143)]
                    ),
                ])
        }

        @Test func defaultValuesInSDL() {
            Validation.expectErrors(
                rules: specifiedRules,
                #"{ dog { name } } input I { a: ComplexInput = { requiredField: true, requiredField: false }"#
                    + #" b: [Int] = [1, "two"] c: FurColor = NOPE }"#,
                [
                    (
                        #"The "I" definition is not executable."#,
                        [(1, 18)]
                    ),
                    (
                        #"There can be only one input field named "requiredField"."#,
                        [(1, 48), (1, 69)]
                    ),
                ])
        }

        @Test func definedTypesAreKnown() {
            Validation.expectErrors(
                rules: specifiedRules,
                #"query ($a: Foo) { dog { name } } input Foo { a: Int } fragment F on Bar { a } type Bar { "#
                    + #"a: Int }"#,
                [
                    (
                        #"The "Foo" definition is not executable."#,
                        [(1, 34)]
                    ),
                    (
                        #"The "Bar" definition is not executable."#,
                        [(1, 79)]
                    ),
                    (
                        #"Variable "$a" is never used."#,
                        [(1, 8)]
                    ),
                    (
                        #"Fragment "F" is never used."#,
                        [(1, 55)]
                    ),
                ])
        }
    }
}
