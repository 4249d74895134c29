import Testing

@testable import GraphQL

extension Language {
    @Suite struct VisitorTests {
        /// Records every callback as a short string.
        struct Recorder: ASTVisitor {
            var events: [String] = []
            var skipFieldsNamed: Set<String> = []
            var stopAtField: String?

            mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
                events.append("enter op \(operationDefinition.name?.value ?? "-")")
                return .continue
            }
            mutating func leave(operationDefinition: OperationDefinitionNode) { events.append("leave op") }
            mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction {
                events.append("enter fragment \(fragmentDefinition.name.value)")
                return .continue
            }
            mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
                events.append("enter var \(variableDefinition.variable.name.value)")
                return .continue
            }
            mutating func enter(field: FieldNode) -> VisitAction {
                events.append("enter field \(field.name.value)")
                if field.name.value == stopAtField { return .stop }
                return skipFieldsNamed.contains(field.name.value) ? .skipChildren : .continue
            }
            mutating func leave(field: FieldNode) { events.append("leave field \(field.name.value)") }
            mutating func enter(argument: ArgumentNode) -> VisitAction {
                events.append("enter arg \(argument.name.value)")
                return .continue
            }
            mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction {
                events.append("enter directive \(directive.name.value) \(location.rawValue)")
                return .continue
            }
            mutating func enter(value: ValueNode) -> VisitAction {
                events.append("enter value \(print(value))")
                return .continue
            }
            mutating func enter(objectField: ObjectFieldNode) -> VisitAction {
                events.append("enter objectField \(objectField.name.value)")
                return .continue
            }
            mutating func enter(namedType: NamedTypeNode) -> VisitAction {
                events.append("enter type \(namedType.name.value)")
                return .continue
            }
            mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction {
                events.append("enter spread \(fragmentSpread.name.value)")
                return .continue
            }
            mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction {
                events.append("enter inline \(inlineFragment.typeCondition?.name.value ?? "-")")
                return .continue
            }
            mutating func enter(typeSystemDefinition: DefinitionNode) -> VisitAction {
                events.append("enter sdl")
                return .continue
            }
        }

        @Test func visitsInGraphQLJSKeyOrder() throws {
            let document = try parse(
                """
                query Q($v: [Int] = [1] @d) @op { a(x: {y: $v}) @include(if: true) { b ...F ... on T { c } } }
                fragment F on T { d }
                scalar S
                """)
            var recorder = Recorder()
            visit(document, &recorder)
            #expect(
                recorder.events == [
                    "enter op Q", "enter var v", "enter type Int", "enter value [1]", "enter value 1",
                    "enter directive d VARIABLE_DEFINITION", "enter directive op QUERY", "enter field a", "enter arg x",
                    "enter value {y: $v}", "enter objectField y", "enter value $v", "enter directive include FIELD",
                    "enter arg if", "enter value true", "enter field b", "leave field b", "enter spread F",
                    "enter inline T", "enter type T", "enter field c", "leave field c", "leave field a", "leave op",
                    "enter fragment F", "enter type T", "enter field d", "leave field d", "enter sdl",
                ])
        }

        @Test func skipChildrenAndStop() throws {
            let document = try parse("{ a { b } c { d } e }")
            var skipping = Recorder(skipFieldsNamed: ["a"])
            visit(document, &skipping)
            #expect(
                skipping.events == [
                    "enter op -", "enter field a", "enter field c", "enter field d", "leave field d", "leave field c",
                    "enter field e", "leave field e", "leave op",
                ])
            var stopping = Recorder(stopAtField: "c")
            #expect(visit(document, &stopping) == false)
            #expect(stopping.events.last == "enter field c")
        }
    }
}
