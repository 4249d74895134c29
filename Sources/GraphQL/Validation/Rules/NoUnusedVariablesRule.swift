/// All Variables Used: every declared variable must be used by the operation or its fragments.
///
/// https://spec.graphql.org/September2025/#sec-All-Variables-Used
public struct NoUnusedVariablesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        var definitions: [VariableDefinitionNode] = []

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            definitions = []
            return .continue
        }

        mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
            definitions.append(variableDefinition)
            return .continue
        }

        mutating func leave(operationDefinition: OperationDefinitionNode) {
            let used = Set(context.recursiveVariableUsages(operationDefinition).map(\.node.name.value))
            for definition in definitions where !used.contains(definition.variable.name.value) {
                let name = definition.variable.name.value
                let message =
                    operationDefinition.name.map { "Variable \"$\(name)\" is never used in operation \"\($0.value)\"." }
                    ?? "Variable \"$\(name)\" is never used."
                context.report(GraphQLError(message, nodes: [definition]))
            }
        }
    }
}
