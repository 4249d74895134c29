import Testing

@testable import GraphQL

/// Tests of `Sources/GraphQL/Validation`; the namespace makes `swift test --filter Validation` select them.
@Suite enum Validation {}

extension Validation {
    /// The schema of graphql-js `src/validation/__tests__/harness.ts` (pets, humans, complicated arguments),
    /// with root types for all three operations and directives for every executable location.
    static let testSDL = """
        interface Mammal { mother: Mammal father: Mammal }
        interface Pet { name(surname: Boolean): String }
        interface Canine implements Mammal { name(surname: Boolean): String mother: Canine father: Canine }
        enum DogCommand { SIT HEEL DOWN }
        type Dog implements Pet & Mammal & Canine {
          name(surname: Boolean): String
          nickname: String
          barkVolume: Int
          barks: Boolean
          doesKnowCommand(dogCommand: DogCommand): Boolean
          isHouseTrained(atOtherHomes: Boolean = true): Boolean
          isAtLocation(x: Int, y: Int): Boolean
          mother: Dog
          father: Dog
        }
        type Cat implements Pet {
          name(surname: Boolean): String
          nickname: String
          meows: Boolean
          meowsVolume: Int
          furColor: FurColor
        }
        union CatOrDog = Cat | Dog
        interface Intelligent { iq: Int }
        interface Being { name(surname: Boolean): String }
        type Human implements Being & Intelligent {
          name(surname: Boolean): String
          pets: [Pet]
          relatives: [Human]!
          iq: Int
        }
        type Alien implements Being & Intelligent {
          name(surname: Boolean): String
          numEyes: Int
          iq: Int
        }
        union DogOrHuman = Dog | Human
        union HumanOrAlien = Human | Alien
        enum FurColor { BROWN BLACK TAN SPOTTED NO_FUR UNKNOWN }
        input ComplexInput {
          requiredField: Boolean!
          nonNullField: Boolean! = false
          intField: Int
          stringField: String
          booleanField: Boolean
          stringListField: [String]
        }
        input OneOfInput @oneOf { stringField: String intField: Int }
        type ComplicatedArgs {
          intArgField(intArg: Int): String
          nonNullIntArgField(nonNullIntArg: Int!): String
          stringArgField(stringArg: String): String
          booleanArgField(booleanArg: Boolean): String
          enumArgField(enumArg: FurColor): String
          floatArgField(floatArg: Float): String
          idArgField(idArg: ID): String
          stringListArgField(stringListArg: [String]): String
          stringListNonNullArgField(stringListNonNullArg: [String!]): String
          complexArgField(complexArg: ComplexInput): String
          oneOfArgField(oneOfArg: OneOfInput): String
          multipleReqs(req1: Int!, req2: Int!): String
          nonNullFieldWithDefault(arg: Int! = 0): String
          multipleOpts(opt1: Int = 0, opt2: Int = 0): String
          multipleOptAndReq(req1: Int!, req2: Int!, opt1: Int = 0, opt2: Int = 0): String
        }
        type Message { body: String sender: String }
        type QueryRoot {
          human(id: ID): Human
          alien: Alien
          dog: Dog
          cat: Cat
          pet: Pet
          catOrDog: CatOrDog
          dogOrHuman: DogOrHuman
          humanOrAlien: HumanOrAlien
          complicatedArgs: ComplicatedArgs
          pets(first: Int, last: Int): [Pet]
          humans(limit: Int): [Human]
        }
        type MutationRoot { addPet(name: String!): Pet }
        type SubscriptionRoot {
          importantEmails: [String]
          notImportantEmails: [String]
          newMessage: Message
        }
        schema { query: QueryRoot mutation: MutationRoot subscription: SubscriptionRoot }
        directive @onQuery on QUERY
        directive @onMutation on MUTATION
        directive @onSubscription on SUBSCRIPTION
        directive @onField on FIELD
        directive @onFragmentDefinition on FRAGMENT_DEFINITION
        directive @onFragmentSpread on FRAGMENT_SPREAD
        directive @onInlineFragment on INLINE_FRAGMENT
        directive @onVariableDefinition on VARIABLE_DEFINITION
        directive @directive on FIELD | FRAGMENT_DEFINITION
        directive @directiveA on FIELD | FRAGMENT_DEFINITION
        directive @directiveB on FIELD | FRAGMENT_DEFINITION
        directive @repeatable repeatable on FIELD | FRAGMENT_DEFINITION
        directive @needsArg(arg: String!, opt: Int = 1) on FIELD
        """

    /// The shared test schema.
    static let testSchema: GraphQLSchema = {
        do {
            return try buildSchema(testSDL)
        } catch {
            fatalError("test schema: \(error)")
        }
    }()

    /// An expected error: a message fragment (nil: any message) and its locations in order.
    typealias ExpectedError = (message: String?, locations: [(line: Int, column: Int)])

    /// The errors `rules` report on `query`, without protection rules.
    static func errors(
        _ rules: [any ValidationRule], _ query: String, schema: GraphQLSchema = testSchema, maxErrors: Int = 100
    ) throws -> [GraphQLError] {
        let document = try parse(query)
        return validate(
            schema: schema, document: document, rules: rules, options: ValidationOptions(maxErrors: maxErrors, protection: nil))
    }

    /// Expects `rule` to accept `query`.
    static func expectValid(
        _ rule: any ValidationRule, _ query: String, schema: GraphQLSchema = testSchema,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        expectErrors(rule, query, [], schema: schema, sourceLocation: sourceLocation)
    }

    /// Expects `rule` to report exactly `expected` on `query`, in order.
    static func expectErrors(
        _ rule: any ValidationRule, _ query: String, _ expected: [ExpectedError], schema: GraphQLSchema = testSchema,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        expectErrors(rules: [rule], query, expected, schema: schema, sourceLocation: sourceLocation)
    }

    /// Expects `rules`, run together, to report exactly `expected` on `query`, in order.
    static func expectErrors(
        rules: [any ValidationRule], _ query: String, _ expected: [ExpectedError], schema: GraphQLSchema = testSchema,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let found: [GraphQLError]
        do {
            found = try errors(rules, query, schema: schema)
        } catch {
            Issue.record("parse failed: \(error)", sourceLocation: sourceLocation)
            return
        }
        let description = found.map(\.description).joined(separator: "\n")
        #expect(found.count == expected.count, "got:\n\(description)", sourceLocation: sourceLocation)
        for (error, want) in zip(found, expected) {
            if let message = want.message {
                #expect(error.message.contains(message), "got: \(error.message)", sourceLocation: sourceLocation)
            }
            let wantLocations = want.locations.map { SourceLocation(line: $0.line, column: $0.column) }
            #expect(error.locations == wantLocations, "\(error)", sourceLocation: sourceLocation)
        }
    }
}
