/// Variable Uniqueness: an operation's variables must have distinct names.
///
/// https://spec.graphql.org/September2025/#sec-Variable-Uniqueness
public struct UniqueVariableNamesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            var order: [String] = []
            var groups: [String: [NameNode]] = [:]
            for definition in operationDefinition.variableDefinitions {
                let name = definition.variable.name
                if groups[name.value] == nil { order.append(name.value) }
                groups[name.value, default: []].append(name)
            }
            for name in order {
                guard let nodes = groups[name], nodes.count > 1 else { continue }
                context.report(GraphQLError("There can be only one variable named \"$\(name)\".", nodes: nodes))
            }
            return .continue
        }
    }
}
