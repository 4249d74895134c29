/// Operation Name Uniqueness: named operations must have distinct names.
///
/// https://spec.graphql.org/September2025/#sec-Operation-Name-Uniqueness
public struct UniqueOperationNamesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        var known: [String: NameNode] = [:]

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            if let name = operationDefinition.name {
                if let previous = known[name.value] {
                    context.report(
                        GraphQLError("There can be only one operation named \"\(name.value)\".", nodes: [previous, name]))
                } else {
                    known[name.value] = name
                }
            }
            return .skipChildren
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction { .skipChildren }
    }
}
