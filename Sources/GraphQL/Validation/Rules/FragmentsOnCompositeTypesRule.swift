/// Fragments On Composite Types: type conditions must name objects, interfaces or unions.
///
/// https://spec.graphql.org/September2025/#sec-Fragments-On-Composite-Types
public struct FragmentsOnCompositeTypesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction {
            if let condition = inlineFragment.typeCondition, isNonComposite(condition) {
                let typeString = print(TypeNode.named(condition))
                context.report(
                    GraphQLError("Fragment cannot condition on non composite type \"\(typeString)\".", nodes: [condition]))
            }
            return .continue
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction {
            let condition = fragmentDefinition.typeCondition
            if isNonComposite(condition) {
                let typeString = print(TypeNode.named(condition))
                context.report(
                    GraphQLError(
                        "Fragment \"\(fragmentDefinition.name.value)\" cannot condition on non composite type \"\(typeString)\".",
                        nodes: [condition]))
            }
            return .continue
        }

        private func isNonComposite(_ condition: NamedTypeNode) -> Bool {
            guard let type = context.schema.type(named: condition.name.value) else { return false }
            return !type.isCompositeType
        }
    }
}
