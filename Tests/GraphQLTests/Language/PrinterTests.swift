import Testing

@testable import GraphQL

extension Language {
    /// Printer output must be byte-for-byte what graphql-js 16 `print` produces; the expected texts below were
    /// printed by graphql-js from the same sources.
    @Suite struct PrinterTests {
        /// graphql-js's kitchen-sink query (`src/__testUtils__/kitchenSinkQuery.ts`, 16.x).
        static let kitchenSinkQuery = #"""
            query queryName($foo: ComplexType, $site: Site = MOBILE) @onQuery {
              whoever123is: node(id: [123, 456]) {
                id
                ... on User @onInlineFragment {
                  field2 {
                    id
                    alias: field1(first: 10, after: $foo) @include(if: $foo) {
                      id
                      ...frag @onFragmentSpread
                    }
                  }
                }
                ... @skip(unless: $foo) {
                  id
                }
                ... {
                  id
                }
              }
            }

            mutation likeStory @onMutation {
              like(story: 123) @onField {
                story {
                  id @onField
                }
              }
            }

            subscription StoryLikeSubscription(
              $input: StoryLikeSubscribeInput @onVariableDefinition
            )
              @onSubscription {
              storyLikeSubscribe(input: $input) {
                story {
                  likers {
                    count
                  }
                  likeSentence {
                    text
                  }
                }
              }
            }

            fragment frag on Friend @onFragmentDefinition {
              foo(
                size: $size
                bar: $b
                obj: {
                  key: "value"
                  block: """
                  block string uses \"""
                  """
                }
              )
            }

            {
              unnamed(truthy: true, falsy: false, nullish: null)
              query
            }

            query {
              __typename
            }
            """#

        /// graphql-js's kitchen-sink SDL (`src/__testUtils__/kitchenSinkSDL.ts`, 16.x, with `@oneOf`).
        static let kitchenSinkSDL = #"""
            """This is a description of the schema as a whole."""
            schema {
              query: QueryType
              mutation: MutationType
            }

            """
            This is a description
            of the `Foo` type.
            """
            type Foo implements Bar & Baz & Two {
              "Description of the `one` field."
              one: Type
              """
              This is a description of the `two` field.
              """
              two(
                """
                This is a description of the `argument` argument.
                """
                argument: InputType!
              ): Type
              """This is a description of the `three` field."""
              three(argument: InputType, other: String): Int
              four(argument: String = "string"): String
              five(argument: [String] = ["string", "string"]): String
              six(argument: InputType = {key: "value"}): Type
              seven(argument: Int = null): Type
            }

            type AnnotatedObject @onObject(arg: "value") {
              annotatedField(arg: Type = "default" @onArgumentDefinition): Type @onField
            }

            type UndefinedType

            extend type Foo {
              seven(argument: [String]): Type
            }

            extend type Foo @onType

            interface Bar {
              one: Type
              four(argument: String = "string"): String
            }

            interface AnnotatedInterface @onInterface {
              annotatedField(arg: Type @onArgumentDefinition): Type @onField
            }

            interface UndefinedInterface

            extend interface Bar implements Two {
              two(argument: InputType!): Type
            }

            extend interface Bar @onInterface

            interface Baz implements Bar & Two {
              one: Type
              two(argument: InputType!): Type
              four(argument: String = "string"): String
            }

            union Feed =
              | Story
              | Article
              | Advert

            union AnnotatedUnion @onUnion = A | B

            union AnnotatedUnionTwo @onUnion = | A | B

            union UndefinedUnion

            extend union Feed = Photo | Video

            extend union Feed @onUnion

            scalar CustomScalar

            scalar AnnotatedScalar @onScalar

            extend scalar CustomScalar @onScalar

            enum Site {
              """
              This is a description of the `DESKTOP` value
              """
              DESKTOP

              """This is a description of the `MOBILE` value"""
              MOBILE

              "This is a description of the `WEB` value"
              WEB
            }

            enum AnnotatedEnum @onEnum {
              ANNOTATED_VALUE @onEnumValue
              OTHER_VALUE
            }

            enum UndefinedEnum

            extend enum Site {
              VR
            }

            extend enum Site @onEnum

            input InputType {
              key: String!
              answer: Int = 42
            }

            input OneOfInputType @oneOf {
              string: String
              int: Int
            }

            input AnnotatedInput @onInputObject {
              annotatedField: Type @onInputFieldDefinition
            }

            input UndefinedInput

            extend input InputType {
              other: Float = 1.23e4 @onInputFieldDefinition
            }

            extend input InputType @onInputObject

            """
            This is a description of the `@skip` directive
            """
            directive @skip(
              """This is a description of the `if` argument"""
              if: Boolean! @onArgumentDefinition
            ) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT

            directive @include(if: Boolean!)
              on FIELD
               | FRAGMENT_SPREAD
               | INLINE_FRAGMENT

            directive @include2(if: Boolean!) on
              | FIELD
              | FRAGMENT_SPREAD
              | INLINE_FRAGMENT

            directive @myRepeatableDir(name: String!) repeatable on
              | OBJECT
              | INTERFACE

            extend schema @onSchema

            extend schema @onSchema {
              subscription: SubscriptionType
            }
            """#

        static let printedKitchenSinkQuery = #"""
            query queryName($foo: ComplexType, $site: Site = MOBILE) @onQuery {
              whoever123is: node(id: [123, 456]) {
                id
                ... on User @onInlineFragment {
                  field2 {
                    id
                    alias: field1(first: 10, after: $foo) @include(if: $foo) {
                      id
                      ...frag @onFragmentSpread
                    }
                  }
                }
                ... @skip(unless: $foo) {
                  id
                }
                ... {
                  id
                }
              }
            }

            mutation likeStory @onMutation {
              like(story: 123) @onField {
                story {
                  id @onField
                }
              }
            }

            subscription StoryLikeSubscription($input: StoryLikeSubscribeInput @onVariableDefinition) @onSubscription {
              storyLikeSubscribe(input: $input) {
                story {
                  likers {
                    count
                  }
                  likeSentence {
                    text
                  }
                }
              }
            }

            fragment frag on Friend @onFragmentDefinition {
              foo(
                size: $size
                bar: $b
                obj: {key: "value", block: """
                block string uses \"""
                """}
              )
            }

            {
              unnamed(truthy: true, falsy: false, nullish: null)
              query
            }

            {
              __typename
            }
            """#

        static let printedKitchenSinkSDL = #"""
            """This is a description of the schema as a whole."""
            schema {
              query: QueryType
              mutation: MutationType
            }

            """
            This is a description
            of the `Foo` type.
            """
            type Foo implements Bar & Baz & Two {
              "Description of the `one` field."
              one: Type
              """This is a description of the `two` field."""
              two(
                """This is a description of the `argument` argument."""
                argument: InputType!
              ): Type
              """This is a description of the `three` field."""
              three(argument: InputType, other: String): Int
              four(argument: String = "string"): String
              five(argument: [String] = ["string", "string"]): String
              six(argument: InputType = {key: "value"}): Type
              seven(argument: Int = null): Type
            }

            type AnnotatedObject @onObject(arg: "value") {
              annotatedField(arg: Type = "default" @onArgumentDefinition): Type @onField
            }

            type UndefinedType

            extend type Foo {
              seven(argument: [String]): Type
            }

            extend type Foo @onType

            interface Bar {
              one: Type
              four(argument: String = "string"): String
            }

            interface AnnotatedInterface @onInterface {
              annotatedField(arg: Type @onArgumentDefinition): Type @onField
            }

            interface UndefinedInterface

            extend interface Bar implements Two {
              two(argument: InputType!): Type
            }

            extend interface Bar @onInterface

            interface Baz implements Bar & Two {
              one: Type
              two(argument: InputType!): Type
              four(argument: String = "string"): String
            }

            union Feed = Story | Article | Advert

            union AnnotatedUnion @onUnion = A | B

            union AnnotatedUnionTwo @onUnion = A | B

            union UndefinedUnion

            extend union Feed = Photo | Video

            extend union Feed @onUnion

            scalar CustomScalar

            scalar AnnotatedScalar @onScalar

            extend scalar CustomScalar @onScalar

            enum Site {
              """This is a description of the `DESKTOP` value"""
              DESKTOP
              """This is a description of the `MOBILE` value"""
              MOBILE
              "This is a description of the `WEB` value"
              WEB
            }

            enum AnnotatedEnum @onEnum {
              ANNOTATED_VALUE @onEnumValue
              OTHER_VALUE
            }

            enum UndefinedEnum

            extend enum Site {
              VR
            }

            extend enum Site @onEnum

            input InputType {
              key: String!
              answer: Int = 42
            }

            input OneOfInputType @oneOf {
              string: String
              int: Int
            }

            input AnnotatedInput @onInputObject {
              annotatedField: Type @onInputFieldDefinition
            }

            input UndefinedInput

            extend input InputType {
              other: Float = 1.23e4 @onInputFieldDefinition
            }

            extend input InputType @onInputObject

            """This is a description of the `@skip` directive"""
            directive @skip(
              """This is a description of the `if` argument"""
              if: Boolean! @onArgumentDefinition
            ) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT

            directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT

            directive @include2(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT

            directive @myRepeatableDir(name: String!) repeatable on OBJECT | INTERFACE

            extend schema @onSchema

            extend schema @onSchema {
              subscription: SubscriptionType
            }
            """#

        /// Strings, block strings and long argument lists, which have the most printing rules.
        static let tricky = #"""
            query Q($a: Int = 1 @d, $b: String) @dir {
              a(x: """  leading space""", y: "tab\there \u0001 \u007F é \u0085", z: """has \""" inside"""
                w: """ends with "quote" """, v: """
              multi
                line""", u: "ends with slash\\" ) {
                  b(averyveryveryverylongargumentname: 1, anotherveryveryverylongargumentname: 2, third: 3) } }
            fragment F on T @x { a }
            """#

        static let printedTricky = #"""
            query Q($a: Int = 1 @d, $b: String) @dir {
              a(
                x: """  leading space"""
                y: "tab\there \u0001 \u007F é \u0085"
                z: """has \""" inside"""
                w: """ends with "quote" """
                v: """
                multi
                  line
                """
                u: "ends with slash\\"
              ) {
                b(
                  averyveryveryverylongargumentname: 1
                  anotherveryveryverylongargumentname: 2
                  third: 3
                )
              }
            }

            fragment F on T @x {
              a
            }
            """#

        @Test(arguments: [
            (kitchenSinkQuery, printedKitchenSinkQuery), (kitchenSinkSDL, printedKitchenSinkSDL), (tricky, printedTricky),
        ])
        func printsLikeGraphQLJS(source: String, expected: String) throws {
            #expect(print(try parse(source)) == expected)
        }

        @Test(arguments: [kitchenSinkQuery, kitchenSinkSDL, tricky])
        func roundTripsToTheSameTree(source: String) throws {
            let options = ParseOptions(noLocation: true)
            let original = try parse(source, options: options)
            let printed = print(original)
            let reparsed = try parse(printed, options: options)
            #expect(reparsed == original)
            #expect(print(reparsed) == printed)
        }

        @Test func printsValuesAndTypes() throws {
            let value = #"{a: [1, 2.5, "x\ny"], b: null, c: ENUM, d: $v}"#
            #expect(print(try parseValue(value)) == value)
            #expect(print(try parseType("[[Int!]]!")) == "[[Int!]]!")
        }

        @Test func printStringEscapesLikeGraphQLJS() {
            let input = "quote\" back\\ \u{0}\u{1F}\u{7F}\u{9F}\u{A0} é 😀"
            #expect(printString(input) == #""quote\" back\\ \u0000\u001F\u007F\u009F\#u{A0} é 😀""#)
            #expect(printString("\u{8}\t\n\u{C}\r") == #""\b\t\n\f\r""#)
        }

        @Test(arguments: [
            ("", #""""""""#), ("a", #""""a""""#), (" a", #"""" a""""#), ("a\\", "\"\"\"\na\\\n\"\"\""),
            ("a\"", "\"\"\"\na\"\n\"\"\""), ("a\"\"\"", "\"\"\"\na\\\"\"\"\n\"\"\""),
            ("a\nb", "\"\"\"\na\nb\n\"\"\""), ("\n", "\"\"\"\n\n\n\"\"\""), ("a\n b", "\"\"\"\na\n b\n\"\"\""),
            (String(repeating: "x", count: 71), "\"\"\"\n" + String(repeating: "x", count: 71) + "\n\"\"\""),
            ("\ta", "\"\"\"\ta\"\"\""), ("a\r\nb", "\"\"\"\na\r\nb\n\"\"\""), ("a \"\"\" b", "\"\"\"a \\\"\"\" b\"\"\""),
        ])
        func printsBlockStringsLikeGraphQLJS(value: String, expected: String) {
            #expect(BlockString.print(value) == expected)
        }
    }
}
