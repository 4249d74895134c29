/// Limits how deeply introspection lists (`fields`, `interfaces`, `possibleTypes`, `inputFields`) nest below
/// `__schema` and `__type`: three levels are rejected (graphql-js 16.9+/17 `MaxIntrospectionDepthRule`; not in
/// the spec, which leaves such limits to servers). One error per offending `__schema`/`__type` field.
///
/// https://spec.graphql.org/September2025/#sec-Schema-Introspection
public struct MaxIntrospectionDepthRule: ValidationRule {
    /// Nesting of introspection list fields that is rejected.
    static let maxListsDepth = 3

    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor { Visitor(context: context) }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext

        mutating func enter(field: FieldNode) -> VisitAction {
            guard field.name.value == "__schema" || field.name.value == "__type" else { return .continue }
            var checker = DepthChecker(context: context)
            if checker.exceeds(.field(field), depth: 0) {
                context.report(GraphQLError("Maximum introspection depth exceeded", nodes: [field]))
                return .skipChildren
            }
            return .continue
        }
    }

    /// graphql-js `checkDepth`, with results per (fragment, depth) remembered so that fragments spread many
    /// times are not walked again (graphql-js walks them every time, which can take exponential time).
    private struct DepthChecker {
        let context: ValidationContext
        var visitedFragments: Set<String> = []
        var memo: [String: Bool] = [:]

        mutating func exceeds(_ selection: SelectionNode, depth: Int) -> Bool {
            var depth = depth
            switch selection {
            case .fragmentSpread(let spread):
                let name = spread.name.value
                guard !visitedFragments.contains(name), let fragment = context.fragment(named: name) else { return false }
                let key = "\(depth):\(name)"
                if let known = memo[key] { return known }
                visitedFragments.insert(name)
                let result = exceeds(fragment.selectionSet, depth: depth)
                visitedFragments.remove(name)
                memo[key] = result
                return result
            case .field(let field):
                switch field.name.value {
                case "fields", "interfaces", "possibleTypes", "inputFields":
                    depth += 1
                    if depth >= MaxIntrospectionDepthRule.maxListsDepth { return true }
                default:
                    break
                }
                guard let selectionSet = field.selectionSet else { return false }
                return exceeds(selectionSet, depth: depth)
            case .inlineFragment(let fragment):
                return exceeds(fragment.selectionSet, depth: depth)
            }
        }

        private mutating func exceeds(_ selectionSet: SelectionSetNode, depth: Int) -> Bool {
            for selection in selectionSet.selections where exceeds(selection, depth: depth) { return true }
            return false
        }
    }
}
