/// All Variable Usages Are Allowed: a variable's type must fit every position it is used in.
///
/// https://spec.graphql.org/September2025/#sec-All-Variable-Usages-Are-Allowed
public struct VariablesInAllowedPositionRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        var definitions: [String: VariableDefinitionNode] = [:]

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            definitions = [:]
            return .continue
        }

        mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
            definitions[variableDefinition.variable.name.value] = variableDefinition
            return .continue
        }

        mutating func leave(operationDefinition: OperationDefinitionNode) {
            let schema = context.schema
            for usage in context.recursiveVariableUsages(operationDefinition) {
                let name = usage.node.name.value
                guard let definition = definitions[name], let type = usage.type,
                    let variableType = typeFromAST(schema, definition.type),
                    !allowed(variableType, definition.defaultValue, type, usage.defaultValue)
                else { continue }
                context.report(
                    GraphQLError(
                        "Variable \"$\(name)\" of type \"\(variableType)\" used in position expecting type \"\(type)\".",
                        at: [definition.loc, usage.node.loc]))
            }
        }

        /// A nullable variable may fill a non-null position when it or the position has a default value.
        private func allowed(
            _ variableType: TypeReference, _ variableDefault: ValueNode?, _ locationType: TypeReference,
            _ locationDefault: Value?
        ) -> Bool {
            if case .nonNull(let nullableLocationType) = locationType, !variableType.isNonNull {
                var hasNonNullVariableDefault = false
                if let variableDefault, !isNullLiteral(variableDefault) { hasNonNullVariableDefault = true }
                guard hasNonNullVariableDefault || locationDefault != nil else { return false }
                return isTypeSubTypeOf(context.schema, variableType, nullableLocationType)
            }
            return isTypeSubTypeOf(context.schema, variableType, locationType)
        }

        private func isNullLiteral(_ value: ValueNode) -> Bool {
            if case .null = value { return true }
            return false
        }
    }
}
