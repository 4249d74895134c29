/// Values of Correct Type: literals must be coercible to the input type expected where they appear,
/// including graphql-js 16.9's `@oneOf` checks (exactly one non-null field; a variable there must be non-null).
///
/// https://spec.graphql.org/September2025/#sec-Values-of-Correct-Type
public struct ValuesOfCorrectTypeRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        var variableDefinitions: [String: VariableDefinitionNode] = [:]

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            variableDefinitions = [:]
            return .continue
        }

        mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
            variableDefinitions[variableDefinition.variable.name.value] = variableDefinition
            return .continue
        }

        mutating func enter(value: ValueNode) -> VisitAction {
            switch value {
            case .variable:
                return .continue
            case .list:
                if context.parentInputType?.nullable.isList != true {
                    checkLeaf(value)
                    return .skipChildren
                }
                return .continue
            case .object(let object):
                guard case .inputObject(let type)? = context.inputType.flatMap({ context.schema.namedType(of: $0) })
                else {
                    checkLeaf(value)
                    return .skipChildren
                }
                checkObject(object, type)
                return .continue
            case .null:
                if let type = context.inputType, type.isNonNull {
                    context.report(GraphQLError("Expected value of type \"\(type)\", found \(print(value)).", nodes: [value]))
                }
                return .continue
            case .int, .float, .string, .boolean, .enumValue:
                checkLeaf(value)
                return .continue
            }
        }

        mutating func enter(objectField: ObjectFieldNode) -> VisitAction {
            guard context.inputType == nil,
                case .inputObject(let parentType)? = context.parentInputType.flatMap({ context.schema.namedType(of: $0) })
            else { return .continue }
            let name = objectField.name.value
            let suggestions = suggestionList(name, options: parentType.fields.names)
            context.report(
                GraphQLError(
                    "Field \"\(name)\" is not defined by type \"\(parentType.name)\"." + didYouMean(suggestions),
                    nodes: [objectField]))
            return .continue
        }

        private func checkObject(_ object: ObjectValueNode, _ type: GraphQLInputObjectType) {
            var fieldNodes: [String: ObjectFieldNode] = [:]
            var names: [String] = []
            for field in object.fields {
                if fieldNodes[field.name.value] == nil { names.append(field.name.value) }
                fieldNodes[field.name.value] = field
            }
            for field in type.fields where fieldNodes[field.name] == nil && field.isRequired {
                context.report(
                    GraphQLError(
                        "Field \"\(type.name).\(field.name)\" of required type \"\(field.type)\" was not provided.",
                        nodes: [object]))
            }
            guard type.isOneOf else { return }
            guard names.count == 1, let fieldValue = fieldNodes[names[0]]?.value else {
                context.report(GraphQLError("OneOf Input Object \"\(type.name)\" must specify exactly one key.", nodes: [object]))
                return
            }
            switch fieldValue {
            case .null:
                context.report(GraphQLError("Field \"\(type.name).\(names[0])\" must be non-null.", nodes: [object]))
            case .variable(let variable):
                let name = variable.name.value
                if let definition = variableDefinitions[name], !isNonNullTypeNode(definition.type) {
                    context.report(
                        GraphQLError(
                            "Variable \"\(name)\" must be non-nullable to be used for OneOf Input Object \"\(type.name)\".",
                            nodes: [object]))
                }
            default:
                break
            }
        }

        private func isNonNullTypeNode(_ type: TypeNode) -> Bool {
            if case .nonNull = type { return true }
            return false
        }

        /// graphql-js `isValidValueNode`: leaf types must accept the literal; other types accept no literal here.
        private func checkLeaf(_ value: ValueNode) {
            guard let locationType = context.inputType else { return }
            switch context.schema.namedType(of: locationType) {
            case .scalar(let scalar)?:
                do {
                    _ = try scalar.parseLiteral(value)
                } catch {
                    // A custom scalar's error without a location is treated like a plain JavaScript error in
                    // graphql-js: wrapped and located at the literal.
                    if error.locations.isEmpty {
                        context.report(
                            GraphQLError(
                                "Expected value of type \"\(locationType)\", found \(print(value)); \(error.message)",
                                nodes: [value]))
                    } else {
                        context.report(error)
                    }
                }
            case .enumType(let enumType)?:
                do {
                    _ = try enumType.parseLiteral(value)
                } catch {
                    context.report(error)
                }
            default:
                context.report(
                    GraphQLError("Expected value of type \"\(locationType)\", found \(print(value)).", nodes: [value]))
            }
        }
    }
}
