/// Fragment Spread Target Defined: spreads must name a fragment of the document.
///
/// https://spec.graphql.org/September2025/#sec-Fragment-spread-target-defined
public struct KnownFragmentNamesRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction {
            let name = fragmentSpread.name
            if context.fragment(named: name.value) == nil {
                context.report(GraphQLError("Unknown fragment \"\(name.value)\".", nodes: [name]))
            }
            return .continue
        }
    }
}
