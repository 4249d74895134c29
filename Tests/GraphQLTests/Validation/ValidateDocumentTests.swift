import Testing

@testable import GraphQL

extension Validation {
    /// `validate(schema:document:rules:options:)`: rule set, error limit, protection defaults.
    @Suite struct ValidateDocumentTests {
        @Test func specifiedRulesMatchGraphQLJSPlusIntrospectionDepth() {
            #expect(specifiedRules.count == 27)
            #expect(specifiedRules.last is MaxIntrospectionDepthRule)
        }

        @Test func validDocumentHasNoErrors() throws {
            let document = try parse("query Q($id: ID) { human(id: $id) { name pets { ... on Dog { barks } } } }")
            #expect(validate(schema: Validation.testSchema, document: document).isEmpty)
        }

        @Test func errorsOfAllRulesAreReportedWithoutCodes() throws {
            let document = try parse("{ dog { unknown } cat { meows(x: 1) } }")
            let errors = validate(schema: Validation.testSchema, document: document)
            #expect(
                errors.map(\.message) == [
                    #"Cannot query field "unknown" on type "Dog"."#, #"Unknown argument "x" on field "Cat.meows"."#,
                ])
            #expect(errors.allSatisfy { $0.extensions == nil })
        }

        @Test func stopsAfterMaxErrors() throws {
            let document = try parse("{ a b c d e }")
            let errors = validate(
                schema: Validation.testSchema, document: document, options: ValidationOptions(maxErrors: 2))
            #expect(errors.count == 3)
            #expect(errors.last?.message == tooManyValidationErrorsMessage)
            #expect(validate(schema: Validation.testSchema, document: document).count == 5)
        }

        @Test func protectionRulesRunByDefault() throws {
            let deep = "{ dog " + String(repeating: "{ mother ", count: 20) + "{ name }" + String(repeating: " }", count: 21)
            let document = try parse(deep)
            #expect(validate(schema: Validation.testSchema, document: document).map(\.code) == ["QUERY_TOO_DEEP"])
            #expect(validate(schema: Validation.testSchema, document: document, options: .init(protection: nil)).isEmpty)
            let relaxed = ValidationOptions(protection: ProtectionLimits(maxDepth: 30))
            #expect(validate(schema: Validation.testSchema, document: document, options: relaxed).isEmpty)
        }

        @Test func protectionLimitsCanBeTurnedOffOneByOne() {
            #expect(defaultProtectionRules(limits: ProtectionLimits()).count == 4)
            #expect(defaultProtectionRules(limits: ProtectionLimits(maxCost: nil)).count == 3)
            #expect(defaultProtectionRules(limits: .unlimited).isEmpty)
        }

        @Test func invalidSchemaReportsItsOwnErrors() throws {
            let schema = GraphQLSchema(query: GraphQLObjectType(name: "Query", fields: []))
            let errors = validate(schema: schema, document: try parse("{ a }"))
            #expect(!errors.isEmpty)
            #expect(errors == schema.validationErrors)
        }

        @Test func rulesSkippingSubtreesDoNotAffectOthers() throws {
            // ExecutableDefinitions skips the whole document; the other rules still see every node.
            let document = try parse("{ dog { nope } } scalar Foo")
            let errors = validate(
                schema: Validation.testSchema, document: document,
                rules: [ExecutableDefinitionsRule(), FieldsOnCorrectTypeRule()], options: .init(protection: nil))
            #expect(errors.count == 2)
        }
    }

    /// `ValidationContext`: fragment and variable lookups shared by the rules.
    @Suite struct ValidationContextTests {
        static let document = """
            query Q($a: Int, $b: Boolean) { complicatedArgs { ...F intArgField(intArg: $a) } }
            fragment F on ComplicatedArgs { ...G booleanArgField(booleanArg: $b) }
            fragment G on ComplicatedArgs { ... on ComplicatedArgs { ...F nonNullFieldWithDefault(arg: $c) } }
            """

        func context() throws -> (ValidationContext, OperationDefinitionNode) {
            let document = try parse(Self.document)
            let context = ValidationContext(
                schema: Validation.testSchema, document: document, typeInfo: TypeInfo(schema: Validation.testSchema))
            return (context, try #require(document.operations.first))
        }

        @Test func fragmentsAreFoundByName() throws {
            let (context, operation) = try context()
            #expect(context.fragment(named: "G")?.typeCondition.name.value == "ComplicatedArgs")
            #expect(context.fragment(named: "H") == nil)
            #expect(context.fragmentSpreads(in: operation.selectionSet).map(\.name.value) == ["F"])
            #expect(context.recursivelyReferencedFragments(operation).map(\.name.value) == ["F", "G"])
        }

        @Test func variableUsagesCarryTheirExpectedTypeAndDefault() throws {
            let (context, operation) = try context()
            let usages = context.recursiveVariableUsages(operation)
            #expect(usages.map(\.node.name.value) == ["a", "b", "c"])
            #expect(usages.map(\.type) == [.named("Int"), .named("Boolean"), .nonNull(.named("Int"))])
            #expect(usages.map(\.defaultValue) == [nil, nil, .int(0)])
        }

        @Test func errorsPastTheLimitAbort() throws {
            let document = try parse("{ a }")
            let context = ValidationContext(
                schema: Validation.testSchema, document: document, typeInfo: TypeInfo(schema: Validation.testSchema),
                maxErrors: 1)
            context.report(GraphQLError("one"))
            #expect(!context.isAborted)
            context.report(GraphQLError("two"))
            context.report(GraphQLError("three"))
            #expect(context.isAborted)
            #expect(context.errors.map(\.message) == ["one", tooManyValidationErrorsMessage])
        }
    }
}
