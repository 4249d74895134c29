/// Fragments Must Be Used: every fragment must be spread by some operation (directly or indirectly).
///
/// https://spec.graphql.org/September2025/#sec-Fragments-Must-Be-Used
public struct NoUnusedFragmentsRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        var operations: [OperationDefinitionNode] = []
        var fragments: [FragmentDefinitionNode] = []

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            operations.append(operationDefinition)
            return .skipChildren
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction {
            fragments.append(fragmentDefinition)
            return .skipChildren
        }

        mutating func leave(document: DocumentNode) {
            var used: Set<String> = []
            for operation in operations {
                for fragment in context.recursivelyReferencedFragments(operation) { used.insert(fragment.name.value) }
            }
            for fragment in fragments where !used.contains(fragment.name.value) {
                context.report(GraphQLError("Fragment \"\(fragment.name.value)\" is never used.", nodes: [fragment]))
            }
        }
    }
}
