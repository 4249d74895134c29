/// Fragment Spread Is Possible: a fragment's type must overlap the type it is spread into.
///
/// https://spec.graphql.org/September2025/#sec-Fragment-spread-is-possible
public struct PossibleFragmentSpreadsRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction {
            guard let fragmentType = context.type.flatMap({ context.schema.namedType(of: $0) }),
                fragmentType.isCompositeType, let parentType = context.parentType, parentType.isCompositeType,
                !doTypesOverlap(context.schema, fragmentType, parentType)
            else { return .continue }
            context.report(
                GraphQLError(
                    "Fragment cannot be spread here as objects of type \"\(parentType.name)\" can never be of type "
                        + "\"\(fragmentType.name)\".",
                    nodes: [inlineFragment]))
            return .continue
        }

        mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction {
            let name = fragmentSpread.name.value
            guard let fragment = context.fragment(named: name),
                let fragmentType = context.schema.type(named: fragment.typeCondition.name.value),
                fragmentType.isCompositeType, let parentType = context.parentType,
                !doTypesOverlap(context.schema, fragmentType, parentType)
            else { return .continue }
            context.report(
                GraphQLError(
                    "Fragment \"\(name)\" cannot be spread here as objects of type \"\(parentType.name)\" can never be "
                        + "of type \"\(fragmentType.name)\".",
                    nodes: [fragmentSpread]))
            return .continue
        }
    }
}
