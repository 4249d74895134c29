/// All Variable Uses Defined: variables used by an operation (and its fragments) must be declared by it.
///
/// https://spec.graphql.org/September2025/#sec-All-Variable-Uses-Defined
public struct NoUndefinedVariablesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        var defined: Set<String> = []

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            defined = []
            return .continue
        }

        mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
            defined.insert(variableDefinition.variable.name.value)
            return .continue
        }

        mutating func leave(operationDefinition: OperationDefinitionNode) {
            for usage in context.recursiveVariableUsages(operationDefinition) {
                let name = usage.node.name.value
                guard !defined.contains(name) else { continue }
                let message =
                    operationDefinition.name.map { "Variable \"$\(name)\" is not defined by operation \"\($0.value)\"." }
                    ?? "Variable \"$\(name)\" is not defined."
                context.report(GraphQLError(message, at: [usage.node.loc, operationDefinition.loc]))
            }
        }
    }
}
