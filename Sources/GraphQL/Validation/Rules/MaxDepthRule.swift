/// Rejects operations whose fields nest deeper than `maxDepth` (a server limit, not a spec rule; the spec lets
/// services reject requests that are too expensive). Fragments are followed and introspection fields count.
/// Error code `QUERY_TOO_DEEP`, one error per operation, located at the operation.
///
/// https://spec.graphql.org/September2025/#sec-Validation
public struct MaxDepthRule: ValidationRule {
    /// The deepest allowed nesting; top-level fields have depth 1.
    public let maxDepth: Int

    /// Creates the rule.
    public init(maxDepth: Int = ProtectionLimits.defaultMaxDepth) { self.maxDepth = maxDepth }

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context, maxDepth: maxDepth) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        let maxDepth: Int
        var fragmentDepths: [String: Int] = [:]
        var inProgress: Set<String> = []

        mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
            let depth = self.depth(operationDefinition.selectionSet)
            if depth > maxDepth {
                context.report(
                    .coded(
                        "Query depth \(depth) exceeds the maximum allowed depth of \(maxDepth).",
                        code: ProtectionErrorCode.queryTooDeep, at: [operationDefinition.loc]))
            }
            return .skipChildren
        }

        mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction { .skipChildren }

        /// The deepest field nesting below `selectionSet`; a fragment's depth is computed once (cycles count 0).
        private mutating func depth(_ selectionSet: SelectionSetNode) -> Int {
            var deepest = 0
            for selection in selectionSet.selections {
                let depth: Int
                switch selection {
                case .field(let field):
                    depth = 1 + (field.selectionSet.map { self.depth($0) } ?? 0)
                case .inlineFragment(let fragment):
                    depth = self.depth(fragment.selectionSet)
                case .fragmentSpread(let spread):
                    depth = fragmentDepth(spread.name.value)
                }
                deepest = max(deepest, depth)
            }
            return deepest
        }

        private mutating func fragmentDepth(_ name: String) -> Int {
            if let known = fragmentDepths[name] { return known }
            guard let fragment = context.fragment(named: name), inProgress.insert(name).inserted else { return 0 }
            let depth = self.depth(fragment.selectionSet)
            inProgress.remove(name)
            fragmentDepths[name] = depth
            return depth
        }
    }
}
